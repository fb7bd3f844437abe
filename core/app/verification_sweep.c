#include "verification_sweep.h"

#include "jobs.h"
#include "log.h"
#include "verification.h"
#include "verification_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One check the sweep queues a job for. */
typedef struct {
    long long id; /* the verification's id, or the run's for a missing challenge */
    long long msp_id;
    long long run_id;
    long long ticket_id;
    long long deadline_ms;
} sweep_item;

/* A growable list of sweep items. */
typedef struct {
    sweep_item *items;
    size_t count;
    size_t capacity;
} sweep_list;

static int list_add(sweep_list *list, const sweep_item *item)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity > 0 ? list->capacity * 2 : 16;
        sweep_item *items = realloc(list->items, capacity * sizeof *items);
        if (items == NULL) {
            return -1;
        }
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = *item;
    return 0;
}

/* Pending verifications, each its run's latest, whose deadline job is neither ready nor
 * running: it died or its row was lost. */
static const char LOST_DEADLINES[] =
    "SELECT v.id, v.msp_id, v.run_id, v.ticket_id, v.deadline_ms FROM verifications v"
    " WHERE v.status = 'pending'"
    "   AND v.id = (SELECT max(w.id) FROM verifications w WHERE w.run_id = v.run_id)"
    "   AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = 'verify_deadline:' || v.id"
    "     AND j.state IN ('ready', 'running'))"
    " ORDER BY v.id";

/* Runs waiting for a challenge that was never recorded, with no screen job to end it. */
static const char LOST_CHALLENGES[] =
    "SELECT r.id, r.msp_id, r.id, r.ticket_id, 0 FROM runs r"
    " WHERE r.verification = 'pending' AND r.state IN ('" HALYARD_RUN_AWAITING_VERIFICATION
    "', 'planning')"
    "   AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.run_id = r.id"
    "     AND v.status = 'pending')"
    "   AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = 'screen:' || r.id"
    "     AND j.state IN ('ready', 'running'))"
    " ORDER BY r.id";

/* Runs never screened whose screen job died: they stayed in planning with no note. A job
 * queued again starts its attempts over, and a policy that keeps raising then ends the
 * screening as sensitive (halyard_verification_screen_job). */
static const char DEAD_SCREENINGS[] =
    "SELECT r.id, r.msp_id, r.id, r.ticket_id, 0 FROM runs r"
    " WHERE r.verification = 'none' AND r.state = 'planning'"
    "   AND EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = 'screen:' || r.id"
    "     AND j.state = 'dead')"
    " ORDER BY r.id";

/* Runs whose requester passed and whose "identity verified" note is written, but with no
 * resume job to move them on: it died or its row was lost, and the run stayed waiting. */
static const char LOST_RESUMES[] =
    "SELECT v.id, r.msp_id, r.id, r.ticket_id, 0 FROM runs r JOIN verifications v"
    "   ON v.run_id = r.id"
    "   AND v.id = (SELECT max(w.id) FROM verifications w WHERE w.run_id = r.id)"
    " WHERE r.state = '" HALYARD_RUN_AWAITING_VERIFICATION "' AND r.verification = 'verified'"
    "   AND v.status = 'verified'"
    "   AND EXISTS (SELECT 1 FROM run_writes n WHERE n.run_id = r.id"
    "     AND n.key = 'verification-' || v.id AND n.state = 'done')"
    "   AND NOT EXISTS (SELECT 1 FROM jobs j"
    "     WHERE j.idempotency_key = 'verify_resume:' || r.id || ':verification-' || v.id"
    "     AND j.state IN ('ready', 'running'))"
    " ORDER BY r.id";

/* Reads the rows of query into list. Returns 0, or -1 with a message. */
static int read_items(halyard_store *store, const char *query, sweep_list *list, char *message,
                      size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(database, query, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the waiting verifications failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        sweep_item item = {
            .id = sqlite3_column_int64(statement, 0),
            .msp_id = sqlite3_column_int64(statement, 1),
            .run_id = sqlite3_column_int64(statement, 2),
            .ticket_id = sqlite3_column_int64(statement, 3),
            .deadline_ms = sqlite3_column_int64(statement, 4),
        };
        if (list_add(list, &item) != 0) {
            snprintf(message, message_size, "out of memory reading the waiting verifications");
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the waiting verifications failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Queues the deadline job of each verification in list, due at its deadline. Returns the number
 * queued, or -1 with a message. */
static int queue_deadlines(halyard_store *store, const sweep_list *list, char *message,
                           size_t message_size)
{
    for (size_t i = 0; i < list->count; i++) {
        const sweep_item *item = &list->items[i];
        char key[64];
        char payload[64];
        snprintf(key, sizeof key, "verify_deadline:%lld", item->id);
        snprintf(payload, sizeof payload, "{\"verification_id\":%lld}", item->id);
        if (halyard_jobs_enqueue(store, item->msp_id, "verify_deadline", key, payload,
                                 item->deadline_ms, message, message_size) != 0) {
            return -1;
        }
        char msp[64];
        halyard_verification_msp_name(store, item->msp_id, msp, sizeof msp);
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld verification=%lld the check waited with no "
                    "deadline job (it failed for good or was lost): queued it again, due at the "
                    "deadline",
                    msp, item->ticket_id, item->run_id, item->id);
    }
    return (int)list->count;
}

/* Queues a screen job for each run in list and logs it with the run's ids and situation, which
 * is what the sweep found (a challenge never recorded, a screen job that died). Returns the
 * number queued, or -1 with a message. */
static int queue_screens(halyard_store *store, const sweep_list *list, const char *situation,
                         char *message, size_t message_size)
{
    for (size_t i = 0; i < list->count; i++) {
        const sweep_item *item = &list->items[i];
        if (halyard_verification_queue_screen(store, item->msp_id, item->run_id, false, message,
                                              message_size) != 0) {
            return -1;
        }
        char msp[64];
        halyard_verification_msp_name(store, item->msp_id, msp, sizeof msp);
        halyard_log(HALYARD_LOG_WARNING, "verify", "msp=%s ticket=%lld run=%lld %s", msp,
                    item->ticket_id, item->run_id, situation);
    }
    return (int)list->count;
}

/* Queues the resume job of each verified run in list, under the key the note's write would
 * have queued it with. Returns the number queued, or -1 with a message. */
static int queue_resumes(halyard_store *store, const sweep_list *list, char *message,
                         size_t message_size)
{
    for (size_t i = 0; i < list->count; i++) {
        const sweep_item *item = &list->items[i];
        char key[96];
        char payload[64];
        snprintf(key, sizeof key, "verify_resume:%lld:verification-%lld", item->run_id, item->id);
        snprintf(payload, sizeof payload, "{\"run_id\":%lld}", item->run_id);
        if (halyard_jobs_enqueue(store, item->msp_id, "verify_resume", key, payload, 0, message,
                                 message_size) != 0) {
            return -1;
        }
        char msp[64];
        halyard_verification_msp_name(store, item->msp_id, msp, sizeof msp);
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld verification=%lld the requester passed but no "
                    "job moved the run on (it failed for good or was lost): queued it again",
                    msp, item->ticket_id, item->run_id, item->id);
    }
    return (int)list->count;
}

int halyard_verification_sweep(halyard_store *store, char *message, size_t message_size)
{
    sweep_list deadlines = {0};
    sweep_list challenges = {0};
    sweep_list resumes = {0};
    sweep_list screenings = {0};
    int queued = -1;

    if (read_items(store, LOST_DEADLINES, &deadlines, message, message_size) != 0 ||
        read_items(store, LOST_CHALLENGES, &challenges, message, message_size) != 0 ||
        read_items(store, LOST_RESUMES, &resumes, message, message_size) != 0 ||
        read_items(store, DEAD_SCREENINGS, &screenings, message, message_size) != 0) {
        goto cleanup;
    }
    int deadline_count = queue_deadlines(store, &deadlines, message, message_size);
    if (deadline_count < 0) {
        goto cleanup;
    }
    int screen_count = queue_screens(store, &challenges,
                                     "the run waited for a challenge that was never recorded and "
                                     "no job was sending it: queued a screen job to end the check",
                                     message, message_size);
    if (screen_count < 0) {
        goto cleanup;
    }
    int resume_count = queue_resumes(store, &resumes, message, message_size);
    if (resume_count < 0) {
        goto cleanup;
    }
    int screening_count =
        queue_screens(store, &screenings,
                      "the run was never screened because its screen job failed for good: "
                      "queued the screening again",
                      message, message_size);
    if (screening_count < 0) {
        goto cleanup;
    }
    queued = deadline_count + screen_count + resume_count + screening_count;

cleanup:
    free(screenings.items);
    free(resumes.items);
    free(challenges.items);
    free(deadlines.items);
    return queued;
}

int halyard_verification_keeps_waiting(halyard_store *store, const char *kind, long long run_id,
                                       char *message, size_t message_size)
{
    static const char *const kinds[] = {"screen", "verify_poll", "verify_callback",
                                        "verify_deadline"};
    bool ended_by_sweep = false;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        ended_by_sweep = ended_by_sweep || strcmp(kind, kinds[i]) == 0;
    }
    if (!ended_by_sweep) {
        return 0;
    }
    halyard_run run;
    int found = halyard_runs_get(store, run_id, &run, message, message_size);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    return strcmp(run.state, HALYARD_RUN_AWAITING_VERIFICATION) == 0 ? 1 : 0;
}
