#include "http_server.h"

#include "log.h"
#include "message.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* 16 MiB, the most halyard's HTTP client reads of a HaloPSA response: a webhook naming a ticket
 * larger than that could not be worked anyway. Each route keeps its own, smaller limit on what
 * it stores or parses. */
#define HTTP_DEFAULT_MAX_BODY_BYTES   (16 * 1024 * 1024)
#define HTTP_DEFAULT_MAX_HEADER_BYTES (64 * 1024)
#define HTTP_DEFAULT_IDLE_TIMEOUT     60
#define HTTP_MAX_ROUTES               64
#define HTTP_MAX_PARAMETER_BYTES      255

/* A request for a path no route serves is logged once a minute per path, so a wrong public_url
 * shows in the log without a flood. The table keeps the paths logged in the last minute. When
 * all its slots are taken, further new paths are only counted, and the next line gives the count.
 */
#define HTTP_UNKNOWN_PATH_SLOTS       32
#define HTTP_UNKNOWN_PATH_LOG_SECONDS 60
#define HTTP_UNKNOWN_PATH_SHOWN_BYTES 200

static const char http_json_type[] = "application/json";
static const char http_stopping_body[] = "{\"error\":\"halyard is stopping; retry later\"}";

typedef struct {
    enum evhttp_cmd_type method;
    char *prefix; /* the pattern up to "{", or the whole pattern */
    char *suffix; /* the pattern after "}" */
    bool has_parameter;
    bool parameter_spans; /* "{name...}": the rest of the path, "/" included */
    halyard_http_handler handler;
    void *argument;
} http_route;

/* A deferred reply lives in one of two lists: open (promised, not sent) and writing (sent, its
 * bytes not yet all written). It leaves the second list when evhttp reports the reply complete
 * or closes the connection. */
struct halyard_http_deferred {
    halyard_http_deferred *previous;
    halyard_http_deferred *next;
    halyard_http_server *server;
    struct evhttp_request *request;
    bool writing;
};

/* A path logged as unknown, as shown in the log, and when. */
typedef struct {
    char path[HTTP_UNKNOWN_PATH_SHOWN_BYTES + 4];
    long long logged_at;   /* monotonic seconds; 0 for a free slot */
    unsigned long repeats; /* requests for the path since logged_at, not logged */
} http_unknown_path;

struct halyard_http_server {
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    int port;
    http_route routes[HTTP_MAX_ROUTES];
    size_t route_count;
    halyard_http_deferred *open;
    halyard_http_deferred *writing;
    size_t open_count;
    size_t writing_count;
    http_unknown_path unknown_paths[HTTP_UNKNOWN_PATH_SLOTS];
    unsigned long unknown_paths_unlogged; /* requests for new paths while every slot was taken */
};

static void list_insert(halyard_http_deferred **head, halyard_http_deferred *deferred)
{
    deferred->previous = NULL;
    deferred->next = *head;
    if (*head != NULL) {
        (*head)->previous = deferred;
    }
    *head = deferred;
}

static void list_remove(halyard_http_deferred **head, halyard_http_deferred *deferred)
{
    if (deferred->previous != NULL) {
        deferred->previous->next = deferred->next;
    } else {
        *head = deferred->next;
    }
    if (deferred->next != NULL) {
        deferred->next->previous = deferred->previous;
    }
    deferred->previous = NULL;
    deferred->next = NULL;
}

void halyard_http_reply_send(struct evhttp_request *request, int status, const char *content_type,
                             const char *body, size_t length)
{
    if (content_type != NULL) {
        evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Type", content_type);
    }
    if (length > 0) {
        evbuffer_add(evhttp_request_get_output_buffer(request), body, length);
    }
    evhttp_send_reply(request, status, NULL, NULL);
}

static void reply_error(struct evhttp_request *request, int status, const char *body)
{
    halyard_http_reply_send(request, status, http_json_type, body, strlen(body));
}

/* Ends the life of a deferred reply whose bytes were written or whose connection closed. */
static void finish_writing(halyard_http_deferred *deferred)
{
    halyard_http_server *server = deferred->server;
    list_remove(&server->writing, deferred);
    server->writing_count--;
    free(deferred);
}

static void on_reply_complete(struct evhttp_request *request, void *argument)
{
    halyard_http_deferred *deferred = argument;
    struct evhttp_connection *connection = evhttp_request_get_connection(request);
    if (connection != NULL) {
        evhttp_connection_set_closecb(connection, NULL, NULL);
    }
    finish_writing(deferred);
}

static void on_connection_close(struct evhttp_connection *connection, void *argument)
{
    (void)connection;
    finish_writing(argument);
}

halyard_http_deferred *halyard_http_server_defer(halyard_http_server *server,
                                                 struct evhttp_request *request)
{
    halyard_http_deferred *deferred = calloc(1, sizeof *deferred);
    if (deferred == NULL) {
        reply_error(request, 503, "{\"error\":\"out of memory; retry later\"}");
        return NULL;
    }
    deferred->server = server;
    deferred->request = request;
    list_insert(&server->open, deferred);
    server->open_count++;
    return deferred;
}

struct evhttp_request *halyard_http_deferred_request(halyard_http_deferred *deferred)
{
    return deferred->request;
}

void halyard_http_deferred_send(halyard_http_deferred *deferred, int status,
                                const char *content_type, const char *body, size_t length)
{
    halyard_http_server *server = deferred->server;
    struct evhttp_request *request = deferred->request;
    list_remove(&server->open, deferred);
    server->open_count--;

    /* A client that hung up meanwhile left the request without a connection: evhttp discards
     * the reply and frees the request, so there is nothing to wait for. Each incoming
     * connection carries one request at a time, so its close callback is free to use until the
     * reply completes. */
    struct evhttp_connection *connection = evhttp_request_get_connection(request);
    if (connection != NULL) {
        deferred->writing = true;
        list_insert(&server->writing, deferred);
        server->writing_count++;
        evhttp_request_set_on_complete_cb(request, on_reply_complete, deferred);
        evhttp_connection_set_closecb(connection, on_connection_close, deferred);
    }
    halyard_http_reply_send(request, status, content_type, body, length);
    if (connection == NULL) {
        free(deferred);
    }
}

size_t halyard_http_server_pending(const halyard_http_server *server)
{
    return server->open_count + server->writing_count;
}

/* Matches path against a route pattern; on a match with a parameter, copies the segment. */
static bool route_matches(const http_route *route, const char *path, char *parameter,
                          size_t parameter_size)
{
    size_t path_length = strlen(path);
    size_t prefix_length = strlen(route->prefix);
    if (!route->has_parameter) {
        return strcmp(path, route->prefix) == 0;
    }

    size_t suffix_length = strlen(route->suffix);
    if (path_length <= prefix_length + suffix_length ||
        strncmp(path, route->prefix, prefix_length) != 0 ||
        strcmp(path + path_length - suffix_length, route->suffix) != 0) {
        return false;
    }
    size_t segment_length = path_length - prefix_length - suffix_length;
    const char *segment = path + prefix_length;
    if (segment_length >= parameter_size) {
        return false;
    }
    if (route->parameter_spans) {
        /* Whole segments only: no empty one, and no "." or ".." a handler might resolve. */
        for (size_t start = 0; start < segment_length;) {
            const char *slash = memchr(segment + start, '/', segment_length - start);
            size_t end = slash != NULL ? (size_t)(slash - segment) : segment_length;
            size_t part = end - start;
            if (part == 0 || (part == 1 && segment[start] == '.') ||
                (part == 2 && segment[start] == '.' && segment[start + 1] == '.')) {
                return false;
            }
            start = end + 1;
            if (slash != NULL && start == segment_length) {
                return false; /* a trailing "/" */
            }
        }
    } else if (memchr(segment, '/', segment_length) != NULL) {
        return false;
    }
    memcpy(parameter, segment, segment_length);
    parameter[segment_length] = '\0';
    return true;
}

static const char *method_name(enum evhttp_cmd_type method)
{
    switch (method) {
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

static void answer_health(struct evhttp_request *request)
{
    enum evhttp_cmd_type method = evhttp_request_get_command(request);
    if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD) {
        evhttp_add_header(evhttp_request_get_output_headers(request), "Allow", "GET, HEAD");
        reply_error(request, 405, "{\"error\":\"method not allowed; use GET\"}");
        return;
    }
    reply_error(request, 200, "{\"status\":\"ok\"}");
}

static long long monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec + 1; /* never 0, which marks a free slot */
}

/* Copies the path of a request target for the log, without its query, which may carry a
 * secret: bytes outside printable ASCII become '?', and a long path is cut. */
static void show_path(char *shown, size_t shown_size, const char *target)
{
    size_t out = 0;
    size_t length = strcspn(target, "?#");
    for (size_t i = 0; i < length && out + 4 < shown_size; i++) {
        if (out >= HTTP_UNKNOWN_PATH_SHOWN_BYTES) {
            memcpy(shown + out, "...", 3);
            out += 3;
            break;
        }
        unsigned char byte = (unsigned char)target[i];
        shown[out++] = (byte < 0x20 || byte >= 0x7f) ? '?' : (char)byte;
    }
    shown[out] = '\0';
}

/* Logs a request that no route serves, at most once a minute for each path. The path comes from
 * the request target as sent, because evhttp parses "//hooks/..." as a host and a shorter path. */
static void log_unknown_path(halyard_http_server *server, struct evhttp_request *request)
{
    char shown[HTTP_UNKNOWN_PATH_SHOWN_BYTES + 4];
    show_path(shown, sizeof shown, evhttp_request_get_uri(request));
    long long now = monotonic_seconds();

    /* Step 1: a path logged in the last minute is only counted. */
    http_unknown_path *slot = NULL;
    for (size_t i = 0; i < HTTP_UNKNOWN_PATH_SLOTS; i++) {
        http_unknown_path *entry = &server->unknown_paths[i];
        bool recent =
            entry->logged_at != 0 && now - entry->logged_at < HTTP_UNKNOWN_PATH_LOG_SECONDS;
        if (recent && strcmp(entry->path, shown) == 0) {
            entry->repeats++;
            return;
        }
        if (!recent && (slot == NULL || entry->logged_at == 0 || strcmp(entry->path, shown) == 0)) {
            slot = entry;
        }
    }
    if (slot == NULL) {
        server->unknown_paths_unlogged++;
        return;
    }

    /* Step 2: one line, with what went unlogged since the last line for the path. */
    unsigned long repeats = strcmp(slot->path, shown) == 0 ? slot->repeats : 0;
    unsigned long others = server->unknown_paths_unlogged;
    halyard_log(HALYARD_LOG_WARNING, "http",
                "no route for %s %s, answered 404. If HaloPSA or a verification provider "
                "sent it, check that public_url is halyard's address without a path (not "
                "logged since this path's last line: %lu requests for it, %lu for other "
                "unknown paths)",
                method_name(evhttp_request_get_command(request)), shown, repeats, others);
    snprintf(slot->path, sizeof slot->path, "%s", shown);
    slot->logged_at = now;
    slot->repeats = 0;
    server->unknown_paths_unlogged = 0;
}

/* Dispatches every request evhttp reads: /healthz, then the routes in the order added. */
static void on_request(struct evhttp_request *request, void *argument)
{
    halyard_http_server *server = argument;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(request);
    const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
    if (path == NULL || path[0] != '/') {
        reply_error(request, 400, "{\"error\":\"invalid request target; expected a path\"}");
        return;
    }
    if (strcmp(path, "/healthz") == 0) {
        answer_health(request);
        return;
    }

    /* The first route for the path and method wins; the other methods go into Allow. */
    enum evhttp_cmd_type method = evhttp_request_get_command(request);
    char parameter[HTTP_MAX_PARAMETER_BYTES + 1];
    char allow[128] = "";
    for (size_t i = 0; i < server->route_count; i++) {
        const http_route *route = &server->routes[i];
        if (!route_matches(route, path, parameter, sizeof parameter)) {
            continue;
        }
        if (route->method == method) {
            route->handler(request, route->has_parameter ? parameter : "", route->argument);
            return;
        }
        size_t used = strlen(allow);
        snprintf(allow + used, sizeof allow - used, "%s%s", used > 0 ? ", " : "",
                 method_name(route->method));
    }

    if (allow[0] != '\0') {
        evhttp_add_header(evhttp_request_get_output_headers(request), "Allow", allow);
        reply_error(request, 405, "{\"error\":\"method not allowed for this path\"}");
        return;
    }
    log_unknown_path(server, request);
    reply_error(request, 404, "{\"error\":\"not found\"}");
}

static int read_bound_port(struct evhttp_bound_socket *bound)
{
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&address, &length) != 0) {
        return -1;
    }
    if (address.ss_family == AF_INET) {
        return ntohs(((struct sockaddr_in *)&address)->sin_port);
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *)&address)->sin6_port);
    }
    return -1;
}

int halyard_http_server_open(struct event_base *base, const char *host, int port,
                             const halyard_http_limits *limits, halyard_http_server **out,
                             char *message, size_t message_size)
{
    *out = NULL;
    if (port < 0 || port > 65535) {
        halyard_message_write(message, message_size, "invalid port %d: expected 0 to 65535", port);
        return -1;
    }
    halyard_http_server *server = calloc(1, sizeof *server);
    if (server == NULL) {
        halyard_message_write(message, message_size, "out of memory creating the HTTP server");
        return -1;
    }
    server->base = base;
    server->http = evhttp_new(base);
    if (server->http == NULL) {
        halyard_message_write(message, message_size, "creating the HTTP server failed");
        goto fail;
    }

    /* Limits: evhttp replies 413 to an oversized body and 400 to oversized headers by itself.
     * NOTE: those two responses carry libevent's HTML page, not halyard's JSON. libevent 2.1
     * sends them before any callback of ours runs and has no hook to replace them. That hook,
     * evhttp_set_errorcb, arrived in libevent 2.2. */
    halyard_http_limits chosen = limits != NULL ? *limits : (halyard_http_limits){0};
    size_t max_body =
        chosen.max_body_bytes > 0 ? chosen.max_body_bytes : HTTP_DEFAULT_MAX_BODY_BYTES;
    size_t max_headers =
        chosen.max_header_bytes > 0 ? chosen.max_header_bytes : HTTP_DEFAULT_MAX_HEADER_BYTES;
    int idle =
        chosen.idle_timeout_seconds > 0 ? chosen.idle_timeout_seconds : HTTP_DEFAULT_IDLE_TIMEOUT;
    evhttp_set_max_body_size(server->http, (ev_ssize_t)max_body);
    evhttp_set_max_headers_size(server->http, (ev_ssize_t)max_headers);
    evhttp_set_timeout(server->http, idle);
    evhttp_set_allowed_methods(server->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                                 EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                                 EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
    evhttp_set_gencb(server->http, on_request, server);

    server->bound = evhttp_bind_socket_with_handle(server->http, host, (ev_uint16_t)port);
    if (server->bound == NULL) {
        halyard_message_write(
            message, message_size,
            "cannot listen on %s port %d: the address is in use or not local; choose "
            "another with --listen HOST:PORT",
            host, port);
        goto fail;
    }
    server->port = read_bound_port(server->bound);
    *out = server;
    return 0;

fail:
    halyard_http_server_free(server);
    return -1;
}

int halyard_http_server_route(halyard_http_server *server, enum evhttp_cmd_type method,
                              const char *pattern, halyard_http_handler handler, void *argument,
                              char *message, size_t message_size)
{
    if (server->route_count == HTTP_MAX_ROUTES) {
        halyard_message_write(message, message_size, "too many routes: at most %d",
                              HTTP_MAX_ROUTES);
        return -1;
    }
    if (pattern[0] != '/') {
        halyard_message_write(message, message_size,
                              "invalid route '%s': expected an absolute path", pattern);
        return -1;
    }

    /* A parameter is "{name}" filling a whole segment: "/" before it, "/" or the end after.
     * "{name...}" at the end of the pattern takes one or more whole segments. */
    http_route route = {.method = method, .handler = handler, .argument = argument};
    const char *open = strchr(pattern, '{');
    const char *close = open != NULL ? strchr(open, '}') : NULL;
    if (open != NULL) {
        bool spans = close != NULL && close - open > 4 && strncmp(close - 3, "...", 3) == 0;
        if (close == NULL || close == open + 1 || open[-1] != '/' ||
            (close[1] != '\0' && close[1] != '/') || strchr(close, '{') != NULL ||
            (spans && close[1] != '\0')) {
            halyard_message_write(
                message, message_size,
                "invalid route '%s': a parameter is one whole segment like /{name}, or the "
                "rest of the path like /{name...} at the end, and there may be only one",
                pattern);
            return -1;
        }
        route.has_parameter = true;
        route.parameter_spans = spans;
        route.prefix = strndup(pattern, (size_t)(open - pattern));
        route.suffix = strdup(close + 1);
    } else {
        route.prefix = strdup(pattern);
        route.suffix = strdup("");
    }
    if (route.prefix == NULL || route.suffix == NULL) {
        free(route.prefix);
        free(route.suffix);
        halyard_message_write(message, message_size, "out of memory adding route '%s'", pattern);
        return -1;
    }
    server->routes[server->route_count++] = route;
    return 0;
}

int halyard_http_server_port(const halyard_http_server *server)
{
    return server->port;
}

void halyard_http_server_stop_accepting(halyard_http_server *server)
{
    if (server->bound != NULL) {
        evhttp_del_accept_socket(server->http, server->bound);
        server->bound = NULL;
    }
}

void halyard_http_server_free(halyard_http_server *server)
{
    if (server == NULL) {
        return;
    }

    /* Step 1: no deferred reply may outlive evhttp, which frees the requests it still holds. */
    while (server->open != NULL) {
        halyard_http_deferred_send(server->open, 503, http_json_type, http_stopping_body,
                                   sizeof http_stopping_body - 1);
    }

    /* Step 2: freeing evhttp closes every connection, which releases the replies being
     * written through on_connection_close; any left over lost their connection unseen. */
    if (server->http != NULL) {
        evhttp_free(server->http);
    }
    while (server->writing != NULL) {
        finish_writing(server->writing);
    }

    for (size_t i = 0; i < server->route_count; i++) {
        free(server->routes[i].prefix);
        free(server->routes[i].suffix);
    }
    free(server);
}
