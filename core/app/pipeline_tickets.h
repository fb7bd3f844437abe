#ifndef HALYARD_PIPELINE_TICKETS_H
#define HALYARD_PIPELINE_TICKETS_H

#include "pipeline_task.h"

#include <stddef.h>

/* What a ticket read by its sync job means for the ticket's run. A ticket of a client that
 * was not imported gets a skipped run. A ticket new to halyard or to its client, or reopened
 * after a close, gets a new run, and an update joins its run and may plan it. A ticket that
 * moved to another client ends the old client's run first, and a deleted ticket stops its
 * run. Everything here runs on the event loop. */

/* Decides what the ticket the task read (task->ticket_json) and its actions mean for its run.
 * Returns 0 when the job is done, PIPELINE_PENDING when a plan is being written or the
 * approvals module took the task, either of which ends the task later, or -1 with a
 * message. */
int halyard_pipeline_tickets_process(halyard_pipeline_task *task, const char *actions_json,
                                     char *message, size_t message_size);

/* Stops the ticket's run when it is still under way (planning, waiting for a verification or
 * an approval, executing): a ticket deleted in HaloPSA has nothing left to wait for, and its
 * pending writes would only be refused. Returns 0, or -1 with a message. */
int halyard_pipeline_tickets_stop_deleted(halyard_pipeline_task *task, char *message,
                                          size_t message_size);

/* Stops run_id as halyard_pipeline_tickets_stop_deleted does, for a job that works on one run
 * and got HTTP 404 reading or writing the run's own ticket. Every job logs the same line
 * ("stopped: the ticket was deleted") and records the same ticket_deleted event. A run that
 * is no longer under way is left as it is. Returns 0, or -1 with a message. */
int halyard_pipeline_tickets_stop_run_deleted(halyard_pipeline_task *task, long long run_id,
                                              char *message, size_t message_size);

#endif
