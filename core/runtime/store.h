#ifndef HALYARD_STORE_H
#define HALYARD_STORE_H

#include <sqlite3.h>
#include <stddef.h>

/* halyard's database: one SQLite file in WAL mode, its schema versioned by PRAGMA user_version
 * and brought up to date on open. Every table that holds per-MSP data carries msp_id.
 *
 * A halyard_store is one connection and is used by one thread at a time; a thread that writes
 * on its own (the intake writer) opens its own store on the same file. */
typedef struct halyard_store halyard_store;

/* Opens (creating if missing) the database at path and applies the migrations it lacks, each in
 * its own transaction. A database written by a newer halyard (a higher schema version than this
 * build knows) is rejected untouched. Returns 0 and *store, or -1 with a message. */
int halyard_store_open(const char *path, halyard_store **store, char *message, size_t message_size);

/* Closes the connection, finalizing the statements the store prepared; NULL is allowed. */
void halyard_store_close(halyard_store *store);

/* The SQLite connection, for the store_* modules that run their own statements. */
sqlite3 *halyard_store_database(halyard_store *store);

/* The schema version this build creates and understands. */
int halyard_store_schema_version(void);

/* Runs sql (one or more statements without results) and returns 0, or -1 with SQLite's message
 * prefixed by what, e.g. "creating the schema". */
int halyard_store_execute(halyard_store *store, const char *sql, const char *what, char *message,
                          size_t message_size);

/* Finishes a statement whose last sqlite3_step returned last_step: steps it past any rows left
 * until SQLITE_DONE, then finalizes it. An INSERT, UPDATE or DELETE with RETURNING outside a
 * transaction commits at that last step, so a row already read from it is stored only when this
 * returns SQLITE_OK. Returns SQLITE_OK or the error code, which sqlite3_errmsg still describes. */
int halyard_store_finish(sqlite3_stmt *statement, int last_step);

#endif
