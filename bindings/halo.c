/*
 * The `halo` module: read-only HaloPSA calls for scripts, through the MSP's HaloPSA client
 * (its token handling and its retries after 401 and 429). Every call sends one GET and waits
 * for the response as a run's pending call (lua_wait.h). There is no way to write: a change in
 * HaloPSA is a tool step that the core runs under the tool policy and approvals.
 *
 * Misuse (a wrong argument type, an unknown option) raises with lauxlib's wording. A failure
 * a script should expect returns nil and a message: the record does not exist (HTTP 404),
 * HaloPSA returned another error status, did not respond, or sent something that is not JSON.
 */
#include "halo.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "halo_client.h"
#include "log.h"
#include "lua_wait.h"

/* The rows a list call requests unless the script sets limit, and the most it may set:
 * HaloPSA caps a page of tickets at 100 rows. */
#define HALO_LIST_LIMIT_DEFAULT 50
#define HALO_LIST_LIMIT_MAX     100

/* A search text longer than this is rejected: HaloPSA searches names, e-mail addresses and
 * logins, none of them this long. */
#define HALO_SEARCH_MAX 200

/* A halo call in flight: the request, and its response once it arrived. */
typedef struct {
    halyard_lua_wait wait; /* first, so the record and its wait share an address */
    halyard_halo_client *halo;
    char function[32];      /* "halo.user", for messages */
    char what[48];          /* "user 77", for messages */
    const char *list_field; /* the wrapper's list ("users"), or NULL for one record */
    char msp[40];
    char run_label[64];

    halyard_halo_outcome outcome;
    long status;
    char *body;
    size_t body_length;
    char *error; /* the client's message when no response arrived */
} halo_wait;

static void halo_wait_release(halyard_lua_wait *base)
{
    halo_wait *wait = (halo_wait *)base;
    free(wait->body);
    free(wait->error);
    free(wait);
}

static void halo_on_response(const halyard_halo_response *response, void *argument);

static void halo_wait_cancel(halyard_lua_wait *base)
{
    halo_wait *wait = (halo_wait *)base;
    halyard_halo_cancel(wait->halo, halo_on_response, wait);
}

/* Stores the response in the wait and lets the run resume. */
static void halo_on_response(const halyard_halo_response *response, void *argument)
{
    halo_wait *wait = argument;
    wait->outcome = response->outcome;
    wait->status = response->status;
    if (response->outcome == HALYARD_HALO_OK) {
        wait->body = malloc(response->body_length + 1);
        if (wait->body != NULL) {
            memcpy(wait->body, response->body, response->body_length);
            wait->body[response->body_length] = '\0';
            wait->body_length = response->body_length;
        }
    } else {
        wait->error = strdup(response->message != NULL ? response->message : "no response");
    }
    halyard_lua_wait_done(&wait->wait);
}

/* Returns nil and a message made of format, after logging it. Stack: [] -> [nil, message]. */
static int halo_fail(lua_State *L, const halo_wait *wait, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int halo_fail(lua_State *L, const halo_wait *wait, const char *format, ...)
{
    char message[768];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    halyard_log(HALYARD_LOG_WARNING, "lua", "msp=%s run=%s %s failed: %s", wait->msp,
                wait->run_label, wait->function, message);
    luaL_pushfail(L);
    lua_pushstring(L, message);
    return 2;
}

/*
 * The continuation of every halo call: turns the stored response into the call's results.
 * Stack: [args...] -> [args..., value] or [args..., nil, message].
 */
static int halo_finish(lua_State *L, int status, lua_KContext context)
{
    (void)status;
    const halo_wait *wait = (const halo_wait *)context;

    /* Step 1: a response that is not a record, or none in time. */
    if (wait->wait.failure != NULL) {
        return halo_fail(L, wait, "%s", wait->wait.failure);
    }
    if (wait->outcome != HALYARD_HALO_OK) {
        return halo_fail(L, wait, "%s", wait->error != NULL ? wait->error : "out of memory");
    }
    if (wait->status == 404) {
        return halo_fail(L, wait, "HaloPSA has no %s (HTTP 404)", wait->what);
    }
    if (wait->status != 200) {
        return halo_fail(L, wait, "HaloPSA returned HTTP %ld for %s", wait->status, wait->what);
    }
    if (wait->body == NULL) {
        return halo_fail(L, wait, "out of memory keeping HaloPSA's response for %s", wait->what);
    }

    /* Step 2: the JSON, decoded by lua-cjson like json.decode does. An out-of-memory error
     * is the state's limit and is raised again. */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "json");
    lua_getfield(L, -1, "decode");
    lua_replace(L, -3);
    lua_pop(L, 1);
    lua_pushlstring(L, wait->body, wait->body_length);
    int decoded = lua_pcall(L, 1, 1, 0);
    if (decoded == LUA_ERRMEM) {
        return lua_error(L);
    }
    if (decoded != LUA_OK) {
        const char *reason = lua_tostring(L, -1);
        lua_pop(L, 1);
        return halo_fail(L, wait, "HaloPSA's response for %s is not valid JSON: %s", wait->what,
                         reason != NULL ? reason : "?");
    }
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return halo_fail(L, wait, "HaloPSA's response for %s is not a JSON object or array",
                         wait->what);
    }

    /* Step 3: a list comes wrapped ({"record_count": N, "users": [...]}) or bare. */
    if (wait->list_field != NULL) {
        lua_getfield(L, -1, wait->list_field);
        if (lua_istable(L, -1)) {
            lua_remove(L, -2);
        } else {
            lua_pop(L, 1);
            bool bare = lua_rawlen(L, -1) > 0;
            if (!bare) {
                lua_pushnil(L);
                bare = lua_next(L, -2) == 0; /* an empty table is an empty list */
                if (!bare) {
                    lua_pop(L, 2);
                }
            }
            if (!bare) {
                lua_pop(L, 1);
                return halo_fail(L, wait, "HaloPSA's response for %s has no '%s' list", wait->what,
                                 wait->list_field);
            }
        }
    }
    halyard_log(HALYARD_LOG_DEBUG, "lua", "msp=%s run=%s %s returned %s", wait->msp,
                wait->run_label, wait->function, wait->what);
    return 1;
}

/*
 * Starts GET path as the running run's pending call and suspends the run; the results come
 * from halo_finish. what names the record for messages ("user 77"); list_field names a list
 * wrapper's field, or NULL. Raises when the call cannot wait here.
 */
static int halo_get(lua_State *L, const char *function, const char *path, const char *what,
                    const char *list_field)
{
    halyard_lua_io io;
    char message[512];
    if (halyard_lua_wait_begin(L, function, HALYARD_LUA_WAIT_HALO, &io, message, sizeof message) !=
        0) {
        luaL_pushfail(L);
        lua_pushstring(L, message);
        return 2;
    }

    halo_wait *wait = calloc(1, sizeof *wait);
    if (wait == NULL) {
        return luaL_error(L, "%s: out of memory", function);
    }
    wait->wait.cancel = halo_wait_cancel;
    wait->wait.release = halo_wait_release;
    wait->halo = io.halo;
    wait->list_field = list_field;
    snprintf(wait->function, sizeof wait->function, "%s", function);
    snprintf(wait->what, sizeof wait->what, "%s", what);
    snprintf(wait->msp, sizeof wait->msp, "%s", io.msp);
    snprintf(wait->run_label, sizeof wait->run_label, "%s", io.run_label);

    halyard_lua_wait_attach(L, &wait->wait);
    char log_ids[128];
    snprintf(log_ids, sizeof log_ids, "msp=%s run=%s", io.msp, io.run_label);
    if (halyard_halo_request_for(io.halo, log_ids, "GET", path, NULL, halo_on_response, wait,
                                 message, sizeof message) != 0) {
        halyard_lua_wait_detach(L, &wait->wait);
        luaL_pushfail(L);
        lua_pushstring(L, message);
        return 2;
    }
    return halyard_lua_wait_yield(L, &wait->wait, halo_finish);
}

/* Reads argument arg as a HaloPSA id: a number with a whole, positive value (json.decode
 * gives ids as floats such as 77.0, which pass). Raises otherwise. */
static lua_Integer halo_check_id(lua_State *L, int arg)
{
    if (lua_type(L, arg) != LUA_TNUMBER) {
        luaL_typeerror(L, arg, "number");
    }
    int is_integer = 0;
    lua_Integer id = lua_tointegerx(L, arg, &is_integer);
    if (!is_integer || id <= 0) {
        luaL_argerror(L, arg, "the id must be a positive whole number");
    }
    return id;
}

/* Makes one GET of a record by id: halo.<name>(id) reads <resource>/<id><suffix>. */
static int halo_get_record(lua_State *L, const char *function, const char *noun,
                           const char *resource, const char *suffix)
{
    lua_Integer id = halo_check_id(L, 1);
    char path[128];
    char what[48];
    snprintf(path, sizeof path, "/api/%s/%lld%s", resource, (long long)id, suffix);
    snprintf(what, sizeof what, "%s %lld", noun, (long long)id);
    return halo_get(L, function, path, what, NULL);
}

static int halo_ticket(lua_State *L)
{
    return halo_get_record(L, "halo.ticket", "ticket", "Tickets", "?includedetails=true");
}

static int halo_user(lua_State *L)
{
    return halo_get_record(L, "halo.user", "user", "Users", "");
}

static int halo_client(lua_State *L)
{
    return halo_get_record(L, "halo.client", "client", "Client", "");
}

/* HaloPSA's API calls technicians agents. */
static int halo_technician(lua_State *L)
{
    return halo_get_record(L, "halo.technician", "technician", "Agent", "");
}

static int halo_actions(lua_State *L)
{
    lua_Integer ticket_id = halo_check_id(L, 1);
    char path[128];
    char what[48];
    snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld", (long long)ticket_id);
    snprintf(what, sizeof what, "the actions of ticket %lld", (long long)ticket_id);
    return halo_get(L, "halo.actions", path, what, "actions");
}

/* The options a list call accepts; which are allowed is up to the call. */
typedef struct {
    const char *search;
    lua_Integer client_id;
    lua_Integer user_id;
    int open_only; /* -1 when not given */
    lua_Integer limit;
} halo_list_options;

/* Reads field name of the options table at index 1 as an id; 0 when absent. Raises. */
static lua_Integer halo_option_id(lua_State *L, const char *name)
{
    lua_getfield(L, 1, name);
    lua_Integer id = 0;
    if (!lua_isnil(L, -1)) {
        int is_integer = 0;
        id = lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, &is_integer) : 0;
        if (!is_integer || id <= 0) {
            const char *got =
                lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1);
            luaL_argerror(L, 1,
                          lua_pushfstring(L, "field '%s' must be a positive whole number, got %s",
                                          name, got));
        }
    }
    lua_pop(L, 1);
    return id;
}

/*
 * Reads the options table at index 1 of a list call. allowed names the fields the call takes,
 * separated by spaces, for the check and for the message on an unknown field. Raises on a
 * field that is unknown or of the wrong type.
 */
static void halo_read_list_options(lua_State *L, const char *allowed, halo_list_options *options)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    memset(options, 0, sizeof *options);
    options->open_only = -1;
    options->limit = HALO_LIST_LIMIT_DEFAULT;

    /* Step 1: no field the call does not know, so a misspelt filter never lists everything. */
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        size_t key_length = key != NULL ? strlen(key) : 0;
        const char *found = key != NULL && key_length > 0 ? strstr(allowed, key) : NULL;
        bool known = found != NULL && (found == allowed || found[-1] == ' ') &&
                     (found[key_length] == ' ' || found[key_length] == '\0');
        if (!known) {
            luaL_argerror(L, 1,
                          lua_pushfstring(L, "unknown option '%s'; the options are %s",
                                          key != NULL ? key : luaL_typename(L, -1), allowed));
        }
    }

    /* Step 2: each field's type and range. */
    lua_getfield(L, 1, "search");
    if (!lua_isnil(L, -1)) {
        size_t length = 0;
        options->search = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : NULL;
        if (options->search == NULL || length == 0 || length > HALO_SEARCH_MAX) {
            luaL_argerror(L, 1,
                          lua_pushfstring(L, "field 'search' must be a text of 1 to %d bytes",
                                          HALO_SEARCH_MAX));
        }
    }
    lua_pop(L, 1); /* the string stays alive in the options table */
    options->client_id = halo_option_id(L, "client_id");
    options->user_id = halo_option_id(L, "user_id");
    lua_getfield(L, 1, "open_only");
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1)) {
            luaL_argerror(L, 1, "field 'open_only' must be true or false");
        }
        options->open_only = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 1, "limit");
    if (!lua_isnil(L, -1)) {
        int is_integer = 0;
        options->limit = lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, &is_integer) : 0;
        if (!is_integer || options->limit < 1 || options->limit > HALO_LIST_LIMIT_MAX) {
            luaL_argerror(L, 1,
                          lua_pushfstring(L, "field 'limit' must be a whole number from 1 to %d",
                                          HALO_LIST_LIMIT_MAX));
        }
    }
    lua_pop(L, 1);
}

/* halo.users{search = "jane", client_id = 12, limit = 50}: users matching the search (name,
 * e-mail address, login) and/or of the client. */
static int halo_users(lua_State *L)
{
    halo_list_options options;
    halo_read_list_options(L, "search client_id limit", &options);
    if (options.search == NULL && options.client_id == 0) {
        return luaL_argerror(L, 1, "give search or client_id, or both");
    }

    char *search = NULL;
    if (options.search != NULL && halyard_halo_url_encode(options.search, &search) != 0) {
        return luaL_error(L, "halo.users: out of memory");
    }

    /* An encoded search is at most three times HALO_SEARCH_MAX bytes, so the path fits. */
    char path[1024];
    int used = snprintf(path, sizeof path, "/api/Users?count=%lld", (long long)options.limit);
    if (search != NULL) {
        used += snprintf(path + used, sizeof path - (size_t)used, "&search=%s", search);
        free(search);
    }
    if (options.client_id != 0) {
        snprintf(path + used, sizeof path - (size_t)used, "&client_id=%lld",
                 (long long)options.client_id);
    }
    return halo_get(L, "halo.users", path, "the user search", "users");
}

/* halo.tickets{client_id = 12, user_id = 77, open_only = true, limit = 50}: tickets of the
 * client and/or the user, in the order HaloPSA lists them. */
static int halo_tickets(lua_State *L)
{
    halo_list_options options;
    halo_read_list_options(L, "client_id user_id open_only limit", &options);
    if (options.client_id == 0 && options.user_id == 0) {
        return luaL_argerror(L, 1, "give client_id or user_id, or both");
    }

    char path[256];
    int used = snprintf(path, sizeof path, "/api/Tickets?count=%lld", (long long)options.limit);
    if (options.client_id != 0) {
        used += snprintf(path + used, sizeof path - (size_t)used, "&client_id=%lld",
                         (long long)options.client_id);
    }
    if (options.user_id != 0) {
        used += snprintf(path + used, sizeof path - (size_t)used, "&user_id=%lld",
                         (long long)options.user_id);
    }
    if (options.open_only == 1) {
        snprintf(path + used, sizeof path - (size_t)used, "&open_only=true");
    }
    return halo_get(L, "halo.tickets", path, "the ticket list", "tickets");
}

/* halo.assets{client_id = 12, user_id = 77, search = "printer", limit = 50}: the client's
 * assets (HaloPSA's devices), narrowed to the user's and to those the search matches. */
static int halo_assets(lua_State *L)
{
    halo_list_options options;
    halo_read_list_options(L, "client_id user_id search limit", &options);
    if (options.client_id == 0) {
        return luaL_argerror(L, 1, "give client_id");
    }

    char *search = NULL;
    if (options.search != NULL && halyard_halo_url_encode(options.search, &search) != 0) {
        return luaL_error(L, "halo.assets: out of memory");
    }

    /* An encoded search is at most three times HALO_SEARCH_MAX bytes, so the path fits. */
    char path[1024];
    int used = snprintf(path, sizeof path, "/api/Asset?count=%lld&client_id=%lld",
                        (long long)options.limit, (long long)options.client_id);
    if (options.user_id != 0) {
        used += snprintf(path + used, sizeof path - (size_t)used, "&user_id=%lld",
                         (long long)options.user_id);
    }
    if (search != NULL) {
        snprintf(path + used, sizeof path - (size_t)used, "&search=%s", search);
        free(search);
    }
    return halo_get(L, "halo.assets", path, "the asset list", "assets");
}

/* halo.statuses(): the ticket statuses, each with its id and name. */
static int halo_statuses(lua_State *L)
{
    return halo_get(L, "halo.statuses", "/api/Status", "the status list", "statuses");
}

int halyard_open_halo(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"ticket", halo_ticket},     {"actions", halo_actions},
        {"user", halo_user},         {"users", halo_users},
        {"client", halo_client},     {"technician", halo_technician},
        {"tickets", halo_tickets},   {"assets", halo_assets},
        {"statuses", halo_statuses}, {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}
