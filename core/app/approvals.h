#ifndef HALYARD_APPROVALS_H
#define HALYARD_APPROVALS_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* Approval requests of Execute-mode runs and the replies read while a run waits for one.
 *
 * A request is bound to the hash of the plan whose steps it showed. It is pending until the
 * assigned technician approves or denies it, it expires, or a changed plan supersedes it with a
 * new request. A run has at most one pending request. Every action read on the ticket while the
 * run waits is recorded once per run, with its classification, its author and the ticket's
 * assigned technician as read at that moment. */

typedef struct {
    long long id;
    long long run_id;
    char plan_hash[72];
    char state[16]; /* pending, approved, denied, expired or superseded */
    long long expires_at_ms;
    char *steps_json; /* owned: the steps that wait for the approval, as shown */
    /* The technician the request was last addressed to: 0 for an unassigned ticket, -1 when
     * not known (a request opened before halyard stored it). */
    long long addressed_agent_id;
    long long addressed_changes; /* reassignments noted for the new assignee so far */
} halyard_approval_request;

/* One action read while a run waited. The strings are borrowed. */
typedef struct {
    long long run_id;
    long long action_id;
    long long request_id;        /* the pending request when it was read, or 0 */
    long long author_agent_id;   /* 0 for an end user */
    const char *author;          /* a name for the record: "Sam Lead (agent 3)" */
    long long assigned_agent_id; /* the ticket's agent_id when the reply was processed */
    const char *decision;        /* approve, deny, neutral or skipped (halyard's own action) */
    bool counted;                /* written by the assigned technician */
    const char *reason;
    const char *text;
} halyard_approval_reply;

/* Opens a request for run_id bound to plan_hash with the steps shown, expiring at
 * expires_at_ms and addressed to the technician addressed_agent_id, and marks any request of
 * the run still pending as superseded. Fills request (free it with
 * halyard_approval_request_clear). Returns 0, or -1 with a message. */
int halyard_approvals_open(halyard_store *store, long long run_id, const char *plan_hash,
                           const char *steps_json, long long expires_at_ms,
                           long long addressed_agent_id, halyard_approval_request *request,
                           char *message, size_t message_size);

/* Readdresses a pending request from the technician from_agent_id (-1: not known) to
 * to_agent_id (0: nobody, the ticket is unassigned) and counts the change in
 * *change_number (1 for the first). Only a request still pending and still addressed to
 * from_agent_id changes, so two readers of the same reassignment change it once. Returns 0
 * when it changed, 1 when nothing changed, or -1 with a message. */
int halyard_approvals_readdress(halyard_store *store, long long request_id, long long from_agent_id,
                                long long to_agent_id, long long *change_number, char *message,
                                size_t message_size);

/* Loads the newest request of a run, whatever its state. Returns 0, 1 when the run has none, or
 * -1 with a message. */
int halyard_approvals_latest(halyard_store *store, long long run_id,
                             halyard_approval_request *request, char *message, size_t message_size);

/* Moves a pending request to state (approved, denied, expired or superseded), recording who
 * decided and in which action (0 and 0 for an expiry). Returns 0, 1 when the request was no
 * longer pending (nothing changed), or -1 with a message. */
int halyard_approvals_decide(halyard_store *store, long long request_id, const char *state,
                             long long agent_id, long long action_id, char *message,
                             size_t message_size);

/* Tells whether an action was read already for the run. Returns 1 when it was, 0 when not, or
 * -1 with a message. */
int halyard_approvals_reply_read(halyard_store *store, long long run_id, long long action_id,
                                 char *message, size_t message_size);

/* Records a reply. Returns 0, 1 when the action was recorded before for the run (the first
 * record stays), or -1 with a message. */
int halyard_approvals_record_reply(halyard_store *store, const halyard_approval_reply *reply,
                                   char *message, size_t message_size);

/* Frees what a request owns and zeroes it; safe on a zeroed request. */
void halyard_approval_request_clear(halyard_approval_request *request);

#endif
