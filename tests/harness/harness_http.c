/*
 * Lua module `http`: a blocking HTTP client for tests, on libcurl's easy interface.
 *
 *   http.request{method=, url=, headers={}, body=, cafile=, timeout_ms=}
 *       -> {status=, headers={lower-case names}, body=} or nil, message
 *   http.form(table)   -> application/x-www-form-urlencoded text
 *   http.query(table)  -> the same encoding, for a URL's query
 *   http.last_error()  -> the message of the latest failed request, or nil
 *
 * Peers are verified against the system store, or against cafile when given. Redirects are
 * never followed. Proxies from the environment are ignored, because tests only talk to servers
 * on this machine.
 */
#include "halytest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <lauxlib.h>

#define DEFAULT_TIMEOUT_MS 10000
#define BODY_MAX           (64u * 1024u * 1024u)
#define LAST_ERROR_KEY     "halytest.http.last_error"

struct response_buffer {
    char *data;
    size_t length;
    size_t capacity;
    bool too_large;
};

/* Raw header lines of the final response: interim responses (100 Continue) are discarded. */
struct header_lines {
    struct response_buffer text;
};

static bool buffer_append(struct response_buffer *buffer, const char *data, size_t length)
{
    if (buffer->length + length > BODY_MAX) {
        buffer->too_large = true;
        return false;
    }
    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        char *grown;

        while (capacity < buffer->length + length + 1)
            capacity *= 2;
        grown = realloc(buffer->data, capacity);
        if (grown == NULL)
            return false;
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, data, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
    return true;
}

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    struct response_buffer *body = user;

    if (!buffer_append(body, data, size * count))
        return 0;
    return size * count;
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    struct header_lines *lines = user;
    size_t length = size * count;

    /* A new status line starts a new response (after 100 Continue, say). */
    if (length >= 5 && memcmp(data, "HTTP/", 5) == 0)
        lines->text.length = 0;
    if (!buffer_append(&lines->text, data, length))
        return 0;
    return length;
}

static void set_last_error(lua_State *L, const char *message)
{
    lua_pushstring(L, message);
    lua_setfield(L, LUA_REGISTRYINDEX, LAST_ERROR_KEY);
}

/* Fails with lauxlib's argument-error wording for a field of the options table. */
static int field_error(lua_State *L, const char *field, const char *expected)
{
    return luaL_argerror(
        L, 1,
        lua_pushfstring(L, "field '%s' must be %s, got %s", field, expected, luaL_typename(L, -1)));
}

static const char *optional_string_field(lua_State *L, const char *field, size_t *length)
{
    const char *value = NULL;

    lua_getfield(L, 1, field);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return NULL;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
        field_error(L, field, "a string");
    value = lua_tolstring(L, -1, length);
    /* The string stays referenced by the options table, which is on the stack. */
    lua_pop(L, 1);
    return value;
}

/* Pushes the response headers as a table with lower-case names; repeated names are joined
 * with ", " as HTTP allows. */
static void push_headers(lua_State *L, const struct header_lines *lines)
{
    const char *line = lines->text.data;

    lua_newtable(L);
    if (line == NULL)
        return;

    while (*line != '\0') {
        const char *end = strstr(line, "\r\n");
        const char *colon;
        size_t line_length = end ? (size_t)(end - line) : strlen(line);

        colon = memchr(line, ':', line_length);
        if (colon != NULL && strncmp(line, "HTTP/", 5) != 0) {
            const char *value = colon + 1;
            const char *value_end = line + line_length;
            luaL_Buffer name;

            while (value < value_end && (*value == ' ' || *value == '\t'))
                value++;
            while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
                value_end--;

            luaL_buffinit(L, &name);
            for (const char *c = line; c < colon; c++)
                luaL_addchar(&name, (char)tolower((unsigned char)*c));
            luaL_pushresult(&name);

            lua_pushvalue(L, -1);
            lua_rawget(L, -3);
            if (lua_isstring(L, -1)) {
                lua_pushliteral(L, ", ");
                lua_pushlstring(L, value, (size_t)(value_end - value));
                lua_concat(L, 3);
            } else {
                lua_pop(L, 1);
                lua_pushlstring(L, value, (size_t)(value_end - value));
            }
            lua_rawset(L, -3);
        }
        line += line_length;
        if (end != NULL)
            line += 2;
    }
}

/* Builds the request's header list from the `headers` field. Raises on a bad field. */
static struct curl_slist *collect_headers(lua_State *L, bool has_body)
{
    struct curl_slist *list = NULL;
    bool has_content_type = false;

    lua_getfield(L, 1, "headers");
    if (!lua_isnil(L, -1) && !lua_istable(L, -1))
        field_error(L, "headers", "a table of name = value strings");

    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            const char *name;
            const char *value;

            if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1)) {
                curl_slist_free_all(list);
                luaL_argerror(L, 1, "field 'headers' must map header names to string values");
            }
            name = lua_tostring(L, -2);
            value = lua_tostring(L, -1);
            if (strcasecmp(name, "content-type") == 0)
                has_content_type = true;
            /* "Name;" is curl's way to send a header with an empty value. */
            if (value[0] == '\0')
                lua_pushfstring(L, "%s;", name);
            else
                lua_pushfstring(L, "%s: %s", name, value);
            list = curl_slist_append(list, lua_tostring(L, -1));
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);

    /* Send exactly what the test wrote: no default form content type, no 100-continue. */
    if (has_body && !has_content_type)
        list = curl_slist_append(list, "Content-Type:");
    list = curl_slist_append(list, "Expect:");
    return list;
}

static int http_request(lua_State *L)
{
    struct response_buffer body = {0};
    struct header_lines lines = {{0}};
    struct curl_slist *header_list = NULL;
    char error_text[CURL_ERROR_SIZE] = "";
    const char *method;
    const char *url;
    const char *request_body;
    const char *cafile;
    size_t request_body_length = 0;
    lua_Integer timeout_ms = DEFAULT_TIMEOUT_MS;
    long status = 0;
    CURL *curl;
    CURLcode code;

    luaL_checktype(L, 1, LUA_TTABLE);
    url = optional_string_field(L, "url", NULL);
    if (url == NULL) {
        lua_pushnil(L);
        field_error(L, "url", "a string");
    }
    method = optional_string_field(L, "method", NULL);
    if (method == NULL)
        method = "GET";
    request_body = optional_string_field(L, "body", &request_body_length);
    cafile = optional_string_field(L, "cafile", NULL);

    lua_getfield(L, 1, "timeout_ms");
    if (!lua_isnil(L, -1)) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1)
            field_error(L, "timeout_ms", "a positive integer");
        timeout_ms = lua_tointeger(L, -1);
    }
    lua_pop(L, 1);

    header_list = collect_headers(L, request_body != NULL);

    curl = curl_easy_init();
    if (curl == NULL) {
        curl_slist_free_all(header_list);
        return luaL_error(L, "http.request: curl_easy_init failed (out of memory)");
    }

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cafile != NULL)
        curl_easy_setopt(curl, CURLOPT_CAINFO, cafile);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
    if (request_body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request_body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request_body_length);
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &lines);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);

    code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(header_list);

    if (code != CURLE_OK) {
        const char *reason = body.too_large || lines.text.too_large
                                 ? "the response is larger than 64 MiB"
                                 : (error_text[0] ? error_text : curl_easy_strerror(code));

        free(body.data);
        free(lines.text.data);
        lua_pushnil(L);
        lua_pushfstring(L, "%s %s failed: %s", method, url, reason);
        set_last_error(L, lua_tostring(L, -1));
        return 2;
    }

    lua_createtable(L, 0, 3);
    lua_pushinteger(L, status);
    lua_setfield(L, -2, "status");
    push_headers(L, &lines);
    lua_setfield(L, -2, "headers");
    lua_pushlstring(L, body.data ? body.data : "", body.length);
    lua_setfield(L, -2, "body");

    free(body.data);
    free(lines.text.data);
    return 1;
}

/* Pushes text percent-encoded: RFC 3986 unreserved characters stay, every other byte becomes
 * %XX. */
static void push_encoded(lua_State *L, const char *text, size_t length)
{
    static const char hex[] = "0123456789ABCDEF";
    luaL_Buffer buffer;

    luaL_buffinit(L, &buffer);
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];

        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            luaL_addchar(&buffer, (char)c);
        } else {
            luaL_addchar(&buffer, '%');
            luaL_addchar(&buffer, hex[c >> 4]);
            luaL_addchar(&buffer, hex[c & 15]);
        }
    }
    luaL_pushresult(&buffer);
}

/* Pushes the value at index as text: strings as they are, integral numbers without ".0",
 * booleans as true/false. Returns false, pushing nothing, for any other type. */
static bool push_scalar_text(lua_State *L, int index)
{
    int type = lua_type(L, index);

    if (type == LUA_TBOOLEAN) {
        lua_pushstring(L, lua_toboolean(L, index) ? "true" : "false");
    } else if (type == LUA_TNUMBER) {
        lua_Integer integer;
        lua_Number number = lua_tonumber(L, index);

        if (lua_isinteger(L, index))
            lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, index));
        else if (lua_numbertointeger(number, &integer) && (lua_Number)integer == number)
            lua_pushfstring(L, "%I", (LUAI_UACINT)integer);
        else
            lua_pushfstring(L, "%f", number);
    } else if (type == LUA_TSTRING) {
        lua_pushvalue(L, index);
    } else {
        return false;
    }
    return true;
}

/* Appends "name=value" (both encoded) to the parts array at parts_index; the value is at the
 * top of the stack and is popped. Raises on a value that is not a scalar. */
static void add_pair(lua_State *L, int parts_index, int name_index)
{
    size_t name_length;
    size_t text_length;
    const char *name = lua_tolstring(L, name_index, &name_length);
    const char *text;

    if (!push_scalar_text(L, -1))
        luaL_argerror(L, 1,
                      lua_pushfstring(L,
                                      "value of '%s' must be a string, number or boolean, got %s",
                                      name, luaL_typename(L, -1)));
    text = lua_tolstring(L, -1, &text_length);

    push_encoded(L, name, name_length);
    lua_pushliteral(L, "=");
    push_encoded(L, text, text_length);
    lua_concat(L, 3);
    lua_rawseti(L, parts_index, (lua_Integer)lua_rawlen(L, parts_index) + 1);
    lua_pop(L, 2);
}

/*
 * Encodes a table as name=value pairs joined by '&', names sorted so the output is stable.
 * An array value repeats its name once per element (status=1&status=2).
 */
static int encode_pairs(lua_State *L)
{
    const int names_index = 2;
    const int parts_index = 3;
    lua_Integer name_count = 0;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L);
    lua_newtable(L);

    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_argerror(
                L, 1, lua_pushfstring(L, "names must be strings, got %s", luaL_typename(L, -1)));
        lua_pushvalue(L, -1);
        lua_rawseti(L, names_index, ++name_count);
    }
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "sort");
    lua_pushvalue(L, names_index);
    lua_call(L, 1, 0);
    lua_pop(L, 1);

    for (lua_Integer i = 1; i <= name_count; i++) {
        int name_index;

        lua_rawgeti(L, names_index, i);
        name_index = lua_gettop(L);
        lua_pushvalue(L, name_index);
        lua_rawget(L, 1);
        if (lua_istable(L, -1)) {
            lua_Integer length = (lua_Integer)lua_rawlen(L, -1);

            for (lua_Integer j = 1; j <= length; j++) {
                lua_rawgeti(L, -1, j);
                add_pair(L, parts_index, name_index);
            }
            lua_pop(L, 1);
        } else {
            add_pair(L, parts_index, name_index);
        }
        lua_pop(L, 1);
    }

    lua_getglobal(L, "table");
    lua_getfield(L, -1, "concat");
    lua_pushvalue(L, parts_index);
    lua_pushliteral(L, "&");
    lua_call(L, 2, 1);
    return 1;
}

static int http_last_error(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LAST_ERROR_KEY);
    return 1;
}

int halytest_open_http(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"request", http_request},       {"form", encode_pairs}, {"query", encode_pairs},
        {"last_error", http_last_error}, {NULL, NULL},
    };
    static bool curl_ready;

    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return luaL_error(L, "http: curl_global_init failed");
        curl_ready = true;
    }
    luaL_newlib(L, functions);
    return 1;
}
