#ifndef HALYARD_TEST_API_H
#define HALYARD_TEST_API_H

#include "admin_api.h"
#include "http_server.h"
#include "pipeline.h"

#include <stddef.h>

/* Endpoints for tests that drive a running halyard, present only with `halyard serve
 * --test-clock` (without it the paths get 404). Each needs an admin token, like the
 * rest of /api/v1; the clock is the whole process's, whichever MSP the token belongs to.
 *
 *   GET  /api/v1/test/clock     {"now_ms": N, "offset_ms": N}: the business clock
 *   POST /api/v1/test/clock     {"advance_ms": N} moves it forward by N ms (1 ms to 366 days)
 *                               and makes the pipeline look for due jobs at once; answers as GET
 *   GET  /api/v1/test/activity  {"idle": bool, "deliveries_new": N, "jobs_running": N,
 *                                "jobs_due": N, "jobs_waiting": N, "jobs_dead": N,
 *                                "next_job_due_ms": N or null,
 *                                "next_follow_up_due_ms": N or null, "now_ms": N}
 *
 * idle is true when no stored delivery waits to be queued, no job runs and no ready job is due
 * on the business clock; jobs waiting for a later time (a retry's backoff) do not count, since
 * only time, or the test clock, makes them due. next_follow_up_due_ms is when the next job that
 * continues handed-on work is due, such as a screening that looks again at a busy run. Retries,
 * polls and deadlines are left out. The scenario runner's settle waits for that job when it is
 * due within settle's timeout. now_ms is the business clock at the reading. */
typedef struct halyard_test_api halyard_test_api;

/* Adds the routes to server; admin_api checks the tokens and pipeline is woken by advances.
 * All three must outlive the test API. Opens a database connection of its own in data_dir.
 * Returns 0, or -1 with a message. */
int halyard_test_api_open(halyard_http_server *server, halyard_admin_api *admin_api,
                          halyard_pipeline *pipeline, const char *data_dir,
                          halyard_test_api **test_api, char *message, size_t message_size);

/* Frees the test API; NULL is allowed. Call after halyard_http_server_free. */
void halyard_test_api_close(halyard_test_api *test_api);

#endif
