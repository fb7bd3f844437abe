#include "runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
#define RUNS_COLUMNS                                                                               \
    "id, msp_id, halo_client_id, ticket_id, state, mode, ticket_closed, "                          \
    "coalesce(note_action_id, 0), sensitive, verification, "                                       \
    "coalesce(json_extract(screening_json, '$.other_account'), 0), "                               \
    "coalesce(json_extract(screening_json, '$.request_by_other.kind'), ''), "                      \
    "CASE WHEN json_valid(screening_json) THEN coalesce((SELECT group_concat(item.value) "         \
    "FROM json_each(screening_json, '$.reasons') item WHERE item.type = 'text'), "                 \
    "json_extract(screening_json, '$.reason'), '') ELSE '' END, "                                  \
    "CASE WHEN json_valid(screening_json) THEN "                                                   \
    "coalesce(json_extract(screening_json, '$.unlock_covered'), 0) ELSE 0 END"

static int fail(halyard_store *store, const char *what, char *message, size_t message_size)
{
    snprintf(message, message_size, "%s failed: %s", what,
             sqlite3_errmsg(halyard_store_database(store)));
    return -1;
}

static void read_run(sqlite3_stmt *statement, halyard_run *run)
{
    memset(run, 0, sizeof *run);
    run->id = sqlite3_column_int64(statement, 0);
    run->msp_id = sqlite3_column_int64(statement, 1);
    run->halo_client_id = sqlite3_column_int64(statement, 2);
    run->ticket_id = sqlite3_column_int64(statement, 3);
    snprintf(run->state, sizeof run->state, "%s", sqlite3_column_text(statement, 4));
    snprintf(run->mode, sizeof run->mode, "%s", sqlite3_column_text(statement, 5));
    run->ticket_closed = sqlite3_column_int(statement, 6) != 0;
    run->note_action_id = sqlite3_column_int64(statement, 7);
    run->sensitive = sqlite3_column_int(statement, 8) != 0;
    snprintf(run->verification, sizeof run->verification, "%s", sqlite3_column_text(statement, 9));
    run->other_account = sqlite3_column_int(statement, 10) != 0;
    const unsigned char *other_request = sqlite3_column_text(statement, 11);
    snprintf(run->other_request, sizeof run->other_request, "%s",
             other_request != NULL ? (const char *)other_request : "");
    const unsigned char *reasons = sqlite3_column_text(statement, 12);
    snprintf(run->screening_reasons, sizeof run->screening_reasons, "%s",
             reasons != NULL ? (const char *)reasons : "");
    run->unlock_covered = sqlite3_column_int(statement, 13) != 0;
}

/* Runs a query that returns at most one run. */
static int query_run(halyard_store *store, const char *sql, long long first, long long second,
                     halyard_run *run, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store), sql, -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "reading a run", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, first);
    sqlite3_bind_int64(statement, 2, second);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        read_run(statement, run);
        status = 0;
    } else if (step == SQLITE_DONE) {
        status = 1;
    } else {
        fail(store, "reading a run", message, message_size);
    }

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_runs_latest(halyard_store *store, long long msp_id, long long ticket_id,
                        halyard_run *run, char *message, size_t message_size)
{
    return query_run(store,
                     "SELECT " RUNS_COLUMNS " FROM runs WHERE msp_id = ?1 AND ticket_id = ?2"
                     " AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = runs.id AND"
                     " e.kind = '" HALYARD_RUN_EVENT_INSTANCE_REPLACED "')"
                     " ORDER BY id DESC LIMIT 1",
                     msp_id, ticket_id, run, message, message_size);
}

bool halyard_runs_state_ended(const char *state)
{
    static const char *const ended[] = {
        "done", "incomplete", "skipped", "denied", "expired", "stopped", "verification_failed"};
    for (size_t i = 0; i < sizeof ended / sizeof ended[0]; i++) {
        if (strcmp(state, ended[i]) == 0) {
            return true;
        }
    }
    return false;
}

int halyard_runs_get(halyard_store *store, long long id, halyard_run *run, char *message,
                     size_t message_size)
{
    return query_run(store, "SELECT " RUNS_COLUMNS " FROM runs WHERE id = ?1 AND ?2 = 0", id, 0,
                     run, message, message_size);
}

int halyard_runs_add_event(halyard_store *store, long long run_id, const char *kind,
                           const char *detail, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "INSERT INTO run_events (run_id, at, kind, detail)"
                           " VALUES (?1, " RUNS_NOW ", ?2, ?3)",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "recording a run event", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, detail != NULL ? detail : "", -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(store, "recording a run event", message, message_size);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_runs_add_client_event(halyard_store *store, long long msp_id, long long halo_client_id,
                                  const char *kind, const char *detail, size_t *count,
                                  char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    *count = 0;

    /* Step 1: the client's runs that have not ended, a failed one included (an update plans it
     * again). The ended states are read in C, so their list stays in one place. */
    if (sqlite3_prepare_v2(database,
                           "SELECT id, state FROM runs WHERE msp_id = ?1 AND halo_client_id = ?2"
                           " ORDER BY id",
                           -1, &statement, NULL) != SQLITE_OK) {
        return fail(store, "reading the client's runs", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, halo_client_id);
    size_t capacity = 0;
    size_t found = 0;
    long long *run_ids = NULL;
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        if (halyard_runs_state_ended((const char *)sqlite3_column_text(statement, 1))) {
            continue;
        }
        if (found == capacity) {
            size_t larger = capacity == 0 ? 16 : 2 * capacity;
            long long *grown = realloc(run_ids, larger * sizeof *grown);
            if (grown == NULL) {
                sqlite3_finalize(statement);
                free(run_ids);
                snprintf(message, message_size, "out of memory reading the client's runs");
                return -1;
            }
            run_ids = grown;
            capacity = larger;
        }
        run_ids[found++] = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        free(run_ids);
        return fail(store, "reading the client's runs", message, message_size);
    }

    /* Step 2: the event on each. */
    int status = 0;
    for (size_t i = 0; i < found && status == 0; i++) {
        status = halyard_runs_add_event(store, run_ids[i], kind, detail, message, message_size);
        if (status == 0) {
            (*count)++;
        }
    }
    free(run_ids);
    return status;
}

int halyard_runs_has_event(halyard_store *store, long long run_id, const char *kind, char *message,
                           size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT 1 FROM run_events WHERE run_id = ?1 AND kind = ?2 LIMIT 1", -1,
                           &statement, NULL) != SQLITE_OK) {
        fail(store, "reading a run's events", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, kind, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        fail(store, "reading a run's events", message, message_size);
        goto cleanup;
    }
    status = step == SQLITE_ROW ? 1 : 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_runs_create(halyard_store *store, long long msp_id, long long halo_client_id,
                        long long ticket_id, const char *state, const char *mode,
                        bool ticket_closed, const char *why, halyard_run *run, char *message,
                        size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "INSERT INTO runs (msp_id, halo_client_id, ticket_id, state, mode,"
                           " ticket_closed, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, " RUNS_NOW ", " RUNS_NOW ")"
                           " RETURNING " RUNS_COLUMNS,
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "creating a run", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, halo_client_id);
    sqlite3_bind_int64(statement, 3, ticket_id);
    sqlite3_bind_text(statement, 4, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 5, mode, -1, SQLITE_STATIC);
    sqlite3_bind_int(statement, 6, ticket_closed ? 1 : 0);
    if (sqlite3_step(statement) != SQLITE_ROW) {
        fail(store, "creating a run", message, message_size);
        goto cleanup;
    }
    read_run(statement, run);

    /* The row is stored only once the statement commits at SQLITE_DONE. */
    int finished = halyard_store_finish(statement, SQLITE_ROW);
    statement = NULL;
    if (finished != SQLITE_OK) {
        fail(store, "creating a run", message, message_size);
        goto cleanup;
    }
    status = halyard_runs_add_event(store, run->id, state, why, message, message_size);

cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Runs an UPDATE of one run with up to two text parameters (?2, ?3) and an integer (?4). */
static int update_run(halyard_store *store, const char *sql, long long run_id, const char *first,
                      const char *second, long long number, const char *what, char *message,
                      size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store), sql, -1, &statement, NULL) != SQLITE_OK) {
        fail(store, what, message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    if (sqlite3_bind_parameter_count(statement) >= 2) {
        sqlite3_bind_text(statement, 2, first, -1, SQLITE_STATIC);
    }
    if (sqlite3_bind_parameter_count(statement) >= 3) {
        sqlite3_bind_text(statement, 3, second, -1, SQLITE_STATIC);
    }
    if (sqlite3_bind_parameter_count(statement) >= 4) {
        sqlite3_bind_int64(statement, 4, number);
    }
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(store, what, message, message_size);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_runs_transition(halyard_store *store, long long run_id, const char *state,
                            const char *kind, const char *detail, char *message,
                            size_t message_size)
{
    if (update_run(store, "UPDATE runs SET state = ?2, updated_at = " RUNS_NOW " WHERE id = ?1",
                   run_id, state, NULL, 0, "changing a run's state", message, message_size) != 0) {
        return -1;
    }
    return halyard_runs_add_event(store, run_id, kind, detail, message, message_size);
}

int halyard_runs_transition_from(halyard_store *store, long long run_id, const char *expected_state,
                                 const char *state, const char *kind, const char *detail,
                                 bool *moved, char *message, size_t message_size)
{
    *moved = false;
    if (update_run(store,
                   "UPDATE runs SET state = ?3, updated_at = " RUNS_NOW
                   " WHERE id = ?1 AND state = ?2 AND ?4 = 0",
                   run_id, expected_state, state, 0, "changing a run's state", message,
                   message_size) != 0) {
        return -1;
    }
    if (sqlite3_changes(halyard_store_database(store)) == 0) {
        return 0;
    }
    *moved = true;
    return halyard_runs_add_event(store, run_id, kind, detail, message, message_size);
}

int halyard_runs_save_plan(halyard_store *store, long long run_id, const char *plan_json,
                           const char *note_html, char *message, size_t message_size)
{
    if (update_run(store,
                   "UPDATE runs SET plan_json = ?2, note_html = ?3, state = 'posting',"
                   " updated_at = " RUNS_NOW " WHERE id = ?1",
                   run_id, plan_json, note_html, 0, "storing a plan", message, message_size) != 0) {
        return -1;
    }
    return halyard_runs_add_event(store, run_id, "planned", plan_json, message, message_size);
}

int halyard_runs_note(halyard_store *store, long long run_id, char **note_html, char *message,
                      size_t message_size)
{
    *note_html = NULL;
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT note_html FROM runs WHERE id = ?1", -1, &statement,
                           NULL) != SQLITE_OK) {
        fail(store, "reading a note", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL) {
        *note_html = strdup((const char *)sqlite3_column_text(statement, 0));
        status = *note_html != NULL ? 0 : -1;
    } else if (step == SQLITE_ROW || step == SQLITE_DONE) {
        status = 1;
    } else {
        fail(store, "reading a note", message, message_size);
    }

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_runs_note_posted(halyard_store *store, long long run_id, long long action_id,
                             const char *how, char *message, size_t message_size)
{
    if (update_run(store,
                   "UPDATE runs SET note_action_id = ?4, state = 'done', updated_at = " RUNS_NOW
                   " WHERE id = ?1 AND ?2 IS NULL AND ?3 IS NULL",
                   run_id, NULL, NULL, action_id, "recording a posted note", message,
                   message_size) != 0) {
        return -1;
    }
    char detail[128];
    snprintf(detail, sizeof detail, "action %lld (%s)", action_id, how);
    return halyard_runs_add_event(store, run_id, "note_posted", detail, message, message_size);
}

int halyard_runs_set_plan_failed_version(halyard_store *store, long long run_id,
                                         const char *version, char *message, size_t message_size)
{
    return update_run(store, "UPDATE runs SET plan_failed_version = ?2 WHERE id = ?1", run_id,
                      version, NULL, 0, "storing the version of a failed plan", message,
                      message_size);
}

int halyard_runs_plan_failed_version(halyard_store *store, long long run_id, char version[65],
                                     char *message, size_t message_size)
{
    version[0] = '\0';
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT coalesce(plan_failed_version, '') FROM runs WHERE id = ?1", -1,
                           &statement, NULL) != SQLITE_OK) {
        fail(store, "reading the version of a failed plan", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        snprintf(version, 65, "%s", (const char *)sqlite3_column_text(statement, 0));
    } else if (step != SQLITE_DONE) {
        fail(store, "reading the version of a failed plan", message, message_size);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_runs_set_closed(halyard_store *store, long long run_id, bool closed, char *message,
                            size_t message_size)
{
    return update_run(store,
                      "UPDATE runs SET ticket_closed = ?4 WHERE id = ?1 AND ?2 IS NULL AND"
                      " ?3 IS NULL",
                      run_id, NULL, NULL, closed ? 1 : 0, "recording the ticket's state", message,
                      message_size);
}

int halyard_runs_set_screening(halyard_store *store, long long run_id, bool sensitive,
                               const char *verification, const char *screening_json, char *message,
                               size_t message_size)
{
    if (update_run(store,
                   "UPDATE runs SET verification = ?2, screening_json = ?3, sensitive = ?4,"
                   " updated_at = " RUNS_NOW " WHERE id = ?1",
                   run_id, verification, screening_json, sensitive ? 1 : 0,
                   "storing a run's screening", message, message_size) != 0) {
        return -1;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "%s; verification %s",
             sensitive ? "sensitive" : "not sensitive", verification);
    return halyard_runs_add_event(store, run_id, "screened", detail, message, message_size);
}

int halyard_runs_set_verification(halyard_store *store, long long run_id, const char *verification,
                                  const char *kind, const char *detail, char *message,
                                  size_t message_size)
{
    if (update_run(store,
                   "UPDATE runs SET verification = ?2, updated_at = " RUNS_NOW
                   " WHERE id = ?1 AND ?3 IS NULL",
                   run_id, verification, NULL, 0, "storing a run's verification", message,
                   message_size) != 0) {
        return -1;
    }
    return halyard_runs_add_event(store, run_id, kind, detail, message, message_size);
}
