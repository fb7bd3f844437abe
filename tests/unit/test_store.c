#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

typedef struct {
    char folder[64];
    char path[128];
} scratch;

static int make_scratch(void **state)
{
    scratch *paths = calloc(1, sizeof *paths);
    assert_non_null(paths);
    strcpy(paths->folder, "/tmp/halyard-store-XXXXXX");
    assert_non_null(mkdtemp(paths->folder));
    snprintf(paths->path, sizeof paths->path, "%s/halyard.db", paths->folder);
    *state = paths;
    return 0;
}

static int remove_scratch(void **state)
{
    scratch *paths = *state;
    char command[256];
    snprintf(command, sizeof command, "rm -rf '%s'", paths->folder);
    assert_int_equal(system(command), 0);
    free(paths);
    return 0;
}

/* Returns the first column of the first row of sql as an integer. */
static int query_integer(halyard_store *store, const char *sql)
{
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(halyard_store_database(store), sql, -1, &statement, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    int value = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    return value;
}

static void open_creates_current_schema(void **state)
{
    scratch *paths = *state;
    halyard_store *store = NULL;
    char message[256] = "";

    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);

    assert_int_equal(query_integer(store, "PRAGMA user_version"), halyard_store_schema_version());
    assert_int_equal(query_integer(store, "SELECT count(*) FROM msps WHERE name = 'default'"), 1);
    halyard_store_close(store);
}

static void open_uses_wal_and_full_sync(void **state)
{
    scratch *paths = *state;
    halyard_store *store = NULL;
    char message[256] = "";
    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);

    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(halyard_store_database(store), "PRAGMA journal_mode", -1,
                                        &statement, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(statement, 0), "wal");
    sqlite3_finalize(statement);
    assert_int_equal(query_integer(store, "PRAGMA synchronous"), 2);
    halyard_store_close(store);
}

static void reopen_keeps_data(void **state)
{
    scratch *paths = *state;
    halyard_store *store = NULL;
    char message[256] = "";
    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);
    assert_int_equal(halyard_store_execute(store, "INSERT INTO msps (name) VALUES ('second')",
                                           "adding an MSP", message, sizeof message),
                     0);
    halyard_store_close(store);

    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);

    assert_int_equal(query_integer(store, "SELECT count(*) FROM msps"), 2);
    halyard_store_close(store);
}

static void newer_schema_rejected(void **state)
{
    scratch *paths = *state;
    halyard_store *store = NULL;
    char message[256] = "";
    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);
    assert_int_equal(halyard_store_execute(store, "PRAGMA user_version = 999", "bumping", message,
                                           sizeof message),
                     0);
    halyard_store_close(store);

    int status = halyard_store_open(paths->path, &store, message, sizeof message);

    assert_int_equal(status, -1);
    assert_null(store);
    assert_non_null(strstr(message, "schema version 999"));
}

static void unopenable_path_reports(void **state)
{
    (void)state;
    halyard_store *store = NULL;
    char message[256] = "";

    int status =
        halyard_store_open("/nonexistent-folder/halyard.db", &store, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "/nonexistent-folder/halyard.db"));
}

static void delivery_guid_stored_once(void **state)
{
    scratch *paths = *state;
    halyard_store *store = NULL;
    char message[256] = "";
    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);
    const char *insert = "INSERT INTO deliveries (msp_id, event_guid, received_at, body)"
                         " VALUES (1, 'a1b2', 'now', x'7b7d')";

    assert_int_equal(halyard_store_execute(store, insert, "storing", message, sizeof message), 0);
    assert_int_equal(halyard_store_execute(store, insert, "storing", message, sizeof message), -1);

    assert_non_null(strstr(message, "UNIQUE"));
    assert_int_equal(query_integer(store, "SELECT count(*) FROM deliveries"), 1);
    halyard_store_close(store);
}

/* Returns true when the file at path contains text anywhere in its bytes. A missing file contains
 * nothing. */
static bool file_contains(const char *path, const char *text)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return false;
    }
    size_t length = strlen(text);
    size_t capacity = 1 << 16;
    char *bytes = malloc(capacity);
    assert_non_null(bytes);
    size_t used = 0;
    size_t got = 0;
    while ((got = fread(bytes + used, 1, capacity - used, file)) > 0) {
        used += got;
        if (used == capacity) {
            capacity *= 2;
            bytes = realloc(bytes, capacity);
            assert_non_null(bytes);
        }
    }
    fclose(file);
    bool found = false;
    for (size_t at = 0; !found && used >= length && at <= used - length; at++) {
        found = memcmp(bytes + at, text, length) == 0;
    }
    free(bytes);
    return found;
}

/* A deleted or overwritten value (a provider URL sealed in place, a disconnected provider's
 * row) must leave no readable copy in the database's free space. */
static void deleted_text_leaves_no_copy(void **state)
{
    scratch *paths = *state;
    halyard_store *store = NULL;
    char message[256] = "";
    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);
    assert_int_equal(halyard_store_execute(store,
                                           "INSERT INTO msps (name) VALUES ('forgotten-a7Kq93xZ');"
                                           "UPDATE msps SET name = 'renamed' WHERE name = "
                                           "'forgotten-a7Kq93xZ';"
                                           "INSERT INTO msps (name) VALUES ('deleted-Qm2v81Lp');"
                                           "DELETE FROM msps WHERE name = 'deleted-Qm2v81Lp';",
                                           "changing MSPs", message, sizeof message),
                     0);

    halyard_store_close(store);

    char wal_path[160];
    snprintf(wal_path, sizeof wal_path, "%s-wal", paths->path);
    assert_false(file_contains(paths->path, "forgotten-a7Kq93xZ"));
    assert_false(file_contains(paths->path, "deleted-Qm2v81Lp"));
    assert_false(file_contains(wal_path, "forgotten-a7Kq93xZ"));
    assert_false(file_contains(wal_path, "deleted-Qm2v81Lp"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_creates_current_schema, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(open_uses_wal_and_full_sync, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(reopen_keeps_data, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(newer_schema_rejected, make_scratch, remove_scratch),
        cmocka_unit_test(unopenable_path_reports),
        cmocka_unit_test_setup_teardown(delivery_guid_stored_once, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(deleted_text_leaves_no_copy, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
