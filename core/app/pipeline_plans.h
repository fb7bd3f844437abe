#ifndef HALYARD_PIPELINE_PLANS_H
#define HALYARD_PIPELINE_PLANS_H

#include "pipeline_task.h"
#include "runs.h"

#include <stddef.h>

/* Writing a run's plan with the MSP's scripts during its ticket's sync job, saving it, and
 * ending a run whose plan failed. A saved plan queues the run's note job, or in Execute mode
 * its execute job. A failed plan fails the run (not the job) with one hidden note for the
 * ticket's technicians. The run plans again only when someone other than halyard changes the
 * ticket. Everything here runs on the event loop. */

/* Starts writing the plan of the task's run, which is in planning, from the ticket the task
 * read (task->ticket_json), its actions and the imported client (JSON text, the caller's).
 * The plan's scripts may wait for HaloPSA or HTTP, and other tickets go on meanwhile. The
 * Lua run's callback ends the task. Returns PIPELINE_PENDING, or -1 with a message when the
 * run cannot start, and then the caller still ends the task. */
int halyard_pipeline_plans_start(halyard_pipeline_task *task, const char *actions_json,
                                 const char *client_json, char *message, size_t message_size);

/* Tells whether the ticket of a failed run changed since its failed plan, leaving out halyard's
 * own actions. A run that failed before halyard stored the version counts as changed. Returns
 * 1 when it changed, 0 when not, or -1 with a message. */
int halyard_pipeline_plans_failed_ticket_changed(halyard_pipeline_task *task,
                                                 const halyard_run *run, const char *actions_json,
                                                 char *message, size_t message_size);

#endif
