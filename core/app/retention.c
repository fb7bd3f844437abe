#include "retention.h"

#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

/* Runs one statement with the cutoff bound as ?1 and adds the rows it changed to *changed.
 * Returns 0, or -1 with a message naming what. */
static int prune_step(sqlite3 *database, const char *sql, const char *cutoff, const char *what,
                      long long *changed, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database, sql, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "%s failed: %s", what, sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_text(statement, 1, cutoff, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "%s failed: %s", what, sqlite3_errmsg(database));
        return -1;
    }
    *changed = sqlite3_changes(database);
    return 0;
}

int halyard_retention_prune(halyard_store *store, int retention_days,
                            halyard_retention_counts *counts, char *message, size_t message_size)
{
    counts->deliveries = 0;
    counts->jobs = 0;
    counts->reply_texts = 0;
    if (retention_days < 1) {
        snprintf(message, message_size, "retention_days must be 1 or more, not %d", retention_days);
        return -1;
    }

    /* The stored times are UTC in ISO 8601 with milliseconds, from SQLite's or the system's
     * clock. A cutoff without milliseconds compares as text in the same order. */
    char cutoff[32];
    time_t cutoff_seconds = time(NULL) - (time_t)retention_days * 24 * 3600;
    struct tm utc;
    if (gmtime_r(&cutoff_seconds, &utc) == NULL ||
        strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%S", &utc) == 0) {
        snprintf(message, message_size, "the retention cutoff of %d days cannot be written",
                 retention_days);
        return -1;
    }

    halyard_retention_counts found = {0, 0, 0};
    sqlite3 *database = halyard_store_database(store);
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "starting the pruning", message,
                              message_size) != 0) {
        return -1;
    }
    if (prune_step(database, "DELETE FROM deliveries WHERE state <> 'new' AND received_at < ?1",
                   cutoff, "removing old deliveries", &found.deliveries, message,
                   message_size) != 0 ||
        prune_step(database, "DELETE FROM jobs WHERE state = 'done' AND updated_at < ?1", cutoff,
                   "removing finished jobs", &found.jobs, message, message_size) != 0 ||
        prune_step(database,
                   "UPDATE run_replies SET text = '' WHERE text <> '' AND read_at < ?1"
                   " AND run_id IN (SELECT id FROM runs WHERE updated_at < ?1 AND state IN"
                   " ('done', 'skipped', 'failed', 'stopped', 'denied', 'expired', 'incomplete',"
                   " 'verification_failed'))",
                   cutoff, "clearing the text of old replies", &found.reply_texts, message,
                   message_size) != 0) {
        char ignored[64];
        halyard_store_execute(store, "ROLLBACK", "undoing the pruning", ignored, sizeof ignored);
        return -1;
    }
    if (halyard_store_execute(store, "COMMIT", "finishing the pruning", message, message_size) !=
        0) {
        char ignored[64];
        halyard_store_execute(store, "ROLLBACK", "undoing the pruning", ignored, sizeof ignored);
        return -1;
    }
    *counts = found;
    return 0;
}
