#include "execute_notes.h"

#include "note_text.h"

#include "text_buffer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The maximum note length. HaloPSA stores longer notes, but a technician would not read them. */
#define NOTE_MAX_BYTES (256 * 1024)
/* A step's result is cut to this many bytes in the closing note. */
#define NOTE_RESULT_BYTES 600

static const char style_body[] =
    "font-family:Segoe UI,Arial,sans-serif;font-size:13px;color:#1f2933;line-height:1.4";
static const char style_title[] = "margin:0 0 8px 0;font-size:14px";
static const char style_paragraph[] = "margin:0 0 6px 0";
static const char style_list[] = "margin:0 0 6px 0;padding-left:20px";
static const char style_code[] = "font-family:Consolas,monospace;font-size:12px";
static const char style_footer[] = "margin:8px 0 0 0;color:#52606d;font-size:12px";

static void open_note(halyard_text_buffer *out, const char *title)
{
    halyard_text_buffer_init(out, NOTE_MAX_BYTES);
    halyard_text_buffer_printf(out, "<div style=\"%s\">\n<p style=\"%s\"><b>", style_body,
                               style_title);
    halyard_note_append_text(out, title, 0);
    halyard_text_buffer_append_text(out, "</b></p>\n");
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

/* Appends the steps as an ordered list: the tool, what it will change (its arguments) and
 * why. A step whose policy is auto is marked as running on its own once the steps before it
 * are approved. Returns false when steps_json is not a JSON array. */
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
            halyard_note_append_text(out, arguments, NOTE_RESULT_BYTES);
            halyard_text_buffer_append_text(out, "</span>");
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

char *halyard_execute_note_request(halyard_json_reader *json,
                                   const halyard_execute_request_note *note)
{
    halyard_text_buffer out;
    char title[96];
    snprintf(title, sizeof title, "halyard asks for approval: plan %.8s", note->plan_hash);
    open_note(&out, title);

    if (note->diagnosis != NULL && note->diagnosis[0] != '\0') {
        halyard_text_buffer_printf(&out, "<p style=\"%s\">", style_paragraph);
        halyard_note_append_text(&out, note->diagnosis, 0);
        halyard_text_buffer_append_text(&out, "</p>\n");
    }
    paragraph(&out, "This client's agent runs in Execute mode. Once approved, halyard runs these "
                    "steps, in this order, each once:");
    if (!append_plan_steps(&out, json, note->steps_json)) {
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

char *halyard_execute_note_closing(halyard_json_reader *json, long long run_id,
                                   const char *plan_hash, const char *results_json)
{
    halyard_text_buffer out;
    char title[96];
    snprintf(title, sizeof title, "halyard finished plan %.8s", plan_hash);
    open_note(&out, title);
    paragraph(&out, "What was done, and what each step returned:");
    if (!append_results(&out, json, results_json)) {
        halyard_text_buffer_free(&out);
        return NULL;
    }
    footer(&out, run_id);
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
