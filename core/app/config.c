#include "config.h"

#include "http_allow.h"
#include "message.h"
#include "public_url.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A config file is data: this many VM instructions is far more than it needs. */
#define CONFIG_INSTRUCTION_BUDGET 1000000

/* A config file is data: this much memory is far more than it needs. */
#define CONFIG_MEMORY_LIMIT (16 * 1024 * 1024)

/* Bytes the config's Lua state holds. */
typedef struct {
    size_t used;
} config_memory;

/* lua_Alloc with a cap, so a config that builds a huge string fails instead of eating memory. */
static void *config_allocate(void *argument, void *block, size_t old_size, size_t new_size)
{
    config_memory *memory = argument;
    size_t old_bytes = block != NULL ? old_size : 0;
    if (new_size == 0) {
        memory->used -= old_bytes;
        free(block);
        return NULL;
    }
    if (new_size > old_bytes && memory->used - old_bytes + new_size > CONFIG_MEMORY_LIMIT) {
        return NULL;
    }
    void *grown = realloc(block, new_size);
    if (grown != NULL) {
        memory->used = memory->used - old_bytes + new_size;
    }
    return grown;
}

static void on_budget_spent(lua_State *L, lua_Debug *debug)
{
    (void)debug;
    luaL_error(L, "the config file ran too long (a loop that never ends?)");
}

static int set_string(char **field, const char *value)
{
    char *copy = value != NULL ? strdup(value) : NULL;
    if (value != NULL && copy == NULL) {
        return -1;
    }
    free(*field);
    *field = copy;
    return 0;
}

/* Reads the value on top of the stack as a whole number. *is_integer is 1 for a number with no
 * fraction and 0 for anything else, a string of digits included, because "30" is a typo for 30
 * that must not pass silently. */
static lua_Integer whole_number(lua_State *L, int *is_integer)
{
    if (lua_type(L, -1) != LUA_TNUMBER) {
        *is_integer = 0;
        return 0;
    }
    return lua_tointegerx(L, -1, is_integer);
}

static int set_defaults(halyard_config *config)
{
    memset(config, 0, sizeof *config);
    static const int default_events[] = {3, 19, 76};
    memcpy(config->webhook_events, default_events, sizeof default_events);
    config->webhook_event_count = sizeof default_events / sizeof default_events[0];
    config->closed_statuses[0] = 9;
    config->closed_status_count = 1;
    config->script_reload.watch = HALYARD_SCRIPT_WATCH_INOTIFY;
    config->script_reload.poll_ms = 1000;
    config->script_reload.debounce_ms = 100;
    config->approval_expiry_minutes = 24 * 60;
    config->approval_check_seconds = 120;
    config->retention_days = 30;
    return set_string(&config->data_dir, "data") | set_string(&config->listen, "127.0.0.1:8080") |
           set_string(&config->halo_scope, "all:standard all:teams admin:webhooks") |
           set_string(&config->note_outcome, "Private Note") |
           set_string(&config->reply_outcome, "Email User") |
           set_string(&config->log_level, "info");
}

/* The string keys and where they go. */
typedef struct {
    const char *key;
    size_t offset;
} string_key;

static const string_key config_string_keys[] = {
    {"data_dir", offsetof(halyard_config, data_dir)},
    {"listen", offsetof(halyard_config, listen)},
    {"public_url", offsetof(halyard_config, public_url)},
    {"ca_file", offsetof(halyard_config, ca_file)},
    {"halo_scope", offsetof(halyard_config, halo_scope)},
    {"note_outcome", offsetof(halyard_config, note_outcome)},
    {"reply_outcome", offsetof(halyard_config, reply_outcome)},
    {"log_level", offsetof(halyard_config, log_level)},
    {"scripts_dir", offsetof(halyard_config, scripts_dir)},
};

/* Reads a list of 1 to capacity HaloPSA ids (positive integers) named key from the value on
 * top of the stack into values. */
static int read_id_list(lua_State *L, const char *path, const char *key, int *values,
                        size_t capacity, size_t *count_out, char *message, size_t message_size)
{
    if (!lua_istable(L, -1)) {
        halyard_message_write(message, message_size,
                              "%s: %s must be a list of numbers, like {3, 19}", path, key);
        return -1;
    }
    lua_Integer count = luaL_len(L, -1);
    if (count < 1 || (size_t)count > capacity) {
        halyard_message_write(message, message_size, "%s: %s must list 1 to %zu numbers", path, key,
                              capacity);
        return -1;
    }
    for (lua_Integer i = 1; i <= count; i++) {
        lua_geti(L, -1, i);
        int is_integer = 0;
        lua_Integer value = whole_number(L, &is_integer);
        lua_pop(L, 1);
        if (!is_integer || value < 1 || value > 1000000) {
            halyard_message_write(message, message_size, "%s: %s[%lld] is not a HaloPSA id", path,
                                  key, (long long)i);
            return -1;
        }
        values[i - 1] = (int)value;
    }
    *count_out = (size_t)count;
    return 0;
}

/* Reads one integer field of a limits table (top of the stack) within [low, high]; absent is 0. */
static int read_limit(lua_State *L, const char *path, const char *msp, const char *field,
                      long long low, long long high, long long *value, char *message,
                      size_t message_size)
{
    lua_getfield(L, -1, field);
    int is_integer = 0;
    lua_Integer number = whole_number(L, &is_integer);
    bool absent = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (absent) {
        *value = 0;
        return 0;
    }
    if (!is_integer || number < low || number > high) {
        halyard_message_write(message, message_size,
                              "%s: lua_limits[\"%s\"].%s must be a whole number from %lld to %lld",
                              path, msp, field, low, high);
        return -1;
    }
    *value = number;
    return 0;
}

/* Reads lua_limits (top of the stack): {default = {...}, ["msp-name"] = {...}} where each entry
 * may set memory_mb, instructions, time_ms, run_time_ms and calls. */
static int read_lua_limits(lua_State *L, const char *path, halyard_config *config, char *message,
                           size_t message_size)
{
    if (!lua_istable(L, -1)) {
        halyard_message_write(message, message_size,
                              "%s: lua_limits must be a table like { default = { time_ms = 1000 "
                              "}, [\"acme\"] = { memory_mb = 32 } }",
                              path);
        return -1;
    }
    config->lua_limit_count = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        const char *msp = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        if (msp == NULL || strlen(msp) == 0 || strlen(msp) >= sizeof config->lua_limits[0].msp ||
            !lua_istable(L, -1)) {
            halyard_message_write(message, message_size,
                                  "%s: every lua_limits entry must be an MSP name (or default) "
                                  "with a table of limits",
                                  path);
            return -1;
        }
        if (config->lua_limit_count == HALYARD_CONFIG_MAX_LUA_LIMITS) {
            halyard_message_write(message, message_size, "%s: lua_limits has more than %d entries",
                                  path, HALYARD_CONFIG_MAX_LUA_LIMITS);
            return -1;
        }

        /* Only the known fields. */
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            const char *field = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
            if (strcmp(field, "memory_mb") != 0 && strcmp(field, "instructions") != 0 &&
                strcmp(field, "time_ms") != 0 && strcmp(field, "run_time_ms") != 0 &&
                strcmp(field, "calls") != 0 && strcmp(field, "log_lines") != 0 &&
                strcmp(field, "log_kb") != 0) {
                halyard_message_write(message, message_size,
                                      "%s: lua_limits[\"%s\"] has an unknown field '%s'; use "
                                      "memory_mb, instructions, time_ms, run_time_ms, calls, "
                                      "log_lines or log_kb",
                                      path, msp, field);
                return -1;
            }
            lua_pop(L, 1);
        }

        halyard_config_lua_limits *limits = &config->lua_limits[config->lua_limit_count];
        snprintf(limits->msp, sizeof limits->msp, "%s", msp);
        if (read_limit(L, path, msp, "memory_mb", 4, 4096, &limits->memory_mb, message,
                       message_size) != 0 ||
            read_limit(L, path, msp, "instructions", 10000, 100000000000LL, &limits->instructions,
                       message, message_size) != 0 ||
            read_limit(L, path, msp, "time_ms", 10, 600000, &limits->time_ms, message,
                       message_size) != 0 ||
            read_limit(L, path, msp, "run_time_ms", 100, 600000, &limits->run_time_ms, message,
                       message_size) != 0 ||
            read_limit(L, path, msp, "calls", 1, 1000, &limits->calls, message, message_size) !=
                0 ||
            read_limit(L, path, msp, "log_lines", 1, 100000, &limits->log_lines, message,
                       message_size) != 0 ||
            read_limit(L, path, msp, "log_kb", 1, 65536, &limits->log_kb, message, message_size) !=
                0) {
            return -1;
        }
        config->lua_limit_count++;
        lua_pop(L, 1);
    }
    return 0;
}

/* Reads script_reload (top of the stack): { watch = "inotify" | "polling" | "off",
 * poll_ms = 100..60000, debounce_ms = 10..10000 }; a field left out keeps its default. */
static int read_script_reload(lua_State *L, const char *path, halyard_config *config, char *message,
                              size_t message_size)
{
    static const char usage[] = "like { watch = \"polling\", poll_ms = 1000, debounce_ms = 100 }";
    if (!lua_istable(L, -1)) {
        halyard_message_write(message, message_size, "%s: script_reload must be a table %s", path,
                              usage);
        return -1;
    }
    halyard_config_script_reload *reload = &config->script_reload;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        const char *field = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
        if (strcmp(field, "watch") == 0) {
            static const char *const names[] = {"inotify", "polling", "off"};
            const char *value = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
            size_t i = 0;
            while (i < 3 && strcmp(value, names[i]) != 0) {
                i++;
            }
            if (i == 3) {
                halyard_message_write(message, message_size,
                                      "%s: script_reload.watch must be \"inotify\", \"polling\" "
                                      "or \"off\"",
                                      path);
                return -1;
            }
            reload->watch = (halyard_script_watch_method)i;
        } else if (strcmp(field, "poll_ms") == 0 || strcmp(field, "debounce_ms") == 0) {
            bool poll = strcmp(field, "poll_ms") == 0;
            long long low = poll ? 100 : 10;
            long long high = poll ? 60000 : 10000;
            int is_integer = 0;
            lua_Integer value = whole_number(L, &is_integer);
            if (!is_integer || value < low || value > high) {
                halyard_message_write(message, message_size,
                                      "%s: script_reload.%s must be a whole number of "
                                      "milliseconds from %lld to %lld",
                                      path, field, low, high);
                return -1;
            }
            *(poll ? &reload->poll_ms : &reload->debounce_ms) = value;
        } else {
            halyard_message_write(message, message_size,
                                  "%s: script_reload has an unknown field '%s'; use watch, "
                                  "poll_ms or debounce_ms, %s",
                                  path, field, usage);
            return -1;
        }
        lua_pop(L, 1);
    }
    return 0;
}

void halyard_config_lua_limits_for(const halyard_config *config, const char *msp,
                                   size_t *memory_bytes, unsigned long long *instructions,
                                   unsigned int *time_ms)
{
    const halyard_config_lua_limits *own = NULL;
    const halyard_config_lua_limits *fallback = NULL;
    for (size_t i = 0; i < config->lua_limit_count; i++) {
        if (strcmp(config->lua_limits[i].msp, msp) == 0) {
            own = &config->lua_limits[i];
        } else if (strcmp(config->lua_limits[i].msp, "default") == 0) {
            fallback = &config->lua_limits[i];
        }
    }
    long long memory_mb = own != NULL && own->memory_mb != 0 ? own->memory_mb
                          : fallback != NULL                 ? fallback->memory_mb
                                                             : 0;
    long long count = own != NULL && own->instructions != 0 ? own->instructions
                      : fallback != NULL                    ? fallback->instructions
                                                            : 0;
    long long milliseconds = own != NULL && own->time_ms != 0 ? own->time_ms
                             : fallback != NULL               ? fallback->time_ms
                                                              : 0;
    *memory_bytes = (size_t)memory_mb * 1024 * 1024;
    *instructions = (unsigned long long)count;
    *time_ms = (unsigned int)milliseconds;
}

/* Returns field (at offset) of the MSP's own lua_limits entry when set, else of the "default"
 * entry, else 0. */
static long long lua_limit_for(const halyard_config *config, const char *msp, size_t offset)
{
    long long own = 0;
    long long fallback = 0;
    for (size_t i = 0; i < config->lua_limit_count; i++) {
        const halyard_config_lua_limits *limits = &config->lua_limits[i];
        long long value = *(const long long *)(const void *)((const char *)limits + offset);
        if (strcmp(limits->msp, msp) == 0) {
            own = value;
        } else if (strcmp(limits->msp, "default") == 0) {
            fallback = value;
        }
    }
    return own != 0 ? own : fallback;
}

void halyard_config_lua_run_limits_for(const halyard_config *config, const char *msp,
                                       unsigned int *run_time_ms, unsigned int *calls)
{
    *run_time_ms =
        (unsigned int)lua_limit_for(config, msp, offsetof(halyard_config_lua_limits, run_time_ms));
    *calls = (unsigned int)lua_limit_for(config, msp, offsetof(halyard_config_lua_limits, calls));
}

void halyard_config_lua_log_limits_for(const halyard_config *config, const char *msp,
                                       unsigned int *lines, size_t *bytes)
{
    *lines =
        (unsigned int)lua_limit_for(config, msp, offsetof(halyard_config_lua_limits, log_lines));
    *bytes = (size_t)lua_limit_for(config, msp, offsetof(halyard_config_lua_limits, log_kb)) * 1024;
}

/* Reads one http_allow entry (top of the stack) of msp into entry: "host", or {host = "...",
 * port = N, private = true}. */
static int read_http_allow_entry(lua_State *L, const char *path, const char *msp,
                                 lua_Integer position, halyard_config_http_allow *entry,
                                 char *message, size_t message_size)
{
    char where[96];
    snprintf(where, sizeof where, "http_allow[\"%s\"][%lld]", msp, (long long)position);
    memset(entry, 0, sizeof *entry);
    snprintf(entry->msp, sizeof entry->msp, "%s", msp);

    const char *host = NULL;
    if (lua_type(L, -1) == LUA_TSTRING) {
        host = lua_tostring(L, -1);
    } else if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            const char *field = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
            lua_pop(L, 1);
            if (strcmp(field, "host") != 0 && strcmp(field, "port") != 0 &&
                strcmp(field, "private") != 0) {
                halyard_message_write(message, message_size,
                                      "%s: %s has an unknown field '%s'; use host, port or private",
                                      path, where, field);
                lua_pop(L, 1);
                return -1;
            }
        }
        lua_getfield(L, -1, "port");
        int is_integer = 0;
        lua_Integer port = whole_number(L, &is_integer);
        bool absent = lua_isnil(L, -1);
        lua_pop(L, 1);
        if (!absent && (!is_integer || port < 1 || port > 65535)) {
            halyard_message_write(message, message_size,
                                  "%s: %s.port must be a whole number from 1 to 65535", path,
                                  where);
            return -1;
        }
        entry->port = absent ? 0 : (unsigned int)port;
        lua_getfield(L, -1, "private");
        if (!lua_isnil(L, -1) && !lua_isboolean(L, -1)) {
            halyard_message_write(message, message_size, "%s: %s.private must be true or false",
                                  path, where);
            lua_pop(L, 1);
            return -1;
        }
        entry->allow_private = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, -1, "host");
        host = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        lua_pop(L, 1); /* the string stays alive in the entry table */
    }
    if (host == NULL) {
        halyard_message_write(message, message_size,
                              "%s: %s must be a host name such as \"hooks.example.com\" or a "
                              "table like { host = \"hooks.example.com\", port = 8443 }",
                              path, where);
        return -1;
    }
    char reason[512];
    if (halyard_http_allow_normalize_host(host, entry->host, sizeof entry->host, reason,
                                          sizeof reason) != 0) {
        halyard_message_write(message, message_size, "%s: %s: %s", path, where, reason);
        return -1;
    }
    return 0;
}

/* Reads http_allow (top of the stack): {default = {...}, ["msp-name"] = {...}}, each a list of
 * entries. */
static int read_http_allow(lua_State *L, const char *path, halyard_config *config, char *message,
                           size_t message_size)
{
    if (!lua_istable(L, -1)) {
        halyard_message_write(message, message_size,
                              "%s: http_allow must be a table like { default = { "
                              "\"hooks.example.com\" }, [\"acme\"] = { { host = \"10.0.0.5\", "
                              "port = 8443, private = true } } }",
                              path);
        return -1;
    }
    free(config->http_allow);
    config->http_allow = calloc(HALYARD_CONFIG_MAX_HTTP_ALLOW, sizeof *config->http_allow);
    config->http_allow_count = 0;
    config->http_allow_list_count = 0;
    if (config->http_allow == NULL) {
        halyard_message_write(message, message_size, "out of memory reading %s", path);
        return -1;
    }

    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        const char *msp = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        if (msp == NULL || strlen(msp) == 0 || strlen(msp) >= sizeof config->http_allow_lists[0] ||
            !lua_istable(L, -1)) {
            halyard_message_write(message, message_size,
                                  "%s: every http_allow entry must be an MSP name (or default) "
                                  "with a list of hosts",
                                  path);
            return -1;
        }
        if (config->http_allow_list_count == HALYARD_CONFIG_MAX_HTTP_ALLOW_LISTS) {
            halyard_message_write(message, message_size, "%s: http_allow has more than %d lists",
                                  path, HALYARD_CONFIG_MAX_HTTP_ALLOW_LISTS);
            return -1;
        }
        snprintf(config->http_allow_lists[config->http_allow_list_count],
                 sizeof config->http_allow_lists[0], "%s", msp);
        config->http_allow_list_count++;

        lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= count; i++) {
            if (config->http_allow_count == HALYARD_CONFIG_MAX_HTTP_ALLOW) {
                halyard_message_write(message, message_size,
                                      "%s: http_allow lists more than %d hosts in all", path,
                                      HALYARD_CONFIG_MAX_HTTP_ALLOW);
                return -1;
            }
            lua_rawgeti(L, -1, i);
            int status = read_http_allow_entry(L, path, msp, i,
                                               &config->http_allow[config->http_allow_count],
                                               message, message_size);
            lua_pop(L, 1);
            if (status != 0) {
                return -1;
            }
            config->http_allow_count++;
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* Reads verification (top of the stack): {default = {timeout_s = 300, failed_team = "..."},
 * ["msp-name"] = {...}}. */
static int read_verification(lua_State *L, const char *path, halyard_config *config, char *message,
                             size_t message_size)
{
    static const char example[] = "{ default = { timeout_s = 300, failed_team = \"Security\" } }";
    if (!lua_istable(L, -1)) {
        halyard_message_write(message, message_size, "%s: verification must be a table like %s",
                              path, example);
        return -1;
    }
    config->verification_count = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        const char *msp = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        if (msp == NULL || strlen(msp) == 0 || strlen(msp) >= sizeof config->verification[0].msp ||
            !lua_istable(L, -1)) {
            halyard_message_write(message, message_size,
                                  "%s: every verification entry must be an MSP name (or default) "
                                  "with a table like %s",
                                  path, example);
            return -1;
        }
        if (config->verification_count == HALYARD_CONFIG_MAX_VERIFICATION) {
            halyard_message_write(message, message_size,
                                  "%s: verification has more than %d entries", path,
                                  HALYARD_CONFIG_MAX_VERIFICATION);
            return -1;
        }
        halyard_config_verification *entry = &config->verification[config->verification_count];
        memset(entry, 0, sizeof *entry);
        snprintf(entry->msp, sizeof entry->msp, "%s", msp);

        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            const char *field = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
            if (strcmp(field, "timeout_s") == 0) {
                int whole = 0;
                lua_Integer value = whole_number(L, &whole);
                if (!whole || value < 10 || value > 86400) {
                    halyard_message_write(message, message_size,
                                          "%s: verification[\"%s\"].timeout_s must be a whole "
                                          "number of seconds from 10 to 86400",
                                          path, msp);
                    return -1;
                }
                entry->timeout_s = value;
            } else if (strcmp(field, "failed_team") == 0) {
                const char *team = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
                if (team == NULL || team[0] == '\0' || strlen(team) >= sizeof entry->failed_team) {
                    halyard_message_write(message, message_size,
                                          "%s: verification[\"%s\"].failed_team must be a "
                                          "HaloPSA team name of 1 to 127 bytes",
                                          path, msp);
                    return -1;
                }
                snprintf(entry->failed_team, sizeof entry->failed_team, "%s", team);
            } else {
                halyard_message_write(message, message_size,
                                      "%s: verification[\"%s\"] has an unknown field '%s'; use "
                                      "timeout_s or failed_team",
                                      path, msp, field);
                return -1;
            }
            lua_pop(L, 1);
        }
        config->verification_count++;
        lua_pop(L, 1);
    }
    return 0;
}

void halyard_config_verification_for(const halyard_config *config, const char *msp,
                                     long long *timeout_s, char *team, size_t team_size)
{
    const halyard_config_verification *own = NULL;
    const halyard_config_verification *fallback = NULL;
    for (size_t i = 0; i < config->verification_count; i++) {
        if (strcmp(config->verification[i].msp, msp) == 0) {
            own = &config->verification[i];
        } else if (strcmp(config->verification[i].msp, "default") == 0) {
            fallback = &config->verification[i];
        }
    }
    *timeout_s = HALYARD_VERIFICATION_TIMEOUT_S_DEFAULT;
    team[0] = '\0';
    const halyard_config_verification *entries[] = {fallback, own};
    for (size_t i = 0; i < 2; i++) {
        if (entries[i] == NULL) {
            continue;
        }
        if (entries[i]->timeout_s > 0) {
            *timeout_s = entries[i]->timeout_s;
        }
        if (entries[i]->failed_team[0] != '\0') {
            snprintf(team, team_size, "%s", entries[i]->failed_team);
        }
    }
}

size_t halyard_config_http_allow_for(const halyard_config *config, const char *msp,
                                     const halyard_config_http_allow **entries)
{
    const char *list = "default";
    for (size_t i = 0; i < config->http_allow_list_count; i++) {
        if (strcmp(config->http_allow_lists[i], msp) == 0) {
            list = msp;
        }
    }
    size_t count = 0;
    *entries = NULL;
    for (size_t i = 0; i < config->http_allow_count; i++) {
        if (strcmp(config->http_allow[i].msp, list) == 0) {
            if (count == 0) {
                *entries = &config->http_allow[i];
            }
            count++;
        }
    }
    return count;
}

/* Copies the returned table (top of the stack) into config. */
static int read_table(lua_State *L, const char *path, halyard_config *config, char *message,
                      size_t message_size)
{
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            halyard_message_write(message, message_size,
                                  "%s: the returned table has a key that is not "
                                  "a name",
                                  path);
            return -1;
        }
        const char *key = lua_tostring(L, -2);

        if (strcmp(key, "webhook_events") == 0 || strcmp(key, "closed_statuses") == 0) {
            bool events = strcmp(key, "webhook_events") == 0;
            int *values = events ? config->webhook_events : config->closed_statuses;
            size_t *count = events ? &config->webhook_event_count : &config->closed_status_count;
            if (read_id_list(L, path, key, values, 16, count, message, message_size) != 0) {
                return -1;
            }
            lua_pop(L, 1);
            continue;
        }

        if (strcmp(key, "lua_limits") == 0) {
            if (read_lua_limits(L, path, config, message, message_size) != 0) {
                return -1;
            }
            lua_pop(L, 1);
            continue;
        }

        if (strcmp(key, "script_reload") == 0) {
            if (read_script_reload(L, path, config, message, message_size) != 0) {
                return -1;
            }
            lua_pop(L, 1);
            continue;
        }

        if (strcmp(key, "approval_expiry_minutes") == 0) {
            int is_integer = 0;
            lua_Integer minutes = whole_number(L, &is_integer);
            if (!is_integer || minutes < 1 || minutes > 60 * 24 * 90) {
                halyard_message_write(message, message_size,
                                      "%s: approval_expiry_minutes must be a whole number of "
                                      "minutes from 1 to 129600 (90 days)",
                                      path);
                return -1;
            }
            config->approval_expiry_minutes = minutes;
            lua_pop(L, 1);
            continue;
        }

        if (strcmp(key, "approval_check_seconds") == 0) {
            int is_integer = 0;
            lua_Integer seconds = whole_number(L, &is_integer);
            if (!is_integer || seconds < 5 || seconds > 24 * 3600) {
                halyard_message_write(message, message_size,
                                      "%s: approval_check_seconds must be a whole number of "
                                      "seconds from 5 to 86400 (a day)",
                                      path);
                return -1;
            }
            config->approval_check_seconds = seconds;
            lua_pop(L, 1);
            continue;
        }

        if (strcmp(key, "retention_days") == 0) {
            int is_integer = 0;
            lua_Integer days = whole_number(L, &is_integer);
            if (!is_integer || days < 1 || days > 3650) {
                bool text = lua_type(L, -1) == LUA_TSTRING;
                const char *value = luaL_tolstring(L, -1, NULL);
                halyard_message_write(message, message_size,
                                      "%s: retention_days must be a whole number of days from 1 "
                                      "to 3650 (ten years), not %s%s%s",
                                      path, text ? "the text \"" : "", value, text ? "\"" : "");
                return -1;
            }
            config->retention_days = (int)days;
            lua_pop(L, 1);
            continue;
        }

        if (strcmp(key, "verification") == 0) {
            if (read_verification(L, path, config, message, message_size) != 0) {
                return -1;
            }
            lua_pop(L, 1);
            continue;
        }

        if (strcmp(key, "http_allow") == 0) {
            if (read_http_allow(L, path, config, message, message_size) != 0) {
                return -1;
            }
            lua_pop(L, 1);
            continue;
        }

        const string_key *match = NULL;
        for (size_t i = 0; i < sizeof config_string_keys / sizeof config_string_keys[0]; i++) {
            if (strcmp(key, config_string_keys[i].key) == 0) {
                match = &config_string_keys[i];
            }
        }
        if (match == NULL) {
            halyard_message_write(
                message, message_size,
                "%s: unknown setting '%s' (see config/halyard.example.lua for the "
                "settings there are)",
                path, key);
            return -1;
        }
        if (lua_type(L, -1) != LUA_TSTRING) {
            halyard_message_write(message, message_size, "%s: %s must be a string, not a %s", path,
                                  key, luaL_typename(L, -1));
            return -1;
        }
        const char *value = lua_tostring(L, -1);
        if (strspn(value, " \t\r\n") == strlen(value)) {
            halyard_message_write(message, message_size,
                                  "%s: %s is empty: give it a value, or leave the key out for "
                                  "the default",
                                  path, key);
            return -1;
        }

        /* public_url is stored without trailing slashes, because every URL halyard builds from
         * it appends "/hooks/...". */
        char normalized[HALYARD_PUBLIC_URL_MAX + 1];
        if (strcmp(key, "public_url") == 0) {
            char url_message[512];
            if (halyard_public_url_normalize(value, normalized, sizeof normalized, url_message,
                                             sizeof url_message) != 0) {
                halyard_message_write(message, message_size, "%s: %s", path, url_message);
                return -1;
            }
            value = normalized;
        }
        char **field = (char **)((char *)config + match->offset);
        if (set_string(field, value) != 0) {
            halyard_message_write(message, message_size, "out of memory reading %s", path);
            return -1;
        }
        lua_pop(L, 1);
    }
    return 0;
}

int halyard_config_load(const char *path, halyard_config *config, char *message,
                        size_t message_size)
{
    if (set_defaults(config) != 0) {
        halyard_config_free(config);
        halyard_message_write(message, message_size, "out of memory reading the config");
        return -1;
    }
    if (path == NULL) {
        return 0;
    }

    /* Step 1: a state with the base functions only, minus those that reach files. */
    int status = -1;
    config_memory memory = {0};
    lua_State *L = lua_newstate(config_allocate, &memory);
    if (L == NULL) {
        halyard_message_write(message, message_size, "out of memory reading %s", path);
        goto cleanup;
    }
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    lua_settop(L, 0);
    static const char *const removed[] = {"dofile", "loadfile", "load", "require",
                                          "collectgarbage"};
    for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, removed[i]);
    }

    /* Step 2: run the file as text under an instruction budget. */
    if (luaL_loadfilex(L, path, "t") != LUA_OK) {
        halyard_message_write(message, message_size, "cannot load the config: %s",
                              lua_tostring(L, -1));
        goto cleanup;
    }
    lua_sethook(L, on_budget_spent, LUA_MASKCOUNT, CONFIG_INSTRUCTION_BUDGET);
    if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
        halyard_message_write(message, message_size, "the config failed: %s", lua_tostring(L, -1));
        goto cleanup;
    }
    lua_sethook(L, NULL, 0, 0);
    if (!lua_istable(L, -1)) {
        halyard_message_write(message, message_size,
                              "%s must return a table of settings, like: return { listen = "
                              "\"127.0.0.1:8080\" }",
                              path);
        goto cleanup;
    }

    /* Step 3: copy and check its values. */
    status = read_table(L, path, config, message, message_size);

cleanup:
    if (L != NULL) {
        lua_close(L);
    }
    if (status != 0) {
        halyard_config_free(config);
    }
    return status;
}

void halyard_config_free(halyard_config *config)
{
    free(config->http_allow);
    config->http_allow = NULL;
    config->http_allow_count = 0;
    for (size_t i = 0; i < sizeof config_string_keys / sizeof config_string_keys[0]; i++) {
        char **field = (char **)((char *)config + config_string_keys[i].offset);
        free(*field);
        *field = NULL;
    }
}

void halyard_config_scripts_root(const halyard_config *config, char *folder, size_t folder_size)
{
    if (config->scripts_dir != NULL) {
        snprintf(folder, folder_size, "%s", config->scripts_dir);
    } else {
        snprintf(folder, folder_size, "%s/scripts", config->data_dir);
    }
}

void halyard_config_msp_scripts(const halyard_config *config, const char *msp, char *folder,
                                size_t folder_size)
{
    if (config->scripts_dir != NULL) {
        snprintf(folder, folder_size, "%s/%s", config->scripts_dir, msp);
    } else {
        snprintf(folder, folder_size, "%s/scripts/%s", config->data_dir, msp);
    }
}
