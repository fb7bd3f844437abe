#include "store.h"

#include "message.h"

#include "store_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct halyard_store {
    sqlite3 *database;
};

/* How long a statement waits for another connection's write lock before failing, in ms. */
#define STORE_BUSY_TIMEOUT_MS 5000

int halyard_store_execute(halyard_store *store, const char *sql, const char *what, char *message,
                          size_t message_size)
{
    char *error = NULL;
    if (sqlite3_exec(store->database, sql, NULL, NULL, &error) != SQLITE_OK) {
        halyard_message_write(message, message_size, "%s failed: %s", what,
                              error != NULL ? error : sqlite3_errmsg(store->database));
        sqlite3_free(error);
        return -1;
    }
    return 0;
}

int halyard_store_finish(sqlite3_stmt *statement, int last_step)
{
    /* A step after an error would run the statement again, so only rows are stepped past. */
    int step = last_step;
    while (step == SQLITE_ROW) {
        step = sqlite3_step(statement);
    }
    int finalized = sqlite3_finalize(statement);
    return step != SQLITE_DONE ? step : finalized;
}

static int read_user_version(halyard_store *store, int *version, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(store->database, "PRAGMA user_version", -1, &statement, NULL) !=
            SQLITE_OK ||
        sqlite3_step(statement) != SQLITE_ROW) {
        halyard_message_write(message, message_size, "reading the schema version failed: %s",
                              sqlite3_errmsg(store->database));
        goto cleanup;
    }
    *version = sqlite3_column_int(statement, 0);
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

static int migrate(halyard_store *store, const char *path, char *message, size_t message_size)
{
    int version = 0;
    if (read_user_version(store, &version, message, message_size) != 0) {
        return -1;
    }
    int newest = (int)halyard_store_migration_count();
    if (version > newest) {
        halyard_message_write(
            message, message_size,
            "the database %s has schema version %d, newer than this halyard's %d: run "
            "the halyard that wrote it, or restore a backup",
            path, version, newest);
        return -1;
    }

    /* Each step and its version bump commit together, so a crash leaves a whole version. */
    for (int step = version; step < newest; step++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", step + 1);
        char what[64];
        snprintf(what, sizeof what, "migrating the schema to version %d", step + 1);
        if (halyard_store_execute(store, "BEGIN IMMEDIATE;", what, message, message_size) != 0) {
            return -1;
        }
        if (halyard_store_execute(store, halyard_store_migration((size_t)step), what, message,
                                  message_size) != 0 ||
            halyard_store_execute(store, bump, what, message, message_size) != 0 ||
            halyard_store_execute(store, "COMMIT;", what, message, message_size) != 0) {
            sqlite3_exec(store->database, "ROLLBACK;", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

/* Gives the file at path mode 0600 when it is open to group or others; a missing file is left
 * alone. It works on the path, never on a descriptor: closing a descriptor of the database would
 * drop the locks SQLite holds on it for this process's other connections. */
static int keep_file_private(const char *path, char *message, size_t message_size)
{
    struct stat info;
    if (stat(path, &info) != 0) {
        if (errno == ENOENT) {
            return 0;
        }
        halyard_message_write(message, message_size, "cannot read the mode of %s: %s", path,
                              strerror(errno));
        return -1;
    }
    if ((info.st_mode & 077) != 0 && chmod(path, 0600) != 0) {
        halyard_message_write(message, message_size,
                              "cannot make %s readable by its owner only (chmod 600): %s", path,
                              strerror(errno));
        return -1;
    }
    return 0;
}

/* Creates a missing database file with mode 0600 before SQLite opens it, and takes group and
 * other access away from a database, WAL or shared-memory file that an earlier halyard left open
 * to them. SQLite gives the -wal and -shm files it creates the mode of the database file, so
 * these stay private whatever the umask. They hold ticket texts and webhook bodies as received.
 * Returns 0, or -1 with a message. */
static int make_files_private(const char *path, char *message, size_t message_size)
{
    if (strcmp(path, ":memory:") == 0 || path[0] == '\0') {
        return 0;
    }

    /* O_EXCL: only a file made here is closed here, so no connection's locks are dropped. */
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
    }

    static const char *const suffixes[] = {"", "-wal", "-shm"};
    int status = 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0] && status == 0; i++) {
        char file[4200];
        snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        status = keep_file_private(file, message, message_size);
    }
    return status;
}

int halyard_store_open(const char *path, halyard_store **out, char *message, size_t message_size)
{
    *out = NULL;
    halyard_store *store = calloc(1, sizeof *store);
    if (store == NULL) {
        halyard_message_write(message, message_size, "out of memory opening %s", path);
        return -1;
    }

    /* Step 1: the connection, serialised per connection by the caller, on files only the owner
     * can read. */
    if (make_files_private(path, message, message_size) != 0) {
        goto fail;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &store->database, flags, NULL) != SQLITE_OK) {
        halyard_message_write(message, message_size, "cannot open the database %s: %s", path,
                              store->database != NULL ? sqlite3_errmsg(store->database)
                                                      : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(store->database, STORE_BUSY_TIMEOUT_MS);

    /* Step 2: WAL so readers never wait for the writer. FULL so a commit survives power loss.
     * secure_delete zeroes what a delete or an overwrite frees, so a provider URL sealed in
     * place leaves no readable copy. Debian's SQLite turns it on by default, but other builds may
     * not. */
    if (halyard_store_execute(store,
                              "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
                              "configuring the database", message, message_size) != 0) {
        goto fail;
    }

    /* Step 3: the schema. */
    if (migrate(store, path, message, message_size) != 0) {
        goto fail;
    }
    *out = store;
    return 0;

fail:
    halyard_store_close(store);
    return -1;
}

void halyard_store_close(halyard_store *store)
{
    if (store == NULL) {
        return;
    }
    sqlite3_close_v2(store->database);
    free(store);
}

sqlite3 *halyard_store_database(halyard_store *store)
{
    return store->database;
}

int halyard_store_schema_version(void)
{
    return (int)halyard_store_migration_count();
}
