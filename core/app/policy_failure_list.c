#include "policy_failure_list.h"

#include "note_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The maximum bytes of a position or problem from the script that a note quotes. */
#define POLICY_FAILURE_QUOTE_MAX 160

/* Reads the text at "$.policy_failures[index].field" into *text, or leaves it NULL when the
 * field is missing or empty. */
static void read_text(halyard_json_reader *json, const char *result, size_t length, long long index,
                      const char *field, char **text)
{
    char path[96];
    snprintf(path, sizeof path, "$.policy_failures[%lld].%s", index, field);
    halyard_json_read_text(json, result, length, path, text);
    if (*text != NULL && (*text)[0] == '\0') {
        free(*text);
        *text = NULL;
    }
}

static void clear_failure(halyard_policy_failure *failure)
{
    free(failure->failure);
    free(failure->position);
    free(failure->problem);
    memset(failure, 0, sizeof *failure);
}

/* Reads entry index of the result's policy_failures. Returns 0, or 1 when the entry is not an
 * own_words failure halyard wrote. */
static int read_failure(halyard_json_reader *json, const char *result, size_t length,
                        long long index, halyard_policy_failure *failure)
{
    memset(failure, 0, sizeof *failure);
    char *function = NULL;
    read_text(json, result, length, index, "function", &function);
    bool own_words = function != NULL && strcmp(function, "own_words") == 0;
    free(function);
    read_text(json, result, length, index, "failure", &failure->failure);
    if (!own_words || failure->failure == NULL) {
        clear_failure(failure);
        return 1;
    }
    read_text(json, result, length, index, "position", &failure->position);
    read_text(json, result, length, index, "problem", &failure->problem);

    char path[96];
    snprintf(path, sizeof path, "$.policy_failures[%lld].replies", index);
    halyard_json_read_integer(json, result, length, path, &failure->replies);
    char *details = NULL;
    snprintf(path, sizeof path, "$.policy_failures[%lld].details", index);
    halyard_json_read_json(json, result, length, path, &details);
    failure->details = details != NULL && strcmp(details, "true") == 0;
    free(details);
    return 0;
}

size_t halyard_policy_failure_list_read(halyard_json_reader *json, const char *result_json,
                                        halyard_policy_failure_list *list)
{
    memset(list, 0, sizeof *list);
    size_t length = result_json != NULL ? strlen(result_json) : 0;
    long long count =
        length > 0 ? halyard_json_array_length(json, result_json, length, "$.policy_failures") : -1;
    for (long long i = 0; i < count && list->count < HALYARD_POLICY_FAILURE_LIST_MAX; i++) {
        halyard_policy_failure *failure = &list->failures[list->count];
        if (read_failure(json, result_json, length, i, failure) == 0) {
            list->replies += failure->replies;
            list->details = list->details || failure->details;
            list->count++;
        }
    }
    return list->count;
}

/* Appends one failure as a list item. */
static void append_failure(halyard_text_buffer *note, const halyard_policy_failure *failure)
{
    halyard_text_buffer_append_text(note, "<li>It ");
    halyard_note_append_text(note, failure->failure, POLICY_FAILURE_QUOTE_MAX);
    if (failure->position != NULL) {
        halyard_text_buffer_append_text(note, " at <code>");
        halyard_note_append_text(note, failure->position, POLICY_FAILURE_QUOTE_MAX);
        halyard_text_buffer_append_text(note, "</code>");
    }
    if (failure->problem != NULL) {
        halyard_text_buffer_append_text(note, " (");
        halyard_note_append_text(note, failure->problem, POLICY_FAILURE_QUOTE_MAX);
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

void halyard_policy_failure_list_append(halyard_text_buffer *note,
                                        const halyard_policy_failure_list *list)
{
    halyard_text_buffer_append_text(note, "<ul>");
    for (size_t i = 0; i < list->count; i++) {
        append_failure(note, &list->failures[i]);
    }
    halyard_text_buffer_append_text(note, "</ul>");
}

void halyard_policy_failure_list_clear(halyard_policy_failure_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        clear_failure(&list->failures[i]);
    }
    memset(list, 0, sizeof *list);
}
