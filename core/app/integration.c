#include "integration.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void secret_context(char *context, size_t size, const char *msp_name, const char *field)
{
    snprintf(context, size, "msp=%s;field=%s", msp_name, field);
}

static char *copy_column(sqlite3_stmt *statement, int column)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    return text != NULL ? strdup((const char *)text) : NULL;
}

/* Opens a sealed column into a NUL-terminated heap string. Returns 0, or -1 with a message. */
static int open_column(const halyard_secret_key *key, sqlite3_stmt *statement, int column,
                       const char *msp_name, const char *field, char **plain, char *message,
                       size_t message_size)
{
    char context[128];
    secret_context(context, sizeof context, msp_name, field);
    return halyard_secret_open_text(key, context,
                                    (const char *)sqlite3_column_text(statement, column), plain,
                                    message, message_size) == HALYARD_SECRET_OK
               ? 0
               : -1;
}

int halyard_integration_load(halyard_store *store, const halyard_secret_key *key, long long msp_id,
                             const char *msp_name, halyard_integration *integration, char *message,
                             size_t message_size)
{
    memset(integration, 0, sizeof *integration);
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;

    if (sqlite3_prepare_v2(database,
                           "SELECT instance_url, token_url, client_id, client_secret_sealed, "
                           "scope, login_agent_id, login_agent_name, public_url, webhook_id, "
                           "webhook_username, webhook_password_sealed, webhook_password_pushed "
                           "FROM integrations WHERE msp_id = ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the integration failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_DONE) {
        status = 1;
        goto cleanup;
    }
    if (step != SQLITE_ROW) {
        snprintf(message, message_size, "reading the integration failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }

    integration->instance_url = copy_column(statement, 0);
    integration->token_url = copy_column(statement, 1);
    integration->client_id = copy_column(statement, 2);
    integration->scope = copy_column(statement, 4);
    integration->login_agent_id = sqlite3_column_int64(statement, 5);
    integration->login_agent_name = copy_column(statement, 6);
    integration->public_url = copy_column(statement, 7);
    integration->webhook_id = copy_column(statement, 8);
    integration->webhook_username = copy_column(statement, 9);
    integration->webhook_password_pushed = sqlite3_column_int(statement, 11) != 0;
    if (open_column(key, statement, 3, msp_name, "halopsa_client_secret",
                    &integration->client_secret, message, message_size) != 0 ||
        open_column(key, statement, 10, msp_name, "webhook_password",
                    &integration->webhook_password, message, message_size) != 0) {
        halyard_integration_free(integration);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

static int seal_text(const halyard_secret_key *key, const char *msp_name, const char *field,
                     const char *plain, char **sealed, char *message, size_t message_size)
{
    char context[128];
    secret_context(context, sizeof context, msp_name, field);
    return halyard_secret_seal_text(key, context, plain, sealed, message, message_size) ==
                   HALYARD_SECRET_OK
               ? 0
               : -1;
}

int halyard_integration_save(halyard_store *store, const halyard_secret_key *key, long long msp_id,
                             const char *msp_name, const halyard_integration *integration,
                             char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    char *secret_sealed = NULL;
    char *password_sealed = NULL;
    int status = -1;

    if (seal_text(key, msp_name, "halopsa_client_secret", integration->client_secret,
                  &secret_sealed, message, message_size) != 0 ||
        seal_text(key, msp_name, "webhook_password", integration->webhook_password,
                  &password_sealed, message, message_size) != 0) {
        goto cleanup;
    }
    if (sqlite3_prepare_v2(
            database,
            "INSERT INTO integrations (msp_id, instance_url, token_url, client_id, "
            "client_secret_sealed, scope, login_agent_id, login_agent_name, public_url, "
            "webhook_id, webhook_username, webhook_password_sealed, webhook_password_pushed, "
            "updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
            "ON CONFLICT (msp_id) DO UPDATE SET instance_url = ?2, token_url = ?3, "
            "client_id = ?4, client_secret_sealed = ?5, scope = ?6, login_agent_id = ?7, "
            "login_agent_name = ?8, public_url = ?9, webhook_id = ?10, webhook_username = ?11, "
            "webhook_password_sealed = ?12, webhook_password_pushed = ?13, "
            "updated_at = excluded.updated_at",
            -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "storing the integration failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_text(statement, 2, integration->instance_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, integration->token_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 4, integration->client_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 5, secret_sealed, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 6, integration->scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 7, integration->login_agent_id);
    sqlite3_bind_text(statement, 8, integration->login_agent_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 9, integration->public_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 10, integration->webhook_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 11, integration->webhook_username, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 12, password_sealed, -1, SQLITE_STATIC);
    sqlite3_bind_int(statement, 13, integration->webhook_password_pushed ? 1 : 0);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        snprintf(message, message_size, "storing the integration failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    free(secret_sealed);
    free(password_sealed);
    return status;
}

static void wipe_and_free(char *text)
{
    if (text != NULL) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
}

void halyard_integration_free(halyard_integration *integration)
{
    free(integration->instance_url);
    free(integration->token_url);
    free(integration->client_id);
    wipe_and_free(integration->client_secret);
    free(integration->scope);
    free(integration->login_agent_name);
    free(integration->public_url);
    free(integration->webhook_id);
    free(integration->webhook_username);
    wipe_and_free(integration->webhook_password);
    memset(integration, 0, sizeof *integration);
}
