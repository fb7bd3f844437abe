#ifndef HALYARD_VERIFICATION_WORKFLOW_H
#define HALYARD_VERIFICATION_WORKFLOW_H

#include "json_reader.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Workflows that declare themselves sensitive (`sensitive = "password_reset"` in the workflow's
 * definition, docs/workflows.md). Such a workflow handles requests that need the requester's
 * identity check whatever the sensitive policy made of the ticket's words. When its plan matches
 * a run the policy screened not sensitive, the plan is not used. The run is screened again and
 * treated as sensitive with the workflow's reason: the requester is verified first, or every
 * write needs approval when no verification provider is connected. Once the run is sensitive,
 * its plans go on as usual, except on a verified run: a plan whose declared kind the passed
 * check does not cover (verification_coverage.h) waits for a new challenge for that kind. A tool
 * that declares itself sensitive (`sensitive = "password_reset"` in the tool's definition,
 * docs/tools.md) does the same for a plan with a step of it, whichever workflow the step came from.
 */

/* The maximum size of a reason code a workflow may declare, in bytes with its terminating NUL. */
#define HALYARD_WORKFLOW_REASON_SIZE 32

/* Checks the plan just made for run_id (summary_json, as host.plan returned it) for a matched
 * workflow, or else a step's tool, that declares itself sensitive while the run was screened
 * not sensitive, or that declares a kind the passed check of a verified run does not cover. Then it
 * records a run event naming the workflow (workflow_sensitive) or the tool (tool_sensitive) and
 * queues the run's screening as sensitive with the declared reason. Returns 1 when it did, so the
 * plan must not be used; 0 when the plan goes on; -1 with a message. */
int halyard_verification_on_plan(halyard_store *store, halyard_json_reader *json, long long run_id,
                                 const char *summary_json, char *message, size_t message_size);

/* Tells whether reason is a reason code a workflow may declare: lower-case letters and
 * underscores, shorter than HALYARD_WORKFLOW_REASON_SIZE. The loader checks it against the list
 * of codes, so this check only keeps a job payload or a stored verdict well-formed. */
bool halyard_verification_workflow_reason_valid(const char *reason);

/* Writes the verdict of a screening that a workflow made sensitive into *verdict (malloc'd, the
 * caller frees): the policy's verdict policy_verdict with sensitive and verification_required
 * true, reason the workflow's, policy_reason the policy's, and sensitive_by_workflow true.
 * Returns 0, or -1 with a message. */
int halyard_verification_workflow_verdict(halyard_store *store, const char *policy_verdict,
                                          const char *reason, char **verdict, char *message,
                                          size_t message_size);

/* Writes a copy of verdict (host.screen's JSON) whose reasons list also names reason into
 * *merged (malloc'd, the caller frees), unless verdict's exempt_reasons lists reason. A
 * challenge sent for that screening then names the workflow's kind of request, and a passed one
 * covers it. Returns 0, or -1 with a message. */
int halyard_verification_workflow_add_reason(halyard_store *store, const char *verdict,
                                             const char *reason, char **merged, char *message,
                                             size_t message_size);

#endif
