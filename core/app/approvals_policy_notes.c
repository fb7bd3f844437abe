#include "approvals_policy_notes.h"

#include "note_text.h"
#include "run_writes.h"
#include "text_buffer.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The maximum number of own_words failures one note lists. A plan lists one per distinct way
 * own_words failed, so more would only repeat. */
#define POLICY_NOTE_FAILURES_MAX 5

/* The maximum bytes of a position or problem from the script that a note quotes. */
#define POLICY_NOTE_QUOTE_MAX 160

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

/* One way own_words failed while a plan was made, as host.plan's summary lists it. */
typedef struct {
    char *failure;  /* "raised" or "returned an invalid result" */
    char *position; /* "approval.lua:12", or NULL */
    char *problem;  /* what was invalid, or NULL */
    long long replies;
    bool details;
} split_failure;

static void clear_failure(split_failure *failure)
{
    free(failure->failure);
    free(failure->position);
    free(failure->problem);
    memset(failure, 0, sizeof *failure);
}

/* Reads entry index of the summary's policy_failures. Returns 0, or 1 when the entry is not
 * an own_words failure halyard wrote. */
static int read_failure(halyard_json_reader *json, const char *summary, size_t length,
                        long long index, split_failure *failure)
{
    char path[96];
    char *function = NULL;
    memset(failure, 0, sizeof *failure);
    snprintf(path, sizeof path, "$.policy_failures[%lld].function", index);
    halyard_json_read_text(json, summary, length, path, &function);
    bool own_words = function != NULL && strcmp(function, "own_words") == 0;
    free(function);
    snprintf(path, sizeof path, "$.policy_failures[%lld].failure", index);
    halyard_json_read_text(json, summary, length, path, &failure->failure);
    if (!own_words || failure->failure == NULL) {
        clear_failure(failure);
        return 1;
    }
    snprintf(path, sizeof path, "$.policy_failures[%lld].position", index);
    halyard_json_read_text(json, summary, length, path, &failure->position);
    snprintf(path, sizeof path, "$.policy_failures[%lld].problem", index);
    halyard_json_read_text(json, summary, length, path, &failure->problem);

    /* An empty position or problem counts as missing. */
    if (failure->position != NULL && failure->position[0] == '\0') {
        free(failure->position);
        failure->position = NULL;
    }
    if (failure->problem != NULL && failure->problem[0] == '\0') {
        free(failure->problem);
        failure->problem = NULL;
    }
    snprintf(path, sizeof path, "$.policy_failures[%lld].replies", index);
    halyard_json_read_integer(json, summary, length, path, &failure->replies);
    char *details = NULL;
    snprintf(path, sizeof path, "$.policy_failures[%lld].details", index);
    halyard_json_read_json(json, summary, length, path, &details);
    failure->details = details != NULL && strcmp(details, "true") == 0;
    free(details);
    return 0;
}

/* Appends one failure to the note as a list item: how own_words failed, where, and on what. */
static void append_failure(halyard_text_buffer *note, const split_failure *failure)
{
    halyard_text_buffer_append_text(note, "<li>It ");
    halyard_note_append_text(note, failure->failure, POLICY_NOTE_QUOTE_MAX);
    if (failure->position != NULL) {
        halyard_text_buffer_append_text(note, " at <code>");
        halyard_note_append_text(note, failure->position, POLICY_NOTE_QUOTE_MAX);
        halyard_text_buffer_append_text(note, "</code>");
    }
    if (failure->problem != NULL) {
        halyard_text_buffer_append_text(note, " (");
        halyard_note_append_text(note, failure->problem, POLICY_NOTE_QUOTE_MAX);
        halyard_text_buffer_append_text(note, ")");
    }
    halyard_text_buffer_append_text(note, " on ");
    if (failure->replies > 0) {
        halyard_text_buffer_printf(note, "%lld repl%s by the requester", failure->replies,
                                   failure->replies == 1 ? "y" : "ies");
    }
    if (failure->details) {
        halyard_text_buffer_append_text(note, failure->replies > 0 ? " and on the ticket's details"
                                                                   : "the ticket's details");
    }
    halyard_text_buffer_append_text(note, ".</li>");
}

int halyard_approvals_policy_note_plan(halyard_store *store, halyard_json_reader *json,
                                       long long run_id, long long scripts_number,
                                       const char *scripts_id, const char *summary_json,
                                       char *message, size_t message_size)
{
    size_t length = summary_json != NULL ? strlen(summary_json) : 0;
    long long count =
        length > 0 ? halyard_json_array_length(json, summary_json, length, "$.policy_failures")
                   : -1;
    if (count <= 0) {
        return 0;
    }

    /* Step 1: the failures, and what the plan did without the split. */
    split_failure failures[POLICY_NOTE_FAILURES_MAX];
    size_t kept = 0;
    long long replies = 0;
    bool details = false;
    for (long long i = 0; i < count && kept < POLICY_NOTE_FAILURES_MAX; i++) {
        if (read_failure(json, summary_json, length, i, &failures[kept]) == 0) {
            replies += failures[kept].replies;
            details = details || failures[kept].details;
            kept++;
        }
    }
    if (kept == 0) {
        return 0;
    }

    /* Step 2: the note. */
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    halyard_text_buffer_printf(
        &note,
        "<p><strong>halyard could not tell the requester's own words from quoted "
        "mail</strong></p><p>The MSP's approval policy (policies/approval.lua) failed in "
        "<code>own_words</code> while halyard planned this ticket with version %lld of the "
        "MSP's scripts:</p><ul>",
        scripts_number);
    for (size_t i = 0; i < kept; i++) {
        append_failure(&note, &failures[i]);
    }
    halyard_text_buffer_append_text(&note, "</ul><p>So the plan");
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
             failures[0].failure, failures[0].position != NULL ? " at " : "",
             failures[0].position != NULL ? failures[0].position : "", scripts_number, replies,
             replies == 1 ? "y" : "ies", details ? " and read the details whole" : "");
    for (size_t i = 0; i < kept; i++) {
        clear_failure(&failures[i]);
    }

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
