/* hold-write-lock DATABASE MILLISECONDS: takes SQLite's write lock on DATABASE with BEGIN
 * IMMEDIATE, prints "locked" on its own line, holds the lock for MILLISECONDS (1 to 60000), then
 * commits and exits 0. A test starts it to make halyard's connections meet a busy database the
 * way they do when another connection writes under load. Exits 1 with a message on any error. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: hold-write-lock DATABASE MILLISECONDS\n", stderr);
        return 2;
    }
    char *end = NULL;
    long hold_ms = strtol(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || hold_ms < 1 || hold_ms > 60000) {
        fprintf(stderr, "hold-write-lock: invalid MILLISECONDS '%s'; use 1 to 60000\n", argv[2]);
        return 2;
    }

    sqlite3 *database = NULL;
    int status = 1;
    if (sqlite3_open_v2(argv[1], &database, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "hold-write-lock: cannot open %s: %s\n", argv[1],
                database != NULL ? sqlite3_errmsg(database) : "out of memory");
        goto cleanup;
    }
    sqlite3_busy_timeout(database, 10000);
    if (sqlite3_exec(database, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "hold-write-lock: BEGIN IMMEDIATE failed: %s\n", sqlite3_errmsg(database));
        goto cleanup;
    }
    puts("locked");
    fflush(stdout);

    struct timespec hold = {.tv_sec = hold_ms / 1000, .tv_nsec = (hold_ms % 1000) * 1000000L};
    while (nanosleep(&hold, &hold) != 0) {
    }
    if (sqlite3_exec(database, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "hold-write-lock: COMMIT failed: %s\n", sqlite3_errmsg(database));
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_close(database);
    return status;
}
