#include "data_folder.h"

#include "log.h"
#include "verification_store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether this process has warned that its data folder is open to group or others. */
static atomic_bool data_folder_warned;

/* Where a command run by a person prints the warning too (halyard_data_folder_warn_to). */
static FILE *_Atomic data_folder_warning_stream;

void halyard_data_folder_warn_to(FILE *stream)
{
    atomic_store(&data_folder_warning_stream, stream);
}

/* Warns once per process when the data folder lets group or others in: the database inside
 * contains ticket texts as typed and the secret key seals the HaloPSA secrets. The files halyard
 * makes there are private whatever the folder's mode, but files copied in by hand may not be.
 * The warning goes to the log, and to the stream of halyard_data_folder_warn_to when set. */
static void warn_open_folder(const char *data_dir)
{
    struct stat info;
    if (stat(data_dir, &info) != 0 || (info.st_mode & 077) == 0 ||
        atomic_exchange(&data_folder_warned, true)) {
        return;
    }
    char warning[4096 * 2 + 256];
    snprintf(warning, sizeof warning,
             "the data folder %s has mode %04o, open to group or others; it holds the database "
             "with ticket texts and the key that seals the HaloPSA secrets, so restrict it with "
             "chmod 700 %s",
             data_dir, (unsigned)(info.st_mode & 07777), data_dir);
    halyard_log(HALYARD_LOG_WARNING, "data", "%s", warning);
    FILE *stream = atomic_load(&data_folder_warning_stream);
    if (stream != NULL) {
        fprintf(stream, "halyard: warning: %s\n", warning);
    }
}

int halyard_data_folder_open(const char *data_dir, halyard_store **store, halyard_secret_key *key,
                             char *message, size_t message_size)
{
    *store = NULL;
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(message, message_size, "cannot create the data folder %s: %s", data_dir,
                 strerror(errno));
        return -1;
    }
    warn_open_folder(data_dir);

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

/* The file inside the data folder that names the pid of the process holding the lock. The lock
 * itself is on the folder: a deleted halyard.lock would take a lock on it along, and a second
 * serve would lock the new file it creates, while the folder cannot go without the database and
 * the key. halyard.db is not locked instead: SQLite holds POSIX locks on it, and closing a
 * second descriptor of that file would drop them. */
#define DATA_FOLDER_PID_NAME "halyard.lock"

/* Reads the pid written into the pid file, or 0 when it is missing or unreadable. */
static long read_holder_pid(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    char text[32] = "";
    ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    return length > 0 ? strtol(text, NULL, 10) : 0;
}

int halyard_data_folder_lock(const char *data_dir, const char *purpose, int *lock_fd, char *message,
                             size_t message_size)
{
    *lock_fd = -1;
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(message, message_size, "cannot create the data folder %s: %s", data_dir,
                 strerror(errno));
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/" DATA_FOLDER_PID_NAME, data_dir);
    int fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(message, message_size, "cannot open the data folder %s: %s", data_dir,
                 strerror(errno));
        return -1;
    }

    /* Step 1: the lock, or the pid of the process that holds it. */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int error = errno;
        close(fd);
        if (error != EWOULDBLOCK) {
            snprintf(message, message_size, "cannot lock the data folder %s: %s", data_dir,
                     strerror(error));
            return -1;
        }
        long pid = read_holder_pid(path);
        char holder[64] = "another halyard serve";
        if (pid > 0) {
            snprintf(holder, sizeof holder, "another halyard serve (pid %ld)", pid);
        }
        snprintf(message, message_size,
                 "the data folder %s is in use by %s; %s. Stop that process first, or give "
                 "this one its own data folder",
                 data_dir, holder, purpose);
        return 1;
    }

    /* Step 2: this process's pid, for the message of the next one that tries. */
    char text[32];
    int length = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    int pid_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (pid_fd < 0 || write(pid_fd, text, (size_t)length) != length) {
        halyard_log(HALYARD_LOG_WARNING, "data", "cannot write the pid into %s: %s", path,
                    strerror(errno));
    }
    if (pid_fd >= 0) {
        close(pid_fd);
    }
    *lock_fd = fd;
    return 0;
}

void halyard_data_folder_unlock(int lock_fd)
{
    if (lock_fd >= 0) {
        close(lock_fd); /* closing the only descriptor releases the lock */
    }
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
