#include "verification_record.h"

#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_column(sqlite3_stmt *statement, int column, char *target, size_t size)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    snprintf(target, size, "%s", text != NULL ? (const char *)text : "");
}

static void bind_optional(sqlite3_stmt *statement, int index, const char *text)
{
    if (text != NULL && text[0] != '\0') {
        sqlite3_bind_text(statement, index, text, -1, SQLITE_STATIC);
    }
}

/* Writes into message which check already has the verification's transaction id. */
static void describe_reused_transaction(sqlite3 *database, const halyard_verification *verification,
                                        char *message, size_t message_size)
{
    long long other_run_id = 0;
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT run_id FROM verifications WHERE msp_id = ?1 AND provider = ?2"
                           " AND transaction_id = ?3",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, verification->msp_id);
        sqlite3_bind_text(statement, 2, verification->provider, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, verification->transaction_id, -1, SQLITE_STATIC);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            other_run_id = sqlite3_column_int64(statement, 0);
        }
    }
    sqlite3_finalize(statement);
    snprintf(message, message_size,
             "the provider returned transaction id '%.40s', which the check of %srun %lld "
             "has already, so this challenge is not counted; the provider script must return "
             "a new id for each challenge",
             verification->transaction_id, other_run_id == verification->run_id ? "this run, " : "",
             other_run_id);
}

int halyard_verification_create(halyard_store *store, halyard_verification *verification,
                                char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(
            database,
            "INSERT INTO verifications (msp_id, run_id, ticket_id, provider,"
            " transaction_id, method, requester_name, status, detail,"
            " started_at_ms, deadline_ms, finished_at_ms, requester_user_id, requester_contact,"
            " requester_email)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "storing the verification failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, verification->msp_id);
    sqlite3_bind_int64(statement, 2, verification->run_id);
    sqlite3_bind_int64(statement, 3, verification->ticket_id);
    sqlite3_bind_text(statement, 4, verification->provider, -1, SQLITE_STATIC);
    bind_optional(statement, 5, verification->transaction_id);
    bind_optional(statement, 6, verification->method);
    sqlite3_bind_text(statement, 7, verification->requester_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 8, verification->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 9, verification->detail, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 10, verification->started_at_ms);
    sqlite3_bind_int64(statement, 11, verification->deadline_ms);
    if (verification->finished_at_ms > 0) {
        sqlite3_bind_int64(statement, 12, verification->finished_at_ms);
    }
    if (verification->requester_user_id > 0) {
        sqlite3_bind_int64(statement, 13, verification->requester_user_id);
    }
    bind_optional(statement, 14, verification->requester_contact);
    /* "" is stored as such: NULL means a verification stored before this column existed. */
    sqlite3_bind_text(statement, 15, verification->requester_email, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    int extended = sqlite3_extended_errcode(database);
    sqlite3_finalize(statement);
    if (step == SQLITE_CONSTRAINT && extended == SQLITE_CONSTRAINT_UNIQUE) {
        describe_reused_transaction(database, verification, message, message_size);
        return 1;
    }
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "storing the verification of run %lld failed: %s",
                 verification->run_id, sqlite3_errmsg(database));
        return -1;
    }
    verification->id = sqlite3_last_insert_rowid(database);
    return 0;
}

int halyard_verification_get(halyard_store *store, long long id, long long run_id,
                             halyard_verification *verification, char *message, size_t message_size)
{
    memset(verification, 0, sizeof *verification);
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT id, msp_id, run_id, ticket_id, provider, transaction_id,"
                           " method, requester_name, status, detail, started_at_ms, deadline_ms,"
                           " finished_at_ms, requester_user_id, requester_contact,"
                           " requester_email FROM verifications"
                           " WHERE (?1 > 0 AND id = ?1) OR (?1 = 0 AND run_id = ?2)"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the verification failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, id);
    sqlite3_bind_int64(statement, 2, run_id);
    int step = sqlite3_step(statement);
    int status = 1;
    if (step == SQLITE_ROW) {
        verification->id = sqlite3_column_int64(statement, 0);
        verification->msp_id = sqlite3_column_int64(statement, 1);
        verification->run_id = sqlite3_column_int64(statement, 2);
        verification->ticket_id = sqlite3_column_int64(statement, 3);
        copy_column(statement, 4, verification->provider, sizeof verification->provider);
        copy_column(statement, 5, verification->transaction_id,
                    sizeof verification->transaction_id);
        copy_column(statement, 6, verification->method, sizeof verification->method);
        copy_column(statement, 7, verification->requester_name,
                    sizeof verification->requester_name);
        copy_column(statement, 8, verification->status, sizeof verification->status);
        copy_column(statement, 9, verification->detail, sizeof verification->detail);
        verification->started_at_ms = sqlite3_column_int64(statement, 10);
        verification->deadline_ms = sqlite3_column_int64(statement, 11);
        verification->finished_at_ms = sqlite3_column_int64(statement, 12);
        verification->requester_user_id = sqlite3_column_int64(statement, 13);
        copy_column(statement, 14, verification->requester_contact,
                    sizeof verification->requester_contact);
        copy_column(statement, 15, verification->requester_email,
                    sizeof verification->requester_email);
        verification->requester_email_recorded = sqlite3_column_type(statement, 15) != SQLITE_NULL;
        status = 0;
    } else if (step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the verification failed: %s",
                 sqlite3_errmsg(database));
        status = -1;
    }
    sqlite3_finalize(statement);
    return status;
}

int halyard_verification_finish(halyard_store *store, long long id, const char *status,
                                const char *detail, long long now_ms, bool *changed, char *message,
                                size_t message_size)
{
    *changed = false;
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "UPDATE verifications SET status = ?2, detail = ?3,"
                           " finished_at_ms = ?4, callback_body = NULL"
                           " WHERE id = ?1 AND status = 'pending'",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "finishing the verification failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, id);
    sqlite3_bind_text(statement, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, detail != NULL ? detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 4, now_ms);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "finishing verification %lld failed: %s", id,
                 sqlite3_errmsg(database));
        return -1;
    }
    *changed = sqlite3_changes(database) > 0;
    return 0;
}

int halyard_verification_set_detail(halyard_store *store, long long id, const char *detail,
                                    char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "UPDATE verifications SET detail = ?2 WHERE id = ?1 AND"
                           " status = 'pending'",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "recording the verification's detail failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, id);
    sqlite3_bind_text(statement, 2, detail, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "recording the detail of verification %lld failed: %s", id,
                 sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

int halyard_verification_take_callback(halyard_store *store, long long id, char **body,
                                       char *message, size_t message_size)
{
    *body = NULL;
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database, "SELECT callback_body FROM verifications WHERE id = ?1", -1,
                           &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the callback failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL) {
        *body = strdup((const char *)sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the callback of verification %lld failed: %s", id,
                 sqlite3_errmsg(database));
        return -1;
    }
    if (*body == NULL) {
        return 0;
    }

    /* The body is read once: a later callback stores its own. */
    if (sqlite3_prepare_v2(database, "UPDATE verifications SET callback_body = NULL WHERE id = ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        free(*body);
        *body = NULL;
        snprintf(message, message_size, "clearing the callback failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, id);
    step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        free(*body);
        *body = NULL;
        snprintf(message, message_size, "clearing the callback of verification %lld failed: %s", id,
                 sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

/* Runs sql with msp_id at ?1, time_ms at ?2 and up to three texts at ?3..?5 (NULL binds
 * NULL); sql may leave out any of them. Returns the sqlite3_step result, and for a row *count
 * gets its first column. */
static int hold_step(halyard_store *store, const char *sql, long long msp_id, long long time_ms,
                     const char *first, const char *second, const char *third, long long *count)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(store), sql, -1, &statement, NULL) != SQLITE_OK) {
        return SQLITE_ERROR;
    }
    int parameters = sqlite3_bind_parameter_count(statement);
    sqlite3_bind_int64(statement, 1, msp_id);
    if (parameters >= 2) {
        sqlite3_bind_int64(statement, 2, time_ms);
    }
    const char *texts[] = {first, second, third};
    for (int i = 0; i < 3 && i + 3 <= parameters; i++) {
        sqlite3_bind_text(statement, i + 3, texts[i], -1, SQLITE_STATIC);
    }
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW && count != NULL) {
        *count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    return step;
}

int halyard_verification_hold_callback(halyard_store *store, long long msp_id, const char *provider,
                                       const char *transaction_id, const char *body, char *message,
                                       size_t message_size)
{
    long long now_ms = halyard_clock_now_ms();
    long long held = 0;
    if (hold_step(store,
                  "DELETE FROM verification_early_callbacks WHERE msp_id = ?1 AND"
                  " received_at_ms < ?2",
                  msp_id, now_ms - HALYARD_VERIFICATION_HOLD_SECONDS * 1000LL, NULL, NULL, NULL,
                  NULL) != SQLITE_DONE ||
        hold_step(store, "SELECT count(*) FROM verification_early_callbacks WHERE msp_id = ?1",
                  msp_id, 0, NULL, NULL, NULL, &held) != SQLITE_ROW) {
        snprintf(message, message_size, "holding a callback failed: %s",
                 sqlite3_errmsg(halyard_store_database(store)));
        return -1;
    }
    if (held >= HALYARD_VERIFICATION_HOLD_MAX) {
        snprintf(message, message_size,
                 "%d callbacks for unknown transactions are held already; send the callback "
                 "again once its verification has started",
                 HALYARD_VERIFICATION_HOLD_MAX);
        return 1;
    }
    if (hold_step(store,
                  "INSERT INTO verification_early_callbacks (msp_id, received_at_ms, provider,"
                  " transaction_id, body) VALUES (?1, ?2, ?3, ?4, ?5)"
                  " ON CONFLICT (msp_id, provider, transaction_id) DO UPDATE SET"
                  " body = excluded.body, received_at_ms = excluded.received_at_ms",
                  msp_id, now_ms, provider, transaction_id, body, NULL) != SQLITE_DONE) {
        snprintf(message, message_size, "holding a callback failed: %s",
                 sqlite3_errmsg(halyard_store_database(store)));
        return -1;
    }
    return 0;
}

int halyard_verification_claim_held_callback(halyard_store *store,
                                             const halyard_verification *verification, bool *found,
                                             char *message, size_t message_size)
{
    *found = false;
    if (verification->transaction_id[0] == '\0') {
        return 0;
    }
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE verifications SET callback_body = ("
                           "  SELECT body FROM verification_early_callbacks WHERE msp_id = ?2"
                           "  AND provider = ?3 AND transaction_id = ?4)"
                           " WHERE id = ?1 AND status = 'pending' AND EXISTS ("
                           "  SELECT 1 FROM verification_early_callbacks WHERE msp_id = ?2"
                           "  AND provider = ?3 AND transaction_id = ?4)",
                           -1, &statement, NULL) != SQLITE_OK) {
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, verification->id);
    sqlite3_bind_int64(statement, 2, verification->msp_id);
    sqlite3_bind_text(statement, 3, verification->provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 4, verification->transaction_id, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto cleanup;
    }
    *found = sqlite3_changes(halyard_store_database(store)) > 0;
    if (hold_step(store,
                  "DELETE FROM verification_early_callbacks WHERE msp_id = ?1"
                  " AND provider = ?3 AND transaction_id = ?4",
                  verification->msp_id, 0, verification->provider, verification->transaction_id,
                  NULL, NULL) != SQLITE_DONE) {
        goto cleanup;
    }
    status = 0;

cleanup:
    if (status != 0) {
        snprintf(message, message_size, "taking a held callback failed: %s",
                 sqlite3_errmsg(halyard_store_database(store)));
    }
    sqlite3_finalize(statement);
    return status;
}
