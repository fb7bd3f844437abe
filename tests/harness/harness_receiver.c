/*
 * Lua module `receiver`: a local HTTP(S) server in a background thread that records every
 * request it gets, for tests of code that sends HTTP (webhook deliveries, say).
 *
 *   receiver.start{status = 200, delay_ms = 0, body = "", content_type = "text/plain",
 *                  location = url, tls_cert = path, tls_key = path}  -> r, or nil, message
 *   r.url                 "http://127.0.0.1:PORT" (https with tls_cert/tls_key)
 *   r:requests()          copies of every request so far, in order of arrival:
 *                         {method, path, query, uri, headers = {lower-case names}, body}
 *   r:count()             how many requests arrived
 *   r:wait(count, timeout_ms) -> the first count requests, or nil, message on timeout
 *   r:set_status(code), r:set_delay(ms), r:set_body(text)
 *   r:set_location(url)   the Location header of every reply (nil: none), for redirects
 *   r:stop()              closes the port; requests stay readable
 *
 * The server thread and Lua share the recorded requests and the reply settings under one
 * mutex. A delayed reply waits on a libevent timer, so slow replies do not hold up others.
 */
#include "halytest.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <lauxlib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#define RECEIVER_METATABLE "halytest.receiver"
#define BODY_MAX_BYTES     (16 * 1024 * 1024)

struct header {
    char *name; /* lower-case */
    char *value;
};

struct recorded_request {
    char *method;
    char *uri;
    char *path;
    char *query;
    struct header *headers;
    size_t header_count;
    char *body;
    size_t body_length;
};

struct receiver {
    pthread_mutex_t lock;
    pthread_cond_t arrived;
    bool lock_ready;

    struct event_base *base;
    struct evhttp *http;
    SSL_CTX *tls;
    pthread_t thread;
    bool running;
    bool registered;

    /* Guarded by lock. */
    int status;
    long delay_ms;
    char *body;
    char *content_type;
    char *location; /* NULL: no Location header */
    struct recorded_request *requests;
    size_t request_count;
    size_t request_capacity;

    char url[64];
};

/* A reply waiting on its delay timer; freed by the timer or by the connection closing. */
struct delayed_reply {
    struct evhttp_request *request;
    struct evhttp_connection *connection;
    struct event *timer;
    int status;
    char *body;
    char *content_type;
    char *location;
};

static char *copy_text(const char *text, size_t length)
{
    char *copy = malloc(length + 1);

    if (copy != NULL) {
        memcpy(copy, text, length);
        copy[length] = '\0';
    }
    return copy;
}

static char *copy_string(const char *text)
{
    return copy_text(text ? text : "", strlen(text ? text : ""));
}

static const char *method_name(enum evhttp_cmd_type command)
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

static void free_recorded(struct recorded_request *recorded)
{
    free(recorded->method);
    free(recorded->uri);
    free(recorded->path);
    free(recorded->query);
    for (size_t i = 0; i < recorded->header_count; i++) {
        free(recorded->headers[i].name);
        free(recorded->headers[i].value);
    }
    free(recorded->headers);
    free(recorded->body);
}

/* Copies what the request carries; returns false when memory ran out. */
static bool record_request(struct evhttp_request *request, struct recorded_request *recorded)
{
    const char *uri = evhttp_request_get_uri(request);
    const char *question = strchr(uri, '?');
    struct evkeyvalq *headers = evhttp_request_get_input_headers(request);
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    size_t count = 0;
    struct evkeyval *header;

    memset(recorded, 0, sizeof(*recorded));
    recorded->method = copy_string(method_name(evhttp_request_get_command(request)));
    recorded->uri = copy_string(uri);
    recorded->path = question ? copy_text(uri, (size_t)(question - uri)) : copy_string(uri);
    recorded->query = copy_string(question ? question + 1 : "");

    /* keyvalq_struct.h declares the list's fields but not TAILQ_FOREACH, so walk it by hand. */
    for (header = headers->tqh_first; header != NULL; header = header->next.tqe_next)
        count++;
    recorded->headers = calloc(count ? count : 1, sizeof(*recorded->headers));
    if (recorded->headers != NULL) {
        for (header = headers->tqh_first; header != NULL; header = header->next.tqe_next) {
            struct header *copy = &recorded->headers[recorded->header_count++];

            copy->name = copy_string(header->key);
            copy->value = copy_string(header->value);
            if (copy->name != NULL) {
                for (char *c = copy->name; *c != '\0'; c++)
                    *c = (char)tolower((unsigned char)*c);
            }
        }
    }

    recorded->body_length = evbuffer_get_length(input);
    recorded->body = malloc(recorded->body_length + 1);
    if (recorded->body != NULL) {
        evbuffer_copyout(input, recorded->body, recorded->body_length);
        recorded->body[recorded->body_length] = '\0';
    }

    return recorded->method && recorded->uri && recorded->path && recorded->query &&
           recorded->headers && recorded->body;
}

static void send_reply(struct evhttp_request *request, int status, const char *body,
                       const char *content_type, const char *location)
{
    struct evbuffer *output = evbuffer_new();

    if (output != NULL)
        evbuffer_add(output, body, strlen(body));
    evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Type", content_type);
    if (location != NULL)
        evhttp_add_header(evhttp_request_get_output_headers(request), "Location", location);
    evhttp_send_reply(request, status, status < 400 ? "OK" : "Error", output);
    if (output != NULL)
        evbuffer_free(output);
}

static void free_delayed(struct delayed_reply *delayed)
{
    event_free(delayed->timer);
    free(delayed->body);
    free(delayed->content_type);
    free(delayed->location);
    free(delayed);
}

/* NOTE: when the client hangs up first, libevent detaches the request and leaves it to its
 * owner. It is not freed here, because on shutdown the same callback runs while the connection
 * still owns its requests. So each early hang-up leaks one request. */
static void on_connection_closed(struct evhttp_connection *connection, void *argument)
{
    (void)connection;
    free_delayed(argument);
}

static void on_delay_over(evutil_socket_t fd, short events, void *argument)
{
    struct delayed_reply *delayed = argument;

    (void)fd;
    (void)events;
    evhttp_connection_set_closecb(delayed->connection, NULL, NULL);
    send_reply(delayed->request, delayed->status, delayed->body, delayed->content_type,
               delayed->location);
    free_delayed(delayed);
}

static void on_request(struct evhttp_request *request, void *argument)
{
    struct receiver *receiver = argument;
    struct recorded_request recorded;
    bool complete = record_request(request, &recorded);
    int status;
    long delay_ms;
    char *body;
    char *content_type;
    char *location = NULL;
    bool location_copied;

    pthread_mutex_lock(&receiver->lock);
    if (complete && receiver->request_count == receiver->request_capacity) {
        size_t capacity = receiver->request_capacity ? receiver->request_capacity * 2 : 16;
        struct recorded_request *grown =
            realloc(receiver->requests, capacity * sizeof(*receiver->requests));

        if (grown == NULL) {
            complete = false;
        } else {
            receiver->requests = grown;
            receiver->request_capacity = capacity;
        }
    }
    if (complete)
        receiver->requests[receiver->request_count++] = recorded;
    status = receiver->status;
    delay_ms = receiver->delay_ms;
    body = copy_string(receiver->body);
    content_type = copy_string(receiver->content_type);
    if (receiver->location != NULL)
        location = copy_string(receiver->location);
    location_copied = receiver->location == NULL || location != NULL;
    pthread_cond_broadcast(&receiver->arrived);
    pthread_mutex_unlock(&receiver->lock);

    if (!complete || body == NULL || content_type == NULL || !location_copied) {
        if (!complete)
            free_recorded(&recorded);
        evhttp_send_error(request, 500, "receiver out of memory");
        free(body);
        free(content_type);
        free(location);
        return;
    }

    if (delay_ms > 0) {
        struct delayed_reply *delayed = calloc(1, sizeof(*delayed));
        struct timeval wait = {delay_ms / 1000, (delay_ms % 1000) * 1000};

        if (delayed != NULL) {
            delayed->request = request;
            delayed->connection = evhttp_request_get_connection(request);
            delayed->status = status;
            delayed->body = body;
            delayed->content_type = content_type;
            delayed->location = location;
            delayed->timer = evtimer_new(receiver->base, on_delay_over, delayed);
            if (delayed->timer != NULL) {
                evhttp_connection_set_closecb(delayed->connection, on_connection_closed, delayed);
                evtimer_add(delayed->timer, &wait);
                return;
            }
            free(delayed);
        }
    }

    send_reply(request, status, body, content_type, location);
    free(body);
    free(content_type);
    free(location);
}

static struct bufferevent *make_tls_bufferevent(struct event_base *base, void *argument)
{
    struct receiver *receiver = argument;
    SSL *tls = SSL_new(receiver->tls);

    if (tls == NULL)
        return NULL;
    return bufferevent_openssl_socket_new(base, -1, tls, BUFFEREVENT_SSL_ACCEPTING,
                                          BEV_OPT_CLOSE_ON_FREE);
}

static void *run_loop(void *argument)
{
    struct receiver *receiver = argument;

    event_base_loop(receiver->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

/* Stops the thread and frees the server; recorded requests stay. Safe to call twice. */
static void receiver_stop(struct receiver *receiver)
{
    if (receiver->running) {
        /* loopexit, not loopbreak: a break sent before the thread enters its loop is lost,
         * while loopexit queues an event that ends the loop whenever it starts. */
        event_base_loopexit(receiver->base, NULL);
        pthread_join(receiver->thread, NULL);
        receiver->running = false;
    }
    if (receiver->http != NULL) {
        evhttp_free(receiver->http);
        receiver->http = NULL;
    }
    if (receiver->base != NULL) {
        event_base_free(receiver->base);
        receiver->base = NULL;
    }
    if (receiver->tls != NULL) {
        SSL_CTX_free(receiver->tls);
        receiver->tls = NULL;
    }
}

static void release_receiver(void *object)
{
    struct receiver *receiver = object;

    receiver->registered = false;
    receiver_stop(receiver);
}

static struct receiver *check_receiver(lua_State *L)
{
    return luaL_checkudata(L, 1, RECEIVER_METATABLE);
}

static const char *optional_string(lua_State *L, const char *field, const char *fallback)
{
    const char *value;

    lua_getfield(L, 1, field);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return fallback;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be a string", field));
    value = lua_tostring(L, -1);
    lua_pop(L, 1); /* referenced by the options table */
    return value;
}

static lua_Integer optional_integer(lua_State *L, const char *field, lua_Integer fallback,
                                    lua_Integer minimum, lua_Integer maximum)
{
    lua_Integer value;

    lua_getfield(L, 1, field);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return fallback;
    }
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < minimum || lua_tointeger(L, -1) > maximum)
        luaL_argerror(L, 1,
                      lua_pushfstring(L, "field '%s' must be an integer from %I to %I", field,
                                      (LUAI_UACINT)minimum, (LUAI_UACINT)maximum));
    value = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return value;
}

static SSL_CTX *make_tls_context(const char *cert, const char *key, char *error, size_t size)
{
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());

    if (context == NULL) {
        snprintf(error, size, "SSL_CTX_new failed");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_chain_file(context, cert) != 1) {
        snprintf(error, size, "cannot load the TLS certificate '%s': %s", cert,
                 ERR_reason_error_string(ERR_get_error()));
        SSL_CTX_free(context);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) != 1) {
        snprintf(error, size, "cannot load the TLS key '%s': %s", key,
                 ERR_reason_error_string(ERR_get_error()));
        SSL_CTX_free(context);
        return NULL;
    }
    return context;
}

static int receiver_start(lua_State *L)
{
    struct receiver *receiver;
    struct evhttp_bound_socket *bound;
    struct sockaddr_in address;
    socklen_t address_length = sizeof(address);
    const char *tls_cert;
    const char *tls_key;
    const char *body;
    const char *content_type;
    const char *location;
    lua_Integer status;
    lua_Integer delay_ms;
    char error[512] = "";

    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    status = optional_integer(L, "status", 200, 100, 599);
    delay_ms = optional_integer(L, "delay_ms", 0, 0, 600000);
    body = optional_string(L, "body", "");
    content_type = optional_string(L, "content_type", "text/plain");
    location = optional_string(L, "location", NULL);
    tls_cert = optional_string(L, "tls_cert", NULL);
    tls_key = optional_string(L, "tls_key", NULL);
    if ((tls_cert == NULL) != (tls_key == NULL))
        return luaL_argerror(L, 1, "fields 'tls_cert' and 'tls_key' go together");

    receiver = lua_newuserdatauv(L, sizeof(*receiver), 0);
    memset(receiver, 0, sizeof(*receiver));
    luaL_setmetatable(L, RECEIVER_METATABLE);
    pthread_mutex_init(&receiver->lock, NULL);
    pthread_cond_init(&receiver->arrived, NULL);
    receiver->lock_ready = true;
    receiver->status = (int)status;
    receiver->delay_ms = (long)delay_ms;
    receiver->body = copy_string(body);
    receiver->content_type = copy_string(content_type);
    receiver->location = location != NULL ? copy_string(location) : NULL;

    if (tls_cert != NULL) {
        receiver->tls = make_tls_context(tls_cert, tls_key, error, sizeof(error));
        if (receiver->tls == NULL)
            goto fail;
    }

    receiver->base = event_base_new();
    receiver->http = receiver->base ? evhttp_new(receiver->base) : NULL;
    if (receiver->http == NULL) {
        snprintf(error, sizeof(error), "cannot create the event base or HTTP server");
        goto fail;
    }
    evhttp_set_allowed_methods(receiver->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                                   EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                                   EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
    evhttp_set_max_body_size(receiver->http, BODY_MAX_BYTES);
    evhttp_set_gencb(receiver->http, on_request, receiver);
    if (receiver->tls != NULL)
        evhttp_set_bevcb(receiver->http, make_tls_bufferevent, receiver);

    bound = evhttp_bind_socket_with_handle(receiver->http, "127.0.0.1", 0);
    if (bound == NULL) {
        snprintf(error, sizeof(error), "cannot listen on 127.0.0.1: %s", strerror(errno));
        goto fail;
    }
    if (getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&address,
                    &address_length) != 0) {
        snprintf(error, sizeof(error), "getsockname failed: %s", strerror(errno));
        goto fail;
    }
    snprintf(receiver->url, sizeof(receiver->url), "%s://127.0.0.1:%d",
             receiver->tls ? "https" : "http", (int)ntohs(address.sin_port));

    if (pthread_create(&receiver->thread, NULL, run_loop, receiver) != 0) {
        snprintf(error, sizeof(error), "cannot start the receiver thread");
        goto fail;
    }
    receiver->running = true;
    halytest_registry_add(release_receiver, receiver);
    receiver->registered = true;
    return 1;

fail:
    receiver_stop(receiver);
    lua_pushnil(L);
    lua_pushstring(L, error);
    return 2;
}

static void push_recorded(lua_State *L, const struct recorded_request *recorded)
{
    lua_createtable(L, 0, 6);
    lua_pushstring(L, recorded->method);
    lua_setfield(L, -2, "method");
    lua_pushstring(L, recorded->uri);
    lua_setfield(L, -2, "uri");
    lua_pushstring(L, recorded->path);
    lua_setfield(L, -2, "path");
    lua_pushstring(L, recorded->query);
    lua_setfield(L, -2, "query");
    lua_pushlstring(L, recorded->body, recorded->body_length);
    lua_setfield(L, -2, "body");

    /* Repeated names are joined with ", " as HTTP allows. */
    lua_createtable(L, 0, (int)recorded->header_count);
    for (size_t i = 0; i < recorded->header_count; i++) {
        const struct header *header = &recorded->headers[i];

        lua_getfield(L, -1, header->name);
        if (lua_isstring(L, -1)) {
            lua_pushliteral(L, ", ");
            lua_pushstring(L, header->value);
            lua_concat(L, 3);
        } else {
            lua_pop(L, 1);
            lua_pushstring(L, header->value);
        }
        lua_setfield(L, -2, header->name);
    }
    lua_setfield(L, -2, "headers");
}

/* Pushes an array of the first count requests; the caller holds the lock. */
static void push_requests(lua_State *L, struct receiver *receiver, size_t count)
{
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        push_recorded(L, &receiver->requests[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int receiver_requests(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);

    pthread_mutex_lock(&receiver->lock);
    push_requests(L, receiver, receiver->request_count);
    pthread_mutex_unlock(&receiver->lock);
    return 1;
}

static int receiver_count(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);

    pthread_mutex_lock(&receiver->lock);
    lua_pushinteger(L, (lua_Integer)receiver->request_count);
    pthread_mutex_unlock(&receiver->lock);
    return 1;
}

static int receiver_wait(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);
    lua_Integer count = luaL_checkinteger(L, 2);
    lua_Integer timeout_ms = luaL_checkinteger(L, 3);
    struct timespec deadline;
    size_t arrived;

    luaL_argcheck(L, count >= 1, 2, "count must be 1 or more");
    luaL_argcheck(L, timeout_ms >= 0, 3, "timeout must be a number of milliseconds, 0 or more");

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)(timeout_ms / 1000);
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }

    pthread_mutex_lock(&receiver->lock);
    while (receiver->request_count < (size_t)count) {
        if (pthread_cond_timedwait(&receiver->arrived, &receiver->lock, &deadline) == ETIMEDOUT)
            break;
    }
    arrived = receiver->request_count;
    if (arrived >= (size_t)count)
        push_requests(L, receiver, (size_t)count);
    pthread_mutex_unlock(&receiver->lock);

    if (arrived < (size_t)count) {
        lua_pushnil(L);
        lua_pushfstring(L, "timed out after %I ms waiting for %I requests at %s (got %d)",
                        (LUAI_UACINT)timeout_ms, (LUAI_UACINT)count, receiver->url, (int)arrived);
        return 2;
    }
    return 1;
}

static int receiver_set_status(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);
    lua_Integer status = luaL_checkinteger(L, 2);

    luaL_argcheck(L, status >= 100 && status <= 599, 2, "HTTP status must be from 100 to 599");
    pthread_mutex_lock(&receiver->lock);
    receiver->status = (int)status;
    pthread_mutex_unlock(&receiver->lock);
    return 0;
}

static int receiver_set_delay(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);
    lua_Integer delay_ms = luaL_checkinteger(L, 2);

    luaL_argcheck(L, delay_ms >= 0 && delay_ms <= 600000, 2,
                  "delay must be from 0 to 600000 milliseconds");
    pthread_mutex_lock(&receiver->lock);
    receiver->delay_ms = (long)delay_ms;
    pthread_mutex_unlock(&receiver->lock);
    return 0;
}

static int receiver_set_body(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);
    char *body = copy_string(luaL_checkstring(L, 2));

    if (body == NULL)
        return luaL_error(L, "set_body: out of memory");
    pthread_mutex_lock(&receiver->lock);
    free(receiver->body);
    receiver->body = body;
    pthread_mutex_unlock(&receiver->lock);
    return 0;
}

static int receiver_set_location(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);
    char *location = NULL;

    if (!lua_isnoneornil(L, 2)) {
        location = copy_string(luaL_checkstring(L, 2));
        if (location == NULL)
            return luaL_error(L, "set_location: out of memory");
    }
    pthread_mutex_lock(&receiver->lock);
    free(receiver->location);
    receiver->location = location;
    pthread_mutex_unlock(&receiver->lock);
    return 0;
}

static int receiver_stop_method(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);

    if (receiver->registered) {
        halytest_registry_remove(receiver);
        receiver->registered = false;
    }
    receiver_stop(receiver);
    return 0;
}

static int receiver_index(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);
    const char *key = luaL_checkstring(L, 2);

    if (strcmp(key, "url") == 0) {
        lua_pushstring(L, receiver->url);
        return 1;
    }
    luaL_getmetatable(L, RECEIVER_METATABLE);
    lua_getfield(L, -1, "methods");
    lua_getfield(L, -1, key);
    return 1;
}

static int receiver_gc(lua_State *L)
{
    struct receiver *receiver = check_receiver(L);

    if (!receiver->lock_ready)
        return 0;
    if (receiver->registered) {
        halytest_registry_remove(receiver);
        receiver->registered = false;
    }
    receiver_stop(receiver);
    for (size_t i = 0; i < receiver->request_count; i++)
        free_recorded(&receiver->requests[i]);
    free(receiver->requests);
    free(receiver->body);
    free(receiver->content_type);
    free(receiver->location);
    pthread_cond_destroy(&receiver->arrived);
    pthread_mutex_destroy(&receiver->lock);
    receiver->lock_ready = false;
    return 0;
}

int halytest_open_receiver(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"start", receiver_start},
        {NULL, NULL},
    };
    static const luaL_Reg methods[] = {
        {"requests", receiver_requests},   {"count", receiver_count},
        {"wait", receiver_wait},           {"set_status", receiver_set_status},
        {"set_delay", receiver_set_delay}, {"set_body", receiver_set_body},
        {"set_location", receiver_set_location},
        {"stop", receiver_stop_method},    {NULL, NULL},
    };
    static bool threads_ready;

    /* Ending a receiver's loop from the Lua thread needs libevent's locking switched on. */
    if (!threads_ready) {
        if (evthread_use_pthreads() != 0)
            return luaL_error(L, "receiver: evthread_use_pthreads failed");
        threads_ready = true;
    }

    if (luaL_newmetatable(L, RECEIVER_METATABLE)) {
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "methods");
        lua_pushcfunction(L, receiver_index);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, receiver_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    return 1;
}
