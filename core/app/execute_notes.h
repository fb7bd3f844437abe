#ifndef HALYARD_EXECUTE_NOTES_H
#define HALYARD_EXECUTE_NOTES_H

#include "json_reader.h"

/* The internal notes of an Execute-mode run, as HTML for a technician reading the ticket in
 * HaloPSA: the approval request, the request for an assignment, the closing note, and the notes
 * that the run stopped (denied, expired). HaloPSA ignores <style> blocks in notes, so every
 * style is inline, and every text from the ticket, a plan or a reply is escaped.
 *
 * Steps are the plan summary's steps ({"number", "tool", "kind", "policy", "arguments",
 * "purpose"}); step results are halyard_execute_steps_list's ({"number", "tool", "state",
 * "result"}). Each function returns a malloc'd string, or NULL when out of memory or when a
 * JSON input is invalid. */

typedef struct {
    long long run_id;
    long long ticket_id;
    const char *plan_hash;    /* the full hash; the note shows its first 8 characters */
    const char *diagnosis;    /* the plan's diagnosis, may be NULL */
    const char *steps_json;   /* the steps that wait for the approval, auto ones included */
    const char *results_json; /* the steps that ran automatically, may be NULL */
    const char *expires_at;   /* when the request expires, as UTC text */
    const char *assignee;     /* the assigned technician's name or id */
} halyard_execute_request_note;

char *halyard_execute_note_request(halyard_json_reader *json,
                                   const halyard_execute_request_note *note);

/* The ticket has no assigned technician, so no one may approve the steps yet. */
char *halyard_execute_note_assignment(halyard_json_reader *json, long long run_id,
                                      const char *steps_json);

/* The note for a ticket reassigned while the request for plan_hash waits: the request is now
 * for assignee (a name) to answer, or, with assignee NULL, the ticket needs an assignee. */
char *halyard_execute_note_readdressed(long long run_id, const char *plan_hash,
                                       const char *assignee);

/* What was done and what each step returned. */
char *halyard_execute_note_closing(halyard_json_reader *json, long long run_id,
                                   const char *plan_hash, const char *results_json);

/* The assigned technician denied the request in action action_id; the run stopped. */
char *halyard_execute_note_denied(halyard_json_reader *json, long long run_id, const char *who,
                                  long long action_id, const char *results_json);

/* The request expired without a decision from the assigned technician; the run stopped. */
char *halyard_execute_note_expired(halyard_json_reader *json, long long run_id,
                                   const char *plan_hash, const char *expires_at);

#endif
