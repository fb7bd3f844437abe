#include "sim_lua.h"

#include "sim_embedded.h"
#include "sim_log.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* lua-cjson 2.1 installs no header; these are its two entry points. */
int luaopen_cjson(lua_State *L);
int luaopen_cjson_safe(lua_State *L);

/* The maximum delay_ms a response or a delivery may request: ten minutes. */
#define LUA_DELAY_MAX_MS 600000

/* The maximum number of bytes one host.random_bytes call returns. */
#define LUA_RANDOM_BYTES_MAX 65536

/* An error that repeats is logged again after this many calls in a row (one minute of ticks). */
#define LUA_REPEATED_ERROR_LOG_EVERY 600

/* The last error of a function the host calls on its own schedule (sim.tick ten times a second,
 * sim.take_deliveries after it), so an error that repeats is counted instead of logged each
 * time. */
struct lua_repeated_error {
    char text[512];
    unsigned long count;
};

struct sim_lua {
    lua_State *state;
    int sim_reference; /* registry reference to the table module main returned */
    struct lua_repeated_error tick_error;
    struct lua_repeated_error take_error;
};

static const char *const lua_sim_functions[] = {
    "init", "handle", "take_deliveries", "delivery_result", "tick",
};

/* ---- the host table ---- */

static int lua_host_real_ms(lua_State *L)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    lua_pushinteger(L, (lua_Integer)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    return 1;
}

static int lua_host_random_bytes(lua_State *L)
{
    lua_Integer count = luaL_checkinteger(L, 1);
    luaL_argcheck(L, count >= 0 && count <= LUA_RANDOM_BYTES_MAX, 1,
                  "expected a byte count from 0 to 65536");

    luaL_Buffer buffer;
    char *bytes = luaL_buffinitsize(L, &buffer, (size_t)count);
    size_t filled = 0;
    while (filled < (size_t)count) {
        ssize_t got = getrandom(bytes + filled, (size_t)count - filled, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return luaL_error(L, "getrandom failed: %s", strerror(errno));
        }
        filled += (size_t)got;
    }
    luaL_pushresultsize(&buffer, (size_t)count);
    return 1;
}

/* host.hmac_sha256(key, data): the lower-case hex of HMAC-SHA256, for the fake verification
 * provider's signed callbacks. */
static int lua_host_hmac_sha256(lua_State *L)
{
    size_t key_length = 0;
    size_t data_length = 0;
    const char *key = luaL_checklstring(L, 1, &key_length);
    const char *data = luaL_checklstring(L, 2, &data_length);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    if (HMAC(EVP_sha256(), key, (int)key_length, (const unsigned char *)data, data_length, mac,
             &mac_length) == NULL) {
        return luaL_error(L, "HMAC-SHA256 failed");
    }
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned int i = 0; i < mac_length; i++) {
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    }
    lua_pushlstring(L, hex, 2 * (size_t)mac_length);
    return 1;
}

static int lua_host_log(lua_State *L)
{
    const char *level_name = luaL_checkstring(L, 1);
    const char *message = luaL_checkstring(L, 2);

    sim_log_level level;
    if (sim_log_parse_level(level_name, &level) != 0) {
        return luaL_argerror(L, 1,
                             lua_pushfstring(L,
                                             "expected \"error\", \"warning\", \"info\" or "
                                             "\"debug\", got \"%s\"",
                                             level_name));
    }
    sim_log(level, "%s", message);
    return 0;
}

static const luaL_Reg lua_host_functions[] = {
    {"real_ms", lua_host_real_ms},
    {"random_bytes", lua_host_random_bytes},
    {"log", lua_host_log},
    {"hmac_sha256", lua_host_hmac_sha256},
    {NULL, NULL},
};

static int lua_open_host(lua_State *L)
{
    luaL_newlib(L, lua_host_functions);
    return 1;
}

/* ---- loading modules ---- */

/* A package.searchers entry: looks for module name in the --lua-dir folder (upvalue 1, nil when
 * not given) and then among the embedded modules. Returns the loaded chunk and the file it came
 * from, or a string that lists where it looked. Raises when a module is found but does not
 * compile. */
static int lua_search_module(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const char *lua_dir = lua_tostring(L, lua_upvalueindex(1));

    if (lua_dir != NULL) {
        static const char *const patterns[] = {"%s/%s.lua", "%s/%s/init.lua"};
        const char *relative = luaL_gsub(L, name, ".", "/");
        for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
            const char *path = lua_pushfstring(L, patterns[i], lua_dir, relative);
            FILE *file = fopen(path, "r");
            if (file == NULL) {
                lua_pop(L, 1);
                continue;
            }
            fclose(file);
            if (luaL_loadfilex(L, path, "t") != LUA_OK) {
                return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, path,
                                  lua_tostring(L, -1));
            }
            lua_pushstring(L, path);
            return 2;
        }
    }

    for (size_t i = 0; i < sim_embedded_module_count; i++) {
        const struct sim_embedded_module *module = &sim_embedded_modules[i];
        if (strcmp(module->name, name) != 0) {
            continue;
        }
        if (luaL_loadbufferx(L, (const char *)module->source, module->length, module->chunk_name,
                             "t") != LUA_OK) {
            return luaL_error(L, "error loading embedded module '%s':\n\t%s", name,
                              lua_tostring(L, -1));
        }
        lua_pushstring(L, module->chunk_name + 1);
        return 2;
    }

    if (lua_dir != NULL) {
        lua_pushfstring(L, "no file '%s/%s.lua', no file '%s/%s/init.lua', no embedded module '%s'",
                        lua_dir, name, lua_dir, name, name);
    } else {
        lua_pushfstring(L, "no embedded module '%s'", name);
    }
    return 1;
}

/* Turns any error value into a string with a traceback. Used as the message handler of every
 * protected call. */
static int lua_message_handler(lua_State *L)
{
    const char *message = lua_tostring(L, 1);
    if (message == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
            message = lua_tostring(L, -1);
        } else {
            message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
    }
    luaL_traceback(L, L, message, 1);
    return 1;
}

/* Runs function(argument) in protected mode. Returns 0, or -1 with message set to the error and
 * its traceback. Leaves the stack as it found it. */
static int lua_run_protected(lua_State *L, lua_CFunction function, void *argument, char *message,
                             size_t message_size)
{
    int base = lua_gettop(L);
    lua_pushcfunction(L, lua_message_handler);
    lua_pushcfunction(L, function);
    lua_pushlightuserdata(L, argument);
    int status = lua_pcall(L, 1, 0, base + 1);
    if (status != LUA_OK) {
        const char *error = lua_tostring(L, -1);
        snprintf(message, message_size, "%s", error != NULL ? error : "unknown error");
    }
    lua_settop(L, base);
    return status == LUA_OK ? 0 : -1;
}

/* Cuts message before its traceback, for places that show the error alone. */
static void lua_strip_traceback(char *message)
{
    char *traceback = strstr(message, "\nstack traceback:");
    if (traceback != NULL) {
        *traceback = '\0';
    }
}

/* Pushes sim[name]. */
static void lua_push_sim_function(lua_State *L, const struct sim_lua *lua, const char *name)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, lua->sim_reference);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
}

static bool lua_has_embedded_main(void)
{
    for (size_t i = 0; i < sim_embedded_module_count; i++) {
        if (strcmp(sim_embedded_modules[i].name, "main") == 0) {
            return true;
        }
    }
    return false;
}

struct lua_open_call {
    const char *lua_dir;
    int sim_reference;
};

static int lua_protected_open(lua_State *L)
{
    struct lua_open_call *call = lua_touserdata(L, 1);

    luaL_openlibs(L);

    /* cjson is opened like a standard library: a global, and loaded for require. */
    luaL_requiref(L, "cjson", luaopen_cjson, 1);
    lua_pop(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_cjson_safe);
    lua_setfield(L, -2, "cjson.safe");
    lua_pop(L, 1);

    luaL_requiref(L, "host", lua_open_host, 1);
    lua_pop(L, 1);

    /* The module searcher goes second, after package.preload and before the file searchers, so
     * a stray .lua file in the working folder never shadows a module of the simulator. */
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "searchers");
    for (lua_Integer i = luaL_len(L, -1); i >= 2; i--) {
        lua_rawgeti(L, -1, i);
        lua_rawseti(L, -2, i + 1);
    }
    if (call->lua_dir != NULL) {
        lua_pushstring(L, call->lua_dir);
    } else {
        lua_pushnil(L);
    }
    lua_pushcclosure(L, lua_search_module, 1);
    lua_rawseti(L, -2, 2);
    lua_pop(L, 2);

    lua_getglobal(L, "require");
    lua_pushliteral(L, "main");
    lua_call(L, 1, 1);
    if (!lua_istable(L, -1)) {
        return luaL_error(L, "module main returned a %s value, expected the sim table",
                          luaL_typename(L, -1));
    }
    for (size_t i = 0; i < sizeof lua_sim_functions / sizeof lua_sim_functions[0]; i++) {
        lua_getfield(L, -1, lua_sim_functions[i]);
        if (lua_type(L, -1) != LUA_TFUNCTION) {
            return luaL_error(L, "module main returned a table without the function sim.%s",
                              lua_sim_functions[i]);
        }
        lua_pop(L, 1);
    }
    call->sim_reference = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

struct sim_lua *sim_lua_open(const char *lua_dir, char *message, size_t message_size)
{
    struct sim_lua *lua = calloc(1, sizeof *lua);
    if (lua == NULL) {
        snprintf(message, message_size, "out of memory");
        return NULL;
    }
    lua->sim_reference = LUA_NOREF;

    lua->state = luaL_newstate();
    if (lua->state == NULL) {
        snprintf(message, message_size, "cannot create a Lua state: out of memory");
        goto fail;
    }

    struct lua_open_call call = {.lua_dir = lua_dir, .sim_reference = LUA_NOREF};
    char error[4096];
    if (lua_run_protected(lua->state, lua_protected_open, &call, error, sizeof error) != 0) {
        snprintf(message, message_size, "cannot load the simulator's Lua module main: %s%s", error,
                 lua_dir == NULL && !lua_has_embedded_main()
                     ? "\nThis halosim was built without tests/sim/lua/main.lua; rebuild it, or "
                       "give --lua-dir with a folder that has main.lua."
                     : "");
        goto fail;
    }
    lua->sim_reference = call.sim_reference;
    return lua;

fail:
    sim_lua_close(lua);
    return NULL;
}

/* Logs the error of function unless it is the same as last time, and then counts it. */
static void lua_log_repeated_error(struct lua_repeated_error *last, const char *function,
                                   const char *error)
{
    if (last->count > 0 && strncmp(error, last->text, sizeof last->text - 1) == 0) {
        last->count++;
        if (last->count % LUA_REPEATED_ERROR_LOG_EVERY == 0) {
            sim_log(SIM_LOG_ERROR, "%s failed %lu times in a row, last: %s", function, last->count,
                    error);
        }
        return;
    }

    size_t length = strnlen(error, sizeof last->text - 1);
    memcpy(last->text, error, length);
    last->text[length] = '\0';
    last->count = 1;
    sim_log(SIM_LOG_ERROR, "%s failed: %s", function, error);
}

/* Notes that function worked, closing a run of repeated errors. */
static void lua_clear_repeated_error(struct lua_repeated_error *last, const char *function)
{
    if (last->count > 1) {
        sim_log(SIM_LOG_INFO, "%s works again after %lu failures in a row", function, last->count);
    }
    last->count = 0;
}

/* ---- sim.init ---- */

struct lua_init_call {
    const struct sim_lua *lua;
    const struct sim_options *options;
    int port;
    const char *seed_text;
    size_t seed_length;
    char *message;
    size_t message_size;
    int result;
};

static void lua_set_string(lua_State *L, const char *key, const char *value)
{
    if (value != NULL) {
        lua_pushstring(L, value);
        lua_setfield(L, -2, key);
    }
}

static void lua_set_integer(lua_State *L, const char *key, lua_Integer value)
{
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}

static void lua_set_boolean(lua_State *L, const char *key, bool value)
{
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}

/* Pushes the options table sim.init receives. Unset optional settings are absent (nil). */
static void lua_push_options(lua_State *L, const struct sim_options *options, int port)
{
    lua_createtable(L, 0, 16);
    lua_set_integer(L, "port", port);
    lua_set_string(L, "bind", options->bind);
    lua_set_string(L, "client_id", options->client_id);
    lua_set_string(L, "client_secret", options->client_secret);
    lua_set_string(L, "tenant", options->tenant);
    lua_set_string(L, "scopes", options->scopes);
    lua_set_integer(L, "token_lifetime", options->token_lifetime_seconds);
    if (options->rate_limit_enabled) {
        lua_createtable(L, 0, 2);
        lua_set_integer(L, "requests", options->rate_limit_requests);
        lua_set_integer(L, "window_seconds", options->rate_limit_window_seconds);
        lua_setfield(L, -2, "rate_limit");
    }
    lua_set_boolean(L, "strict", options->strict);
    lua_set_boolean(L, "tls", options->tls_cert_path != NULL);
    lua_set_integer(L, "token_error_status", options->token_error_status);
    lua_set_string(L, "team_list", options->team_list);
    lua_set_string(L, "app_name", options->app_name);
    lua_set_string(L, "seed_path", options->seed_path);
}

static int lua_protected_init(lua_State *L)
{
    struct lua_init_call *call = lua_touserdata(L, 1);

    lua_push_sim_function(L, call->lua, "init");
    lua_push_options(L, call->options, call->port);
    if (call->seed_text != NULL) {
        lua_pushlstring(L, call->seed_text, call->seed_length);
    } else {
        lua_pushnil(L);
    }
    lua_call(L, 2, 2);

    if (lua_toboolean(L, -2)) {
        call->result = 0;
        return 0;
    }
    const char *reason = lua_tostring(L, -1);
    snprintf(call->message, call->message_size, "%s",
             reason != NULL ? reason : "sim.init returned no message");
    call->result = -1;
    return 0;
}

int sim_lua_init(struct sim_lua *lua, const struct sim_options *options, int port,
                 const char *seed_text, size_t seed_length, char *message, size_t message_size)
{
    struct lua_init_call call = {
        .lua = lua,
        .options = options,
        .port = port,
        .seed_text = seed_text,
        .seed_length = seed_length,
        .message = message,
        .message_size = message_size,
        .result = -1,
    };
    char error[4096];
    if (lua_run_protected(lua->state, lua_protected_init, &call, error, sizeof error) != 0) {
        snprintf(message, message_size, "sim.init failed: %s", error);
        return -1;
    }
    return call.result;
}

/* ---- converting values between Lua and C ---- */

static bool lua_is_header_name(const char *name, size_t length)
{
    /* An HTTP token: letters, digits and !#$%&'*+-.^_`|~ (RFC 9110, section 5.6.2). */
    if (length == 0) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') &&
            strchr("!#$%&'*+-.^_`|~", c) == NULL) {
            return false;
        }
    }
    return true;
}

static bool lua_is_header_value(const char *value, size_t length)
{
    /* No CR, LF or NUL, which would end the field early or inject another one. */
    for (size_t i = 0; i < length; i++) {
        if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0') {
            return false;
        }
    }
    return true;
}

/* Reads field key of the table at index as a header table ({name = value}, values strings or
 * numbers) into headers. An absent field leaves headers empty. Returns 0, or -1 with error set.
 * Raises only when memory runs out. Leaves the stack as it found it. */
static int lua_read_headers(lua_State *L, int index, const char *key,
                            struct sim_header_list *headers, char *error, size_t error_size)
{
    int result = 0;
    lua_getfield(L, index, key);
    if (lua_isnil(L, -1)) {
        goto done;
    }
    if (!lua_istable(L, -1)) {
        snprintf(error, error_size, "%s is a %s value, expected a table of strings", key,
                 luaL_typename(L, -1));
        result = -1;
        goto done;
    }

    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            snprintf(error, error_size, "%s has a %s key, expected header names as strings", key,
                     luaL_typename(L, -2));
            result = -1;
            lua_pop(L, 2);
            goto done;
        }
        size_t name_length;
        const char *name = lua_tolstring(L, -2, &name_length);
        if (!lua_is_header_name(name, name_length)) {
            snprintf(error, error_size, "%s has the invalid header name '%s'", key, name);
            result = -1;
            lua_pop(L, 2);
            goto done;
        }
        int value_type = lua_type(L, -1);
        size_t value_length;
        const char *value = value_type == LUA_TSTRING || value_type == LUA_TNUMBER
                                ? lua_tolstring(L, -1, &value_length)
                                : NULL;
        if (value == NULL || !lua_is_header_value(value, value_length)) {
            snprintf(error, error_size, "%s.%s is %s, expected a string without line breaks", key,
                     name, value == NULL ? luaL_typename(L, -1) : "a string with line breaks");
            result = -1;
            lua_pop(L, 2);
            goto done;
        }
        if (sim_header_list_add(headers, name, name_length, value, value_length, false) != 0) {
            luaL_error(L, "out of memory");
        }
        lua_pop(L, 1);
    }

done:
    lua_pop(L, 1);
    return result;
}

/* Reads field key of the table at index as a whole number from 0 to maximum; absent is 0.
 * Returns 0, or -1 with error set. Leaves the stack as it found it. */
static int lua_read_count(lua_State *L, int index, const char *key, lua_Integer maximum,
                          long *value, char *error, size_t error_size)
{
    lua_getfield(L, index, key);
    int is_integer = 1;
    lua_Integer number = lua_isnil(L, -1) ? 0 : lua_tointegerx(L, -1, &is_integer);
    if (lua_type(L, -1) == LUA_TSTRING || !is_integer || number < 0 || number > maximum) {
        snprintf(error, error_size, "%s is %s, expected a whole number from 0 to %lld", key,
                 luaL_tolstring(L, -1, NULL), (long long)maximum);
        lua_pop(L, 2);
        return -1;
    }
    *value = (long)number;
    lua_pop(L, 1);
    return 0;
}

/* Reads field key of the table at index as a string into a heap copy; absent gives
 * default_value, or an error when default_value is NULL. Returns 0, or -1 with error set.
 * Raises only when memory runs out. Leaves the stack as it found it. */
static int lua_read_string(lua_State *L, int index, const char *key, const char *default_value,
                           char **copy, size_t *length, char *error, size_t error_size)
{
    lua_getfield(L, index, key);
    size_t text_length = 0;
    const char *text = NULL;
    if (lua_type(L, -1) == LUA_TSTRING) {
        text = lua_tolstring(L, -1, &text_length);
    } else if (lua_isnil(L, -1) && default_value != NULL) {
        text = default_value;
        text_length = strlen(default_value);
    } else {
        snprintf(error, error_size, "%s is a %s value, expected a string", key,
                 luaL_typename(L, -1));
        lua_pop(L, 1);
        return -1;
    }

    *copy = sim_copy_bytes(text, text_length);
    if (*copy == NULL) {
        luaL_error(L, "out of memory");
    }
    if (length != NULL) {
        *length = text_length;
    }
    lua_pop(L, 1);
    return 0;
}

static void lua_push_headers(lua_State *L, const struct sim_header_list *headers)
{
    lua_createtable(L, 0, (int)headers->count);
    for (size_t i = 0; i < headers->count; i++) {
        lua_pushstring(L, headers->items[i].value);
        lua_setfield(L, -2, headers->items[i].name);
    }
}

/* ---- sim.handle ---- */

struct lua_handle_call {
    const struct sim_lua *lua;
    const struct sim_request *request;
    struct sim_response *response;
};

static void lua_push_request(lua_State *L, const struct sim_request *request)
{
    lua_createtable(L, 0, 6);
    lua_set_string(L, "method", request->method);
    lua_set_string(L, "path", request->path);
    lua_set_string(L, "query", request->query);
    lua_push_headers(L, request->headers);
    lua_setfield(L, -2, "headers");
    lua_pushlstring(L, request->body, request->body_length);
    lua_setfield(L, -2, "body");
    lua_set_string(L, "remote", request->remote);
}

/* Reads the response table at index into response. Raises when it is not a valid response. */
static void lua_read_response(lua_State *L, int index, struct sim_response *response)
{
    char error[512];
    if (!lua_istable(L, index)) {
        luaL_error(L, "sim.handle returned a %s value, expected a response table",
                   luaL_typename(L, index));
    }

    lua_getfield(L, index, "status");
    int is_integer;
    lua_Integer status = lua_tointegerx(L, -1, &is_integer);
    if (lua_type(L, -1) != LUA_TNUMBER || !is_integer || status < 100 || status > 599) {
        luaL_error(L,
                   "sim.handle returned an invalid response: status is %s, expected a whole "
                   "number from 100 to 599",
                   luaL_tolstring(L, -1, NULL));
    }
    response->status = (int)status;
    lua_pop(L, 1);

    if (lua_read_headers(L, index, "headers", &response->headers, error, sizeof error) != 0 ||
        lua_read_string(L, index, "body", "", &response->body, &response->body_length, error,
                        sizeof error) != 0 ||
        lua_read_count(L, index, "delay_ms", LUA_DELAY_MAX_MS, &response->delay_ms, error,
                       sizeof error) != 0) {
        luaL_error(L, "sim.handle returned an invalid response: %s", error);
    }

    lua_getfield(L, index, "drop");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1)) {
        luaL_error(L,
                   "sim.handle returned an invalid response: drop is a %s value, expected a "
                   "boolean",
                   luaL_typename(L, -1));
    }
    response->drop = lua_toboolean(L, -1);
    lua_pop(L, 1);
}

static int lua_protected_handle(lua_State *L)
{
    struct lua_handle_call *call = lua_touserdata(L, 1);

    lua_push_sim_function(L, call->lua, "handle");
    lua_push_request(L, call->request);
    lua_call(L, 1, 1);
    lua_read_response(L, lua_gettop(L), call->response);
    return 0;
}

int sim_lua_handle(struct sim_lua *lua, const struct sim_request *request,
                   struct sim_response *response)
{
    struct lua_handle_call call = {.lua = lua, .request = request, .response = response};
    char error[4096];
    if (lua_run_protected(lua->state, lua_protected_handle, &call, error, sizeof error) == 0) {
        return 0;
    }

    sim_log(SIM_LOG_ERROR, "sim.handle failed for %s %s: %s", request->method, request->path,
            error);
    lua_strip_traceback(error);
    return sim_response_set_exception(response, 500, error);
}

/* ---- sim.take_deliveries ---- */

/* A delivery the Lua logic handed out that cannot be sent. */
struct lua_invalid_delivery {
    char *attempt_id; /* NULL when the delivery had none */
    char reason[600];
};

struct lua_take_call {
    const struct sim_lua *lua;
    struct sim_delivery *deliveries; /* zeroed beyond count */
    size_t count;
    size_t capacity;
    struct lua_invalid_delivery *invalid;
    size_t invalid_count;
    size_t invalid_capacity;
};

/* Reads the delivery table at index into delivery. Returns 0, or -1 with error set. Raises only
 * when memory runs out. */
static int lua_read_delivery(lua_State *L, int index, struct sim_delivery *delivery, char *error,
                             size_t error_size)
{
    if (!lua_istable(L, index)) {
        snprintf(error, error_size, "the delivery is a %s value, expected a table",
                 luaL_typename(L, index));
        return -1;
    }
    if (lua_read_string(L, index, "attempt_id", NULL, &delivery->attempt_id, NULL, error,
                        error_size) != 0 ||
        lua_read_string(L, index, "url", NULL, &delivery->url, NULL, error, error_size) != 0 ||
        lua_read_string(L, index, "method", "POST", &delivery->method, NULL, error, error_size) !=
            0 ||
        lua_read_headers(L, index, "headers", &delivery->headers, error, error_size) != 0 ||
        lua_read_string(L, index, "body", "", &delivery->body, &delivery->body_length, error,
                        error_size) != 0 ||
        lua_read_count(L, index, "delay_ms", LUA_DELAY_MAX_MS, &delivery->delay_ms, error,
                       error_size) != 0) {
        return -1;
    }
    if (delivery->attempt_id[0] == '\0') {
        snprintf(error, error_size, "attempt_id is empty");
        return -1;
    }
    return 0;
}

/* Returns items (of item_size bytes each), grown when needed to hold one more than count, with
 * the new part zeroed. Raises when memory runs out, leaving items as they were. */
static void *lua_reserve(lua_State *L, void *items, size_t item_size, size_t count,
                         size_t *capacity)
{
    if (count < *capacity) {
        return items;
    }
    size_t grown = *capacity == 0 ? 8 : *capacity * 2;
    unsigned char *resized = realloc(items, grown * item_size);
    if (resized == NULL) {
        luaL_error(L, "out of memory");
    }
    memset(resized + *capacity * item_size, 0, (grown - *capacity) * item_size);
    *capacity = grown;
    return resized;
}

static int lua_protected_take(lua_State *L)
{
    struct lua_take_call *call = lua_touserdata(L, 1);

    lua_push_sim_function(L, call->lua, "take_deliveries");
    lua_call(L, 0, 1);
    if (!lua_istable(L, -1)) {
        return luaL_error(L, "sim.take_deliveries returned a %s value, expected an array",
                          luaL_typename(L, -1));
    }

    lua_Unsigned length = lua_rawlen(L, -1);
    for (lua_Unsigned i = 1; i <= length; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        call->deliveries = lua_reserve(L, call->deliveries, sizeof *call->deliveries, call->count,
                                       &call->capacity);

        struct sim_delivery *delivery = &call->deliveries[call->count];
        char error[512];
        if (lua_read_delivery(L, lua_gettop(L), delivery, error, sizeof error) == 0) {
            call->count++;
            lua_pop(L, 1);
            continue;
        }

        /* Keep what is needed to report the failure; the slot is reused. */
        call->invalid = lua_reserve(L, call->invalid, sizeof *call->invalid, call->invalid_count,
                                    &call->invalid_capacity);
        struct lua_invalid_delivery *invalid = &call->invalid[call->invalid_count++];
        snprintf(invalid->reason, sizeof invalid->reason, "delivery %llu: %s",
                 (unsigned long long)i, error);
        if (delivery->attempt_id != NULL && delivery->attempt_id[0] != '\0') {
            invalid->attempt_id = delivery->attempt_id;
            delivery->attempt_id = NULL;
        }
        sim_delivery_clear(delivery);
        lua_pop(L, 1);
    }
    return 0;
}

void sim_lua_take_deliveries(struct sim_lua *lua, struct sim_delivery **deliveries, size_t *count)
{
    struct lua_take_call call = {.lua = lua};
    char error[4096];
    if (lua_run_protected(lua->state, lua_protected_take, &call, error, sizeof error) != 0) {
        lua_log_repeated_error(&lua->take_error, "sim.take_deliveries", error);

        /* A slot that was being filled when the error struck owns memory but is not counted. */
        if (call.count < call.capacity) {
            sim_delivery_clear(&call.deliveries[call.count]);
        }
    } else {
        lua_clear_repeated_error(&lua->take_error, "sim.take_deliveries");
    }

    /* Report each invalid delivery back, so the Lua logic records a failed attempt. */
    for (size_t i = 0; i < call.invalid_count; i++) {
        struct lua_invalid_delivery *invalid = &call.invalid[i];
        sim_log(SIM_LOG_ERROR, "sim.take_deliveries returned an invalid %s", invalid->reason);
        if (invalid->attempt_id != NULL) {
            struct sim_delivery_result result = {0};
            if (sim_delivery_result_set_error(&result, invalid->reason) == 0) {
                sim_lua_report_delivery(lua, invalid->attempt_id, &result);
            }
            sim_delivery_result_clear(&result);
            free(invalid->attempt_id);
        }
    }
    free(call.invalid);

    *deliveries = call.deliveries;
    *count = call.count;
}

void sim_lua_free_deliveries(struct sim_delivery *deliveries, size_t count)
{
    /* Slots past count were zeroed or cleared, so only the first count hold memory. */
    for (size_t i = 0; i < count; i++) {
        sim_delivery_clear(&deliveries[i]);
    }
    free(deliveries);
}

/* ---- sim.delivery_result ---- */

struct lua_report_call {
    const struct sim_lua *lua;
    const char *attempt_id;
    const struct sim_delivery_result *result;
};

static int lua_protected_report(lua_State *L)
{
    struct lua_report_call *call = lua_touserdata(L, 1);

    lua_push_sim_function(L, call->lua, "delivery_result");
    lua_pushstring(L, call->attempt_id);
    lua_createtable(L, 0, 3);
    if (call->result->error != NULL) {
        lua_set_string(L, "error", call->result->error);
    } else {
        lua_set_integer(L, "status", call->result->status);
        lua_push_headers(L, &call->result->headers);
        lua_setfield(L, -2, "headers");
        lua_pushlstring(L, call->result->body != NULL ? call->result->body : "",
                        call->result->body_length);
        lua_setfield(L, -2, "body");
    }
    lua_call(L, 2, 0);
    return 0;
}

void sim_lua_report_delivery(struct sim_lua *lua, const char *attempt_id,
                             const struct sim_delivery_result *result)
{
    struct lua_report_call call = {.lua = lua, .attempt_id = attempt_id, .result = result};
    char error[4096];
    if (lua_run_protected(lua->state, lua_protected_report, &call, error, sizeof error) != 0) {
        sim_log(SIM_LOG_ERROR, "sim.delivery_result failed for attempt %s: %s", attempt_id, error);
    }
}

/* ---- sim.tick ---- */

static int lua_protected_tick(lua_State *L)
{
    const struct sim_lua *lua = lua_touserdata(L, 1);

    lua_push_sim_function(L, lua, "tick");
    lua_call(L, 0, 0);
    return 0;
}

void sim_lua_tick(struct sim_lua *lua)
{
    char error[4096];
    if (lua_run_protected(lua->state, lua_protected_tick, lua, error, sizeof error) != 0) {
        lua_log_repeated_error(&lua->tick_error, "sim.tick", error);
    } else {
        lua_clear_repeated_error(&lua->tick_error, "sim.tick");
    }
}

void sim_lua_close(struct sim_lua *lua)
{
    if (lua == NULL) {
        return;
    }
    if (lua->state != NULL) {
        lua_close(lua->state);
    }
    free(lua);
}
