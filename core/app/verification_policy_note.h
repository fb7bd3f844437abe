#ifndef HALYARD_VERIFICATION_POLICY_NOTE_H
#define HALYARD_VERIFICATION_POLICY_NOTE_H

#include "json_reader.h"
#include "runs.h"
#include "store.h"

#include <stddef.h>

/*
 * The note that tells the technicians of a ticket that the approval policy's own_words failed
 * while halyard screened the ticket for a sensitive request. The screening then counted the
 * replies and details it could not split as the requester's own words, so a request quoted in
 * them from another person gets the requester's identity check rather than a hold. The note
 * comes once per run and version of the MSP's scripts, with an approval_policy_failed event,
 * as the plan's note does (approvals_policy_notes.h), under a key of its own.
 */

/* Writes the note and the event for run when verdict_json (host.screen's result) lists own_words
 * failures under policy_failures. scripts_number and scripts_id name the version of the MSP's
 * scripts that screened. The note says where own_words failed, never the error's message,
 * which may quote the reply. Returns 0 when it wrote them, 1 when there was nothing to write or
 * the run had the note, or -1 with a message. */
int halyard_verification_policy_note_screen(halyard_store *store, halyard_json_reader *json,
                                            const halyard_run *run, long long scripts_number,
                                            const char *scripts_id, const char *verdict_json,
                                            char *message, size_t message_size);

#endif
