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

#endif
