#include "verification_rescreen.h"

#include "approvals.h"
#include "verification.h"
#include "verification_requester.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Returns true when state is one of the count states. */
static bool state_in(const char *state, const char *const *states, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(state, states[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Decides when a rescreen may act on a run that is screened again, from its state alone. */
static halyard_rescreen_timing timing_by_state(const halyard_run *run)
{
    /* A run in planning is planned only by a sync of its ticket, which the screen job waits
     * for (halyard_verification_sync_running). A sync that finds an update not screened yet
     * ends without planning. So planning counts as at rest, or a run whose sync held its
     * update back would never be screened. */
    static const char *const resting[] = {"done", "awaiting_approval", "failed", "planning"};
    static const char *const busy[] = {"posting", "executing"};
    if (state_in(run->state, resting, sizeof resting / sizeof resting[0])) {
        return HALYARD_RESCREEN_NOW;
    }
    if (state_in(run->state, busy, sizeof busy / sizeof busy[0])) {
        return HALYARD_RESCREEN_LATER;
    }
    return HALYARD_RESCREEN_NEVER;
}

halyard_rescreen_timing halyard_verification_rescreen_timing(const halyard_run *run)
{
    /* A run screened sensitive with a reason its client exempts is not_required too, and is
     * screened again: a later reason that needs verification must still be found. A verified
     * run is screened again because its check covers only what its screening found
     * (verification_coverage.h). */
    if (strcmp(run->verification, "not_required") != 0 &&
        strcmp(run->verification, "verified") != 0) {
        return HALYARD_RESCREEN_NEVER;
    }
    return timing_by_state(run);
}

/* Runs query, a statement that reads one row about the run bound as ?1, and sets *flag to true
 * when a row came back whose first column is 1. No row, NULL or any other value sets it to
 * false. what names the read in the message ("the run's events"). Returns 0, or -1 with a
 * message. */
static int read_run_flag(halyard_store *store, const char *query, long long run_id,
                         const char *what, bool *flag, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    *flag = false;
    if (sqlite3_prepare_v2(database, query, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading %s failed: %s", what, sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    int step = sqlite3_step(statement);
    *flag = step == SQLITE_ROW && sqlite3_column_int(statement, 0) == 1;
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(message, message_size, "reading %s failed: %s", what, sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

/* Sets *unchallenged when the screening stored with run_id found the sensitive request only in
 * another end user's reply, or in mail quoted in a reply or forwarded in the details (its
 * request_by_other, host.screen), so no challenge was sent. Returns 0, or -1 with a message. */
static int held_for_other_request(halyard_store *store, long long run_id, bool *unchallenged,
                                  char *message, size_t message_size)
{
    return read_run_flag(store,
                         "SELECT json_extract(screening_json, '$.request_by_other.kind')"
                         " IN ('reply', 'quoted', 'forwarded') FROM runs"
                         " WHERE id = ?1 AND json_valid(screening_json)",
                         run_id, "the run's screening", unchallenged, message, message_size);
}

int halyard_verification_rescreen_timing_stored(halyard_store *store, const halyard_run *run,
                                                halyard_rescreen_timing *timing, char *message,
                                                size_t message_size)
{
    *timing = halyard_verification_rescreen_timing(run);
    if (strcmp(run->verification, HALYARD_VERIFICATION_OTHER_REQUESTER) != 0) {
        return 0;
    }
    bool unchallenged = false;
    if (held_for_other_request(store, run->id, &unchallenged, message, message_size) != 0) {
        return -1;
    }
    if (unchallenged) {
        *timing = timing_by_state(run);
    }
    return 0;
}

int halyard_verification_sync_running(halyard_store *store, const halyard_run *run, char *message,
                                      size_t message_size)
{
    return halyard_pipeline_sync_active(store, run->msp_id, run->ticket_id, -1, message,
                                        message_size);
}

int halyard_verification_supersede_request(halyard_store *store, const halyard_run *run,
                                           const char *reason, long long *superseded_id,
                                           char *message, size_t message_size)
{
    halyard_approval_request request;
    int found = halyard_approvals_latest(store, run->id, &request, message, message_size);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    int status = 0;
    if (strcmp(request.state, "pending") == 0) {
        int decided =
            halyard_approvals_decide(store, request.id, "superseded", 0, 0, message, message_size);
        status = decided < 0 ? -1 : 0;
        if (decided == 0) {
            *superseded_id = request.id;
            char detail[256];
            snprintf(detail, sizeof detail,
                     "request %lld for plan %.8s set aside: %s, so replies written until the "
                     "requester is verified are not read as answers",
                     request.id, request.plan_hash, reason);
            status = halyard_runs_add_event(store, run->id, "approval_superseded", detail, message,
                                            message_size);
        }
    }
    halyard_approval_request_clear(&request);
    return status;
}

int halyard_verification_rescreen_move(halyard_store *store, const halyard_run *run,
                                       const char *state, const char *verification,
                                       const char *screening_json, const char *detail, bool *moved,
                                       long long *superseded_id, char *message, size_t message_size)
{
    *moved = false;
    *superseded_id = 0;

    /* Inside the caller's transaction, no job can start or change the run between the checks
     * and the move: a sync job claimed later reads the new state. */
    int status = halyard_verification_sync_running(store, run, message, message_size);
    bool busy = status == 1;
    if (status == 1) {
        status = 0;
    }
    if (status == 0 && !busy) {
        status = halyard_runs_transition_from(store, run->id, run->state, state, "rescreened",
                                              detail, moved, message, message_size);
    }
    if (status == 0 && *moved) {
        status = halyard_runs_set_screening(store, run->id, true, verification, screening_json,
                                            message, message_size);
    }
    if (status == 0 && *moved) {
        const char *reason = strcmp(run->verification, "verified") == 0
                                 ? "the ticket asks for more than the passed identity check "
                                   "covered"
                                 : "the ticket became sensitive";
        status = halyard_verification_supersede_request(store, run, reason, superseded_id, message,
                                                        message_size);
    }
    if (status != 0) {
        *moved = false;
        *superseded_id = 0;
    }
    return status;
}

int halyard_verification_rescreen_hold(halyard_store *store, const halyard_run *run,
                                       const char *screening_json, const char *detail, bool *moved,
                                       long long *superseded_id, char *message, size_t message_size)
{
    *moved = false;
    *superseded_id = 0;
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                              message_size) != 0) {
        return -1;
    }

    /* A sync job claimed after the move reads awaiting_verification and leaves the run alone. */
    int status = halyard_verification_rescreen_move(store, run, HALYARD_RUN_AWAITING_VERIFICATION,
                                                    "pending", screening_json, detail, moved,
                                                    superseded_id, message, message_size);

    if (status == 0 &&
        halyard_store_execute(store, "COMMIT", "committing", message, message_size) == 0) {
        return 0;
    }
    sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
    *moved = false;
    *superseded_id = 0;
    return -1;
}

int halyard_verification_changed_since_screened(halyard_store *store, long long run_id,
                                                bool *changed, char *message, size_t message_size)
{
    return read_run_flag(store,
                         "SELECT 1 FROM run_events WHERE run_id = ?1"
                         " AND kind IN ('screened_again', 'rescreened') LIMIT 1",
                         run_id, "the run's events", changed, message, message_size);
}
