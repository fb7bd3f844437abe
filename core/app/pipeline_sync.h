#ifndef HALYARD_PIPELINE_SYNC_H
#define HALYARD_PIPELINE_SYNC_H

#include "pipeline_task.h"

/* The sync job of a ticket: reads the ticket and its actions from HaloPSA and hands them to
 * pipeline_tickets.h, which decides what they mean for the ticket's run. A ticket for which
 * HaloPSA returns HTTP 404 stops its run. There is one sync job per ticket, keyed
 * sync:MSP:TICKET, whether webhook deliveries or a module queued it
 * (halyard_pipeline_enqueue_sync). */

/* Starts a claimed sync job (payload {"ticket_id": N}). The job ends the task itself
 * (pipeline_task.h). */
void halyard_pipeline_sync_job(halyard_pipeline_task *task);

#endif
