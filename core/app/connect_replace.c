#include "connect_replace.h"

#include "runs.h"

#include <sqlite3.h>
#include <stdio.h>

/* The run states that end a run (runs.h and the modules that add states); any other state is
 * under way. */
#define REPLACE_ENDED_STATES                                                                       \
    "('done', 'skipped', 'failed', 'denied', 'expired', 'verification_failed', 'stopped', "        \
    "'incomplete')"

/* The ids of the MSP ?1's runs under way, for "run_id IN". */
#define REPLACE_RUNS_UNDER_WAY                                                                     \
    "(SELECT id FROM runs WHERE msp_id = ?1 AND state NOT IN " REPLACE_ENDED_STATES ")"

#define REPLACE_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/* Runs sql with ?1 = msp_id, ?2 = text and ?3 = other_text, and adds the rows it changed to
 * *changed when changed is not NULL. Returns 0, or -1 with a message naming what. */
static int run_statement(halyard_store *store, const char *sql, long long msp_id, const char *text,
                         const char *other_text, long long *changed, const char *what,
                         char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(database, sql, -1, &statement, NULL) != SQLITE_OK) {
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    if (sqlite3_bind_parameter_count(statement) >= 2) {
        sqlite3_bind_text(statement, 2, text, -1, SQLITE_STATIC);
    }
    if (sqlite3_bind_parameter_count(statement) >= 3) {
        sqlite3_bind_text(statement, 3, other_text, -1, SQLITE_STATIC);
    }
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto cleanup;
    }
    if (changed != NULL) {
        *changed += sqlite3_changes(database);
    }
    status = 0;

cleanup:
    if (status != 0) {
        snprintf(message, message_size, "%s failed: %s", what, sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return status;
}

/* Reads the single number sql returns for ?1 = msp_id into *value. Returns 0, or -1. */
static int count_rows(halyard_store *store, const char *sql, long long msp_id, long long *value,
                      char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(database, sql, -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, msp_id);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            *value = sqlite3_column_int64(statement, 0);
            status = 0;
        }
    }
    if (status != 0) {
        snprintf(message, message_size,
                 "counting the MSP's clients, runs and deliveries failed: %s",
                 sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return status;
}

int halyard_instance_data_count(halyard_store *store, long long msp_id, halyard_instance_data *data,
                                char *message, size_t message_size)
{
    *data = (halyard_instance_data){0};
    if (count_rows(store, "SELECT count(*) FROM clients WHERE msp_id = ?1", msp_id, &data->clients,
                   message, message_size) != 0 ||
        count_rows(store, "SELECT count(*) FROM runs WHERE msp_id = ?1", msp_id, &data->runs,
                   message, message_size) != 0 ||
        count_rows(store, "SELECT count(*) FROM deliveries WHERE msp_id = ?1", msp_id,
                   &data->deliveries, message, message_size) != 0) {
        return -1;
    }
    return 0;
}

int halyard_instance_replace(halyard_store *store, long long msp_id, const char *old_url,
                             const char *new_url, halyard_instance_data *removed, char *message,
                             size_t message_size)
{
    *removed = (halyard_instance_data){0};
    char moved[1024];
    snprintf(moved, sizeof moved,
             "the MSP was moved from the HaloPSA instance %s to %s (connect --replace-instance); "
             "this run belongs to %s, so no ticket of %s joins it",
             old_url, new_url, old_url, new_url);
    char stopped[1200];
    snprintf(stopped, sizeof stopped,
             "%s. The run was under way and stopped without writing to either instance", moved);
    const char *reason = "the MSP was moved to another HaloPSA instance";

    /* Step 1: the event on every run, saying whether it stopped; read before states change. */
    if (run_statement(store,
                      "INSERT INTO run_events (run_id, at, kind, detail)"
                      " SELECT id, " REPLACE_NOW ", '" HALYARD_RUN_EVENT_INSTANCE_REPLACED "',"
                      " CASE WHEN state IN " REPLACE_ENDED_STATES " THEN ?2"
                      " ELSE ?3 || ' (state ' || state || ').' END"
                      " FROM runs r WHERE msp_id = ?1 AND NOT EXISTS (SELECT 1 FROM run_events e"
                      " WHERE e.run_id = r.id AND e.kind = '" HALYARD_RUN_EVENT_INSTANCE_REPLACED
                      "')",
                      msp_id, moved, stopped, NULL, "recording the move on the runs", message,
                      message_size) != 0) {
        return -1;
    }

    /* Step 2: what the runs under way would still do. */
    if (run_statement(store,
                      "UPDATE approval_requests SET state = 'superseded', updated_at = " REPLACE_NOW
                      " WHERE state = 'pending' AND run_id IN " REPLACE_RUNS_UNDER_WAY,
                      msp_id, NULL, NULL, NULL, "withdrawing approval requests", message,
                      message_size) != 0 ||
        run_statement(store,
                      "UPDATE run_steps SET state = 'interrupted', finished_at = " REPLACE_NOW
                      " WHERE state IN ('started', 'queued') AND run_id IN " REPLACE_RUNS_UNDER_WAY,
                      msp_id, NULL, NULL, NULL, "interrupting steps", message, message_size) != 0) {
        return -1;
    }
    if (run_statement(
            store,
            "UPDATE run_writes SET state = 'failed', last_error = ?2, updated_at = " REPLACE_NOW
            " WHERE msp_id = ?1 AND state IN ('pending', 'sending')",
            msp_id, reason, NULL, NULL, "ending pending writes", message, message_size) != 0 ||
        run_statement(store,
                      "UPDATE verifications SET status = 'error', detail = ?2, finished_at_ms ="
                      " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
                      " WHERE msp_id = ?1 AND status = 'pending'",
                      msp_id, reason, NULL, NULL, "ending identity checks", message,
                      message_size) != 0) {
        return -1;
    }

    /* Step 3: the runs under way stop. */
    if (run_statement(store,
                      "UPDATE runs SET state = 'stopped', updated_at = " REPLACE_NOW
                      " WHERE msp_id = ?1 AND state NOT IN " REPLACE_ENDED_STATES,
                      msp_id, NULL, NULL, &removed->runs, "stopping the runs under way", message,
                      message_size) != 0) {
        return -1;
    }

    /* Step 4: the deliveries not worked yet go, before the jobs that tell them apart: a delivery
     * is worked once its ticket's sync job (key sync:MSP:TICKET, pipeline_sync.c) has run, done or
     * dead. The worked ones stay as the old instance's intake record, for the finished runs
     * they led to, until retention_days. */
    if (run_statement(store,
                      "DELETE FROM deliveries WHERE msp_id = ?1 AND (state = 'new' OR (state ="
                      " 'queued' AND EXISTS (SELECT 1 FROM jobs j WHERE j.msp_id = ?1 AND"
                      " j.kind = 'sync' AND j.state IN ('ready', 'running') AND"
                      " j.idempotency_key = 'sync:' || ?1 || ':' || deliveries.ticket_id)))",
                      msp_id, NULL, NULL, &removed->deliveries, "dropping deliveries", message,
                      message_size) != 0 ||
        count_rows(store,
                   "SELECT count(*) FROM deliveries WHERE msp_id = ?1 AND state IN ('queued',"
                   " 'done')",
                   msp_id, &removed->deliveries_kept, message, message_size) != 0) {
        return -1;
    }

    /* Step 5: the jobs not run yet (counted), the finished ones and the imported clients go. */
    if (run_statement(store, "DELETE FROM jobs WHERE msp_id = ?1 AND state IN ('ready', 'running')",
                      msp_id, NULL, NULL, &removed->jobs, "dropping the jobs", message,
                      message_size) != 0 ||
        run_statement(store, "DELETE FROM jobs WHERE msp_id = ?1", msp_id, NULL, NULL, NULL,
                      "dropping the finished jobs", message, message_size) != 0 ||
        run_statement(store, "DELETE FROM verification_early_callbacks WHERE msp_id = ?1", msp_id,
                      NULL, NULL, NULL, "dropping early callbacks", message, message_size) != 0 ||
        run_statement(store, "DELETE FROM clients WHERE msp_id = ?1", msp_id, NULL, NULL,
                      &removed->clients, "removing the imported clients", message,
                      message_size) != 0) {
        return -1;
    }
    return 0;
}
