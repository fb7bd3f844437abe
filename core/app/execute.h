#ifndef HALYARD_EXECUTE_H
#define HALYARD_EXECUTE_H

#include "pipeline_task.h"
#include "runs.h"
#include "store.h"

#include <stddef.h>

/*
 * Execute mode: a run whose client's agent runs in Execute mode acts on its plan.
 *
 * Once a plan is written (halyard_execute_plan_ready) the run is executing and an "execute"
 * job works through the plan's steps in order. A step whose tool policy is auto runs at once
 * through host.run_step: a read's result is recorded, and a HaloPSA write goes to the outbox
 * (run_writes.h), after which the job goes on once the write is done. The steps that need
 * approval are gathered into one approval request, an internal note on the ticket, and the
 * run waits in awaiting_approval (approvals_replies.c reads the replies). When the assigned
 * technician approves, the ticket is planned again: when the new plan's hash equals the hash
 * the request showed, the approved steps run, each once, and a closing note lists what each
 * returned; a changed plan is asked for again.
 *
 * Run states added here: executing, awaiting_approval, denied, expired; done once the closing
 * note is queued.
 */

/* Stores a written plan of an Execute-mode run, moves the run to executing and queues its
 * execute job. Returns 0, or -1 with a message. */
int halyard_execute_plan_ready(halyard_store *store, long long msp_id, long long run_id,
                               const char *summary_json, const char *note_html, char *message,
                               size_t message_size);

/* Builds the run JSON host.plan and host.run_step take ({"mode", "sensitive",
 * "verification", "other_account"}) into run_json. */
void halyard_execute_run_json(const halyard_run *run, char *run_json, size_t run_json_size);

/* The handler of "execute" jobs (payload {"run_id": N}). */
void halyard_execute_job(halyard_pipeline_task *task);

#endif
