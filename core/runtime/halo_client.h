#ifndef HALYARD_HALO_CLIENT_H
#define HALYARD_HALO_CLIENT_H

#include "http_client.h"

#include <stddef.h>

/* halyard's client of HaloPSA's REST API, on the asynchronous HTTP client.
 *
 * It obtains OAuth client-credentials tokens and keeps one until a minute before it expires,
 * drops it and retries once when the API answers 401, and waits and retries when HaloPSA's
 * rate limit answers 429 (5 s doubling, at most 60 s, with jitter; HaloPSA sends no
 * Retry-After). A retry is due on the business clock (clock.h), so a test clock moved forward
 * sends it, or on the monotonic clock, whichever comes first. A request whose outcome is unknown
 * (no response, or a 5xx to a write) is never retried here: the caller checks HaloPSA before
 * writing again. Bodies are returned as text.
 *
 * One token request serves every call waiting for it. When it fails, the client logs one line
 * with the number of calls it failed and starts a back-off of 1 s, doubled per failure in a row
 * up to 60 s. During the back-off every call that needs a token fails at once with the same
 * outcome and message, without a request of its own. The first call after the back-off
 * requests a token again. */
typedef struct halyard_halo_client halyard_halo_client;

/* Why a request failed, so callers can tell the MSP what to fix. */
typedef enum {
    HALYARD_HALO_OK = 0,          /* a response arrived; see status */
    HALYARD_HALO_REJECTED_CLIENT, /* the token endpoint rejected the Client ID or Secret */
    HALYARD_HALO_REJECTED_SCOPE,  /* the token endpoint rejected the requested scope */
    HALYARD_HALO_TOKEN_FAILED,    /* the token endpoint failed otherwise */
    HALYARD_HALO_UNREACHABLE,     /* no response: DNS, TLS, refused, timed out */
} halyard_halo_outcome;

typedef struct {
    halyard_halo_outcome outcome;
    long status;      /* HTTP status of the API call when outcome is OK */
    const char *body; /* response body ("" when none) */
    size_t body_length;
    const char *message; /* one line for a person when outcome is not OK, else NULL */
    int attempts;        /* how many times the request was sent */
} halyard_halo_response;

typedef void (*halyard_halo_callback)(const halyard_halo_response *response, void *user_data);

typedef struct {
    const char *instance_url; /* validated "https://host[:port]" */
    const char *token_url;    /* from halyard_halo_discover */
    const char *client_id;
    const char *client_secret;
    const char *scope;          /* space-separated, as sent to the token endpoint */
    int max_rate_limit_retries; /* 0 means 5 */
    long first_backoff_ms;      /* 0 means 5000; doubles per retry up to 60 s */
    const char *log_ids;        /* starts the client's own log lines ("msp=acme"); NULL for none */
} halyard_halo_settings;

/* Creates a client; every string in settings is copied. Returns 0, or -1 with a message. */
int halyard_halo_client_create(struct event_base *base, halyard_http_client *http,
                               const halyard_halo_settings *settings, halyard_halo_client **client,
                               char *message, size_t message_size);

/* Frees the client; requests in flight are abandoned without their callbacks. */
void halyard_halo_client_free(halyard_halo_client *client);

/* Sends method to path (with its query, e.g. "/api/Tickets/42?includedetails=true") with an
 * optional JSON body, getting a token first when needed. The callback runs once, later, from
 * the loop, never from inside this call, also when the request fails before it is sent.
 * Returns 0, or -1 with a message (the callback will not run). */
int halyard_halo_request(halyard_halo_client *client, const char *method, const char *path,
                         const char *json_body, halyard_halo_callback callback, void *user_data,
                         char *message, size_t message_size);

/* The maximum size of the log_ids halyard_halo_request_for keeps, with the terminating NUL.
 * Longer ids are truncated. */
#define HALYARD_HALO_LOG_IDS_MAX 256

/* Sends a request as halyard_halo_request does. log_ids (copied, NULL for none) names the ids
 * of the caller's event, such as "msp=acme ticket=42 run=12", and starts the client's log
 * lines about this request, so a retry after HaloPSA's rate limit can be traced to its run. */
int halyard_halo_request_for(halyard_halo_client *client, const char *log_ids, const char *method,
                             const char *path, const char *json_body,
                             halyard_halo_callback callback, void *user_data, char *message,
                             size_t message_size);

/* Abandons every request started with this callback and user_data: its HTTP request (if one
 * is in flight) is abandoned too, and the callback will not run. Must not be called from
 * inside that request's own callback. Returns how many requests were abandoned. */
size_t halyard_halo_cancel(halyard_halo_client *client, halyard_halo_callback callback,
                           void *user_data);

/* Fetches a token now, to check credentials without calling the API. The callback runs as
 * halyard_halo_request's does. */
int halyard_halo_check_token(halyard_halo_client *client, halyard_halo_callback callback,
                             void *user_data, char *message, size_t message_size);

/* The discovered token endpoint. token_url is "" when the outcome is not OK. With outcome OK,
 * message is NULL, or a warning when halyard fell back to the self-hosted endpoint because
 * authinfo failed. */
typedef void (*halyard_halo_discover_callback)(halyard_halo_outcome outcome, const char *token_url,
                                               const char *message, void *user_data);

/* Finds the token endpoint: GET {instance}/api/authinfo gives auth_url (and on hosted instances
 * tenant_id), making "{auth_url}/token[?tenant=...]"; when authinfo has none, the endpoint is
 * "{instance}/auth/token". An auth_url that is not HTTPS is rejected, because the secret would
 * travel in clear. Returns 0, or -1 with a message (the callback will not run). */
int halyard_halo_discover(halyard_http_client *http, const char *instance_url,
                          halyard_halo_discover_callback callback, void *user_data, char *message,
                          size_t message_size);

/* Percent-encodes text for a query string or form body into *encoded (caller frees).
 * Returns 0, or -1 when out of memory. */
int halyard_halo_url_encode(const char *text, char **encoded);

/* The message of the last token request when it failed, or NULL after a success or before
 * any request. A caller whose request failed with this message may log it at a lower level,
 * because the client logged the failure once for every call it failed. */
const char *halyard_halo_token_failure(const halyard_halo_client *client);

#endif
