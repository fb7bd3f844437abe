#ifndef HALYARD_CONNECT_REPLACE_H
#define HALYARD_CONNECT_REPLACE_H

#include "store.h"

#include <stddef.h>

/* Moving an MSP from one HaloPSA instance to another (`halyard connect --replace-instance`).
 * Ticket and client ids are numbered per instance, so the MSP's rows from the old instance
 * would be taken for the new one's: an imported client id would match another client, and a new
 * ticket would join the old run of the ticket with the same id and carry out its approved plan. */

/* The MSP's rows from its HaloPSA instance, or what a replacement removed or ended. */
typedef struct {
    long long clients;    /* imported clients */
    long long runs;       /* runs of any state; after a replacement, those that were under way */
    long long deliveries; /* stored webhook deliveries; after a replacement, those not worked */
    long long jobs;       /* after a replacement: the jobs dropped before they ran */
    long long deliveries_kept; /* after a replacement: the worked deliveries kept */
} halyard_instance_data;

/* Counts the MSP's imported clients, runs and stored deliveries into *data (jobs stays 0).
 * Returns 0, or -1 with a message. */
int halyard_instance_data_count(halyard_store *store, long long msp_id, halyard_instance_data *data,
                                char *message, size_t message_size);

/* Separates the MSP from its old instance old_url, inside the caller's transaction:
 *   - every run under way stops, without a note or any other write to either instance: its
 *     pending approval request is superseded, its pending writes fail, its started steps are
 *     marked interrupted and its identity checks end in error;
 *   - every run of the MSP gets an instance_replaced event (HALYARD_RUN_EVENT_INSTANCE_REPLACED)
 *     that gives the reason, and no ticket joins such a run again;
 *   - the MSP's jobs, its deliveries not worked yet (stored but not queued, or queued for a
 *     sync job that has not run), its early verification callbacks and its imported clients are
 *     removed.
 * Finished runs, worked deliveries (their sync job ran; the intake record of those runs, pruned
 * after retention_days like any other) and the verification provider stay. *removed receives
 * the counts. The caller holds the data folder's lock, so no serve works these rows meanwhile.
 * Returns 0, or -1 with a message (the caller rolls back). */
int halyard_instance_replace(halyard_store *store, long long msp_id, const char *old_url,
                             const char *new_url, halyard_instance_data *removed, char *message,
                             size_t message_size);

#endif
