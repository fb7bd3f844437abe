#ifndef HALYARD_HTTP_SERVER_H
#define HALYARD_HTTP_SERVER_H

#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>

/* halyard's HTTP server: an evhttp listener on one address, a short table of routes whose
 * pattern may hold one path parameter ("/hooks/halopsa/{msp}"), and GET /healthz.
 *
 * A handler answers at once with halyard_http_reply_send, or takes a deferred reply with
 * halyard_http_server_defer and finishes it later from the loop thread (after a database commit,
 * say). The server tracks every deferred reply, so none is left pointing at a request that
 * evhttp_free has released: halyard_http_server_free finishes the ones still open with 503
 * first. Everything here runs on the thread of the event loop. */
typedef struct halyard_http_server halyard_http_server;

/* A reply that a handler promised to send later; see halyard_http_server_defer. */
typedef struct halyard_http_deferred halyard_http_deferred;

/* Limits of the server; a zero field takes the default named beside it. */
typedef struct {
    size_t max_body_bytes;    /* larger bodies are answered 413 by evhttp (default 16 MiB) */
    size_t max_header_bytes;  /* larger header blocks are answered 400 (default 64 KiB) */
    int idle_timeout_seconds; /* a connection silent this long is closed (default 60) */
} halyard_http_limits;

/* Handles one request that matched a route. parameter is the path segment matched by the
 * pattern's {name} (the segments of {name...}), or "" when the pattern has none; it is valid during
 * the call only. The handler must answer (halyard_http_reply_send) or defer
 * (halyard_http_server_defer). */
typedef void (*halyard_http_handler)(struct evhttp_request *request, const char *parameter,
                                     void *argument);

/* Opens a server on base and binds host:port (port 0 picks a free port; see
 * halyard_http_server_port). Returns 0 and *server, or -1 with a message. */
int halyard_http_server_open(struct event_base *base, const char *host, int port,
                             const halyard_http_limits *limits, halyard_http_server **server,
                             char *message, size_t message_size);

/* Adds a route for one method (EVHTTP_REQ_POST, ...). pattern is an absolute path with at most
 * one "{name}" standing for a whole non-empty segment, or "{name...}" at its end standing for
 * one or more whole segments with their "/" (none empty, ".", or ".."). A request for a routed path
 * with another method is answered 405 with an Allow header. Returns 0, or -1 with a message for a
 * pattern that is invalid or a full route table. */
int halyard_http_server_route(halyard_http_server *server, enum evhttp_cmd_type method,
                              const char *pattern, halyard_http_handler handler, void *argument,
                              char *message, size_t message_size);

/* The port the server listens on (the one picked when port 0 was asked for). */
int halyard_http_server_port(const halyard_http_server *server);

/* Closes the listening socket: no new connection is accepted, while open connections and
 * deferred replies carry on. */
void halyard_http_server_stop_accepting(halyard_http_server *server);

/* Promises a later reply to request. The returned handle stays valid until
 * halyard_http_deferred_send or halyard_http_server_free; the server keeps it even when the
 * client hangs up meanwhile (the reply is then discarded). Returns NULL when out of memory,
 * after answering 503 itself. */
halyard_http_deferred *halyard_http_server_defer(halyard_http_server *server,
                                                 struct evhttp_request *request);

/* The request behind a deferred reply, for adding response headers before the send. */
struct evhttp_request *halyard_http_deferred_request(halyard_http_deferred *deferred);

/* Sends the deferred reply and releases the handle: status, a content type (NULL for none) and
 * length bytes of body (copied; NULL when length is 0). */
void halyard_http_deferred_send(halyard_http_deferred *deferred, int status,
                                const char *content_type, const char *body, size_t length);

/* Sends a reply at once: like halyard_http_deferred_send for a request not deferred. */
void halyard_http_reply_send(struct evhttp_request *request, int status, const char *content_type,
                             const char *body, size_t length);

/* Deferred replies not yet sent, plus sent replies whose bytes are not yet all written to their
 * connection. Zero means closing the server now cuts no answer short. */
size_t halyard_http_server_pending(const halyard_http_server *server);

/* Finishes every deferred reply still open with 503, then frees evhttp and the server. Their
 * bytes may not reach the client: wait for halyard_http_server_pending to reach zero first for
 * that. NULL is allowed. */
void halyard_http_server_free(halyard_http_server *server);

#endif
