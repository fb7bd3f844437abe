#include "cli_commands.h"

#include "data_folder.h"
#include "msp_context.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Admin tokens are "hly_" and 32 random bytes in URL-safe base64: 256 bits, so a hash without
 * salt is enough to store them. */
#define TOKEN_PREFIX "hly_"

static void print_usage(FILE *stream)
{
    fputs("usage: halyard [--msp NAME] token create [--name NAME]\n"
          "       halyard [--msp NAME] token list\n"
          "       halyard [--msp NAME] token revoke ID\n"
          "  create  prints a new admin token for halyard's /api/v1 API; NAME (1 to 64\n"
          "          printable characters, default admin) says what the token is for\n"
          "  list    prints the MSP's admin tokens: id, when created, when last used, name\n"
          "          (never the token itself)\n"
          "  revoke  deletes the token with that id; requests with it get 401 from then on,\n"
          "          also in a running halyard serve\n",
          stream);
}

/* A token's name: 1 to 64 printable ASCII characters. */
static bool token_name_valid(const char *name)
{
    size_t length = strlen(name);
    for (size_t i = 0; i < length; i++) {
        if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] >= 0x7f) {
            return false;
        }
    }
    return length >= 1 && length <= 64;
}

/* Runs `token create [--name NAME]`: argv[1] is "create". */
static int run_create(int argc, char **argv, const halyard_cli_context *context)
{
    const char *name = "admin";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
            name = argv[++i];
        } else {
            print_usage(context->err);
            return HALYARD_EXIT_USAGE;
        }
    }

    if (!token_name_valid(name)) {
        fprintf(context->err,
                "halyard token create: the name '%.80s' is invalid: use 1 to 64 printable "
                "characters, like ci or dashboard\n",
                name);
        return HALYARD_EXIT_USAGE;
    }

    /* The MSP is created when new, so its admin can connect it through the API. */
    char message[1024];
    halyard_msp_context msp = {0};
    int created = 0;
    if (halyard_msp_name_validate(context->msp, message, sizeof message) != 0 ||
        halyard_data_folder_open(context->config->data_dir, &msp.store, &msp.key, message,
                                 sizeof message) != 0 ||
        halyard_msp_find(msp.store, context->msp, 1, &msp.msp_id, &created, message,
                         sizeof message) != 0) {
        fprintf(context->err, "halyard token create: %s\n", message);
        halyard_msp_context_close(&msp);
        return HALYARD_EXIT_FAILURE;
    }
    if (created) {
        fprintf(context->err, "created MSP '%s'\n", context->msp);
    }

    /* Step 1: the token, and the hash that is all the database keeps. */
    unsigned char random[32];
    char token[sizeof TOKEN_PREFIX + 64];
    randombytes_buf(random, sizeof random);
    memcpy(token, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1);
    sodium_bin2base64(token + sizeof TOKEN_PREFIX - 1, sizeof token - (sizeof TOKEN_PREFIX - 1),
                      random, sizeof random, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));

    /* Step 2: store it. */
    sqlite3 *database = halyard_store_database(msp.store);
    sqlite3_stmt *statement = NULL;
    int exit_status = HALYARD_EXIT_FAILURE;
    if (sqlite3_prepare_v2(database,
                           "INSERT INTO api_tokens (msp_id, name, token_hash, created_at) "
                           "VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                           -1, &statement, NULL) != SQLITE_OK) {
        fprintf(context->err, "halyard token create: storing the token failed: %s\n",
                sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp.msp_id);
    sqlite3_bind_text(statement, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(statement, 3, hash, sizeof hash, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fprintf(context->err, "halyard token create: storing the token failed: %s\n",
                sqlite3_errmsg(database));
        goto cleanup;
    }
    fprintf(context->out, "%s\n", token);
    fprintf(context->err,
            "created admin token '%s' for MSP '%s'; it is shown only this once and halyard "
            "keeps only its hash. Send it as 'Authorization: Bearer <token>' to /api/v1/.\n",
            name, context->msp);
    exit_status = HALYARD_EXIT_OK;

cleanup:
    sqlite3_finalize(statement);
    sodium_memzero(token, sizeof token);
    halyard_msp_context_close(&msp);
    return exit_status;
}

/* Opens the data folder and finds the MSP of the command line, which list and revoke do not
 * create. Returns 0, 1 when the MSP does not exist, or -1 with a message. msp is closed unless
 * 0 is returned. */
static int open_existing_msp(const halyard_cli_context *context, halyard_msp_context *msp,
                             char *message, size_t message_size)
{
    int created = 0;
    int found = -1;
    if (halyard_msp_name_validate(context->msp, message, message_size) == 0 &&
        halyard_data_folder_open(context->config->data_dir, &msp->store, &msp->key, message,
                                 message_size) == 0) {
        found = halyard_msp_find(msp->store, context->msp, 0, &msp->msp_id, &created, message,
                                 message_size);
    }
    if (found != 0) {
        halyard_msp_context_close(msp);
    }
    return found;
}

/* Prints why an MSP that does not exist has no tokens. Only `token create` creates an MSP for
 * its admin, so the message points there rather than at connect. */
static void print_no_msp(const halyard_cli_context *context, const char *command)
{
    fprintf(context->err,
            "halyard token %s: MSP '%s' does not exist, so it has no admin tokens; 'halyard "
            "--msp %s token create' creates the MSP and its first token\n",
            command, context->msp, context->msp);
}

/* Runs `token list`: one line per token of the MSP, oldest first, without the token, which
 * halyard does not keep. */
static int run_list(const halyard_cli_context *context)
{
    char message[1024];
    halyard_msp_context msp = {0};
    int found = open_existing_msp(context, &msp, message, sizeof message);
    if (found == 1) {
        print_no_msp(context, "list");
        return HALYARD_EXIT_FAILURE;
    }
    if (found != 0) {
        fprintf(context->err, "halyard token list: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }

    sqlite3 *database = halyard_store_database(msp.store);
    sqlite3_stmt *statement = NULL;
    int exit_status = HALYARD_EXIT_FAILURE;
    if (sqlite3_prepare_v2(database,
                           "SELECT id, created_at, last_used_at, name FROM api_tokens"
                           " WHERE msp_id = ?1 ORDER BY id",
                           -1, &statement, NULL) != SQLITE_OK) {
        fprintf(context->err, "halyard token list: reading the tokens failed: %s\n",
                sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp.msp_id);
    fprintf(context->out, "%8s  %-24s  %-24s  %s\n", "ID", "CREATED", "LAST USED", "NAME");
    size_t count = 0;
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        const unsigned char *last_used = sqlite3_column_text(statement, 2);
        fprintf(context->out, "%8lld  %-24s  %-24s  %s\n", sqlite3_column_int64(statement, 0),
                sqlite3_column_text(statement, 1),
                last_used != NULL ? (const char *)last_used : "never",
                sqlite3_column_text(statement, 3));
        count++;
    }
    if (step != SQLITE_DONE) {
        fprintf(context->err, "halyard token list: reading the tokens failed: %s\n",
                sqlite3_errmsg(database));
        goto cleanup;
    }
    fprintf(context->out, "%zu admin token%s for MSP '%s'\n", count, count == 1 ? "" : "s",
            context->msp);
    exit_status = HALYARD_EXIT_OK;

cleanup:
    sqlite3_finalize(statement);
    halyard_msp_context_close(&msp);
    return exit_status;
}

/* Runs `token revoke ID`. The row is deleted, and serve looks every request's token up in the
 * database, so the token stops working with the next request. */
static int run_revoke(const char *id_text, const halyard_cli_context *context)
{
    long long id = 0;
    size_t digits = strspn(id_text, "0123456789");
    if (digits == 0 || digits > 18 || id_text[digits] != '\0') {
        fprintf(context->err,
                "halyard token revoke: invalid id '%.40s': give the number from the ID column "
                "of 'halyard token list'\n",
                id_text);
        return HALYARD_EXIT_USAGE;
    }
    id = strtoll(id_text, NULL, 10);

    char message[1024];
    halyard_msp_context msp = {0};
    int found = open_existing_msp(context, &msp, message, sizeof message);
    if (found == 1) {
        print_no_msp(context, "revoke");
        return HALYARD_EXIT_FAILURE;
    }
    if (found != 0) {
        fprintf(context->err, "halyard token revoke: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }

    /* A token of another MSP is not found, as in the list, which shows this MSP's only. */
    sqlite3 *database = halyard_store_database(msp.store);
    sqlite3_stmt *statement = NULL;
    int exit_status = HALYARD_EXIT_FAILURE;
    if (sqlite3_prepare_v2(database,
                           "DELETE FROM api_tokens WHERE id = ?1 AND msp_id = ?2 RETURNING name",
                           -1, &statement, NULL) != SQLITE_OK) {
        fprintf(context->err, "halyard token revoke: deleting the token failed: %s\n",
                sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, id);
    sqlite3_bind_int64(statement, 2, msp.msp_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_DONE) {
        fprintf(context->err,
                "halyard token revoke: MSP '%s' has no admin token with id %lld; 'halyard --msp "
                "%s token list' shows its tokens\n",
                context->msp, id, context->msp);
        goto cleanup;
    }
    if (step != SQLITE_ROW) {
        fprintf(context->err, "halyard token revoke: deleting the token failed: %s\n",
                sqlite3_errmsg(database));
        goto cleanup;
    }
    fprintf(context->out, "revoked admin token %lld '%s' of MSP '%s'\n", id,
            sqlite3_column_text(statement, 0), context->msp);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fprintf(context->err, "halyard token revoke: deleting the token failed: %s\n",
                sqlite3_errmsg(database));
        goto cleanup;
    }
    exit_status = HALYARD_EXIT_OK;

cleanup:
    sqlite3_finalize(statement);
    halyard_msp_context_close(&msp);
    return exit_status;
}

int halyard_cli_token(int argc, char **argv, const halyard_cli_context *context)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(context->out);
            return HALYARD_EXIT_OK;
        }
    }
    if (argc >= 2 && strcmp(argv[1], "create") == 0) {
        return run_create(argc, argv, context);
    }
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        return run_list(context);
    }
    if (argc == 3 && strcmp(argv[1], "revoke") == 0) {
        return run_revoke(argv[2], context);
    }
    print_usage(context->err);
    return HALYARD_EXIT_USAGE;
}
