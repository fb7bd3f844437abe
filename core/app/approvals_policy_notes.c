#include "approvals_policy_notes.h"

#include "policy_failure_list.h"
#include "run_writes.h"
#include "text_buffer.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void halyard_approvals_policy_note_key(const char *function, const char *scripts_id, char *key,
                                       size_t key_size)
{
    snprintf(key, key_size, "approval-policy-failed.%s.%s", function, scripts_id);
}

int halyard_approvals_policy_note_add(halyard_store *store, halyard_json_reader *json,
                                      const halyard_run *run, const char *key, char *note_html,
                                      const char *detail, char *message, size_t message_size)
{
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                              message_size) != 0) {
        free(note_html);
        return -1;
    }

    /* The look-up shares the transaction with the write, so two jobs never both write. */
    halyard_run_write existing;
    int found = halyard_run_writes_get(store, run->id, key, &existing, message, message_size);
    int status = found < 0 ? -1 : 0;
    if (found == 0) {
        free(note_html);
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        return 1;
    }
    if (status == 0) {
        status =
            halyard_run_writes_add_note(store, json, run, key, note_html, message, message_size);
        note_html = NULL;
    }
    free(note_html);
    if (status == 0) {
        status = halyard_runs_add_event(store, run->id, "approval_policy_failed", detail, message,
                                        message_size);
    }
    if (status == 0 &&
        halyard_store_execute(store, "COMMIT", "committing", message, message_size) == 0) {
        return 0;
    }
    sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int halyard_approvals_policy_note_plan(halyard_store *store, halyard_json_reader *json,
                                       long long run_id, long long scripts_number,
                                       const char *scripts_id, const char *summary_json,
                                       char *message, size_t message_size)
{
    /* Step 1: the failures, and what the plan did without the split. */
    halyard_policy_failure_list failures;
    if (halyard_policy_failure_list_read(json, summary_json, &failures) == 0) {
        return 0;
    }
    long long replies = failures.replies;
    bool details = failures.details;

    /* Step 2: the note. */
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    halyard_text_buffer_printf(
        &note,
        "<p><strong>halyard could not tell the requester's own words from quoted "
        "mail</strong></p><p>The MSP's approval policy (policies/approval.lua) failed in "
        "<code>own_words</code> while halyard planned this ticket with version %lld of the "
        "MSP's scripts:</p>",
        scripts_number);
    halyard_policy_failure_list_append(&note, &failures);
    halyard_text_buffer_append_text(&note, "<p>So the plan");
    if (replies > 0) {
        halyard_text_buffer_printf(&note, " left out %s",
                                   replies == 1 ? "that reply" : "those replies");
    }
    if (details) {
        halyard_text_buffer_append_text(&note, replies > 0 ? ", and read the details whole"
                                                           : " read the details whole");
        halyard_text_buffer_append_text(
            &note, ", with any mail forwarded or quoted in them as if the requester wrote it");
    }
    halyard_text_buffer_printf(
        &note,
        ". Read the requester's replies on the ticket before you act on the plan. The MSP "
        "should fix <code>own_words</code>: halyard's log has the error, and <code>halyard "
        "workflows lint</code> checks the file. Until then, halyard reads each text that "
        "<code>own_words</code> fails on this way.</p><p>Run %lld.</p>",
        run_id);
    char *note_html = halyard_text_buffer_take(&note); /* NULL when out of memory */
    halyard_text_buffer_free(&note);

    char detail[512];
    snprintf(detail, sizeof detail,
             "the approval policy's own_words %s%s%s while the plan was made with version %lld "
             "of the MSP's scripts: the plan left out %lld repl%s by the requester%s",
             failures.failures[0].failure, failures.failures[0].position != NULL ? " at " : "",
             failures.failures[0].position != NULL ? failures.failures[0].position : "",
             scripts_number, replies, replies == 1 ? "y" : "ies",
             details ? " and read the details whole" : "");
    halyard_policy_failure_list_clear(&failures);

    /* Step 3: the note and the event, once for each version of the scripts. */
    halyard_run run;
    int found = halyard_runs_get(store, run_id, &run, message, message_size);
    if (found != 0) {
        free(note_html);
        if (found == 1) {
            snprintf(message, message_size, "run %lld not found", run_id);
        }
        return -1;
    }
    char key[64];
    halyard_approvals_policy_note_key("own_words", scripts_id, key, sizeof key);
    int added = halyard_approvals_policy_note_add(store, json, &run, key, note_html, detail,
                                                  message, message_size);
    return added < 0 ? -1 : 0;
}
