#include "scenario_runner.h"

#include "lua_host.h"
#include "scenario_http.h"
#include "scenario_process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "json.h"

/* Instructions between two checks of the deadline and the interrupt flag. */
#define RUNNER_HOOK_STEP 10000
/* How long a stop waits for a child to exit after SIGTERM, in ms. */
#define RUNNER_STOP_GRACE_MS 10000
/* The largest file host.read_file reads: halyard's log of a long scenario fits. */
#define RUNNER_READ_MAX (64L * 1024 * 1024)
/* The registry key of the runner's state. */
#define RUNNER_KEY "halyard.scenario.runner"

typedef struct {
    const halyard_scenario_options *options;
    long long deadline_ms;
    bool guarded; /* the deadline and interrupts raise errors (off while the report is made) */
    halyard_scenario_http *http;
    char *ca_file;
    char scratch[PATH_MAX];

    /* Why the run was stopped (the deadline or a signal), "" until it was. It stays set, so a
     * scenario that catches the error still fails. */
    char stop_message[160];
} runner_state;

static runner_state *get_state(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, RUNNER_KEY);
    runner_state *state = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return state;
}

/* Returns the name of a stop signal. */
static const char *signal_name(int signal_number)
{
    if (signal_number == SIGINT) {
        return "SIGINT";
    }
    if (signal_number == SIGTERM) {
        return "SIGTERM";
    }
    return "SIGHUP";
}

static void on_hook(lua_State *L, lua_Debug *debug);

/* Raises when the run is guarded and was interrupted or ran past its deadline. The message
 * carries no position: the runner adds the scenario file's line itself. Once the run stopped,
 * the hook runs at every instruction, so a scenario that catches the error with pcall meets it
 * again at its next instruction. */
static void check_stop(lua_State *L, runner_state *state)
{
    if (!state->guarded) {
        return;
    }
    if (state->stop_message[0] == '\0') {
        int signal_number = halyard_scenario_interrupted();
        if (signal_number != 0) {
            snprintf(state->stop_message, sizeof state->stop_message, "interrupted by %s",
                     signal_name(signal_number));
        } else if (halyard_scenario_monotonic_ms() >= state->deadline_ms) {
            snprintf(state->stop_message, sizeof state->stop_message,
                     "timed out: the scenario ran longer than its %d s (--timeout)",
                     (int)(state->options->timeout_ms / 1000));
        } else {
            return;
        }
        lua_sethook(L, on_hook, LUA_MASKCOUNT, 1);
    }
    lua_pushstring(L, state->stop_message);
    lua_error(L);
}

/* The count hook: a scenario stuck in a Lua loop still meets its deadline. After the stop it
 * raises only in the scenario file's own code, so that the runner's message handler, which is
 * not in that file, can still turn the error into a failure. */
static void on_hook(lua_State *L, lua_Debug *debug)
{
    runner_state *state = get_state(L);
    if (state->stop_message[0] != '\0') {
        if (lua_getinfo(L, "S", debug) == 0 || debug->source[0] != '@' ||
            strcmp(debug->source + 1, state->options->path) != 0) {
            return;
        }
    }
    check_stop(L, state);
}

/* --- host: processes ------------------------------------------------------------------------ */

/* host.spawn(argv, stdout_path, stderr_path) -> pid | nil, message */
static int host_spawn(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *stdout_path = luaL_checkstring(L, 2);
    const char *stderr_path = luaL_checkstring(L, 3);
    lua_Integer count = luaL_len(L, 1);
    luaL_argcheck(L, count >= 1 && count < 64, 1, "expected 1 to 63 arguments");
    char *argv[64];
    for (lua_Integer i = 1; i <= count; i++) {
        luaL_argcheck(L, lua_geti(L, 1, i) == LUA_TSTRING, 1, "argv must hold strings only");
        argv[i - 1] = (char *)lua_tostring(L, -1);
        lua_pop(L, 1); /* the string stays alive in the argv table */
    }
    argv[count] = NULL;

    char message[1024];
    pid_t pid = 0;
    if (halyard_scenario_spawn(argv, stdout_path, stderr_path, &pid, message, sizeof message) !=
        0) {
        lua_pushnil(L);
        lua_pushstring(L, message);
        return 2;
    }
    lua_pushinteger(L, pid);
    return 1;
}

/* host.wait(pid, timeout_ms) -> exit_status | nil while it runs */
static int host_wait(lua_State *L)
{
    pid_t pid = (pid_t)luaL_checkinteger(L, 1);
    lua_Integer timeout_ms = luaL_checkinteger(L, 2);
    runner_state *state = get_state(L);
    long long deadline = halyard_scenario_monotonic_ms() + timeout_ms;
    int exit_status = 0;

    /* In slices, so an interrupt or the deadline is noticed within 100 ms. */
    for (;;) {
        check_stop(L, state);
        long long slice = deadline - halyard_scenario_monotonic_ms();
        if (slice > 100) {
            slice = 100;
        }
        if (slice < 0) {
            slice = 0;
        }
        if (halyard_scenario_wait(pid, (long)slice, &exit_status)) {
            lua_pushinteger(L, exit_status);
            return 1;
        }
        if (halyard_scenario_monotonic_ms() >= deadline) {
            lua_pushnil(L);
            return 1;
        }
    }
}

/* host.stop(pid, grace_ms) -> exit_status. Ignores the deadline and interrupts, so cleanup
 * completes after either. */
static int host_stop(lua_State *L)
{
    pid_t pid = (pid_t)luaL_checkinteger(L, 1);
    lua_Integer grace_ms = luaL_optinteger(L, 2, RUNNER_STOP_GRACE_MS);
    lua_pushinteger(L, halyard_scenario_stop(pid, (long)grace_ms));
    return 1;
}

/* --- host: time ------------------------------------------------------------------------------ */

/* host.sleep(ms): raises when guarded and interrupted or past the deadline. */
static int host_sleep(lua_State *L)
{
    lua_Integer milliseconds = luaL_checkinteger(L, 1);
    runner_state *state = get_state(L);
    long long until = halyard_scenario_monotonic_ms() + milliseconds;
    for (;;) {
        check_stop(L, state);
        long long left = until - halyard_scenario_monotonic_ms();
        if (left <= 0) {
            return 0;
        }
        long slice = left < 50 ? (long)left : 50;
        struct timespec pause = {0, slice * 1000000L};
        nanosleep(&pause, NULL);
    }
}

static int host_check(lua_State *L)
{
    check_stop(L, get_state(L));
    return 0;
}

static int host_monotonic_ms(lua_State *L)
{
    lua_pushinteger(L, halyard_scenario_monotonic_ms());
    return 1;
}

/* host.guard(on): whether the deadline and interrupts raise. */
static int host_guard(lua_State *L)
{
    get_state(L)->guarded = lua_toboolean(L, 1);
    return 0;
}

/* host.interrupted() -> "SIGINT" | "SIGTERM" | "SIGHUP" | nil */
static int host_interrupted(lua_State *L)
{
    int signal_number = halyard_scenario_interrupted();
    if (signal_number == 0) {
        lua_pushnil(L);
    } else {
        lua_pushstring(L, signal_name(signal_number));
    }
    return 1;
}

/* --- host: HTTP ------------------------------------------------------------------------------ */

/* host.set_ca_file(path): the CA bundle later requests trust. */
static int host_set_ca_file(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    runner_state *state = get_state(L);
    char *copy = strdup(path);
    if (copy == NULL) {
        return luaL_error(L, "out of memory");
    }
    free(state->ca_file);
    state->ca_file = copy;
    halyard_scenario_http_free(state->http);
    state->http = NULL;
    return 0;
}

/* host.request{method, url, headers = {"Name: value", ...}, body, timeout_ms}
 *   -> status, body | nil, message */
static int host_request(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    runner_state *state = get_state(L);
    check_stop(L, state);

    lua_getfield(L, 1, "method");
    lua_getfield(L, 1, "url");
    lua_getfield(L, 1, "body");
    lua_getfield(L, 1, "timeout_ms");
    const char *method = luaL_optstring(L, -4, "GET");
    const char *url = luaL_checkstring(L, -3);
    size_t body_length = 0;
    const char *body = luaL_optlstring(L, -2, NULL, &body_length);
    lua_Integer timeout_ms = luaL_optinteger(L, -1, 10000);

    const char *headers[33] = {NULL};
    lua_getfield(L, 1, "headers");
    if (lua_istable(L, -1)) {
        lua_Integer count = luaL_len(L, -1);
        luaL_argcheck(L, count <= 32, 1, "at most 32 headers");
        for (lua_Integer i = 1; i <= count; i++) {
            luaL_argcheck(L, lua_geti(L, -1, i) == LUA_TSTRING, 1, "headers must be strings");
            headers[i - 1] = lua_tostring(L, -1);
            lua_pop(L, 1); /* the string stays alive in the headers table */
        }
    }

    /* The request may not outlast the run. */
    long long left = state->deadline_ms - halyard_scenario_monotonic_ms();
    if (state->guarded && left < timeout_ms) {
        timeout_ms = left > 1 ? left : 1;
    }

    char message[1024];
    if (state->http == NULL &&
        halyard_scenario_http_create(state->ca_file, &state->http, message, sizeof message) != 0) {
        lua_pushnil(L);
        lua_pushstring(L, message);
        return 2;
    }
    halyard_scenario_http_request request = {
        .method = method,
        .url = url,
        .headers = headers,
        .body = body,
        .body_length = body_length,
        .timeout_ms = (long)timeout_ms,
    };
    long status = 0;
    char *answer = NULL;
    size_t answer_length = 0;
    if (halyard_scenario_http_send(state->http, &request, &status, &answer, &answer_length, message,
                                   sizeof message) != 0) {
        check_stop(L, state);
        lua_pushnil(L);
        lua_pushstring(L, message);
        return 2;
    }
    lua_pushinteger(L, status);
    lua_pushlstring(L, answer, answer_length);
    free(answer);
    return 2;
}

/* --- host: files ----------------------------------------------------------------------------- */

static int push_failure(lua_State *L, const char *what, const char *path)
{
    lua_pushnil(L);
    lua_pushfstring(L, "%s %s failed: %s", what, path, strerror(errno));
    return 2;
}

/* host.read_file(path) -> text | nil, message */
static int host_read_file(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return push_failure(L, "reading", path);
    }
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    char chunk[8192];
    size_t got;
    long total = 0;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0 && total < RUNNER_READ_MAX) {
        luaL_addlstring(&buffer, chunk, got);
        total += (long)got;
    }
    int failed = ferror(file);
    fclose(file);
    if (failed) {
        return push_failure(L, "reading", path);
    }
    luaL_pushresult(&buffer);
    return 1;
}

/* host.write_file(path, text[, mode]) -> true | nil, message; mode defaults to 0600. */
static int host_write_file(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    size_t length = 0;
    const char *text = luaL_checklstring(L, 2, &length);
    mode_t mode = (mode_t)luaL_optinteger(L, 3, 0600);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return push_failure(L, "writing", path);
    }
    size_t written = 0;
    while (written < length) {
        ssize_t step = write(fd, text + written, length - written);
        if (step < 0 && errno == EINTR) {
            continue;
        }
        if (step <= 0) {
            int error = errno;
            close(fd);
            errno = error;
            return push_failure(L, "writing", path);
        }
        written += (size_t)step;
    }
    if (close(fd) != 0) {
        return push_failure(L, "writing", path);
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* host.make_dir(path) -> true | nil, message; an existing folder is fine. */
static int host_make_dir(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    struct stat status;
    if (mkdir(path, 0700) != 0 &&
        !(errno == EEXIST && stat(path, &status) == 0 && S_ISDIR(status.st_mode))) {
        return push_failure(L, "making folder", path);
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int compare_names(const void *left, const void *right)
{
    return strcmp(*(const char *const *)left, *(const char *const *)right);
}

/* host.list_dir(path) -> sorted array of names (no "." or "..") | nil, message */
static int host_list_dir(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    DIR *folder = opendir(path);
    if (folder == NULL) {
        return push_failure(L, "listing", path);
    }
    lua_newtable(L);
    lua_Integer count = 0;
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
            lua_pushstring(L, entry->d_name);
            lua_seti(L, -2, ++count);
        }
    }
    closedir(folder);

    /* Sort through a C array of the table's strings, which the table keeps alive. */
    const char **names = lua_newuserdatauv(L, (size_t)(count > 0 ? count : 1) * sizeof *names, 0);
    for (lua_Integer i = 1; i <= count; i++) {
        lua_geti(L, -2, i);
        names[i - 1] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    qsort(names, (size_t)count, sizeof *names, compare_names);
    lua_newtable(L);
    for (lua_Integer i = 1; i <= count; i++) {
        lua_pushstring(L, names[i - 1]);
        lua_seti(L, -2, i);
    }
    return 1;
}

/* host.real_path(path) -> absolute path | nil, message */
static int host_real_path(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    char resolved[PATH_MAX];
    if (realpath(path, resolved) == NULL) {
        return push_failure(L, "resolving", path);
    }
    lua_pushstring(L, resolved);
    return 1;
}

/* host.is_dir(path) -> true when path is a folder (following links) */
static int host_is_dir(lua_State *L)
{
    struct stat status;
    lua_pushboolean(L, stat(luaL_checkstring(L, 1), &status) == 0 && S_ISDIR(status.st_mode));
    return 1;
}

/* host.scratch_dir() -> the run's scratch folder, made on first call under $TMPDIR or /tmp. */
static int host_scratch_dir(lua_State *L)
{
    runner_state *state = get_state(L);
    if (state->scratch[0] == '\0') {
        const char *base = getenv("TMPDIR");
        if (base == NULL || base[0] == '\0') {
            base = "/tmp";
        }
        char pattern[PATH_MAX];
        snprintf(pattern, sizeof pattern, "%s/halyard-scenario-XXXXXX", base);
        if (mkdtemp(pattern) == NULL) {
            return luaL_error(L, "making a scratch folder in %s failed: %s", base, strerror(errno));
        }
        snprintf(state->scratch, sizeof state->scratch, "%s", pattern);
    }
    lua_pushstring(L, state->scratch);
    return 1;
}

static const luaL_Reg host_functions[] = {
    {"spawn", host_spawn},
    {"wait", host_wait},
    {"stop", host_stop},
    {"sleep", host_sleep},
    {"check", host_check},
    {"monotonic_ms", host_monotonic_ms},
    {"guard", host_guard},
    {"interrupted", host_interrupted},
    {"set_ca_file", host_set_ca_file},
    {"request", host_request},
    {"read_file", host_read_file},
    {"write_file", host_write_file},
    {"make_dir", host_make_dir},
    {"list_dir", host_list_dir},
    {"real_path", host_real_path},
    {"is_dir", host_is_dir},
    {"scratch_dir", host_scratch_dir},
    {NULL, NULL},
};

/* --- The run --------------------------------------------------------------------------------- */

static void set_text(lua_State *L, const char *name, const char *value)
{
    if (value != NULL) {
        lua_pushstring(L, value);
        lua_setfield(L, -2, name);
    }
}

static void set_number(lua_State *L, const char *name, long long value)
{
    if (value > 0) {
        lua_pushinteger(L, value);
        lua_setfield(L, -2, name);
    }
}

/* Pushes host.options: what the Lua side needs to know of the command line and config. */
static void push_options(lua_State *L, const halyard_scenario_options *options,
                         const char *module_dir)
{
    lua_newtable(L);
    set_text(L, "file", options->path);
    set_text(L, "halyard", options->halyard_path);
    set_text(L, "simulator", options->simulator_path);
    set_text(L, "msp", options->msp);
    set_text(L, "msp_script_dir", options->msp_script_dir);
    set_text(L, "module_dir", module_dir);
    set_number(L, "timeout_ms", options->timeout_ms);
    lua_pushboolean(L, options->keep);
    lua_setfield(L, -2, "keep");

    lua_newtable(L);
    set_number(L, "memory_mb", options->lua_memory_mb);
    set_number(L, "instructions", options->lua_instructions);
    set_number(L, "time_ms", options->lua_time_ms);
    lua_setfield(L, -2, "lua_limits");
}

/* Opens the standard libraries, json and host in L, and makes require find the runner's modules
 * in module_dir only. Every standard library is opened because the runner's modules are
 * halyard's own code; they give scenario files a smaller environment. A lua_CFunction run under
 * lua_pcall with the runner's state (light userdata) and module_dir as its arguments. */
static int set_up_state(lua_State *L)
{
    runner_state *state = lua_touserdata(L, 1);
    const char *module_dir = lua_tostring(L, 2);
    luaL_openlibs(L);
    luaL_requiref(L, "json", halyard_open_json, 1);
    lua_pop(L, 1);
    lua_pushlightuserdata(L, state);
    lua_setfield(L, LUA_REGISTRYINDEX, RUNNER_KEY);
    luaL_newlib(L, host_functions);
    push_options(L, state->options, module_dir);
    lua_setfield(L, -2, "options");
    lua_setglobal(L, "host");

    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/?.lua", module_dir);
    lua_setfield(L, -2, "path");
    lua_pushstring(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
    lua_sethook(L, on_hook, LUA_MASKCOUNT, RUNNER_HOOK_STEP);
    return 0;
}

/* Message handler: a table error (a failed expectation) passes as it is; anything else becomes
 * text with a traceback. */
static int on_error(lua_State *L)
{
    if (lua_istable(L, 1)) {
        return 1;
    }
    const char *text = lua_tostring(L, 1);
    if (text == NULL) {
        text = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, text, 1);
    return 1;
}

/* Removes path and, for a folder, everything in it, to depth levels. Links are removed, never
 * followed, so a linked MSP script stays where it is. Errors are ignored: a scratch file that
 * cannot be removed is left behind, nothing more. */
static void remove_tree(const char *path, int depth)
{
    struct stat status;
    if (lstat(path, &status) != 0) {
        return;
    }
    if (S_ISDIR(status.st_mode) && depth > 0) {
        DIR *folder = opendir(path);
        struct dirent *entry;
        while (folder != NULL && (entry = readdir(folder)) != NULL) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
                continue;
            }
            char child[PATH_MAX];
            if (snprintf(child, sizeof child, "%s/%s", path, entry->d_name) < (int)sizeof child) {
                remove_tree(child, depth - 1);
            }
        }
        if (folder != NULL) {
            closedir(folder);
        }
        rmdir(path);
        return;
    }
    unlink(path);
}

/* Runs runner.run() from runner.lua in L and copies its result. Returns 0, or -1 with a
 * message when the runner itself failed. Pushes and pops the stack back to where it was. */
static int call_runner(lua_State *L, const char *module_dir, halyard_scenario_result *result,
                       char *message, size_t message_size)
{
    char runner_path[PATH_MAX + 16];
    snprintf(runner_path, sizeof runner_path, "%s/runner.lua", module_dir);
    lua_pushcfunction(L, on_error);
    int handler = lua_gettop(L);
    if (luaL_loadfilex(L, runner_path, "t") != LUA_OK || lua_pcall(L, 0, 1, handler) != LUA_OK) {
        snprintf(message, message_size, "loading the scenario runner failed: %s",
                 lua_tostring(L, -1));
        lua_settop(L, handler - 1);
        return -1;
    }
    lua_getfield(L, -1, "run");
    if (lua_pcall(L, 0, 1, handler) != LUA_OK || !lua_istable(L, -1)) {
        snprintf(message, message_size, "the scenario runner failed: %s",
                 lua_isstring(L, -1) ? lua_tostring(L, -1) : "it returned no result table");
        lua_settop(L, handler - 1);
        return -1;
    }
    lua_getfield(L, -1, "passed");
    result->passed = lua_toboolean(L, -1);
    lua_getfield(L, -2, "report");
    const char *report = lua_tostring(L, -1);
    result->report = report != NULL && report[0] != '\0' ? strdup(report) : NULL;
    lua_settop(L, handler - 1);
    return 0;
}

int halyard_scenario_run(const halyard_scenario_options *options, halyard_scenario_result *result,
                         char *message, size_t message_size)
{
    memset(result, 0, sizeof *result);
    runner_state state = {.options = options, .guarded = true};
    long long started = halyard_scenario_monotonic_ms();
    state.deadline_ms = started + options->timeout_ms;
    int status = -1;

    char module_dir[PATH_MAX];
    snprintf(module_dir, sizeof module_dir, "%s/core/app/scenario", halyard_lua_host_share_dir());

    /* Step 1: the runner's state. */
    lua_State *L = luaL_newstate();
    if (L == NULL) {
        snprintf(message, message_size, "out of memory creating a Lua state");
        return -1;
    }
    lua_pushcfunction(L, set_up_state);
    lua_pushlightuserdata(L, &state);
    lua_pushstring(L, module_dir);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        snprintf(message, message_size, "setting up the scenario runner failed: %s",
                 lua_tostring(L, -1));
        lua_close(L);
        return -1;
    }

    /* Step 2: the run. A scenario stopped by its deadline or a signal fails even when it
     * caught the error and ended on its own. */
    status = call_runner(L, module_dir, result, message, message_size);
    if (status == 0 && state.stop_message[0] != '\0' &&
        (result->report == NULL || strstr(result->report, state.stop_message) == NULL)) {
        char line[PATH_MAX + 256];
        snprintf(line, sizeof line, "    %s: %s, and the scenario caught the error and went on\n",
                 options->path, state.stop_message);
        size_t length = strlen(line) + (result->report != NULL ? strlen(result->report) : 0) + 1;
        char *report = malloc(length);
        if (report != NULL) {
            snprintf(report, length, "%s%s", line, result->report != NULL ? result->report : "");
        }
        free(result->report);
        result->report = report;
        result->passed = false;
    }

    /* Step 3: whatever happened, no child outlives the run, and the scratch folder goes unless
     * it is to be kept. */
    halyard_scenario_stop_all(RUNNER_STOP_GRACE_MS);
    lua_close(L);
    halyard_scenario_http_free(state.http);
    free(state.ca_file);
    if (state.scratch[0] != '\0' && !options->keep) {
        remove_tree(state.scratch, 16);
    }
    result->seconds = (double)(halyard_scenario_monotonic_ms() - started) / 1000.0;
    return status;
}
