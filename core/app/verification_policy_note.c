#include "verification_policy_note.h"

#include "approvals_policy_notes.h"
#include "policy_failure_list.h"
#include "text_buffer.h"

#include <stdbool.h>
#include <stdio.h>

int halyard_verification_policy_note_screen(halyard_store *store, halyard_json_reader *json,
                                            const halyard_run *run, long long scripts_number,
                                            const char *scripts_id, const char *verdict_json,
                                            char *message, size_t message_size)
{
    /* Step 1: the failures, and what the screening read whole. */
    halyard_policy_failure_list failures;
    if (halyard_policy_failure_list_read(json, verdict_json, &failures) == 0) {
        return 1;
    }
    long long replies = failures.replies;
    bool details = failures.details;

    /* Step 2: the note. */
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    halyard_text_buffer_printf(
        &note,
        "<p><strong>halyard could not tell the requester's own words from quoted mail while it "
        "screened this ticket</strong></p><p>The MSP's approval policy (policies/approval.lua) "
        "failed in <code>own_words</code> while halyard screened this ticket for a sensitive "
        "request with version %lld of the MSP's scripts:</p>",
        scripts_number);
    halyard_policy_failure_list_append(&note, &failures);
    halyard_text_buffer_printf(
        &note,
        "<p>So the screening counted %s whole as the requester's own words, with any mail "
        "forwarded or quoted in %s. A sensitive request quoted there from another person counts "
        "as the requester's: the requester is asked to prove who they are, and nothing acts on "
        "their account without that check. Read %s before you rely on the check, and if the "
        "request is another person's, confirm who asked and whose account it is another way (a "
        "call back on the number on file). The MSP should fix <code>own_words</code>: halyard's "
        "log says where it failed, and <code>halyard workflows lint</code> checks the "
        "file.</p><p>Run %lld.</p>",
        replies > 0 && details ? "those replies and the details"
        : replies > 1          ? "those replies"
        : replies == 1         ? "that reply"
                               : "the details",
        replies + (details ? 1 : 0) > 1 ? "them" : "it",
        replies + (details ? 1 : 0) > 1 ? "them" : "it", run->id);
    char *note_html = halyard_text_buffer_take(&note); /* NULL when out of memory */
    halyard_text_buffer_free(&note);

    char detail[512];
    snprintf(detail, sizeof detail,
             "the approval policy's own_words %s%s%s while the ticket was screened with version "
             "%lld of the MSP's scripts: the screening counted %lld repl%s by the requester%s "
             "as the requester's own words",
             failures.failures[0].failure, failures.failures[0].position != NULL ? " at " : "",
             failures.failures[0].position != NULL ? failures.failures[0].position : "",
             scripts_number, replies, replies == 1 ? "y" : "ies",
             details ? " and the details whole" : "");
    halyard_policy_failure_list_clear(&failures);

    /* Step 3: the note and the event, once for each version of the scripts. */
    char key[128];
    halyard_approvals_policy_note_key("own_words.screening", scripts_id, key, sizeof key);
    return halyard_approvals_policy_note_add(store, json, run, key, note_html, detail, message,
                                             message_size);
}
