#include "script_texts.h"

#include "message.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Sets *msp_id from the msps row named msp. Returns 1 when found, 0 when there is no such row,
 * or -1 with a message. */
static int script_texts_find_msp(sqlite3 *database, const char *msp, long long *msp_id,
                                 char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int result = -1;

    if (sqlite3_prepare_v2(database, "SELECT id FROM msps WHERE name = ?1", -1, &statement, NULL) !=
        SQLITE_OK) {
        halyard_message_write(message, message_size, "cannot look up MSP '%s': %s", msp,
                              sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_text(statement, 1, msp, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        *msp_id = sqlite3_column_int64(statement, 0);
        result = 1;
    } else if (step == SQLITE_DONE) {
        result = 0;
    } else {
        halyard_message_write(message, message_size, "cannot look up MSP '%s': %s", msp,
                              sqlite3_errmsg(database));
    }

cleanup:
    sqlite3_finalize(statement);
    return result;
}

/* Inserts the MSP's texts inside the caller's transaction. Returns 0, or -1 with a message. */
static int script_texts_insert(sqlite3 *database, long long msp_id,
                               const halyard_script_text *texts, size_t count, char *message,
                               size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int result = -1;

    if (sqlite3_prepare_v2(database,
                           "INSERT INTO script_texts (msp_id, kind, path, serving_path, text) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &statement, NULL) != SQLITE_OK) {
        halyard_message_write(message, message_size, "cannot store script texts: %s",
                              sqlite3_errmsg(database));
        goto cleanup;
    }
    for (size_t i = 0; i < count; i++) {
        sqlite3_reset(statement);
        sqlite3_bind_int64(statement, 1, msp_id);
        sqlite3_bind_text(statement, 2, texts[i].kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, texts[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 4, texts[i].serving_path, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(statement, 5, texts[i].text, texts[i].length, SQLITE_STATIC);
        if (sqlite3_step(statement) != SQLITE_DONE) {
            halyard_message_write(message, message_size, "cannot store the text of %s: %s",
                                  texts[i].path, sqlite3_errmsg(database));
            goto cleanup;
        }
    }
    result = 0;

cleanup:
    sqlite3_finalize(statement);
    return result;
}

int halyard_script_texts_save(halyard_store *store, const char *msp,
                              const halyard_script_text *texts, size_t count, char *message,
                              size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    long long msp_id = 0;

    /* Step 1: one transaction, taken for writing at once, so the set is replaced whole. */
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "storing script texts", message,
                              message_size) != 0) {
        return -1;
    }
    int found = script_texts_find_msp(database, msp, &msp_id, message, message_size);
    if (found == 0) {
        halyard_message_write(message, message_size,
                              "cannot store script texts: no MSP named '%s' in the database", msp);
    }
    if (found != 1) {
        goto rollback;
    }

    /* Step 2: the MSP's old set goes, so a file that no longer serves is dropped. */
    if (sqlite3_prepare_v2(database, "DELETE FROM script_texts WHERE msp_id = ?1", -1, &statement,
                           NULL) != SQLITE_OK) {
        halyard_message_write(message, message_size, "cannot store script texts: %s",
                              sqlite3_errmsg(database));
        goto rollback;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    int deleted = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (deleted != SQLITE_DONE) {
        halyard_message_write(message, message_size, "cannot store script texts: %s",
                              sqlite3_errmsg(database));
        goto rollback;
    }

    /* Step 3: the new set. */
    if (script_texts_insert(database, msp_id, texts, count, message, message_size) != 0) {
        goto rollback;
    }
    if (halyard_store_execute(store, "COMMIT", "storing script texts", message, message_size) !=
        0) {
        goto rollback;
    }
    return 0;

rollback:
    sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Copies a column's bytes into a new NUL-terminated string. Returns NULL when out of memory. */
static char *script_texts_copy_column(sqlite3_stmt *statement, int column, size_t *length)
{
    const void *bytes = sqlite3_column_blob(statement, column);
    size_t size = (size_t)sqlite3_column_bytes(statement, column);
    char *copy = malloc(size + 1);
    if (copy != NULL) {
        if (size > 0) {
            memcpy(copy, bytes, size);
        }
        copy[size] = '\0';
    }
    if (length != NULL) {
        *length = size;
    }
    return copy;
}

int halyard_script_texts_load(halyard_store *store, const char *msp, halyard_script_text_set *set,
                              char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int result = -1;
    set->items = NULL;
    set->count = 0;

    if (sqlite3_prepare_v2(database,
                           "SELECT kind, path, serving_path, text FROM script_texts "
                           "WHERE msp_id = (SELECT id FROM msps WHERE name = ?1) "
                           "ORDER BY kind, path",
                           -1, &statement, NULL) != SQLITE_OK) {
        halyard_message_write(message, message_size, "cannot read stored script texts: %s",
                              sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_text(statement, 1, msp, -1, SQLITE_STATIC);

    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        halyard_script_text *grown = realloc(set->items, (set->count + 1) * sizeof *grown);
        if (grown == NULL) {
            halyard_message_write(message, message_size, "out of memory reading script texts");
            goto cleanup;
        }
        set->items = grown;
        halyard_script_text *text = &set->items[set->count];
        memset(text, 0, sizeof *text);
        set->count++;
        text->kind = script_texts_copy_column(statement, 0, NULL);
        text->path = script_texts_copy_column(statement, 1, NULL);
        text->serving_path = script_texts_copy_column(statement, 2, NULL);
        text->text = script_texts_copy_column(statement, 3, &text->length);
        if (text->kind == NULL || text->path == NULL || text->serving_path == NULL ||
            text->text == NULL) {
            halyard_message_write(message, message_size, "out of memory reading script texts");
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE) {
        halyard_message_write(message, message_size, "cannot read stored script texts: %s",
                              sqlite3_errmsg(database));
        goto cleanup;
    }
    result = 0;

cleanup:
    sqlite3_finalize(statement);
    if (result != 0) {
        halyard_script_text_set_clear(set);
    }
    return result;
}

void halyard_script_text_set_clear(halyard_script_text_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free((char *)set->items[i].kind);
        free((char *)set->items[i].path);
        free((char *)set->items[i].serving_path);
        free((char *)set->items[i].text);
    }
    free(set->items);
    set->items = NULL;
    set->count = 0;
}
