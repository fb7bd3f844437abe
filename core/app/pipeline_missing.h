#ifndef HALYARD_PIPELINE_MISSING_H
#define HALYARD_PIPELINE_MISSING_H

#include "pipeline.h"

#include <stddef.h>

/* Tickets that HaloPSA returned HTTP 404 for when a sync read them. A flood of webhook events
 * for tickets that do not exist (stale, deleted or made up) would otherwise cost one read and
 * one log line each, and hold real tickets' syncs back. So a ticket found missing is stored
 * for HALYARD_MISSING_TICKET_MS, and the deliveries scan skips further events for it without
 * reading it again. The log gets one line for the first miss, then one summary line per
 * HALYARD_MISSING_REPORT_MS while misses go on. */

/* The time, in ms of the business clock, for which events for a ticket found missing are
 * skipped. A ticket HaloPSA returns 404 for is taken as deleted. The window is short because
 * a ticket that was not yet readable when its first event came would lose its events
 * meanwhile. */
#define HALYARD_MISSING_TICKET_MS (10LL * 60 * 1000)

/* The shortest time, in ms of the business clock, between two log lines about missing
 * tickets. */
#define HALYARD_MISSING_REPORT_MS (60LL * 1000)

/* Stores that HaloPSA returned 404 for ticket_id of msp_id (named msp_name) and logs it or
 * counts it for the next summary line. Returns 0, or -1 with a message. */
int halyard_pipeline_missing_record(halyard_pipeline *pipeline, long long msp_id,
                                    const char *msp_name, long long ticket_id, char *message,
                                    size_t message_size);

/* Counts deliveries the scan skipped because their ticket was found missing, for the next
 * summary line. */
void halyard_pipeline_missing_skipped(halyard_pipeline *pipeline, long long deliveries);

/* Logs the summary line of the misses and skipped deliveries counted since the last line,
 * once HALYARD_MISSING_REPORT_MS passed, and deletes tickets found missing more than
 * HALYARD_MISSING_TICKET_MS ago, at most once per HALYARD_MISSING_REPORT_MS. A failed delete
 * is logged and tried again a minute later. */
void halyard_pipeline_missing_report(halyard_pipeline *pipeline);

#endif
