#ifndef HALYARD_VERIFICATION_H
#define HALYARD_VERIFICATION_H

#include "pipeline_task.h"
#include "runs.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The verification step of a run (docs/verification.md). A run in planning whose verification
 * is still none (not screened) is not planned: a "screen" job first runs the sensitive-ticket
 * policy, before the agent does anything, and then:
 *
 *   not sensitive, or verification not required  -> the sync plans as usual
 *   sensitive, no provider connected              -> the sync plans, with verification
 *                                                    not_connected: every write needs approval
 *   sensitive, provider connected                 -> the challenge is dispatched and the run
 *                                                    waits in awaiting_verification
 *
 * While it waits, "verify_poll" jobs (polling providers), a "verify_callback" job (callback
 * providers) and a "verify_deadline" job (the MSP's timeout on the business clock) finish the
 * verification. They are durable jobs, so a restart resumes the wait. The outcome is posted
 * once through the outbox. Verified: the run goes on to planning. Anything else: the run
 * stops in verification_failed, optionally after assigning the ticket to a team.
 *
 * A run that needs no verification (not sensitive, or sensitive for an exempt reason) is
 * screened again when its ticket changes, once no other job works on it
 * (verification_rescreen.h), and the update is handled only after that screen. When the ticket
 * now needs verification, the run waits for it the same way. Verified, a Plan-mode run whose
 * plan note is posted ends done, and any other run is planned again. With no provider
 * connected, the run is planned again with verification not_connected.
 */

/* The run states this module adds. */
#define HALYARD_RUN_AWAITING_VERIFICATION "awaiting_verification"
#define HALYARD_RUN_VERIFICATION_FAILED   "verification_failed"

/* Queues the screening of a run: rescreen false for a run not screened yet, true for a run
 * already screened not sensitive whose ticket changed. Returns 0, or -1 with a message. */
int halyard_verification_queue_screen(halyard_store *store, long long msp_id, long long run_id,
                                      bool rescreen, char *message, size_t message_size);

/* Queues the screening of a run that a matched workflow declared sensitive with the reason code
 * workflow_reason (verification_workflow.h): unless the sensitive policy finds a verification
 * needed on its own, the run is treated as sensitive with that reason. workflow_source names
 * the workflow or tool in words ("the workflow 'NAME'", "the tool NAME", may be NULL) for the
 * verification_dispatched event. Returns 0, or -1 with a message. */
int halyard_verification_queue_sensitive_screen(halyard_store *store, long long msp_id,
                                                long long run_id, const char *workflow_reason,
                                                const char *workflow_source, char *message,
                                                size_t message_size);

/* Tells whether a screening of run_id is queued or running, due now or later: the update it
 * screens is handled only after it. Returns 1 when one is, 0 when not, or -1 with a message. */
int halyard_verification_screen_queued(halyard_store *store, long long run_id, char *message,
                                       size_t message_size);

/* A ticket as a sync read it. The strings are borrowed. */
typedef struct {
    const char *ticket_json;  /* GET /api/Tickets/{id} */
    const char *actions_json; /* GET /api/Actions?ticket_id=&includehtmlnote=true */
    long long login_agent_id; /* halyard's API agent, whose actions are its own */
} halyard_ticket_read;

/* Decides what a ticket update, read as read, means for a run, and queues a screening when the
 * run needs one. A run screened not sensitive whose ticket changed since its screen waits for
 * that screen, which queues the ticket's sync again (verification_version.h). Returns 1 when
 * the run waits for screening or verification or was stopped by it. The pipeline then neither
 * plans the run nor reads replies to its approval request. Returns 0 when the pipeline goes on
 * as usual, or -1 with a message when the database fails or the read is not JSON. */
int halyard_verification_on_update(halyard_store *store, const halyard_run *run,
                                   const halyard_ticket_read *read, char *message,
                                   size_t message_size);

/* The handlers of the job kinds "screen", "verify_poll", "verify_callback", "verify_deadline"
 * and "verify_resume" (pipeline_task.h). */
void halyard_verification_screen_job(halyard_pipeline_task *task);
void halyard_verification_poll_job(halyard_pipeline_task *task);
void halyard_verification_callback_job(halyard_pipeline_task *task);
void halyard_verification_deadline_job(halyard_pipeline_task *task);
void halyard_verification_resume_job(halyard_pipeline_task *task);

#endif
