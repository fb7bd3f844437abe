#include "approvals.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APPROVALS_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static int database_failed(halyard_store *store, const char *what, char *message,
                           size_t message_size)
{
    snprintf(message, message_size, "%s failed: %s", what,
             sqlite3_errmsg(halyard_store_database(store)));
    return -1;
}

void halyard_approval_request_clear(halyard_approval_request *request)
{
    free(request->steps_json);
    memset(request, 0, sizeof *request);
}

/* Fills request from a row of id, run_id, plan_hash, state, expires_at_ms, steps_json,
 * addressed_agent_id, addressed_changes. Returns 0, or -1 when out of memory. */
static int read_request(sqlite3_stmt *statement, halyard_approval_request *request)
{
    memset(request, 0, sizeof *request);
    request->id = sqlite3_column_int64(statement, 0);
    request->run_id = sqlite3_column_int64(statement, 1);
    snprintf(request->plan_hash, sizeof request->plan_hash, "%s",
             (const char *)sqlite3_column_text(statement, 2));
    snprintf(request->state, sizeof request->state, "%s",
             (const char *)sqlite3_column_text(statement, 3));
    request->expires_at_ms = sqlite3_column_int64(statement, 4);
    request->steps_json = strdup((const char *)sqlite3_column_text(statement, 5));
    request->addressed_agent_id =
        sqlite3_column_type(statement, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(statement, 6);
    request->addressed_changes = sqlite3_column_int64(statement, 7);
    return request->steps_json != NULL ? 0 : -1;
}

int halyard_approvals_latest(halyard_store *store, long long run_id,
                             halyard_approval_request *request, char *message, size_t message_size)
{
    memset(request, 0, sizeof *request);
    sqlite3_stmt *statement = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT id, run_id, plan_hash, state, expires_at_ms, steps_json,"
                           " addressed_agent_id, addressed_changes FROM approval_requests WHERE "
                           "run_id = ?1 ORDER BY id DESC LIMIT 1",
                           -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "reading the approval request", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, run_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        result = read_request(statement, request);
        if (result != 0) {
            snprintf(message, message_size, "out of memory reading the approval request");
        }
    } else if (step == SQLITE_DONE) {
        result = 1;
    } else {
        database_failed(store, "reading the approval request", message, message_size);
    }
    sqlite3_finalize(statement);
    return result;
}

int halyard_approvals_open(halyard_store *store, long long run_id, const char *plan_hash,
                           const char *steps_json, long long expires_at_ms,
                           long long addressed_agent_id, halyard_approval_request *request,
                           char *message, size_t message_size)
{
    memset(request, 0, sizeof *request);
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    bool transaction = false;

    /* The old request is superseded and the new one opened together, so a run never has two
     * pending requests, not even after a crash between the two statements. */
    if (sqlite3_get_autocommit(database)) {
        if (halyard_store_execute(store, "BEGIN IMMEDIATE", "opening an approval request", message,
                                  message_size) != 0) {
            return -1;
        }
        transaction = true;
    }
    if (sqlite3_prepare_v2(
            database,
            "UPDATE approval_requests SET state = 'superseded', updated_at = " APPROVALS_NOW
            " WHERE run_id = ?1 AND state = 'pending'",
            -1, &statement, NULL) != SQLITE_OK) {
        goto fail;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto fail;
    }
    sqlite3_finalize(statement);
    statement = NULL;

    if (sqlite3_prepare_v2(
            database,
            "INSERT INTO approval_requests (run_id, plan_hash, steps_json, expires_at_ms,"
            " addressed_agent_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,"
            " " APPROVALS_NOW ", " APPROVALS_NOW ")",
            -1, &statement, NULL) != SQLITE_OK) {
        goto fail;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, plan_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, steps_json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 4, expires_at_ms);
    sqlite3_bind_int64(statement, 5, addressed_agent_id > 0 ? addressed_agent_id : 0);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto fail;
    }
    sqlite3_finalize(statement);
    statement = NULL;
    long long id = sqlite3_last_insert_rowid(database);
    if (transaction && halyard_store_execute(store, "COMMIT", "opening an approval request",
                                             message, message_size) != 0) {
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }

    request->id = id;
    request->run_id = run_id;
    snprintf(request->plan_hash, sizeof request->plan_hash, "%s", plan_hash);
    snprintf(request->state, sizeof request->state, "pending");
    request->expires_at_ms = expires_at_ms;
    request->steps_json = strdup(steps_json);
    request->addressed_agent_id = addressed_agent_id > 0 ? addressed_agent_id : 0;
    if (request->steps_json == NULL) {
        snprintf(message, message_size, "out of memory opening an approval request");
        return -1;
    }
    return 0;

fail:
    database_failed(store, "opening an approval request", message, message_size);
    sqlite3_finalize(statement);
    if (transaction) {
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
    }
    return -1;
}

int halyard_approvals_decide(halyard_store *store, long long request_id, const char *state,
                             long long agent_id, long long action_id, char *message,
                             size_t message_size)
{
    static const char *const states[] = {"approved", "denied", "expired", "superseded"};
    bool known = false;
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        known = known || strcmp(state, states[i]) == 0;
    }
    if (!known) {
        snprintf(message, message_size,
                 "approval state '%.40s' is invalid: use approved, denied, expired or superseded",
                 state);
        return -1;
    }

    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(
            halyard_store_database(store),
            "UPDATE approval_requests SET state = ?2, decided_by_agent_id ="
            " nullif(?3, 0), decided_by_action_id = nullif(?4, 0), updated_at = " APPROVALS_NOW
            " WHERE id = ?1 AND state = 'pending'",
            -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "deciding an approval request", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, request_id);
    sqlite3_bind_text(statement, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, agent_id);
    sqlite3_bind_int64(statement, 4, action_id);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        return database_failed(store, "deciding an approval request", message, message_size);
    }
    return sqlite3_changes(halyard_store_database(store)) == 1 ? 0 : 1;
}

int halyard_approvals_readdress(halyard_store *store, long long request_id, long long from_agent_id,
                                long long to_agent_id, long long *change_number, char *message,
                                size_t message_size)
{
    *change_number = 0;
    sqlite3_stmt *statement = NULL;
    sqlite3 *database = halyard_store_database(store);
    if (sqlite3_prepare_v2(database,
                           "UPDATE approval_requests SET addressed_agent_id = ?3,"
                           " addressed_changes = addressed_changes + 1,"
                           " updated_at = " APPROVALS_NOW " WHERE id = ?1 AND state = 'pending'"
                           " AND addressed_agent_id IS ?2 RETURNING addressed_changes",
                           -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "readdressing an approval request", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, request_id);
    if (from_agent_id < 0) {
        sqlite3_bind_null(statement, 2);
    } else {
        sqlite3_bind_int64(statement, 2, from_agent_id);
    }
    sqlite3_bind_int64(statement, 3, to_agent_id > 0 ? to_agent_id : 0);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        *change_number = sqlite3_column_int64(statement, 0);
        step = sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        return database_failed(store, "readdressing an approval request", message, message_size);
    }
    return *change_number > 0 ? 0 : 1;
}

int halyard_approvals_reply_read(halyard_store *store, long long run_id, long long action_id,
                                 char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT 1 FROM run_replies WHERE run_id = ?1 AND action_id = ?2", -1,
                           &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "reading the run's replies", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_int64(statement, 2, action_id);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step == SQLITE_ROW) {
        return 1;
    }
    if (step == SQLITE_DONE) {
        return 0;
    }
    return database_failed(store, "reading the run's replies", message, message_size);
}

int halyard_approvals_record_reply(halyard_store *store, const halyard_approval_reply *reply,
                                   char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    sqlite3 *database = halyard_store_database(store);
    if (sqlite3_prepare_v2(database,
                           "INSERT INTO run_replies (run_id, action_id, request_id,"
                           " author_agent_id, author, assigned_agent_id, decision, counted,"
                           " reason, text, read_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6,"
                           " ?7, ?8, ?9, ?10, " APPROVALS_NOW ")"
                           " ON CONFLICT (run_id, action_id) DO NOTHING",
                           -1, &statement, NULL) != SQLITE_OK) {
        return database_failed(store, "recording a reply", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, reply->run_id);
    sqlite3_bind_int64(statement, 2, reply->action_id);
    sqlite3_bind_int64(statement, 3, reply->request_id);
    sqlite3_bind_int64(statement, 4, reply->author_agent_id);
    sqlite3_bind_text(statement, 5, reply->author != NULL ? reply->author : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 6, reply->assigned_agent_id);
    sqlite3_bind_text(statement, 7, reply->decision, -1, SQLITE_STATIC);
    sqlite3_bind_int(statement, 8, reply->counted ? 1 : 0);
    sqlite3_bind_text(statement, 9, reply->reason != NULL ? reply->reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 10, reply->text != NULL ? reply->text : "", -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        return database_failed(store, "recording a reply", message, message_size);
    }
    return sqlite3_changes(database) == 1 ? 0 : 1;
}
