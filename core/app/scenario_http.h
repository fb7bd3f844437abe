#ifndef HALYARD_SCENARIO_HTTP_H
#define HALYARD_SCENARIO_HTTP_H

#include <stddef.h>

/* Blocking HTTP requests for `halyard scenario`: halyard's HTTP client (certificate checks, no
 * redirects, capped bodies) on an event loop of its own, run until each response arrives. A
 * request gives up early when the run is interrupted (scenario_process.h). One thread only. */
typedef struct halyard_scenario_http halyard_scenario_http;

/* Creates a client that trusts ca_file (a PEM bundle) instead of the system store when it is
 * not NULL. Returns 0, or -1 with a message. */
int halyard_scenario_http_create(const char *ca_file, halyard_scenario_http **http, char *message,
                                 size_t message_size);

void halyard_scenario_http_free(halyard_scenario_http *http);

typedef struct {
    const char *method;
    const char *url;
    const char *const *headers; /* NULL-terminated "Name: value" lines, or NULL */
    const char *body;           /* or NULL */
    size_t body_length;
    long timeout_ms;
} halyard_scenario_http_request;

/* Sends a request and waits for its response. Returns 0 with *status and *body (NUL-terminated,
 * *body_length bytes, the caller frees it), or -1 with a message when no response came
 * (refused, timed out, TLS failure, or the run was interrupted). */
int halyard_scenario_http_send(halyard_scenario_http *http,
                               const halyard_scenario_http_request *request, long *status,
                               char **body, size_t *body_length, char *message,
                               size_t message_size);

#endif
