#ifndef HALYARD_APPROVALS_REPLIES_H
#define HALYARD_APPROVALS_REPLIES_H

#include "pipeline_task.h"
#include "runs.h"

#include <stddef.h>

/*
 * Reads the replies to an approval request. Each sync of a ticket whose run waits in
 * awaiting_approval reads every action not read before for the run, once: halyard's own are
 * skipped, the others are classified by the approval policy (host.classify_reply) and recorded
 * with their author and the ticket's agent_id as read now. Only the assigned technician's
 * approve or deny counts; anyone else's is recorded and ignored. A sync that finds more new
 * actions than fit in one batch classifies them in batches and acts only after the last. A
 * counted deny among the replies read together wins; otherwise the newest counted approval
 * acts: a deny stops the run with a note, an approval plans the ticket again (execute.h). A
 * neutral reply, from anyone, is a message for the agent, and the ticket is planned again with
 * it in the context.
 */

/* Handles a sync of a run in awaiting_approval. Returns 0 when the sync's task may end now, 1
 * when the replies are being classified and this module ends the task, or -1 with a message. */
int halyard_approvals_on_sync(halyard_pipeline_task *task, const halyard_run *run,
                              const char *ticket_json, const char *actions_json, char *message,
                              size_t message_size);

/* The handler of "expire_approval" jobs (payload {"run_id", "request_id"}), due when the request
 * expires: a request still pending then expires with a note, and the run stops. */
void halyard_approvals_expire_job(halyard_pipeline_task *task);

/* Queues the check of a run awaiting approval (an "approval_check" job) approval_check_seconds
 * from now on the business clock. Returns 0, or -1 with a message. */
int halyard_approvals_schedule_check(halyard_store *store, const halyard_config *config,
                                     long long msp_id, long long run_id, char *message,
                                     size_t message_size);

/* The handler of "approval_check" jobs (payload {"run_id"}): while the run awaits
 * approval, it queues a sync of the ticket, which reads new replies, and the next check. So an
 * answer is read even when no webhook says the ticket changed. */
void halyard_approvals_check_job(halyard_pipeline_task *task);

#endif
