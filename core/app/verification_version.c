#include "verification_version.h"

#include "sql_json_id.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* The ticket fields the sensitive policy reads (host.screen), as one JSON array. */
static const char ticket_fields_sql[] =
    "SELECT json_array(json_extract(?1, '$.summary'), json_extract(?1, '$.details'),"
    " json_extract(?1, '$.details_html'), json_extract(?1, '$.source'),"
    " json_extract(?1, '$.user_email'), json_extract(?1, '$.client_id'))";

/* The actions ({"actions": [...]} or a bare array) in id order, one JSON array each, without
 * halyard's own. An action written as an end user (who_type 2) always counts, as in
 * host.screen. */
static const char actions_sql[] =
    "SELECT json_array(json_extract(value, '$.id'), json_extract(value, '$.who_type'),"
    " json_extract(value, '$.who_agentid'), json_extract(value, '$.actionby_agent_id'),"
    " json_extract(value, '$.hiddenfromuser'), json_extract(value, '$.note'),"
    " json_extract(value, '$.note_html'))"
    " FROM json_each(?1, CASE WHEN json_type(?1, '$.actions') = 'array' THEN '$.actions'"
    "   ELSE '$' END)"
    " WHERE json_type(value) = 'object' AND NOT (?2 > 0"
    "   AND coalesce(" HALYARD_SQL_JSON_ID(
        "value", "'$.who_agentid'") ", 0) = ?2"
                                    "   AND coalesce(" HALYARD_SQL_JSON_ID(
                                        "value",
                                        "'$.who_type'") ", 0) <> 2)"
                                                        " ORDER BY coalesce(" HALYARD_SQL_JSON_ID(
                                                            "value", "'$.id'") ", 0), key";

static int fail(halyard_store *store, const char *what, char *message, size_t message_size)
{
    snprintf(message, message_size, "%s failed: %s", what,
             sqlite3_errmsg(halyard_store_database(store)));
    return -1;
}

/* Adds the text of every row of a prepared statement to state, each ending in a newline.
 * Returns 0, or -1 when a step fails. */
static int hash_rows(sqlite3_stmt *statement, crypto_hash_sha256_state *state)
{
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(statement, 0);
        int length = sqlite3_column_bytes(statement, 0);
        if (text != NULL) {
            crypto_hash_sha256_update(state, text, (unsigned long long)length);
        }
        crypto_hash_sha256_update(state, (const unsigned char *)"\n", 1);
    }
    return step == SQLITE_DONE ? 0 : -1;
}

int halyard_verification_ticket_version(halyard_store *store, const char *ticket_json,
                                        const char *actions_json, long long login_agent_id,
                                        char version[HALYARD_TICKET_VERSION_SIZE], char *message,
                                        size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    crypto_hash_sha256_state state;
    unsigned char digest[crypto_hash_sha256_BYTES];
    int status = -1;
    version[0] = '\0';
    crypto_hash_sha256_init(&state);

    /* Step 1: the ticket's fields. */
    if (sqlite3_prepare_v2(database, ticket_fields_sql, -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "reading the ticket's screened fields", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_text(statement, 1, ticket_json, -1, SQLITE_STATIC);
    if (hash_rows(statement, &state) != 0) {
        fail(store, "reading the ticket's screened fields", message, message_size);
        goto cleanup;
    }
    sqlite3_finalize(statement);
    statement = NULL;

    /* Step 2: the actions, so a reply changes the version as an edit does. */
    if (sqlite3_prepare_v2(database, actions_sql, -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "reading the ticket's actions", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_text(statement, 1, actions_json != NULL ? actions_json : "[]", -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 2, login_agent_id);
    if (hash_rows(statement, &state) != 0) {
        fail(store, "reading the ticket's actions", message, message_size);
        goto cleanup;
    }

    crypto_hash_sha256_final(&state, digest);
    sodium_bin2hex(version, HALYARD_TICKET_VERSION_SIZE, digest, sizeof digest);
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_verification_screened_version(halyard_store *store, long long run_id,
                                          char version[HALYARD_TICKET_VERSION_SIZE], char *message,
                                          size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    version[0] = '\0';
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT json_extract(screening_json, '$.ticket_version') FROM runs"
                           " WHERE id = ?1 AND json_valid(screening_json)",
                           -1, &statement, NULL) != SQLITE_OK) {
        return fail(store, "reading a run's screened version", message, message_size);
    }
    sqlite3_bind_int64(statement, 1, run_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW && sqlite3_column_type(statement, 0) == SQLITE_TEXT) {
        snprintf(version, HALYARD_TICKET_VERSION_SIZE, "%s", sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        return fail(store, "reading a run's screened version", message, message_size);
    }
    return 0;
}

int halyard_verification_set_screened_version(halyard_store *store, long long run_id,
                                              const char *version, char *message,
                                              size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE runs SET screening_json = json_set(CASE WHEN"
                           " json_valid(screening_json) THEN screening_json ELSE '{}' END,"
                           " '$.ticket_version', ?2) WHERE id = ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "storing a run's screened version", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, version, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(store, "storing a run's screened version", message, message_size);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}
