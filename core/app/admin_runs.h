#ifndef HALYARD_ADMIN_RUNS_H
#define HALYARD_ADMIN_RUNS_H

#include "store.h"

#include <event2/http.h>

/* The maximum of runs in one GET /api/v1/runs response, and of events per run. */
#define HALYARD_ADMIN_RUNS_MAX       1000
#define HALYARD_ADMIN_RUN_EVENTS_MAX 100

/* Replies to GET /api/v1/runs[?ticket_id=N][&limit=N] for an authenticated msp, from store:
 *
 *   {"runs": [{"id", "ticket_id", "client_id", "state", "mode", "ticket_closed",
 *              "note_action_id", "created_at", "updated_at",
 *              "events": [{"at", "kind", "detail"}, ...]}, ...]}
 *
 * Runs come newest first, at most limit of them (1 to HALYARD_ADMIN_RUNS_MAX, default 100);
 * each run's events oldest first, its newest HALYARD_ADMIN_RUN_EVENTS_MAX only. An invalid
 * query parameter gets 400, a database failure 500. Runs on the loop thread that owns
 * store. */
void halyard_admin_runs_reply(struct evhttp_request *request, halyard_store *store,
                              const char *msp);

/* The maximum length of a cancel request's reason, in bytes. */
#define HALYARD_ADMIN_CANCEL_REASON_MAX 500

/* Replies to POST /api/v1/runs/{id}/cancel for an authenticated msp, with an optional body
 * {"reason": TEXT}: stops a run waiting for an approval or an assignment (or a failed one),
 * withdraws its pending request and queues a hidden note naming who cancelled it and why.
 *
 *   200 {"id", "state": "stopped", "previous_state", "changed"}: changed is false when the run
 *       was stopped before, so the call is idempotent
 *   400 an invalid id or body, 404 no such run of this MSP, 409 a finished run (done,
 *       denied, expired ...) or one planning or executing now, 500 a database failure
 *
 * Runs on the loop thread that owns store. */
void halyard_admin_runs_cancel(struct evhttp_request *request, halyard_store *store,
                               const char *msp, const char *run_id_text);

#endif
