#include "execute_notes.h"

#include "note_text.h"

#include "text_buffer.h"
#include "verification_note.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The maximum note length. HaloPSA stores longer notes, but a technician would not read them. */
#define NOTE_MAX_BYTES (256 * 1024)
/* The buffer of an approval request: its caller rejects one longer than
 * HALYARD_EXECUTE_REQUEST_MAX, so the note is built whole first and measured. */
#define NOTE_REQUEST_BUFFER_BYTES (32 * 1024 * 1024)
/* A step's result is cut to this many bytes in the closing note. */
#define NOTE_RESULT_BYTES 600

static const char style_body[] =
    "font-family:Segoe UI,Arial,sans-serif;font-size:13px;color:#1f2933;line-height:1.4";
static const char style_title[] = "margin:0 0 8px 0;font-size:14px";
static const char style_paragraph[] = "margin:0 0 6px 0";
static const char style_list[] = "margin:0 0 6px 0;padding-left:20px";
static const char style_code[] = "font-family:Consolas,monospace;font-size:12px";
static const char style_footer[] = "margin:8px 0 0 0;color:#52606d;font-size:12px";

static void open_note_sized(halyard_text_buffer *out, const char *title, size_t max_bytes)
{
    halyard_text_buffer_init(out, max_bytes);
    halyard_text_buffer_printf(out, "<div style=\"%s\">\n<p style=\"%s\"><b>", style_body,
                               style_title);
    halyard_note_append_text(out, title, 0);
    halyard_text_buffer_append_text(out, "</b></p>\n");
}

static void open_note(halyard_text_buffer *out, const char *title)
{
    open_note_sized(out, title, NOTE_MAX_BYTES);
}

/* Ends the note. The outbox appends the write's marker, by which halyard recognises its own
 * actions (run_writes.h). */
static char *close_note(halyard_text_buffer *out)
{
    halyard_text_buffer_append_text(out, "</div>");
    if (halyard_text_buffer_failed(out)) {
        halyard_text_buffer_free(out);
        return NULL;
    }
    return halyard_text_buffer_take(out);
}

static void footer(halyard_text_buffer *out, long long run_id)
{
    halyard_text_buffer_printf(out, "<p style=\"%s\">Run %lld, Execute mode.</p>\n", style_footer,
                               run_id);
}

static void paragraph(halyard_text_buffer *out, const char *text)
{
    halyard_text_buffer_printf(out, "<p style=\"%s\">", style_paragraph);
    halyard_text_buffer_append_text(out, text); /* halyard's own HTML, not escaped */
    halyard_text_buffer_append_text(out, "</p>\n");
}

/* Reads field of element index of the array document as text; NULL when absent. JSON that is
 * not a string (an object, a number) comes back as its JSON text. */
static char *element_field(halyard_json_reader *json, const char *document, long long index,
                           const char *field)
{
    char path[96];
    snprintf(path, sizeof path, "$[%lld].%s", index, field);
    char *text = NULL;
    if (halyard_json_read_text(json, document, strlen(document), path, &text) ==
        HALYARD_JSON_FOUND) {
        return text;
    }
    halyard_json_read_json(json, document, strlen(document), path, &text);
    return text;
}

/* Appends the steps as an ordered list: the tool, what it will change (its arguments, whole:
 * a technician approves exactly what they read) and why. A step whose policy is auto is marked
 * as running on its own once the steps before it are approved. Returns false when steps_json
 * is not a JSON array. */
static bool append_plan_steps(halyard_text_buffer *out, halyard_json_reader *json,
                              const char *steps_json)
{
    long long count = halyard_json_array_length(json, steps_json, strlen(steps_json), "$");
    if (count < 0) {
        return false;
    }
    halyard_text_buffer_printf(out, "<ol style=\"%s\">\n", style_list);
    for (long long i = 0; i < count; i++) {
        char *number = element_field(json, steps_json, i, "number");
        char *tool = element_field(json, steps_json, i, "tool");
        char *arguments = element_field(json, steps_json, i, "arguments");
        char *purpose = element_field(json, steps_json, i, "purpose");
        char *policy = element_field(json, steps_json, i, "policy");
        halyard_text_buffer_append_text(out, "<li>");
        if (number != NULL) {
            halyard_text_buffer_append_text(out, "step ");
            halyard_note_append_text(out, number, 0);
            halyard_text_buffer_append_text(out, ": ");
        }
        halyard_text_buffer_printf(out, "<b style=\"%s\">", style_code);
        halyard_note_append_text(out, tool != NULL ? tool : "(no tool)", 0);
        halyard_text_buffer_append_text(out, "</b>");
        if (arguments != NULL && strcmp(arguments, "{}") != 0 && strcmp(arguments, "[]") != 0) {
            halyard_text_buffer_printf(out, " with <span style=\"%s\">", style_code);
            halyard_note_append_text(out, arguments, 0);
            halyard_text_buffer_append_text(out, "</span>");
            if (halyard_note_text_has_invisible(arguments)) {
                halyard_text_buffer_append_text(out, " <b>(the arguments also contain invisible "
                                                     "characters, such as text-direction "
                                                     "controls or zero-width spaces, which this "
                                                     "note does not show)</b>");
            }
        }
        if (purpose != NULL && purpose[0] != '\0') {
            halyard_text_buffer_append_text(out, " - ");
            halyard_note_append_text(out, purpose, 0);
        }
        if (policy != NULL && strcmp(policy, "auto") == 0) {
            halyard_text_buffer_append_text(out, " <i>(needs no approval of its own: runs "
                                                 "automatically after the approval, in this "
                                                 "order)</i>");
        }
        halyard_text_buffer_append_text(out, "</li>\n");
        free(number);
        free(tool);
        free(arguments);
        free(purpose);
        free(policy);
    }
    halyard_text_buffer_append_text(out, "</ol>\n");
    return true;
}

/* Appends the steps that ran with their state and result. Returns false when results_json is
 * not a JSON array. */
static bool append_results(halyard_text_buffer *out, halyard_json_reader *json,
                           const char *results_json)
{
    long long count = halyard_json_array_length(json, results_json, strlen(results_json), "$");
    if (count < 0) {
        return false;
    }
    if (count == 0) {
        paragraph(out, "No step ran.");
        return true;
    }
    halyard_text_buffer_printf(out, "<ul style=\"%s\">\n", style_list);
    for (long long i = 0; i < count; i++) {
        char *number = element_field(json, results_json, i, "number");
        char *tool = element_field(json, results_json, i, "tool");
        char *state = element_field(json, results_json, i, "state");
        char *result = element_field(json, results_json, i, "result");
        halyard_text_buffer_append_text(out, "<li>step ");
        halyard_note_append_text(out, number != NULL ? number : "?", 0);
        halyard_text_buffer_printf(out, " <b style=\"%s\">", style_code);
        halyard_note_append_text(out, tool != NULL ? tool : "(no tool)", 0);
        halyard_text_buffer_append_text(out, "</b>: ");
        halyard_note_append_text(out, state != NULL ? state : "unknown", 0);
        if (result != NULL && strcmp(result, "null") != 0) {
            halyard_text_buffer_printf(out, ", returned <span style=\"%s\">", style_code);
            halyard_note_append_text(out, result, NOTE_RESULT_BYTES);
            halyard_text_buffer_append_text(out, "</span>");
        }
        halyard_text_buffer_append_text(out, "</li>\n");
        free(number);
        free(tool);
        free(state);
        free(result);
    }
    halyard_text_buffer_append_text(out, "</ul>\n");
    return true;
}

/* Appends the plan's left-out steps ({number, tool, reason}) and why each is out; nothing when
 * there are none. Returns false when left_out_json is not a JSON array. */
static bool append_left_out(halyard_text_buffer *out, halyard_json_reader *json,
                            const char *left_out_json)
{
    if (left_out_json == NULL) {
        return true;
    }
    long long count = halyard_json_array_length(json, left_out_json, strlen(left_out_json), "$");
    if (count < 0) {
        return false;
    }
    if (count == 0) {
        return true;
    }
    paragraph(out, "Left out of the plan, so halyard does not run them, now or after an "
                   "approval:");
    halyard_text_buffer_printf(out, "<ul style=\"%s\">\n", style_list);
    for (long long i = 0; i < count; i++) {
        char *tool = element_field(json, left_out_json, i, "tool");
        char *reason = element_field(json, left_out_json, i, "reason");
        halyard_text_buffer_printf(out, "<li><b style=\"%s\">", style_code);
        halyard_note_append_text(out, tool != NULL ? tool : "(no tool)", 0);
        halyard_text_buffer_append_text(out, "</b>: ");
        halyard_note_append_text(out, reason != NULL ? reason : "no reason recorded", 0);
        halyard_text_buffer_append_text(out, "</li>\n");
        free(tool);
        free(reason);
    }
    halyard_text_buffer_append_text(out, "</ul>\n");
    return true;
}

/* Appends the verification status of a sensitive ticket's requester, for an approval request
 * (request true) or a closing note; nothing for a ticket that is not sensitive. */
static void append_identity(halyard_text_buffer *out, const halyard_execute_identity *identity,
                            bool request)
{
    if (!identity->sensitive) {
        return;
    }
    const char *verification = identity->verification != NULL ? identity->verification : "none";
    const char *other_request = identity->other_request != NULL ? identity->other_request : "";
    /* The check covers only the kinds of request its screening found, and a request for any
     * other kind is screened and checked again before a plan is made for it
     * (verification_coverage.h), so the line names them. */
    const char *verified_for = identity->verified_for != NULL ? identity->verified_for : "";
    if (strcmp(verification, "verified") == 0) {
        halyard_text_buffer_printf(out,
                                   "<p style=\"%s\"><b>Sensitive ticket:</b> the requester "
                                   "proved who they are through the identity verification "
                                   "provider before this plan was made",
                                   style_paragraph);
        if (verified_for[0] != '\0') {
            halyard_text_buffer_append_text(out, ", for these kinds of request only: ");
            halyard_note_append_reasons(out, verified_for);
        }
        if (verified_for[0] != '\0' && identity->unlock_covered) {
            halyard_text_buffer_append_text(
                out, ". The check also covers the account unlock asked for later (account_unlock), "
                     "because a reset check covers an unlock of the same account");
        }
        halyard_text_buffer_append_text(out, ".</p>\n");
        return;
    }
    halyard_text_buffer_printf(out,
                               "<p style=\"%s\"><b>Sensitive ticket:</b> the requester's "
                               "identity was not verified (",
                               style_paragraph);
    if (strcmp(verification, "not_connected") == 0) {
        halyard_text_buffer_append_text(out, "no identity verification provider is connected");
    } else if (strcmp(verification, "other_requester") == 0 && other_request[0] != '\0') {
        /* Set instead of a challenge: the screening found where the request is. */
        halyard_text_buffer_append_text(out, "a request on the ticket is not the requester's "
                                             "own: it is in ");
        halyard_text_buffer_append_text(out,
                                        halyard_verification_other_request_place(other_request));
        halyard_text_buffer_append_text(out, ", and that person's identity was not checked");
    } else if (strcmp(verification, "other_requester") == 0) {
        /* Set after a passed check, when another end user wrote on the ticket
         * (verification_requester.h), so the screening names no place. */
        halyard_text_buffer_append_text(out, "a request on the ticket is not the requester's "
                                             "own: another end user wrote on the ticket, or a "
                                             "reply quotes someone else's mail, and that "
                                             "person's identity was not checked");
    } else {
        halyard_text_buffer_append_text(out, "verification: ");
        halyard_note_append_text(out, verification, 0);
    }
    halyard_text_buffer_append_text(
        out, request ? "), so every step that writes needs this approval, whatever the tool "
                       "policy says. Make sure who the requester is before you approve.</p>\n"
                     : "), so every step that writes needed a technician's approval, whatever "
                       "the tool policy says.</p>\n");
}

/* Appends the plan's diagnosis as a paragraph, as the agent wrote it. */
static void append_diagnosis(halyard_text_buffer *out, const char *diagnosis)
{
    halyard_text_buffer_printf(out, "<p style=\"%s\">", style_paragraph);
    halyard_note_append_text(out, diagnosis, 0);
    halyard_text_buffer_append_text(out, "</p>\n");
}

/* Appends the ticket's state as a paragraph in the words of note.ticket_state (note.lua).
 * Status, priority and team come from the plan's ticket_state, which describes the ticket when
 * halyard planned. The technician is assignee, to whom the request is posted, who may have been
 * assigned since. Appends nothing when the plan has no ticket_state.
 * NOTE: a plan stored by a halyard before ticket_state has the state's sentence in its
 * diagnosis instead, naming the technician assigned when it planned. */
static void append_ticket_state(halyard_text_buffer *out, halyard_json_reader *json,
                                const char *state_json, const char *assignee)
{
    if (state_json == NULL) {
        return;
    }
    size_t length = strlen(state_json);
    char *status = NULL;
    char *priority = NULL;
    char *team = NULL;
    halyard_json_read_text(json, state_json, length, "$.status", &status);
    halyard_json_read_text(json, state_json, length, "$.priority", &priority);
    halyard_json_read_text(json, state_json, length, "$.team", &team);

    halyard_text_buffer_printf(out, "<p style=\"%s\">Ticket: status ", style_paragraph);
    halyard_note_append_text(out, status != NULL ? status : "unknown", 0);
    halyard_text_buffer_append_text(out, ", priority ");
    halyard_note_append_text(out, priority != NULL ? priority : "unknown", 0);
    halyard_text_buffer_append_text(out, ", assigned to ");
    halyard_note_append_text(out, assignee, 0);
    if (team != NULL) {
        halyard_text_buffer_append_text(out, ", team ");
        halyard_note_append_text(out, team, 0);
    }
    halyard_text_buffer_append_text(out, ".</p>\n");
    free(status);
    free(priority);
    free(team);
}

char *halyard_execute_note_request(halyard_json_reader *json,
                                   const halyard_execute_request_note *note)
{
    halyard_text_buffer out;
    char title[96];
    snprintf(title, sizeof title, "halyard asks for approval: plan %.8s", note->plan_hash);
    open_note_sized(&out, title, NOTE_REQUEST_BUFFER_BYTES);

    if (note->diagnosis != NULL && note->diagnosis[0] != '\0') {
        append_diagnosis(&out, note->diagnosis);
    }
    append_ticket_state(&out, json, note->ticket_state_json, note->assignee);
    append_identity(&out, &note->identity, true);
    paragraph(&out, "This client's agent runs in Execute mode. Once approved, halyard runs these "
                    "steps, in this order, each once:");
    if (!append_plan_steps(&out, json, note->steps_json) ||
        !append_left_out(&out, json, note->left_out_json)) {
        halyard_text_buffer_free(&out);
        return NULL;
    }
    if (note->results_json != NULL &&
        halyard_json_array_length(json, note->results_json, strlen(note->results_json), "$") > 0) {
        paragraph(&out, "Already done, because the tool policy lets these steps run without "
                        "approval:");
        if (!append_results(&out, json, note->results_json)) {
            halyard_text_buffer_free(&out);
            return NULL;
        }
    }

    halyard_text_buffer_printf(&out, "<p style=\"%s\"><b>To answer</b>, ", style_paragraph);
    halyard_note_append_text(&out, note->assignee, 0);
    halyard_text_buffer_printf(
        &out,
        ", the technician assigned to this ticket, adds an internal note here (hidden from the "
        "user): <b>approve</b> (or &quot;yes, go ahead&quot;) runs all the steps above; "
        "<b>deny</b> stops the run. Any other answer reaches the agent as a message and may "
        "change the plan, and a changed plan is asked for again. A reply the user can see, and "
        "an answer from anyone else, is recorded and does not count. The request expires at ");
    halyard_note_append_text(&out, note->expires_at, 0);
    halyard_text_buffer_append_text(&out, " UTC.</p>\n");
    halyard_text_buffer_printf(&out, "<p style=\"%s\">Plan %.8s, run %lld, ticket #%lld.</p>\n",
                               style_footer, note->plan_hash, note->run_id, note->ticket_id);
    return close_note(&out);
}

char *halyard_execute_note_assignment(halyard_json_reader *json, long long run_id,
                                      const char *steps_json)
{
    long long length = halyard_json_array_length(json, steps_json, strlen(steps_json), "$");
    if (length < 0) {
        return NULL;
    }

    /* The steps listed include the auto steps that wait behind an approval step: only the
     * others need the approval. */
    long long count = 0;
    for (long long i = 0; i < length; i++) {
        char *policy = element_field(json, steps_json, i, "policy");
        count += policy == NULL || strcmp(policy, "auto") != 0;
        free(policy);
    }
    halyard_text_buffer out;
    open_note(&out, "halyard needs an assigned technician");
    halyard_text_buffer_printf(&out,
                               "<p style=\"%s\">halyard's plan has %lld step%s that need%s "
                               "approval, and only the technician assigned to this ticket may "
                               "approve. Assign a technician: halyard then posts its approval "
                               "request here.</p>\n",
                               style_paragraph, count, count == 1 ? "" : "s",
                               count == 1 ? "s" : "");
    footer(&out, run_id);
    return close_note(&out);
}

/* Reads field of the element of array (a JSON array of objects with "number") whose number is
 * number; NULL when there is none. */
static char *step_field(halyard_json_reader *json, const char *array, long long number,
                        const char *field)
{
    if (array == NULL) {
        return NULL;
    }
    long long count = halyard_json_array_length(json, array, strlen(array), "$");
    for (long long i = 0; i < count; i++) {
        char *text = element_field(json, array, i, "number");
        bool found = text != NULL && strtoll(text, NULL, 10) == number;
        free(text);
        if (found) {
            return element_field(json, array, i, field);
        }
    }
    return NULL;
}

/* Appends the plan's steps that did not run ({number, tool, purpose}). */
static void append_not_run(halyard_text_buffer *out, halyard_json_reader *json,
                           const char *not_run_json)
{
    long long count = not_run_json != NULL
                          ? halyard_json_array_length(json, not_run_json, strlen(not_run_json), "$")
                          : 0;
    if (count <= 0) {
        return;
    }
    paragraph(out, "Not run:");
    halyard_text_buffer_printf(out, "<ul style=\"%s\">\n", style_list);
    for (long long i = 0; i < count; i++) {
        char *number = element_field(json, not_run_json, i, "number");
        char *tool = element_field(json, not_run_json, i, "tool");
        char *purpose = element_field(json, not_run_json, i, "purpose");
        halyard_text_buffer_append_text(out, "<li>step ");
        halyard_note_append_text(out, number != NULL ? number : "?", 0);
        halyard_text_buffer_printf(out, " <b style=\"%s\">", style_code);
        halyard_note_append_text(out, tool != NULL ? tool : "(no tool)", 0);
        halyard_text_buffer_append_text(out, "</b>");
        if (purpose != NULL && purpose[0] != '\0') {
            halyard_text_buffer_append_text(out, " - ");
            halyard_note_append_text(out, purpose, 0);
        }
        halyard_text_buffer_append_text(out, "</li>\n");
        free(number);
        free(tool);
        free(purpose);
    }
    halyard_text_buffer_append_text(out, "</ul>\n");
}

/* Appends why the run stopped at note->stopped_at. */
static void append_stop_reason(halyard_text_buffer *out, halyard_json_reader *json,
                               const halyard_execute_closing_note *note)
{
    char *tool = step_field(json, note->results_json, note->stopped_at, "tool");
    if (tool == NULL) {
        tool = step_field(json, note->not_run_json, note->stopped_at, "tool");
    }
    halyard_text_buffer_printf(out, "<p style=\"%s\">", style_paragraph);
    if (note->ending == HALYARD_EXECUTE_UNSHOWABLE) {
        if (note->stopped_at > 0) {
            halyard_text_buffer_printf(out, "The arguments of step %lld (<b style=\"%s\">",
                                       note->stopped_at, style_code);
            halyard_note_append_text(out, tool != NULL ? tool : "(no tool)", 0);
            halyard_text_buffer_append_text(out, "</b>) are");
        } else {
            halyard_text_buffer_append_text(out, "The approval request for these steps would be");
        }
        halyard_text_buffer_printf(
            out,
            " %lld bytes long, more than an approval request shows (%d bytes a step, "
            "%d bytes a request). halyard asks for approval only of steps it shows whole, so it "
            "asked for none: the steps below did not run, and a later update of the ticket does "
            "not run them either. Shorten the step's arguments in its workflow. The run ends "
            "<b>incomplete</b>.</p>\n",
            note->too_long_bytes, HALYARD_EXECUTE_ARGUMENTS_MAX, HALYARD_EXECUTE_REQUEST_MAX);
        free(tool);
        return;
    }
    char *result = step_field(json, note->results_json, note->stopped_at, "result");
    char *state = step_field(json, note->results_json, note->stopped_at, "state");
    halyard_text_buffer_printf(out, "Step %lld (<b style=\"%s\">", note->stopped_at, style_code);
    halyard_note_append_text(out, tool != NULL ? tool : "(no tool)", 0);
    halyard_text_buffer_append_text(out, "</b>) writes, and it did not succeed (");
    halyard_note_append_text(out, state != NULL ? state : "failed", 0);
    halyard_text_buffer_append_text(out, ")");
    if (result != NULL && strcmp(result, "null") != 0) {
        halyard_text_buffer_append_text(out, ": ");
        halyard_note_append_text(out, result, NOTE_RESULT_BYTES);
    }
    halyard_text_buffer_append_text(out, ". The steps after it may rely on what it should have "
                                         "done, so halyard did not run them, and a later update "
                                         "of the ticket does not run them either. The run ends "
                                         "<b>incomplete</b>.</p>\n");
    free(tool);
    free(result);
    free(state);
}

char *halyard_execute_note_closing(halyard_json_reader *json,
                                   const halyard_execute_closing_note *note)
{
    halyard_text_buffer out;
    char title[128];
    switch (note->ending) {
    case HALYARD_EXECUTE_ALL_DONE:
        snprintf(title, sizeof title, "halyard finished plan %.8s", note->plan_hash);
        break;
    case HALYARD_EXECUTE_SOME_FAILED:
        snprintf(title, sizeof title, "halyard finished plan %.8s; not every step succeeded",
                 note->plan_hash);
        break;
    case HALYARD_EXECUTE_WRITE_FAILED:
        snprintf(title, sizeof title, "halyard stopped plan %.8s at step %lld, which failed",
                 note->plan_hash, note->stopped_at);
        break;
    case HALYARD_EXECUTE_UNSHOWABLE:
    default:
        if (note->stopped_at > 0) {
            snprintf(title, sizeof title,
                     "halyard stopped plan %.8s: step %lld is too long to show", note->plan_hash,
                     note->stopped_at);
        } else {
            snprintf(title, sizeof title,
                     "halyard stopped plan %.8s: its approval request is too long to show",
                     note->plan_hash);
        }
        break;
    }
    open_note(&out, title);
    append_identity(&out, &note->identity, false);

    /* Steps left out of the plan did not run either, so the note states that first. */
    long long left_out =
        note->left_out_json != NULL
            ? halyard_json_array_length(json, note->left_out_json, strlen(note->left_out_json), "$")
            : 0;
    if (left_out > 0 &&
        (note->ending == HALYARD_EXECUTE_ALL_DONE || note->ending == HALYARD_EXECUTE_SOME_FAILED)) {
        halyard_text_buffer_printf(&out,
                                   "<p style=\"%s\"><b>%lld step%s %s left out "
                                   "of the plan</b> (listed below) and did not run: do %s by "
                                   "hand if still needed.</p>\n",
                                   style_paragraph, left_out, left_out == 1 ? "" : "s",
                                   left_out == 1 ? "was" : "were", left_out == 1 ? "it" : "them");
    }
    if (note->ending == HALYARD_EXECUTE_ALL_DONE) {
        paragraph(&out, "Every step of the plan ran. What was done, and what each step "
                        "returned:");
    } else if (note->ending == HALYARD_EXECUTE_SOME_FAILED) {
        paragraph(&out, "Every step of the plan ran, but not every step succeeded, so the run ends "
                        "<b>incomplete</b>. What each step did and returned:");
    } else {
        append_stop_reason(&out, json, note);
        paragraph(&out, "What each step that ran did and returned:");
    }
    if (!append_results(&out, json, note->results_json)) {
        halyard_text_buffer_free(&out);
        return NULL;
    }
    append_not_run(&out, json, note->not_run_json);
    if (!append_left_out(&out, json, note->left_out_json)) {
        halyard_text_buffer_free(&out);
        return NULL;
    }
    footer(&out, note->run_id);
    return close_note(&out);
}

char *halyard_execute_note_denied(halyard_json_reader *json, long long run_id, const char *who,
                                  long long action_id, const char *results_json)
{
    halyard_text_buffer out;
    open_note(&out, "halyard stopped: approval denied");
    halyard_text_buffer_printf(&out, "<p style=\"%s\">", style_paragraph);
    halyard_note_append_text(&out, who, 0);
    halyard_text_buffer_printf(&out,
                               " denied the approval request (action %lld), so halyard ran none "
                               "of the steps the request listed and will change nothing more "
                               "on this ticket.</p>\n",
                               action_id);
    if (results_json != NULL &&
        halyard_json_array_length(json, results_json, strlen(results_json), "$") > 0) {
        paragraph(&out, "Done before the request, without approval:");
        if (!append_results(&out, json, results_json)) {
            halyard_text_buffer_free(&out);
            return NULL;
        }
    }
    footer(&out, run_id);
    return close_note(&out);
}

char *halyard_execute_note_expired(halyard_json_reader *json, long long run_id,
                                   const char *plan_hash, const char *expires_at)
{
    (void)json;
    halyard_text_buffer out;
    open_note(&out, "halyard stopped: the approval request expired");
    halyard_text_buffer_printf(&out,
                               "<p style=\"%s\">The assigned technician did not answer "
                               "the approval request for plan %.8s by ",
                               style_paragraph, plan_hash);
    halyard_note_append_text(&out, expires_at, 0);
    halyard_text_buffer_append_text(&out, " UTC, so halyard ran none of its steps and will "
                                          "change nothing more on this ticket.</p>\n");
    footer(&out, run_id);
    return close_note(&out);
}

char *halyard_execute_note_readdressed(long long run_id, const char *plan_hash,
                                       const char *assignee)
{
    halyard_text_buffer out;
    if (assignee == NULL) {
        open_note(&out, "halyard needs an assigned technician");
        halyard_text_buffer_printf(&out,
                                   "<p style=\"%s\">This ticket has no assigned technician any "
                                   "more, and only the technician assigned to it may answer "
                                   "halyard's approval request for plan %.8s above. Assign a "
                                   "technician: they answer the request with <b>approve</b> or "
                                   "<b>deny</b> in an internal note here.</p>\n",
                                   style_paragraph, plan_hash);
        footer(&out, run_id);
        return close_note(&out);
    }

    char title[96];
    snprintf(title, sizeof title, "halyard's approval request for plan %.8s was reassigned",
             plan_hash);
    open_note(&out, title);
    halyard_text_buffer_printf(&out,
                               "<p style=\"%s\">This ticket was reassigned while halyard's "
                               "approval request above waits. ",
                               style_paragraph);
    halyard_note_append_text(&out, assignee, 0);
    halyard_text_buffer_append_text(
        &out, ", the technician now assigned, answers it: <b>approve</b> runs its steps, "
              "<b>deny</b> stops the run. Answers from anyone else, the technician it first "
              "named included, are recorded and do not count.</p>\n");
    footer(&out, run_id);
    return close_note(&out);
}
