#ifndef HALYARD_EXECUTE_NOTES_H
#define HALYARD_EXECUTE_NOTES_H

#include "json_reader.h"

#include <stdbool.h>

/* The internal notes of an Execute-mode run, as HTML for a technician reading the ticket in
 * HaloPSA: the approval request, the request for an assignment, the closing note, and the notes
 * that the run stopped (denied, expired). HaloPSA ignores <style> blocks in notes, so every
 * style is inline, and every text from the ticket, a plan or a reply is escaped.
 *
 * Steps are the plan summary's steps ({"number", "tool", "kind", "policy", "arguments",
 * "purpose"}); step results are halyard_execute_steps_list's ({"number", "tool", "state",
 * "result"}). Each function returns a malloc'd string, or NULL when out of memory or when a
 * JSON input is invalid. */

/* The most bytes of a step's arguments (as JSON text) an approval request shows. The request
 * shows every argument whole, so halyard never asks for approval of a step with longer
 * arguments: the run stops instead (docs/execute-mode.md). */
#define HALYARD_EXECUTE_ARGUMENTS_MAX (16 * 1024)

/* The most bytes of an approval request note, the steps' arguments escaped as HTML included. */
#define HALYARD_EXECUTE_REQUEST_MAX (256 * 1024)

/* The requester facts of a sensitive ticket's run: run->sensitive, run->verification and
 * run->other_request. */
typedef struct {
    bool sensitive;
    const char *verification;  /* verified, not_connected, ... (runs.h) */
    const char *other_request; /* "reply", "quoted", "forwarded", or "" or NULL for none */
    /* The kinds of request a passed check covers, reason codes joined by commas, or "" or NULL
     * when unknown. */
    const char *verified_for;
    /* The passed check for a reset also covered an account unlock asked for after it. */
    bool unlock_covered;
} halyard_execute_identity;

typedef struct {
    long long run_id;
    long long ticket_id;
    const char *plan_hash; /* the full hash; the note shows its first 8 characters */
    const char *diagnosis; /* the plan's diagnosis, may be NULL */
    /* the plan's ticket_state ({status, priority, technician, team} when halyard planned), may
     * be NULL; the note names assignee in place of its technician */
    const char *ticket_state_json;
    const char *steps_json;    /* the steps that wait for the approval, auto ones included */
    const char *results_json;  /* the steps that ran automatically, may be NULL */
    const char *left_out_json; /* the plan's left_out ({number, tool, reason}), may be NULL */
    halyard_execute_identity identity;
    const char *expires_at; /* when the request expires, as UTC text */
    const char *assignee;   /* the assigned technician's name or id */
} halyard_execute_request_note;

/* The request shows each step's arguments whole; it may be longer than
 * HALYARD_EXECUTE_REQUEST_MAX, which the caller checks. */
char *halyard_execute_note_request(halyard_json_reader *json,
                                   const halyard_execute_request_note *note);

/* The ticket has no assigned technician, so no one may approve the steps yet. */
char *halyard_execute_note_assignment(halyard_json_reader *json, long long run_id,
                                      const char *steps_json);

/* The note for a ticket reassigned while the request for plan_hash waits: the request is now
 * for assignee (a name) to answer, or, with assignee NULL, the ticket needs an assignee. */
char *halyard_execute_note_readdressed(long long run_id, const char *plan_hash,
                                       const char *assignee);

/* How a run's steps ended, for its closing note. */
typedef enum {
    HALYARD_EXECUTE_ALL_DONE,     /* every step ran and succeeded */
    HALYARD_EXECUTE_SOME_FAILED,  /* every step ran; a read step failed or was rejected */
    HALYARD_EXECUTE_WRITE_FAILED, /* write step stopped_at failed; the steps after it did not run */
    HALYARD_EXECUTE_UNSHOWABLE,   /* step stopped_at is too long to show for approval */
} halyard_execute_ending;

typedef struct {
    long long run_id;
    const char *plan_hash;
    halyard_execute_ending ending;
    long long stopped_at;      /* the step that stopped the run, for the last two endings */
    long long too_long_bytes;  /* HALYARD_EXECUTE_UNSHOWABLE: the size that was too long */
    const char *results_json;  /* the steps that ran, with their results */
    const char *not_run_json;  /* the plan's steps that did not run because of stopped_at */
    const char *left_out_json; /* the plan's left_out, may be NULL */
    halyard_execute_identity identity;
} halyard_execute_closing_note;

/* What was done and what each step returned; when the run did not do all its plan, which step
 * stopped it and why, and the steps that did not run. */
char *halyard_execute_note_closing(halyard_json_reader *json,
                                   const halyard_execute_closing_note *note);

/* The assigned technician denied the request in action action_id; the run stopped. */
char *halyard_execute_note_denied(halyard_json_reader *json, long long run_id, const char *who,
                                  long long action_id, const char *results_json);

/* The request expired without a decision from the assigned technician; the run stopped. */
char *halyard_execute_note_expired(halyard_json_reader *json, long long run_id,
                                   const char *plan_hash, const char *expires_at);

#endif
