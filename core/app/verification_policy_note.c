#include "verification_policy_note.h"

#include "approvals_policy_notes.h"
#include "note_text.h"
#include "text_buffer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The maximum number of own_words failures one note lists. The screening lists one per distinct
 * way own_words failed, so more would only repeat. */
#define SCREEN_NOTE_FAILURES_MAX 5

/* The maximum bytes of a position or problem from the script that the note quotes. */
#define SCREEN_NOTE_QUOTE_MAX 160

/* One way own_words failed while the ticket was screened, as host.screen lists it. */
typedef struct {
    char *failure;  /* "raised" or "returned an invalid result" */
    char *position; /* "approval.lua:12", or NULL */
    char *problem;  /* what was invalid, or NULL */
    long long replies;
    bool details;
} screen_failure;

static void clear_failure(screen_failure *failure)
{
    free(failure->failure);
    free(failure->position);
    free(failure->problem);
    memset(failure, 0, sizeof *failure);
}

/* Reads the text at "$.policy_failures[index].field" into *text, or leaves it NULL when the
 * field is missing or empty. */
static void read_text(halyard_json_reader *json, const char *verdict, size_t length,
                      long long index, const char *field, char **text)
{
    char path[96];
    snprintf(path, sizeof path, "$.policy_failures[%lld].%s", index, field);
    halyard_json_read_text(json, verdict, length, path, text);
    if (*text != NULL && (*text)[0] == '\0') {
        free(*text);
        *text = NULL;
    }
}

/* Reads entry index of the verdict's policy_failures. Returns 0, or 1 when the entry is not
 * an own_words failure halyard wrote. */
static int read_failure(halyard_json_reader *json, const char *verdict, size_t length,
                        long long index, screen_failure *failure)
{
    memset(failure, 0, sizeof *failure);
    char *function = NULL;
    read_text(json, verdict, length, index, "function", &function);
    bool own_words = function != NULL && strcmp(function, "own_words") == 0;
    free(function);
    read_text(json, verdict, length, index, "failure", &failure->failure);
    if (!own_words || failure->failure == NULL) {
        clear_failure(failure);
        return 1;
    }
    read_text(json, verdict, length, index, "position", &failure->position);
    read_text(json, verdict, length, index, "problem", &failure->problem);

    char path[96];
    snprintf(path, sizeof path, "$.policy_failures[%lld].replies", index);
    halyard_json_read_integer(json, verdict, length, path, &failure->replies);
    char *details = NULL;
    snprintf(path, sizeof path, "$.policy_failures[%lld].details", index);
    halyard_json_read_json(json, verdict, length, path, &details);
    failure->details = details != NULL && strcmp(details, "true") == 0;
    free(details);
    return 0;
}

/* Appends one failure to the note as a list item: how own_words failed, where, and on what. */
static void append_failure(halyard_text_buffer *note, const screen_failure *failure)
{
    halyard_text_buffer_append_text(note, "<li>It ");
    halyard_note_append_text(note, failure->failure, SCREEN_NOTE_QUOTE_MAX);
    if (failure->position != NULL) {
        halyard_text_buffer_append_text(note, " at <code>");
        halyard_note_append_text(note, failure->position, SCREEN_NOTE_QUOTE_MAX);
        halyard_text_buffer_append_text(note, "</code>");
    }
    if (failure->problem != NULL) {
        halyard_text_buffer_append_text(note, " (");
        halyard_note_append_text(note, failure->problem, SCREEN_NOTE_QUOTE_MAX);
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

int halyard_verification_policy_note_screen(halyard_store *store, halyard_json_reader *json,
                                            const halyard_run *run, long long scripts_number,
                                            const char *scripts_id, const char *verdict_json,
                                            char *message, size_t message_size)
{
    size_t length = verdict_json != NULL ? strlen(verdict_json) : 0;
    long long count =
        length > 0 ? halyard_json_array_length(json, verdict_json, length, "$.policy_failures")
                   : -1;
    if (count <= 0) {
        return 1;
    }

    /* Step 1: the failures, and what the screening read whole. */
    screen_failure failures[SCREEN_NOTE_FAILURES_MAX];
    size_t listed = 0;
    long long replies = 0;
    bool details = false;
    for (long long i = 0; i < count && listed < SCREEN_NOTE_FAILURES_MAX; i++) {
        if (read_failure(json, verdict_json, length, i, &failures[listed]) == 0) {
            replies += failures[listed].replies;
            details = details || failures[listed].details;
            listed++;
        }
    }
    if (listed == 0) {
        return 1;
    }

    /* Step 2: the note. */
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    halyard_text_buffer_printf(
        &note,
        "<p><strong>halyard could not tell the requester's own words from quoted mail while it "
        "screened this ticket</strong></p><p>The MSP's approval policy (policies/approval.lua) "
        "failed in <code>own_words</code> while halyard screened this ticket for a sensitive "
        "request with version %lld of the MSP's scripts:</p><ul>",
        scripts_number);
    for (size_t i = 0; i < listed; i++) {
        append_failure(&note, &failures[i]);
    }
    halyard_text_buffer_printf(
        &note,
        "</ul><p>So the screening counted %s whole as the requester's own words, with any mail "
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
             failures[0].failure, failures[0].position != NULL ? " at " : "",
             failures[0].position != NULL ? failures[0].position : "", scripts_number, replies,
             replies == 1 ? "y" : "ies", details ? " and the details whole" : "");
    for (size_t i = 0; i < listed; i++) {
        clear_failure(&failures[i]);
    }

    /* Step 3: the note and the event, once for each version of the scripts. */
    char key[128];
    halyard_approvals_policy_note_key("own_words.screening", scripts_id, key, sizeof key);
    return halyard_approvals_policy_note_add(store, json, run, key, note_html, detail, message,
                                             message_size);
}
