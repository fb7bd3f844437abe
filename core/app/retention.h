#ifndef HALYARD_RETENTION_H
#define HALYARD_RETENTION_H

#include "store.h"

#include <stddef.h>

/*
 * Keeping the database from growing without end, and from keeping ticket text longer than its
 * work needs. HaloPSA's webhook bodies carry the ticket's text as the requester typed it, a
 * password or a code included, and the replies read while a run waited for approval are kept
 * as plain text for the agent. Both are needed only while the work is under way, so after
 * retention_days (config/halyard.example.lua) halyard removes:
 *   - stored deliveries already turned into jobs (state queued, done or flagged): a delivery is
 *     read only while new, and its event guid only catches HaloPSA's retries of a delivery,
 *     which come within minutes;
 *   - finished jobs (state done): queueing the same key again makes a new job, as queueing
 *     over a done one did. Dead jobs stay, since they are what an administrator reads when
 *     something failed;
 *   - the text of replies read for runs that have ended (done, skipped, failed, stopped,
 *     denied, expired, incomplete, verification_failed). The reply's row, its author and
 *     decision stay for the run's history.
 * Runs, their events, plans and notes stay: they are the history technicians look back on,
 * and their text was redacted when it was written.
 */

/* The time between two prunings, in ms of the business clock, so a scenario can make one run by
 * moving the test clock. */
#define HALYARD_RETENTION_PRUNE_MS (3600LL * 1000)

/* What one pruning removed. */
typedef struct {
    long long deliveries;
    long long jobs;
    long long reply_texts;
} halyard_retention_counts;

/* Removes what is older than retention_days in one transaction, and fills counts. Ages are
 * measured on the system clock, the clock the rows' times were written with, so a test clock
 * moved forward makes nothing old. retention_days is 1 or more. Returns 0, or -1 with a
 * message; nothing is removed on failure. */
int halyard_retention_prune(halyard_store *store, int retention_days,
                            halyard_retention_counts *counts, char *message, size_t message_size);

#endif
