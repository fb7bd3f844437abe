#include "data_folder.h"

#include "verification_store.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int halyard_data_folder_open(const char *data_dir, halyard_store **store, halyard_secret_key *key,
                             char *message, size_t message_size)
{
    *store = NULL;
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(message, message_size, "cannot create the data folder %s: %s", data_dir,
                 strerror(errno));
        return -1;
    }

    char path[4096];
    snprintf(path, sizeof path, "%s/secret.key", data_dir);
    if (halyard_secret_key_load(path, true, key, message, message_size) != HALYARD_SECRET_OK) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/halyard.db", data_dir);
    if (halyard_store_open(path, store, message, message_size) != 0) {
        return -1;
    }
    if (halyard_verification_seal_stored_urls(*store, key, message, message_size) != 0) {
        halyard_store_close(*store);
        *store = NULL;
        return -1;
    }
    return 0;
}

int halyard_msp_name_validate(const char *name, char *message, size_t message_size)
{
    size_t length = strlen(name);
    int valid = length >= 1 && length <= 32 && name[0] != '-';
    for (size_t i = 0; valid && i < length; i++) {
        unsigned char c = (unsigned char)name[i];
        valid = islower(c) || isdigit(c) || c == '-';
    }
    if (!valid) {
        snprintf(message, message_size,
                 "the MSP name '%.64s' is invalid: use 1 to 32 lower-case letters, digits and "
                 "hyphens, like acme-it",
                 name);
        return -1;
    }
    return 0;
}

int halyard_msp_find(halyard_store *store, const char *name, int create, long long *msp_id,
                     int *created, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    *created = 0;

    if (sqlite3_prepare_v2(database, "SELECT id FROM msps WHERE name = ?1", -1, &statement, NULL) !=
        SQLITE_OK) {
        goto database_error;
    }
    sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        *msp_id = sqlite3_column_int64(statement, 0);
        status = 0;
        goto cleanup;
    }
    if (step != SQLITE_DONE) {
        goto database_error;
    }
    if (!create) {
        status = 1;
        goto cleanup;
    }

    sqlite3_finalize(statement);
    if (sqlite3_prepare_v2(database, "INSERT INTO msps (name) VALUES (?1)", -1, &statement, NULL) !=
        SQLITE_OK) {
        goto database_error;
    }
    sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto database_error;
    }
    *msp_id = sqlite3_last_insert_rowid(database);
    *created = 1;
    status = 0;
    goto cleanup;

database_error:
    snprintf(message, message_size, "looking up the MSP '%s' failed: %s", name,
             sqlite3_errmsg(database));
cleanup:
    sqlite3_finalize(statement);
    return status;
}
