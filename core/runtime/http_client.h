#ifndef HALYARD_HTTP_CLIENT_H
#define HALYARD_HTTP_CLIENT_H

#include <event2/event.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* An asynchronous HTTP client: libcurl's multi interface driven by a libevent loop, so no
 * request blocks the loop. Certificates are always verified (a CA file may replace the system
 * store), redirects are never followed, only http and https are spoken, and a response body is
 * capped. Every request is sent at most once: methods other than GET and HEAD use a fresh
 * connection, so libcurl never resends them on its own. One client serves one event loop
 * thread. */
typedef struct halyard_http_client halyard_http_client;

/* Decides whether a request may connect to address, the address libcurl is about to open a
 * connection to (after its own name lookup, so a check here cannot be fooled by a name that
 * resolves differently later). Returns 0 to allow, or -1 with a message: the connection is
 * not made and, unless another address of the host is allowed, the request fails with that
 * message. Runs on the loop thread, from inside libcurl. */
typedef int (*halyard_http_address_check)(const struct sockaddr *address, size_t address_length,
                                          void *argument, char *message, size_t message_size);

typedef struct {
    const char *method;         /* GET, HEAD, POST, PUT, PATCH or DELETE, in upper case */
    const char *url;            /* absolute http or https URL */
    const char *const *headers; /* NULL-terminated "Name: value" lines, or NULL */
    const char *body;           /* request body, or NULL; must be NULL for GET and HEAD */
    size_t body_length;
    long timeout_ms; /* whole transfer; 0 takes the client's default */

    /* A lower cap on the response body for this request; 0 takes the client's. */
    size_t max_body_bytes;

    /* When true, the response's header lines are returned in response.headers. */
    bool keep_headers;

    /* When set, every address the request connects to is checked first. Such a request also
     * opens a connection of its own, keeps none for later requests and uses no proxy, so the
     * check is given every connection the request uses and no request rides on a connection that
     * another request's check allowed. */
    halyard_http_address_check check_address;
    void *check_argument;
} halyard_http_request;

typedef struct {
    long status;      /* HTTP status, or 0 when no response arrived */
    const char *body; /* NUL-terminated response body ("" when none) */
    size_t body_length;
    const char *error; /* NULL on a response; else why none arrived (timeout, TLS, ...) */
    double seconds;    /* time the transfer took */

    /* With keep_headers: the final response's header lines, each "Name: value\r\n", without
     * the status line; "" otherwise. At most HALYARD_HTTP_MAX_HEADER_BYTES. */
    const char *headers;
    size_t headers_length;
} halyard_http_response;

/* A response whose kept header lines exceed this fails with an error. */
#define HALYARD_HTTP_MAX_HEADER_BYTES (64 * 1024)

/* Called once per request from the loop thread; the response lives only during the call. */
typedef void (*halyard_http_callback)(const halyard_http_response *response, void *user_data);

typedef struct {
    const char *ca_file;     /* PEM bundle to trust instead of the system store, or NULL */
    long default_timeout_ms; /* 0 means 30 s */
    size_t max_body_bytes;   /* 0 means 16 MiB; a longer response fails with an error */
} halyard_http_client_options;

/* Creates a client on base. Returns 0, or -1 with a message. */
int halyard_http_client_create(struct event_base *base, const halyard_http_client_options *options,
                               halyard_http_client **client, char *message, size_t message_size);

/* Starts a request; callback runs later from the loop, never from inside this call. The request's
 * strings are copied. Returns 0, or -1 with a message (the callback will not run), also for a
 * method not listed above or a GET or HEAD with a body. */
int halyard_http_send(halyard_http_client *client, const halyard_http_request *request,
                      halyard_http_callback callback, void *user_data, char *message,
                      size_t message_size);

/* Abandons every request started with this callback and user_data: their connections close
 * and the callback will not run. Must not be called from inside that request's own callback.
 * Returns how many requests were abandoned. */
size_t halyard_http_cancel(halyard_http_client *client, halyard_http_callback callback,
                           void *user_data);

/* The number of requests started and not yet called back. */
size_t halyard_http_pending(const halyard_http_client *client);

/* Frees the client; requests still in flight are abandoned without their callbacks. */
void halyard_http_client_free(halyard_http_client *client);

#endif
