/* intake-query-db [--write] DATABASE SQL: runs one query and prints each row on a line, columns
 * separated by "|" and NULL printed as "NULL". The intake's shell test reads the database with
 * it, so the test needs no sqlite3 command-line tool. The database is opened read-only unless
 * --write is given, which a test uses to plant a row that halyard itself no longer writes.
 * Exits 1 with a message on any error. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int flags = SQLITE_OPEN_READONLY;
    if (argc == 4 && strcmp(argv[1], "--write") == 0) {
        flags = SQLITE_OPEN_READWRITE;
        argv++;
        argc--;
    }
    if (argc != 3) {
        fputs("usage: intake-query-db [--write] DATABASE SQL\n", stderr);
        return 2;
    }

    sqlite3 *database = NULL;
    sqlite3_stmt *statement = NULL;
    int status = 1;
    if (sqlite3_open_v2(argv[1], &database, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "intake-query-db: cannot open %s: %s\n", argv[1],
                database != NULL ? sqlite3_errmsg(database) : "out of memory");
        goto cleanup;
    }
    sqlite3_busy_timeout(database, 5000);
    if (sqlite3_prepare_v2(database, argv[2], -1, &statement, NULL) != SQLITE_OK) {
        fprintf(stderr, "intake-query-db: invalid query: %s\n", sqlite3_errmsg(database));
        goto cleanup;
    }

    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        for (int column = 0; column < sqlite3_column_count(statement); column++) {
            const unsigned char *text = sqlite3_column_text(statement, column);
            printf("%s%s", column > 0 ? "|" : "", text != NULL ? (const char *)text : "NULL");
        }
        putchar('\n');
    }
    if (step != SQLITE_DONE) {
        fprintf(stderr, "intake-query-db: the query failed: %s\n", sqlite3_errmsg(database));
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    sqlite3_close(database);
    return status;
}
