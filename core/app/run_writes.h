#ifndef HALYARD_RUN_WRITES_H
#define HALYARD_RUN_WRITES_H

#include "json_reader.h"
#include "pipeline_task.h"
#include "runs.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The outbox: every HaloPSA write halyard makes for a run after its plan note (verification
 * outcomes, approval requests, the steps it executes, closing notes) is stored here first and
 * sent by a "write" job, so that it happens once in HaloPSA across retries, restarts and lost
 * responses. HaloPSA has no idempotency keys, so:
 *
 *   - An action (a note or a reply) carries a hidden marker, "halyard run <run>.<key>", and the
 *     write is stored as sending before the request goes out. A write that was ever sent and
 *     not confirmed (a timeout, a lost response, a crash) is sent again only after the
 *     ticket's actions were read and none by halyard's own agent carries its marker.
 *   - A ticket update (status, team, technician) sets fields to values, which is the same
 *     however often it is done, so it is sent again without looking.
 *   - A write HaloPSA rejects with a 4xx other than 408 or 429 is never sent again: it is
 *     stored failed, its run gets a write_failed event and fails (a run stopped in
 *     verification_failed keeps its state), and its then_kind job is not queued. An
 *     Execute-mode step's write (then_kind "execute") is the exception: the run keeps its
 *     state and the execute job is queued, which ends the run with a note (execute.h).
 *   - A 404 means the run's ticket was deleted, since every write goes to that ticket: the
 *     write is stored failed, a run under way stops with a ticket_deleted event, and no
 *     then_kind job is queued, an Execute-mode step's included.
 *
 * The write shapes (write_json), the same a write tool returns:
 *   {"write": "action", "note_html": "<p>...</p>", "hidden": true, "send_email": false,
 *    "outcome": "..."}        hidden defaults to true, send_email to false, outcome to the
 *                             config's note_outcome
 *   {"write": "ticket", "fields": {"status_id": 3}}
 *                             fields may hold status_id, agent_id, team, team_id and
 *                             priority_id, nothing else
 */

/* One write as stored. */
typedef struct {
    long long id;
    long long run_id;
    char state[16];      /* pending, sending, done or failed */
    int attempts;        /* times it was sent or looked for */
    long long action_id; /* the action that holds it, once done (0 for a ticket update) */
    char error[384];     /* a failed write's reason, "HaloPSA answered HTTP 400: <body>" */
} halyard_run_write;

/*
 * Stores a write for a run under key (1 to 64 letters, digits, '-', '_' or '.', unique within
 * the run) and queues its job. When the write is done, the job then_kind with then_payload is
 * queued (idempotency key "<then_kind>:<run_id>:<key>"); then_kind NULL queues nothing.
 * Adding a key the run already has changes nothing and returns 0, so a step that runs again
 * never writes twice. Returns 0, or -1 with a message naming what is wrong with the write.
 */
int halyard_run_writes_add(halyard_store *store, long long msp_id, long long run_id,
                           long long ticket_id, const char *key, const char *write_json,
                           const char *then_kind, const char *then_payload, char *message,
                           size_t message_size);

/* Stores a hidden note (note_html, taken; NULL when building it ran out of memory) as a write
 * of run under key, as halyard_run_writes_add does. Returns 0, or -1 with a message. */
int halyard_run_writes_add_note(halyard_store *store, halyard_json_reader *json,
                                const halyard_run *run, const char *key, char *note_html,
                                char *message, size_t message_size);

/* Reads a run's write by key. Returns 0, 1 when there is none, or -1 with a message. */
int halyard_run_writes_get(halyard_store *store, long long run_id, const char *key,
                           halyard_run_write *write, char *message, size_t message_size);

/*
 * True when actions (a GET /api/Actions body: an array, or an object with "actions") hold an
 * action by login_agent_id whose note carries the marker "halyard run <label>" with no further
 * label character after it; *action_id receives its id. Anyone can type a marker into a reply,
 * so only halyard's own agent's actions count, and login_agent_id 0 finds nothing.
 */
bool halyard_run_writes_find_marker(halyard_json_reader *json, const char *actions,
                                    const char *label, long long login_agent_id,
                                    long long *action_id);

/* The handler of "write" jobs (pipeline_task.h). */
void halyard_run_writes_job(halyard_pipeline_task *task);

#endif
