/*
 * The `http` module: outbound HTTP for scripts, to the hosts on the MSP's allow-list only
 * (http_allow.h has the rules). Every call sends one request and waits for the response as a
 * run's pending call (lua_wait.h). Redirects are not followed: a 3xx comes back to the script
 * like any other status, with its Location header, and a script that wants to follow it
 * makes a second call, which the allow-list checks again.
 *
 * Only GET and HEAD are sent unless the run was started with allow_writes (lua_host.h):
 * without it, http.post, http.request with another method, and a request that carries a
 * method-override header or query parameter raise "writes are not allowed in this run". A GET
 * or HEAD never carries a body.
 *
 * Misuse (a wrong argument type, a bad header) raises with lauxlib's wording. A failure a
 * script should expect returns nil and a message: the URL is not allowed, no response came
 * (refused, timed out, a rejected address), or the response was too large. Log lines name the
 * host and port, never the path, the query or a header value, which may hold secrets.
 */
#include "http.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lauxlib.h>

#include "http_allow.h"
#include "http_client.h"
#include "log.h"
#include "lua_wait.h"

/* The time a request may take unless the script sets timeout_ms, and the most it may set
 * (the run's own time limit may cut either shorter), in milliseconds. */
#define HTTP_TIMEOUT_MS_DEFAULT 10000
#define HTTP_TIMEOUT_MS_MAX     60000

/* A response body larger than this fails the call; so does a request body. */
#define HTTP_BODY_MAX_BYTES (1024 * 1024)

/* The request headers a script may set, and the longest "Name: value" line. */
#define HTTP_HEADER_COUNT_MAX 32
#define HTTP_HEADER_LINE_MAX  8192

/* An http call in flight: the request, and its response once it arrived. */
typedef struct {
    halyard_lua_wait wait; /* first, so the record and its wait share an address */
    halyard_http_client *http;
    bool allow_private;
    char function[16]; /* "http.get", for messages */
    char host[HALYARD_HTTP_HOST_MAX + 1];
    unsigned int port;
    char msp[40];
    char run_label[64];

    bool complete; /* the callback ran and copied everything below */
    long status;
    char *body;
    size_t body_length;
    char *headers;
    char *error; /* why no response arrived */
} http_wait;

static void http_wait_release(halyard_lua_wait *base)
{
    http_wait *wait = (http_wait *)base;
    free(wait->body);
    free(wait->headers);
    free(wait->error);
    free(wait);
}

static void http_on_response(const halyard_http_response *response, void *argument);

static void http_wait_cancel(halyard_lua_wait *base)
{
    http_wait *wait = (http_wait *)base;
    halyard_http_cancel(wait->http, http_on_response, wait);
}

static char *http_copy(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy != NULL) {
        memcpy(copy, text, length);
        copy[length] = '\0';
    }
    return copy;
}

/* Stores the response in the wait and lets the run resume. */
static void http_on_response(const halyard_http_response *response, void *argument)
{
    http_wait *wait = argument;
    if (response->error != NULL) {
        wait->error = http_copy(response->error, strlen(response->error));
        wait->complete = wait->error != NULL;
    } else {
        wait->status = response->status;
        wait->body = http_copy(response->body, response->body_length);
        wait->body_length = response->body_length;
        wait->headers = http_copy(response->headers, response->headers_length);
        wait->complete = wait->body != NULL && wait->headers != NULL;
    }
    halyard_lua_wait_done(&wait->wait);
}

/*
 * Checks every address the request connects to: an address that is not public is reached
 * only when the URL's allow-list entry sets private = true.
 */
static int http_check_address(const struct sockaddr *address, size_t address_length, void *argument,
                              char *message, size_t message_size)
{
    const http_wait *wait = argument;
    const char *kind = halyard_http_address_kind(address, address_length);
    if (kind == NULL || (wait->allow_private && strcmp(kind, "unsupported") != 0)) {
        return 0;
    }

    char text[64];
    halyard_http_address_text(address, text, sizeof text);
    snprintf(message, message_size,
             "%s leads to %s, a %s address, which is reached only when its http_allow entry "
             "sets private = true",
             wait->host, text, kind);
    halyard_log(HALYARD_LOG_WARNING, "lua", "msp=%s run=%s %s to %s port %u rejected: %s",
                wait->msp, wait->run_label, wait->function, wait->host, wait->port, message);
    return -1;
}

/* Returns nil and "<function>: <message>", after logging it. Stack: [] -> [nil, message]. */
static int http_fail(lua_State *L, const char *function, const char *msp, const char *run_label,
                     const char *format, ...) __attribute__((format(printf, 5, 6)));

static int http_fail(lua_State *L, const char *function, const char *msp, const char *run_label,
                     const char *format, ...)
{
    char message[768];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    halyard_log(HALYARD_LOG_WARNING, "lua", "msp=%s run=%s %s failed: %s", msp, run_label, function,
                message);
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", function, message);
    return 2;
}

/* Pushes the response's header lines as a table: lower-case names, repeated headers joined
 * with ", ". Stack: [] -> [headers]. */
static void http_push_headers(lua_State *L, const char *lines)
{
    lua_newtable(L);
    const char *line = lines;
    while (*line != '\0') {
        size_t length = strcspn(line, "\r\n");
        const char *colon = memchr(line, ':', length);
        if (colon != NULL && colon > line) {
            char name[128];
            size_t name_length = (size_t)(colon - line);
            if (name_length >= sizeof name) {
                name_length = sizeof name - 1;
            }
            for (size_t i = 0; i < name_length; i++) {
                name[i] = (char)tolower((unsigned char)line[i]);
            }
            name[name_length] = '\0';
            const char *value = colon + 1;
            const char *end = line + length;
            while (value < end && (*value == ' ' || *value == '\t')) {
                value++;
            }
            while (end > value && (end[-1] == ' ' || end[-1] == '\t')) {
                end--;
            }

            lua_getfield(L, -1, name);
            if (lua_isstring(L, -1)) {
                lua_pushliteral(L, ", ");
                lua_pushlstring(L, value, (size_t)(end - value));
                lua_concat(L, 3);
            } else {
                lua_pop(L, 1);
                lua_pushlstring(L, value, (size_t)(end - value));
            }
            lua_setfield(L, -2, name);
        }
        line += length;
        line += strspn(line, "\r\n");
    }
}

/*
 * The continuation of every http call: turns the stored response into the call's results.
 * Stack: [args...] -> [args..., response] or [args..., nil, message].
 */
static int http_finish(lua_State *L, int status, lua_KContext context)
{
    (void)status;
    const http_wait *wait = (const http_wait *)context;

    if (wait->wait.failure != NULL) {
        return http_fail(L, wait->function, wait->msp, wait->run_label, "%s", wait->wait.failure);
    }
    if (!wait->complete) {
        return http_fail(L, wait->function, wait->msp, wait->run_label,
                         "out of memory keeping the response of %s", wait->host);
    }
    if (wait->error != NULL) {
        return http_fail(L, wait->function, wait->msp, wait->run_label, "%s", wait->error);
    }

    lua_createtable(L, 0, 3);
    lua_pushinteger(L, wait->status);
    lua_setfield(L, -2, "status");
    http_push_headers(L, wait->headers);
    lua_setfield(L, -2, "headers");
    lua_pushlstring(L, wait->body, wait->body_length);
    lua_setfield(L, -2, "body");
    halyard_log(HALYARD_LOG_DEBUG, "lua", "msp=%s run=%s %s to %s port %u returned %ld (%zu bytes)",
                wait->msp, wait->run_label, wait->function, wait->host, wait->port, wait->status,
                wait->body_length);
    return 1;
}

/* True when name is an HTTP header name (an RFC 9110 token). */
static bool http_is_token(const char *name)
{
    if (*name == '\0') {
        return false;
    }
    for (const char *c = name; *c != '\0'; c++) {
        if (!isalnum((unsigned char)*c) && strchr("!#$%&'*+-.^_`|~", *c) == NULL) {
            return false;
        }
    }
    return true;
}

/* The headers halyard's HTTP client sets itself; a script's value would conflict with them or
 * change how the request is framed. */
static bool http_is_reserved_header(const char *name)
{
    static const char *const reserved[] = {"host", "content-length", "transfer-encoding",
                                           "connection", "expect"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        if (strcasecmp(name, reserved[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The headers and query parameters that ask a server to treat a request as another method, as
 * letters and digits only in lower case. Names are compared in that form, so "_method",
 * ".method", " method", "_method%00", "_HttpMethod" and "X-HTTP-Method" all count. Some REST
 * gateways and web frameworks honour them, so a run that may only read must not send them.
 * "method" alone is an ordinary name: it counts only written with another character, such as
 * "_method" or ".method", which some frameworks read as "_method". */
static const char *const http_method_overrides[] = {
    "xhttpmethodoverride", "xhttpmethod", "xmethodoverride", "methodoverride", "httpmethod"};

/* Appends c to folded (letters and digits only, lower case) when it is one; other characters
 * are left out and set *other. Returns false when folded is full, so the name is too long to be
 * an override. */
static bool http_fold_name_char(char c, char *folded, size_t size, size_t *length, bool *other)
{
    if (!isalnum((unsigned char)c)) {
        *other = true;
        return true;
    }
    if (*length + 1 >= size) {
        return false;
    }
    folded[(*length)++] = (char)tolower((unsigned char)c);
    folded[*length] = '\0';
    return true;
}

/* True when folded (a name folded by http_fold_name_char, which had other characters when
 * other is true) is a method-override name. */
static bool http_is_folded_override(const char *folded, bool other)
{
    if (strcmp(folded, "method") == 0) {
        return other;
    }
    for (size_t i = 0; i < sizeof http_method_overrides / sizeof http_method_overrides[0]; i++) {
        if (strcmp(folded, http_method_overrides[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* True when name (length bytes, which may hold a NUL) is a method-override name. */
static bool http_is_method_override(const char *name, size_t length)
{
    char folded[32] = "";
    size_t folded_length = 0;
    bool other = false;
    for (size_t i = 0; i < length; i++) {
        if (!http_fold_name_char(name[i], folded, sizeof folded, &folded_length, &other)) {
            return false;
        }
    }
    return http_is_folded_override(folded, other);
}

static int http_hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Finds a method-override parameter in url's query: a parameter whose name, percent-decoded and
 * folded, is one of http_method_overrides. Parameters are split at '&' and ';', because some
 * servers accept either. Copies the name as written into name and returns true when one is found.
 */
static bool http_find_override_parameter(const char *url, char *name, size_t name_size)
{
    const char *query = strchr(url, '?');
    if (query == NULL) {
        return false;
    }
    query++;
    size_t query_length = strcspn(query, "#");

    const char *parameter = query;
    while (parameter < query + query_length) {
        size_t length = strcspn(parameter, "&;#");
        size_t name_length = strcspn(parameter, "=&;#");

        /* Decode and fold the name; a name longer than any override name cannot be one. */
        char folded[32] = "";
        size_t folded_length = 0;
        bool other = false;
        bool too_long = false;
        for (size_t i = 0; i < name_length && !too_long; i++) {
            char c = parameter[i];
            if (c == '%' && i + 2 < name_length && http_hex_value(parameter[i + 1]) >= 0 &&
                http_hex_value(parameter[i + 2]) >= 0) {
                c = (char)(http_hex_value(parameter[i + 1]) * 16 +
                           http_hex_value(parameter[i + 2]));
                i += 2;
            }
            too_long = !http_fold_name_char(c, folded, sizeof folded, &folded_length, &other);
        }
        if (!too_long && http_is_folded_override(folded, other)) {
            snprintf(name, name_size, "%.*s", (int)name_length, parameter);
            return true;
        }

        parameter += length;
        if (*parameter == '&' || *parameter == ';') {
            parameter++;
        } else {
            break;
        }
    }
    return false;
}

/*
 * Raises when a run that may not write sends a request that can make the server use another
 * method: a method-override header in the headers table at headers_index (0 for none), or a
 * method-override parameter in url's query. Frees owned_url first when it raises.
 */
static void http_check_no_override(lua_State *L, const char *function, const halyard_lua_io *io,
                                   int headers_index, const char *url, char *owned_url)
{
    char name[HTTP_HEADER_LINE_MAX];
    const char *kind = NULL;
    if (headers_index != 0) {
        lua_pushnil(L);
        while (kind == NULL && lua_next(L, headers_index) != 0) {
            size_t length = 0;
            const char *header = lua_tolstring(L, -2, &length);
            if (http_is_method_override(header, length)) {
                snprintf(name, sizeof name, "%s", header);
                kind = "header";
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
    }
    if (kind == NULL && http_find_override_parameter(url, name, sizeof name)) {
        kind = "query parameter";
    }
    if (kind == NULL) {
        return;
    }

    free(owned_url);
    halyard_log(HALYARD_LOG_WARNING, "lua",
                "msp=%s run=%s %s with method-override %s %s rejected: writes are not allowed "
                "in this run",
                io->msp, io->run_label, function, kind, name);
    luaL_error(L,
               "writes are not allowed in this run: %s with %s '%s' can make the server treat the "
               "request as another method; remove it, or send the write from a write tool that "
               "runs as an approved or automatic step in Execute mode",
               function, kind, name);
}

/* A call's arguments after checking: all strings belong to the Lua stack. */
typedef struct {
    const char *function;
    const char *method;
    const char *url;
    const char *body;
    size_t body_length;
    int headers_index; /* the headers table's stack index, or 0 */
    long timeout_ms;
} http_call;

/* Checks the options table at index (absent or nil is none): headers, timeout_ms and, when
 * allow_body, body. Raises on misuse. */
static void http_check_options(lua_State *L, int index, bool allow_body, http_call *call)
{
    call->timeout_ms = HTTP_TIMEOUT_MS_DEFAULT;
    if (lua_isnoneornil(L, index)) {
        return;
    }
    luaL_checktype(L, index, LUA_TTABLE);

    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        lua_pop(L, 1);
        const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
        if (strcmp(key, "headers") != 0 && strcmp(key, "timeout_ms") != 0 &&
            (!allow_body || strcmp(key, "body") != 0)) {
            luaL_argerror(L, index,
                          lua_pushfstring(L,
                                          "unknown option '%s'; the options are headers, "
                                          "timeout_ms%s",
                                          key, allow_body ? " and body" : ""));
        }
    }

    lua_getfield(L, index, "timeout_ms");
    if (!lua_isnil(L, -1)) {
        int is_integer = 0;
        lua_Integer timeout =
            lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, &is_integer) : 0;
        if (!is_integer || timeout < 1 || timeout > HTTP_TIMEOUT_MS_MAX) {
            luaL_argerror(L, index,
                          lua_pushfstring(L,
                                          "field 'timeout_ms' must be a whole number of "
                                          "milliseconds from 1 to %d",
                                          HTTP_TIMEOUT_MS_MAX));
        }
        call->timeout_ms = (long)timeout;
    }
    lua_pop(L, 1);

    if (allow_body) {
        lua_getfield(L, index, "body");
        if (!lua_isnil(L, -1)) {
            if (lua_type(L, -1) != LUA_TSTRING) {
                luaL_argerror(L, index, "field 'body' must be a string");
            }
            call->body = lua_tolstring(L, -1, &call->body_length);
        }
        lua_pop(L, 1); /* the string stays alive in the options table */
    }

    /* The headers table stays on the stack for http_start to read. */
    lua_getfield(L, index, "headers");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    if (!lua_istable(L, -1)) {
        luaL_argerror(L, index, "field 'headers' must be a table of name = value");
    }
    int count = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
            luaL_argerror(L, index, "every header must be a string name with a string value");
        }
        const char *name = lua_tostring(L, -2);
        size_t value_length = 0;
        const char *value = lua_tolstring(L, -1, &value_length);
        if (!http_is_token(name)) {
            luaL_argerror(L, index, lua_pushfstring(L, "header name '%s' is not valid", name));
        }
        if (http_is_reserved_header(name)) {
            luaL_argerror(L, index,
                          lua_pushfstring(L,
                                          "header '%s' is set by halyard and cannot be "
                                          "changed",
                                          name));
        }
        if (strlen(value) != value_length || strpbrk(value, "\r\n") != NULL) {
            luaL_argerror(L, index,
                          lua_pushfstring(L,
                                          "the value of header '%s' contains a line break or "
                                          "NUL byte",
                                          name));
        }
        if (strlen(name) + 2 + value_length >= HTTP_HEADER_LINE_MAX) {
            luaL_argerror(L, index,
                          lua_pushfstring(L, "header '%s' is longer than %d bytes", name,
                                          HTTP_HEADER_LINE_MAX));
        }
        if (++count > HTTP_HEADER_COUNT_MAX) {
            luaL_argerror(L, index,
                          lua_pushfstring(L, "more than %d headers", HTTP_HEADER_COUNT_MAX));
        }
        lua_pop(L, 1);
    }
    call->headers_index = lua_gettop(L);
}

/* Frees header lines made by http_header_lines. */
static void http_free_lines(char **lines)
{
    for (int i = 0; lines[i] != NULL; i++) {
        free(lines[i]);
    }
}

/* Makes the "Name: value" lines of the checked headers table into lines (NULL-terminated,
 * HTTP_HEADER_COUNT_MAX + 1 slots). Raises nothing. Returns 0, or -1 when out of memory. */
static int http_header_lines(lua_State *L, int headers_index, char **lines)
{
    int count = 0;
    lines[0] = NULL;
    if (headers_index == 0) {
        return 0;
    }
    lua_pushnil(L);
    while (lua_next(L, headers_index) != 0) {
        const char *name = lua_tostring(L, -2);
        const char *value = lua_tostring(L, -1);
        size_t size = strlen(name) + strlen(value) + 3;
        lines[count] = malloc(size);
        if (lines[count] == NULL) {
            lua_pop(L, 2);
            http_free_lines(lines);
            return -1;
        }
        snprintf(lines[count], size, "%s: %s", name, value);
        lines[++count] = NULL;
        lua_pop(L, 1);
    }
    return 0;
}

/*
 * Checks the URL against the allow-list, then starts the request as the running run's
 * pending call and suspends the run; the results come from http_finish. Raises when the call
 * cannot wait here; returns nil and a message when the URL is not allowed.
 */
static int http_start(lua_State *L, const http_call *call)
{
    halyard_lua_io io;
    char message[512];
    if (halyard_lua_wait_begin(L, call->function, HALYARD_LUA_WAIT_HTTP, &io, message,
                               sizeof message) != 0) {
        luaL_pushfail(L);
        lua_pushfstring(L, "%s: %s", call->function, message);
        return 2;
    }

    /* Step 1: only a run started to perform a write step may send anything but GET or HEAD,
     * so a plan, a gather or a read tool can never change another system. */
    bool reads_only = strcmp(call->method, "GET") == 0 || strcmp(call->method, "HEAD") == 0;
    if (!reads_only && !io.allow_writes) {
        halyard_log(HALYARD_LOG_WARNING, "lua",
                    "msp=%s run=%s %s with method %s rejected: writes are not allowed in this run",
                    io.msp, io.run_label, call->function, call->method);
        return luaL_error(L,
                          "writes are not allowed in this run: %s with method %s is sent only "
                          "by a write tool that runs as an approved or automatic step in "
                          "Execute mode",
                          call->function, call->method);
    }

    /* Step 2: the allow-list. */
    halyard_http_allow_target target;
    if (halyard_http_allow_check_url(io.http_allow, io.http_allow_count, call->url, &target,
                                     message, sizeof message) != 0) {
        return http_fail(L, call->function, io.msp, io.run_label, "%s", message);
    }

    /* Step 2b: a read may not ask the server for another method either. The query is read
     * from the URL as the allow-list check rebuilt it, which is the URL that is sent. */
    if (!io.allow_writes) {
        http_check_no_override(L, call->function, &io, call->headers_index, target.url, target.url);
    }

    /* Step 3: the record and the request's parts; nothing below raises. */
    http_wait *wait = calloc(1, sizeof *wait);
    char *lines[HTTP_HEADER_COUNT_MAX + 1] = {NULL};
    if (wait == NULL || http_header_lines(L, call->headers_index, lines) != 0) {
        free(wait);
        free(target.url);
        return luaL_error(L, "%s: out of memory", call->function);
    }
    wait->wait.cancel = http_wait_cancel;
    wait->wait.release = http_wait_release;
    wait->http = io.http;
    wait->allow_private = target.entry->allow_private;
    wait->port = target.port;
    snprintf(wait->function, sizeof wait->function, "%s", call->function);
    snprintf(wait->host, sizeof wait->host, "%s", target.host);
    snprintf(wait->msp, sizeof wait->msp, "%s", io.msp);
    snprintf(wait->run_label, sizeof wait->run_label, "%s", io.run_label);

    long timeout_ms = call->timeout_ms;
    if (io.time_left_ms < timeout_ms) {
        timeout_ms = io.time_left_ms > 0 ? (long)io.time_left_ms : 1;
    }
    halyard_http_request request = {
        .method = call->method,
        .url = target.url,
        .headers = (const char *const *)lines,
        .body = call->body,
        .body_length = call->body_length,
        .timeout_ms = timeout_ms,
        .max_body_bytes = HTTP_BODY_MAX_BYTES,
        .keep_headers = true,
        .check_address = http_check_address,
        .check_argument = wait,
    };

    /* Step 4: send, and wait. */
    halyard_lua_wait_attach(L, &wait->wait);
    int sent =
        halyard_http_send(io.http, &request, http_on_response, wait, message, sizeof message);
    http_free_lines(lines);
    free(target.url);
    if (sent != 0) {
        halyard_lua_wait_detach(L, &wait->wait);
        return http_fail(L, call->function, io.msp, io.run_label, "%s", message);
    }
    return halyard_lua_wait_yield(L, &wait->wait, http_finish);
}

/* Reads argument arg as a string; unlike luaL_checklstring, a number is rejected, because a
 * number where a URL or body belongs is a bug. Raises. */
static const char *http_check_text(lua_State *L, int arg, size_t *length)
{
    if (lua_type(L, arg) != LUA_TSTRING) {
        luaL_typeerror(L, arg, "string");
    }
    return lua_tolstring(L, arg, length);
}

/* Rejects a request body over HTTP_BODY_MAX_BYTES. */
static void http_check_body_size(lua_State *L, int arg, const http_call *call)
{
    if (call->body != NULL && call->body_length > HTTP_BODY_MAX_BYTES) {
        luaL_argerror(L, arg,
                      lua_pushfstring(L, "the body is longer than %d bytes", HTTP_BODY_MAX_BYTES));
    }
}

/* http.get(url [, {headers = {...}, timeout_ms = N}]) */
static int http_get(lua_State *L)
{
    http_call call = {.function = "http.get", .method = "GET"};
    call.url = http_check_text(L, 1, NULL);
    http_check_options(L, 2, false, &call);
    return http_start(L, &call);
}

/* http.post(url, body [, {headers = {...}, timeout_ms = N}]) */
static int http_post(lua_State *L)
{
    http_call call = {.function = "http.post", .method = "POST"};
    call.url = http_check_text(L, 1, NULL);
    call.body = http_check_text(L, 2, &call.body_length);
    http_check_body_size(L, 2, &call);
    http_check_options(L, 3, false, &call);
    return http_start(L, &call);
}

/* http.request(method, url [, {headers = {...}, body = "...", timeout_ms = N}])
 * The method must be one of the list exactly: luaL_checkoption compares whole strings, so
 * "get" or "GET\r\n" raises. A body with GET or HEAD raises, in every run. */
static int http_request(lua_State *L)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", NULL};
    http_call call = {.function = "http.request"};
    call.method = methods[luaL_checkoption(L, 1, NULL, methods)];
    call.url = http_check_text(L, 2, NULL);
    http_check_options(L, 3, true, &call);
    http_check_body_size(L, 3, &call);
    if (call.body != NULL &&
        (strcmp(call.method, "GET") == 0 || strcmp(call.method, "HEAD") == 0)) {
        luaL_argerror(L, 3,
                      lua_pushfstring(L,
                                      "field 'body' is not sent with method %s; leave it out, "
                                      "or send it with POST, PUT, PATCH or DELETE from a write "
                                      "tool",
                                      call.method));
    }
    return http_start(L, &call);
}

/* http.check_url(url): true when the run's http_allow list lets a call reach url. Else nil,
 * halyard's message, and the URL's host and port when the list lacks them (nil for a URL that
 * is invalid in itself). Sends nothing and counts no call. Raises outside a run. */
static int http_check_url(lua_State *L)
{
    const char *url = luaL_checkstring(L, 1);
    const halyard_http_allow_entry *entries = NULL;
    size_t count = 0;
    if (halyard_lua_run_http_allow(L, &entries, &count) != 0) {
        return luaL_error(L, "http.check_url is not available in this context: only a run on "
                             "halyard's event loop has an http_allow list");
    }

    halyard_http_allow_target target;
    char message[512];
    if (halyard_http_allow_check_url(entries, count, url, &target, message, sizeof message) != 0) {
        luaL_pushfail(L);
        lua_pushfstring(L, "http.check_url: %s", message);
        if (strstr(message, "http_allow") == NULL) {
            return 2;
        }
        lua_pushstring(L, target.host);
        lua_pushinteger(L, (lua_Integer)target.port);
        return 4;
    }
    free(target.url);
    lua_pushboolean(L, 1);
    return 1;
}

int halyard_open_http(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"check_url", http_check_url}, {"get", http_get}, {"post", http_post},
        {"request", http_request},     {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}
