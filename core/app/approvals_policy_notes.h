#ifndef HALYARD_APPROVALS_POLICY_NOTES_H
#define HALYARD_APPROVALS_POLICY_NOTES_H

#include "json_reader.h"
#include "runs.h"
#include "store.h"

#include <stddef.h>

/*
 * Notes that tell the technicians of a ticket that the MSP's approval policy
 * (policies/approval.lua) failed on it, so they learn why halyard read a reply as it did. Each
 * note is hidden from the end user and comes with an approval_policy_failed run event. A run
 * gets one note for each failing function (classify or own_words) and version of the MSP's
 * scripts (halyard_script_version_id). So a policy that fails on every reply writes one note,
 * and each edit that still fails writes one more. An edit of any of the MSP's script files
 * makes a new version, so an edit of a workflow writes one more note too.
 */

/* Writes the key of the note about function failing in the scripts version scripts_id into
 * key: "approval-policy-failed.<function>.<scripts_id>". */
void halyard_approvals_policy_note_key(const char *function, const char *scripts_id, char *key,
                                       size_t key_size);

/* Stores note_html (taken; NULL when building it ran out of memory) as a hidden note of run
 * under key, with an approval_policy_failed event of detail, in one transaction, unless the
 * run has a write under key already. Returns 0 when it stored them, 1 when the run had the
 * note, or -1 with a message. */
int halyard_approvals_policy_note_add(halyard_store *store, halyard_json_reader *json,
                                      const halyard_run *run, const char *key, char *note_html,
                                      const char *detail, char *message, size_t message_size);

/* Tells the technician of the run run_id, in one note per scripts version, that the approval
 * policy's own_words failed while the plan in summary_json (host.plan's summary) was made:
 * the plan lists the failures under policy_failures. The note says where own_words failed but
 * not the error's message, which may quote the reply; halyard's log has the message. A plan
 * without policy_failures writes nothing. Returns 0, or -1 with a message. */
int halyard_approvals_policy_note_plan(halyard_store *store, halyard_json_reader *json,
                                       long long run_id, long long scripts_number,
                                       const char *scripts_id, const char *summary_json,
                                       char *message, size_t message_size);

#endif
