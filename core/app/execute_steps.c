#include "execute_steps.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXECUTE_STEPS_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static int database_failed(halyard_store *store, const char *what, char *message,
                           size_t message_size)
{
    snprintf(message, message_size, "%s failed: %s", what,
             sqlite3_errmsg(halyard_store_database(store)));
    return -1;
}

int halyard_execute_steps_start(halyard_store *store, long long run_id, const char *plan_hash,
                                long long number, const char *tool, const char *kind, char *state,
                                bool *fresh, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(
            database,
            "INSERT INTO run_steps (run_id, plan_hash, step_number, tool, kind,"
            " state, started_at) VALUES (?1, ?2, ?3, ?4, ?5, 'started', " EXECUTE_STEPS_NOW
            ") ON CONFLICT DO NOTHING",
            -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "recording a step", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, plan_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, number);
    sqlite3_bind_text(statement, 4, tool, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 5, kind, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        return database_failed(store, "recording a step", message, message_size);
    }
    *fresh = sqlite3_changes(database) == 1;

    if (sqlite3_prepare_v2(database,
                           "SELECT state FROM run_steps WHERE run_id = ?1 AND plan_hash = ?2"
                           " AND step_number = ?3",
                           -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "reading a step", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, plan_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, number);
    step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        snprintf(state, 16, "%s", (const char *)sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW) {
        return database_failed(store, "reading a step", message, message_size);
    }
    return 0;
}

int halyard_execute_steps_finish(halyard_store *store, long long run_id, const char *plan_hash,
                                 long long number, const char *state, const char *result_json,
                                 const char *write_key, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE run_steps SET state = ?4, result_json = ?5,"
                           " write_key = coalesce(?6, write_key), finished_at = CASE WHEN ?4 IN"
                           " ('started', 'queued') THEN NULL ELSE " EXECUTE_STEPS_NOW " END"
                           " WHERE run_id = ?1 AND plan_hash = ?2 AND step_number = ?3",
                           -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "recording a step's result", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, plan_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, number);
    sqlite3_bind_text(statement, 4, state, -1, SQLITE_STATIC);
    if (result_json != NULL) {
        sqlite3_bind_text(statement, 5, result_json, -1, SQLITE_STATIC);
    }
    if (write_key != NULL) {
        sqlite3_bind_text(statement, 6, write_key, -1, SQLITE_STATIC);
    }
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        return database_failed(store, "recording a step's result", message, message_size);
    }
    if (sqlite3_changes(halyard_store_database(store)) != 1) {
        snprintf(message, message_size, "run %lld has no step %lld of plan %.12s to finish", run_id,
                 number, plan_hash);
        return -1;
    }
    return 0;
}

int halyard_execute_steps_list(halyard_store *store, long long run_id, const char *plan_hash,
                               char **steps_json, char *message, size_t message_size)
{
    *steps_json = NULL;
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT coalesce(json_group_array(json_object('number', step_number,"
                           " 'tool', tool, 'kind', kind, 'state', state, 'result',"
                           " json(coalesce(result_json, 'null')))), '[]') FROM (SELECT * FROM"
                           " run_steps WHERE run_id = ?1 AND plan_hash = ?2"
                           " ORDER BY step_number)",
                           -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "reading the run's steps", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, plan_hash, -1, SQLITE_STATIC);
    int result = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        *steps_json = strdup((const char *)sqlite3_column_text(statement, 0));
        result = *steps_json != NULL ? 0 : -1;
        if (result != 0) {
            snprintf(message, message_size, "out of memory reading the run's steps");
        }
    } else {
        database_failed(store, "reading the run's steps", message, message_size);
    }
    sqlite3_finalize(statement);
    return result;
}
