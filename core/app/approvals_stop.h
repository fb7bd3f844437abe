#ifndef HALYARD_APPROVALS_STOP_H
#define HALYARD_APPROVALS_STOP_H

#include "config.h"
#include "json_reader.h"
#include "runs.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* Stopping an Execute-mode run before its approved steps run: the ticket was closed or moved to
 * another client, the client went back to Plan mode, or a person cancelled the run. A stopped run's
 * pending approval request is superseded, so a later approval finds nothing to approve, and the run
 * changes nothing more on the ticket. */

/* The note's paragraph when a run stops because its ticket moved to another client: the run
 * works under the settings (mode, scripts, approvals) of the client it started for. */
#define HALYARD_RUN_STOP_MOVED_TEXT                                                                \
    "This ticket moved to another client while this run was under way, so halyard ran none of "    \
    "the steps waiting to run, the approved ones included, and changes nothing more on this "      \
    "ticket for this run. The run worked under the old client's settings. If the new client is "   \
    "imported, its agent starts a run of its own under that client's settings."

/* Why an Execute-mode run stops before one of its steps. */
typedef enum {
    HALYARD_STOP_CLOSED,    /* a person closed the ticket */
    HALYARD_STOP_MOVED,     /* the ticket moved to another client */
    HALYARD_STOP_PLAN_MODE, /* the client is no longer in Execute mode */
} halyard_stop_reason;

/* Builds the stop note's paragraph (plain text): why the run stopped, which steps ran before it
 * stopped, each with its tool and state, and that none of the steps after them ran. steps_json
 * is halyard_execute_steps_list's array, or NULL when it could not be read. Returns a malloc'd
 * string, or NULL when out of memory. */
char *halyard_approvals_stop_text(halyard_json_reader *json, halyard_stop_reason reason,
                                  const char *steps_json);

/* Why a run stops. The strings are borrowed. */
typedef struct {
    const char *kind;   /* the run event: ticket_closed, client_changed, client_plan_mode or
                           cancelled */
    const char *detail; /* the event's detail, for the record */
    const char *title;  /* the hidden note's title, or NULL for no note */
    const char *text;   /* the note's paragraph, plain text (escaped here) */
} halyard_run_stop;

/* Supersedes the run's approval request when it is still pending, so an answer to it runs
 * nothing. Returns 0, or -1 with a message. */
int halyard_approvals_withdraw_request(halyard_store *store, long long run_id, char *message,
                                       size_t message_size);

/* Stops run (msp_id, id and ticket_id are read) in one transaction when it is still in
 * expected_state: supersedes its pending approval request, queues a hidden note when
 * stop->title is set, and moves it to stopped with the event stop->kind. Returns 0 when it
 * stopped, 1 when the run had left expected_state (nothing changed), or -1 with a message. */
int halyard_approvals_stop_run(halyard_store *store, halyard_json_reader *json,
                               const halyard_run *run, const char *expected_state,
                               const halyard_run_stop *stop, char *message, size_t message_size);

/* True when status_id is one of config's closed_statuses. */
bool halyard_approvals_status_closed(const halyard_config *config, long long status_id);

/* Tells whether the ticket's status status_id is the run's own doing: the newest status that a
 * done write of the run set is status_id. With after_close set, that write must also have been
 * confirmed at or after the last sync that found the ticket closed, so a status the run set
 * before a person closed the ticket is not taken for the run's. Returns 1 when it is, 0 when
 * not, or -1 with a message. */
int halyard_approvals_status_set_by_run(halyard_store *store, long long run_id, long long status_id,
                                        bool after_close, char *message, size_t message_size);

/* Stops every run of the client halo_client_id that waits for an approval or an assignment,
 * each with a hidden note, because its client was switched to Plan mode. Runs that moved on
 * meanwhile are left alone. *stopped_count receives how many stopped. Returns 0, or -1 with a
 * message. */
int halyard_approvals_stop_client_runs(halyard_store *store, long long msp_id,
                                       long long halo_client_id, size_t *stopped_count,
                                       char *message, size_t message_size);

/* The outcome of halyard_approvals_cancel_run. */
typedef enum {
    HALYARD_CANCEL_STOPPED = 0,   /* the run was waiting and is stopped now */
    HALYARD_CANCEL_ALREADY = 1,   /* the run was stopped before: nothing changed */
    HALYARD_CANCEL_NOT_FOUND = 2, /* the MSP has no run with that id */
    HALYARD_CANCEL_FINISHED = 3,  /* the run finished (done, denied, expired ...): rejected */
    HALYARD_CANCEL_BUSY = 4,      /* the run is planning, executing or verifying: rejected */
} halyard_cancel_outcome;

/* Cancels run_id of msp_id for a person: who ("the CLI (user ops)") and why (may be empty) go
 * into the run event and the hidden note. Only a run waiting for an approval or an assignment,
 * or a failed one, is stopped; *state receives the run's state before the call. Returns a
 * halyard_cancel_outcome with a message for every outcome but STOPPED, or -1 with a message. */
int halyard_approvals_cancel_run(halyard_store *store, long long msp_id, long long run_id,
                                 const char *who, const char *why, char *state, size_t state_size,
                                 char *message, size_t message_size);

#endif
