#ifndef HALYARD_HALO_SESSION_H
#define HALYARD_HALO_SESSION_H

#include "halo_client.h"

#include <stddef.h>

/* A blocking HaloPSA session for CLI commands and worker threads: it owns an event loop of its
 * own and runs it until each call is answered, so it never blocks the daemon's loop even when
 * used from the daemon (in a thread of its own). */
typedef struct halyard_halo_session halyard_halo_session;

typedef struct {
    const char *instance_url; /* validated "https://host[:port]" */
    const char *token_url;    /* known token endpoint, or NULL to discover it */
    const char *client_id;
    const char *client_secret;
    const char *scope;
    const char *ca_file; /* or NULL for the system store */
    /* The ids that start the log lines about the session's calls ("msp=acme"), so that a
     * retry after HaloPSA's rate limit names the MSP. The session copies them. NULL is none. */
    const char *log_ids;
} halyard_halo_session_settings;

/* Opens a session, discovering the token endpoint when the settings do not name one.
 * Returns HALYARD_HALO_OK, or another outcome with a message. */
halyard_halo_outcome halyard_halo_session_open(const halyard_halo_session_settings *settings,
                                               halyard_halo_session **session, char *message,
                                               size_t message_size);

void halyard_halo_session_close(halyard_halo_session *session);

/* The token endpoint the session uses. */
const char *halyard_halo_session_token_url(const halyard_halo_session *session);

/* The warning of the token endpoint's discovery, "" when there was none (halo_client.h). */
const char *halyard_halo_session_discover_warning(const halyard_halo_session *session);

/* Gets a fresh token. Returns HALYARD_HALO_OK, or the outcome with a message. */
halyard_halo_outcome halyard_halo_session_check_token(halyard_halo_session *session, char *message,
                                                      size_t message_size);

/* Sends a request and waits for its answer. On HALYARD_HALO_OK *status is the HTTP status and
 * *body the response body (caller frees); otherwise the message says why no answer came. */
halyard_halo_outcome halyard_halo_session_call(halyard_halo_session *session, const char *method,
                                               const char *path, const char *json_body,
                                               long *status, char **body, char *message,
                                               size_t message_size);

#endif
