#ifndef HALYARD_POLICY_FAILURE_LIST_H
#define HALYARD_POLICY_FAILURE_LIST_H

#include "json_reader.h"
#include "text_buffer.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The ways the approval policy's own_words failed, as a plan (host.plan's summary) or a
 * screening (host.screen's verdict) lists them under policy_failures, read for a note to the
 * ticket's technicians and written as the note's HTML list. The list names where own_words
 * failed but leaves out the error's message, which may quote the reply.
 */

/* The maximum number of failures a list keeps. A result lists one entry per distinct way
 * own_words failed, so more would only repeat. */
#define HALYARD_POLICY_FAILURE_LIST_MAX 5

/* One way own_words failed. The strings are owned by the list that contains the failure. */
typedef struct {
    char *failure;     /* "raised" or "returned an invalid result" */
    char *position;    /* "approval.lua:12", or NULL */
    char *problem;     /* what was invalid, or NULL */
    long long replies; /* the requester's replies it failed on */
    bool details;      /* whether it failed on the ticket's details */
} halyard_policy_failure;

/* The failures of one result, with their replies summed and their details combined. */
typedef struct {
    halyard_policy_failure failures[HALYARD_POLICY_FAILURE_LIST_MAX];
    size_t count;
    long long replies;
    bool details;
} halyard_policy_failure_list;

/* Reads the own_words failures listed under "$.policy_failures" of result_json (may be NULL)
 * into list, at most HALYARD_POLICY_FAILURE_LIST_MAX of them. An entry of another function, or
 * one without a failure, is skipped, and an empty position or problem counts as missing.
 * Returns the number read. Free the list with halyard_policy_failure_list_clear. */
size_t halyard_policy_failure_list_read(halyard_json_reader *json, const char *result_json,
                                        halyard_policy_failure_list *list);

/* Appends the list to note as <ul>, one <li> per failure: how own_words failed, where, and on
 * what. Each text from the script is escaped and cut to 160 bytes. */
void halyard_policy_failure_list_append(halyard_text_buffer *note,
                                        const halyard_policy_failure_list *list);

/* Frees the strings of list and empties it. */
void halyard_policy_failure_list_clear(halyard_policy_failure_list *list);

#endif
