#ifndef HALYARD_PIPELINE_MISSING_H
#define HALYARD_PIPELINE_MISSING_H

#include "pipeline.h"

#include <stddef.h>

/* Tickets that HaloPSA returned HTTP 404 for when a sync read them. A flood of webhook events
 * for tickets that do not exist (stale, deleted or made up) would otherwise cost one read and
 * one log line each, and hold real tickets' syncs back. But HaloPSA also returns 404 for a
 * ticket that exists a moment later: a read racing the ticket's creation, or a ticket restored
 * from the recycle bin. So a ticket found missing is stored, and the deliveries scan does not
 * read it again for HALYARD_MISSING_TICKET_MS. The events for it in that window queue one sync
 * that starts when the window ends, however many events there are. A ticket still missing
 * then is stored again, and its later events wait for the end of the next window. The log gets
 * one line for the first miss, then one summary line per HALYARD_MISSING_REPORT_MS while
 * misses go on. */

/* The time, in ms of the business clock, for which a ticket found missing is not read again.
 * Its events meanwhile wait until the window ends. So the window bounds both how often a
 * missing ticket is read and how long a ticket that was briefly unreadable waits to be
 * worked. */
#define HALYARD_MISSING_TICKET_MS (10LL * 60 * 1000)

/* The shortest time, in ms of the business clock, between two log lines about missing
 * tickets. */
#define HALYARD_MISSING_REPORT_MS (60LL * 1000)

/* Stores that HaloPSA returned 404 for ticket_id of msp_id (named msp_name) and logs it or
 * counts it for the next summary line. Returns 0, or -1 with a message. */
int halyard_pipeline_missing_record(halyard_pipeline *pipeline, long long msp_id,
                                    const char *msp_name, long long ticket_id, char *message,
                                    size_t message_size);

/* Counts deliveries the scan left waiting because their ticket was found missing, for the next
 * summary line. */
void halyard_pipeline_missing_deferred(halyard_pipeline *pipeline, long long deliveries);

/* Logs the summary line of the misses and waiting deliveries counted since the last line,
 * once HALYARD_MISSING_REPORT_MS passed, and deletes tickets found missing more than
 * HALYARD_MISSING_TICKET_MS ago, at most once per HALYARD_MISSING_REPORT_MS. The scan ignores
 * such rows anyway, so the delete only keeps the table small. A failed delete is logged and
 * tried again a minute later. */
void halyard_pipeline_missing_report(halyard_pipeline *pipeline);

#endif
