#ifndef HALYARD_ADMIN_API_H
#define HALYARD_ADMIN_API_H

#include "config.h"
#include "http_server.h"
#include "script_reload.h"

#include <event2/event.h>
#include <stddef.h>

struct evkeyvalq;

/* halyard's admin API under /api/v1, for an MSP's own tools and dashboard. Every request needs
 * `Authorization: Bearer <token>` with a token from `halyard token create`, which belongs to one
 * MSP: the API acts on that MSP only. Answers are JSON; errors are {"error": "..."}.
 *
 *   GET  /api/v1/integrations/halopsa  the MSP's connection to HaloPSA, without secrets
 *   POST /api/v1/integrations/halopsa  connects: {"instance_url", "client_id", "client_secret"}
 *   GET  /api/v1/clients[?search=TEXT] every HaloPSA client, marking the imported ones
 *   POST /api/v1/clients/import        {"ids": [12, 14]}: gives each client its agent
 *   GET  /api/v1/workflows/status      the serving version of the MSP's scripts and their
 *                                      current problems (hot reload)
 *   GET  /api/v1/runs[?ticket_id=N]    the agent's runs, newest first (admin_runs.h)
 *
 * Requests that talk to HaloPSA run in a thread of their own (the same blocking code as the
 * CLI, with its own event loop and database connection), so the daemon's loop never waits for
 * HaloPSA; their replies are sent from the loop when the thread is done. */
typedef struct halyard_admin_api halyard_admin_api;

/* Adds the routes to server. config and data_dir must outlive the API. Returns 0, or -1 with a
 * message. The process must have called evthread_use_pthreads() before creating base. */
int halyard_admin_api_open(struct event_base *base, halyard_http_server *server,
                           const halyard_config *config, const char *data_dir,
                           halyard_admin_api **api, char *message, size_t message_size);

/* Gives the API the scripts whose status GET /api/v1/workflows/status returns. Until then the
 * route replies 503. scripts must outlive the API's use of it (close the API first). */
void halyard_admin_api_attach_scripts(halyard_admin_api *api, halyard_script_reload *scripts);
/* Checks the request's admin token, for handlers routed outside this file: writes the token's
 * MSP into msp and returns 0, or replies 401 and returns -1. */
int halyard_admin_api_authenticate(halyard_admin_api *api, struct evhttp_request *request,
                                   char *msp, size_t msp_size);

/* Replies {"error": message} with status, or a bare 500 when out of memory. */
void halyard_admin_api_reply_error(struct evhttp_request *request, int status, const char *message);

/* Reads text, an id from a path or a query, as 1 to 15 plain decimal digits without a sign or a
 * leading zero, from 1 to maximum. "+14" and "014" are rejected because other readers take them
 * for other numbers or none. Returns 0 with *id, or -1. */
int halyard_admin_api_parse_id(const char *text, long long maximum, long long *id);

/* Parses the request's query string into query, which the caller clears with
 * evhttp_clear_headers once it returns 0. Replies 400 and returns -1 for a query string that is
 * not valid or that names a parameter twice (?ticket_id=1&ticket_id=2), since which one counts
 * would be a guess. */
int halyard_admin_api_read_query(struct evhttp_request *request, struct evkeyvalq *query);

/* Checks an admin request's body (length bytes) for a key written twice in one object, which
 * parsers read differently. Replies 400 naming the key and returns -1 when there is one.
 * Returns 0 otherwise, also for a body that is not JSON, which the caller rejects. */
int halyard_admin_api_reject_duplicate_keys(struct evhttp_request *request, const char *body,
                                            size_t length);

/* Waits for the requests still running in threads, then frees the API. Their replies are not
 * sent: call after halyard_http_server_free, which answers them 503. NULL is allowed. */
void halyard_admin_api_close(halyard_admin_api *api);

#endif
