#include "sim_server.h"

#include "sim_log.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

/* The maximum number of bytes of request headers the server reads before it rejects a
 * request. */
#define SERVER_HEADERS_MAX (1024 * 1024)

/* A response waiting for its delay to pass, or to be dropped. It lives from the request
 * callback until the first of three events: the timer fires, the client's connection closes,
 * or the server is freed. Whichever comes first ends it, exactly once. */
struct server_pending {
    struct sim_server *server;
    struct server_pending *previous;
    struct server_pending *next;
    struct evhttp_request *request;
    struct evhttp_connection *connection;
    struct event *timer;
    struct sim_response response;
    const char *method;
    char *path;
    struct timespec started;
};

struct sim_server {
    struct event_base *base;
    struct evhttp *http;
    SSL_CTX *tls;
    sim_server_handler handler;
    void *context;
    struct server_pending *pending;
};

static long server_elapsed_ms(const struct timespec *started)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - started->tv_sec) * 1000 + (now.tv_nsec - started->tv_nsec) / 1000000;
}

static const char *server_method_name(enum evhttp_cmd_type command)
{
    switch (command) {
    case EVHTTP_REQ_GET:
        return "GET";
    case EVHTTP_REQ_POST:
        return "POST";
    case EVHTTP_REQ_HEAD:
        return "HEAD";
    case EVHTTP_REQ_PUT:
        return "PUT";
    case EVHTTP_REQ_DELETE:
        return "DELETE";
    case EVHTTP_REQ_OPTIONS:
        return "OPTIONS";
    case EVHTTP_REQ_TRACE:
        return "TRACE";
    case EVHTTP_REQ_CONNECT:
        return "CONNECT";
    case EVHTTP_REQ_PATCH:
        return "PATCH";
    }
    return "UNKNOWN";
}

/* Adds one request header field, lower-casing its name. A repeated field is joined to the first
 * with ", ", as HTTP allows for list-valued fields. Returns 0, or -1 when memory runs out. */
static int server_add_request_header(struct sim_header_list *headers, const char *name,
                                     const char *value)
{
    for (size_t i = 0; i < headers->count; i++) {
        struct sim_header *field = &headers->items[i];
        if (strcasecmp(field->name, name) != 0) {
            continue;
        }
        size_t old_length = strlen(field->value);
        size_t added_length = strlen(value);
        char *joined = realloc(field->value, old_length + 2 + added_length + 1);
        if (joined == NULL) {
            return -1;
        }
        memcpy(joined + old_length, ", ", 2);
        memcpy(joined + old_length + 2, value, added_length + 1);
        field->value = joined;
        return 0;
    }
    return sim_header_list_add(headers, name, strlen(name), value, strlen(value), true);
}

/* Sends response on request; libevent frees the request once the reply is written. The host
 * frames the body itself, so Content-Length and Transfer-Encoding from the handler are left
 * out. */
static void server_send(struct evhttp_request *request, const struct sim_response *response)
{
    struct evkeyvalq *output_headers = evhttp_request_get_output_headers(request);
    for (size_t i = 0; i < response->headers.count; i++) {
        const struct sim_header *field = &response->headers.items[i];
        if (strcasecmp(field->name, "Content-Length") == 0 ||
            strcasecmp(field->name, "Transfer-Encoding") == 0) {
            continue;
        }
        if (evhttp_add_header(output_headers, field->name, field->value) != 0) {
            sim_log(SIM_LOG_ERROR, "cannot add the response header %s; it is left out",
                    field->name);
        }
    }

    struct evbuffer *body = evhttp_request_get_output_buffer(request);
    if (evbuffer_add(body, response->body, response->body_length) != 0) {
        sim_log(SIM_LOG_ERROR, "cannot buffer a response body of %zu bytes; answering 500",
                response->body_length);
        evhttp_send_error(request, 500, NULL);
        return;
    }
    evhttp_send_reply(request, response->status, NULL, NULL);
}

static void server_pending_free(struct server_pending *pending)
{
    struct sim_server *server = pending->server;
    if (pending->previous != NULL) {
        pending->previous->next = pending->next;
    } else {
        server->pending = pending->next;
    }
    if (pending->next != NULL) {
        pending->next->previous = pending->previous;
    }

    event_free(pending->timer);
    sim_response_clear(&pending->response);
    free(pending->path);
    free(pending);
}

/* The delay of a pending response passed: send the response, or close the connection for a
 * drop. */
static void server_pending_fire(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    struct server_pending *pending = argument;

    evhttp_connection_set_closecb(pending->connection, NULL, NULL);
    long elapsed = server_elapsed_ms(&pending->started);
    if (pending->response.drop) {
        sim_log(SIM_LOG_INFO, "%s %s dropped without an answer after %ld ms", pending->method,
                pending->path, elapsed);
        /* Freeing the connection also frees the request queued on it. */
        evhttp_connection_free(pending->connection);
    } else {
        sim_log(SIM_LOG_INFO, "%s %s %d %ld ms", pending->method, pending->path,
                pending->response.status, elapsed);
        server_send(pending->request, &pending->response);
    }
    server_pending_free(pending);
}

/* The connection of a pending response is being freed (the client went away, or libevent gave
 * up on it). When libevent detached the request from the connection first, the request is now
 * ours to free; otherwise libevent frees it right after this callback. */
static void server_pending_closed(struct evhttp_connection *connection, void *argument)
{
    (void)connection;
    struct server_pending *pending = argument;

    sim_log(SIM_LOG_INFO, "%s %s not answered: the connection closed after %ld ms", pending->method,
            pending->path, server_elapsed_ms(&pending->started));
    if (evhttp_request_get_connection(pending->request) == NULL) {
        evhttp_request_free(pending->request);
    }
    server_pending_free(pending);
}

/* Keeps response (taking its contents) until its delay passes. A drop without delay also comes
 * here, so the connection is closed from the event loop and never inside libevent's request
 * callback. Returns 0, or -1 when memory runs out (response is then left with the caller). */
static int server_defer(struct sim_server *server, struct evhttp_request *request,
                        const char *method, const char *path, const struct timespec *started,
                        struct sim_response *response)
{
    struct server_pending *pending = calloc(1, sizeof *pending);
    if (pending == NULL) {
        return -1;
    }
    pending->path = strdup(path);
    pending->timer = evtimer_new(server->base, server_pending_fire, pending);
    if (pending->path == NULL || pending->timer == NULL) {
        if (pending->timer != NULL) {
            event_free(pending->timer);
        }
        free(pending->path);
        free(pending);
        return -1;
    }

    pending->server = server;
    pending->request = request;
    pending->connection = evhttp_request_get_connection(request);
    pending->method = method;
    pending->started = *started;
    pending->response = *response;
    *response = (struct sim_response){0};

    pending->next = server->pending;
    if (server->pending != NULL) {
        server->pending->previous = pending;
    }
    server->pending = pending;

    evhttp_connection_set_closecb(pending->connection, server_pending_closed, pending);
    struct timeval delay = {
        .tv_sec = pending->response.delay_ms / 1000,
        .tv_usec = (pending->response.delay_ms % 1000) * 1000,
    };
    evtimer_add(pending->timer, &delay);
    return 0;
}

/* Collects the request's fields into a sim_request for the handler. Returns 0, or -1 when
 * memory runs out. */
static int server_read_request(struct evhttp_request *request, struct sim_request *fields,
                               struct sim_header_list *headers)
{
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(request);
    const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
    const char *query = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
    fields->method = server_method_name(evhttp_request_get_command(request));
    fields->path = path != NULL && path[0] != '\0' ? path : "/";
    fields->query = query != NULL ? query : "";

    struct evkeyvalq *input_headers = evhttp_request_get_input_headers(request);
    for (struct evkeyval *field = input_headers->tqh_first; field != NULL;
         field = field->next.tqe_next) {
        if (server_add_request_header(headers, field->key, field->value) != 0) {
            return -1;
        }
    }
    fields->headers = headers;

    struct evbuffer *body = evhttp_request_get_input_buffer(request);
    fields->body_length = evbuffer_get_length(body);
    fields->body = fields->body_length > 0 ? (const char *)evbuffer_pullup(body, -1) : "";
    if (fields->body == NULL) {
        return -1;
    }

    char *address = NULL;
    ev_uint16_t port = 0;
    evhttp_connection_get_peer(evhttp_request_get_connection(request), &address, &port);
    fields->remote = address != NULL ? address : "";
    return 0;
}

static void server_handle_request(struct evhttp_request *request, void *argument)
{
    struct sim_server *server = argument;
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);

    struct sim_header_list headers = {0};
    struct sim_request fields = {0};
    struct sim_response response = {0};
    if (server_read_request(request, &fields, &headers) != 0) {
        sim_log(SIM_LOG_ERROR, "out of memory reading a request; answering 500");
        evhttp_send_error(request, 500, NULL);
        goto done;
    }

    if (server->handler(server->context, &fields, &response) != 0) {
        sim_log(SIM_LOG_ERROR, "no response for %s %s: out of memory; answering 500", fields.method,
                fields.path);
        evhttp_send_error(request, 500, NULL);
        goto done;
    }

    if (response.delay_ms > 0 || response.drop) {
        if (server_defer(server, request, fields.method, fields.path, &started, &response) == 0) {
            goto done;
        }
        sim_log(SIM_LOG_ERROR, "out of memory delaying %s %s; answering at once", fields.method,
                fields.path);
        if (response.drop) {
            evhttp_send_error(request, 500, NULL);
            goto done;
        }
    }

    sim_log(SIM_LOG_INFO, "%s %s %d %ld ms", fields.method, fields.path, response.status,
            server_elapsed_ms(&started));
    server_send(request, &response);

done:
    sim_response_clear(&response);
    sim_header_list_clear(&headers);
}

struct sim_server *sim_server_new(struct event_base *base, sim_server_handler handler,
                                  void *context)
{
    struct sim_server *server = calloc(1, sizeof *server);
    if (server == NULL) {
        return NULL;
    }
    server->base = base;
    server->handler = handler;
    server->context = context;
    server->http = evhttp_new(base);
    if (server->http == NULL) {
        free(server);
        return NULL;
    }

    evhttp_set_allowed_methods(server->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                                 EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                                 EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                                 EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    evhttp_set_max_body_size(server->http, SIM_SERVER_BODY_MAX);
    evhttp_set_max_headers_size(server->http, SERVER_HEADERS_MAX);
    evhttp_set_gencb(server->http, server_handle_request, server);
    return server;
}

/* Writes the oldest OpenSSL error of this thread (or "unknown error") and clears the rest. */
static void server_tls_error(char *text, size_t text_size)
{
    unsigned long code = ERR_get_error();
    if (code != 0) {
        ERR_error_string_n(code, text, text_size);
    } else {
        snprintf(text, text_size, "unknown error");
    }
    ERR_clear_error();
}

static struct bufferevent *server_new_tls_connection(struct event_base *base, void *argument)
{
    struct sim_server *server = argument;

    SSL *tls = SSL_new(server->tls);
    if (tls == NULL) {
        /* NOTE: libevent 2.1 falls back to a plain socket when this returns NULL; it only
         * happens when memory runs out. */
        sim_log(SIM_LOG_ERROR, "cannot start TLS for a new connection: out of memory");
        return NULL;
    }
    struct bufferevent *connection = bufferevent_openssl_socket_new(
        base, -1, tls, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    if (connection == NULL) {
        SSL_free(tls);
        return NULL;
    }
    /* A client that closes without a TLS close_notify has still finished; treat it as EOF. */
    bufferevent_openssl_set_allow_dirty_shutdown(connection, 1);
    return connection;
}

int sim_server_use_tls(struct sim_server *server, const char *certificate_path,
                       const char *key_path, char *message, size_t message_size)
{
    char reason[256];
    SSL_CTX *tls = SSL_CTX_new(TLS_server_method());
    if (tls == NULL) {
        server_tls_error(reason, sizeof reason);
        snprintf(message, message_size, "cannot create a TLS context: %s", reason);
        return -1;
    }
    SSL_CTX_set_min_proto_version(tls, TLS1_2_VERSION);

    if (SSL_CTX_use_certificate_chain_file(tls, certificate_path) != 1) {
        server_tls_error(reason, sizeof reason);
        snprintf(message, message_size,
                 "invalid --tls-cert file '%s': %s; give a PEM certificate chain", certificate_path,
                 reason);
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(tls, key_path, SSL_FILETYPE_PEM) != 1) {
        server_tls_error(reason, sizeof reason);
        snprintf(message, message_size,
                 "invalid --tls-key file '%s': %s; give the PEM private key of --tls-cert",
                 key_path, reason);
        goto fail;
    }
    if (SSL_CTX_check_private_key(tls) != 1) {
        server_tls_error(reason, sizeof reason);
        snprintf(message, message_size,
                 "--tls-key file '%s' does not match the certificate in --tls-cert file '%s'; "
                 "give the key the certificate was made for",
                 key_path, certificate_path);
        goto fail;
    }

    SSL_CTX_free(server->tls);
    server->tls = tls;
    evhttp_set_bevcb(server->http, server_new_tls_connection, server);
    return 0;

fail:
    SSL_CTX_free(tls);
    return -1;
}

int sim_server_bind(struct sim_server *server, const char *address, int port, int *bound_port,
                    char *message, size_t message_size)
{
    struct evhttp_bound_socket *socket_handle =
        evhttp_bind_socket_with_handle(server->http, address, (ev_uint16_t)port);
    if (socket_handle == NULL) {
        snprintf(message, message_size,
                 "cannot listen on %s port %d: %s; choose another --port (0 picks a free one) "
                 "or --bind address",
                 address, port, errno != 0 ? strerror(errno) : "unknown error");
        return -1;
    }

    /* Over TLS a response leaves as several records. With Nagle's algorithm on, the last one
     * waits for the client's delayed ACK (at least 40 ms on Linux), so every request took
     * about 44 ms on loopback. Linux copies TCP_NODELAY from the listening socket to the
     * sockets it accepts. */
    evutil_socket_t fd = evhttp_bound_socket_get_fd(socket_handle);
    int no_delay = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &no_delay, sizeof no_delay) != 0) {
        sim_log(SIM_LOG_WARNING,
                "turning off Nagle's algorithm on %s port %d failed: %s; "
                "each response may wait 40 ms for an ACK",
                address, port, strerror(errno));
    }

    struct sockaddr_storage bound;
    socklen_t bound_length = sizeof bound;
    if (getsockname(fd, (struct sockaddr *)&bound, &bound_length) != 0) {
        snprintf(message, message_size, "cannot read the port bound on %s: %s", address,
                 strerror(errno));
        return -1;
    }
    if (bound.ss_family == AF_INET6) {
        *bound_port = ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
    } else {
        *bound_port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
    }
    return 0;
}

void sim_server_free(struct sim_server *server)
{
    if (server == NULL) {
        return;
    }

    /* Pending responses hold requests that evhttp_free would free under them. */
    while (server->pending != NULL) {
        struct server_pending *pending = server->pending;
        sim_log(SIM_LOG_INFO, "%s %s not answered: halosim is stopping", pending->method,
                pending->path);
        evhttp_connection_set_closecb(pending->connection, NULL, NULL);
        evhttp_connection_free(pending->connection);
        server_pending_free(pending);
    }

    evhttp_free(server->http);
    SSL_CTX_free(server->tls);
    free(server);
}
