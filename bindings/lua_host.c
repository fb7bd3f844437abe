#include "lua_host.h"

#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#include "halo.h"
#include "http.h"
#include "json.h"
#include "log.h"
#include "lua_clock.h"
#include "lua_host_private.h"
#include "loop_guard.h"
#include "lua_log.h"
#include "lua_store.h"
#include "lua_match_index.h"
#include "lua_text.h"
#include "pattern.h"
#include "lua_script_files.h"

#ifndef HALYARD_SHARE_DIR
#error "HALYARD_SHARE_DIR must name the folder holding bindings/lua/ and workflows/"
#endif

/* A script file larger than this is rejected unread: workflows are short prose and rules. */
/* The collector's pause while a host serves, in per cent of the heap after a collection. */
#define HOST_SERVING_GC_PAUSE 110

#define HOST_SCRIPT_MAX_BYTES (1024 * 1024)

/* The registry key of the table of halyard's Lua modules, by name. */
#define HOST_MODULES_KEY "halyard.modules"

/* halyard's Lua modules in load order: each may use the ones before it. */
static const char *const host_module_names[] = {
    "canonical", "redact", "match", "note", "context", "tools", "loader", "agent", "gather", "host",
};

/* Instructions between two calls of the limit hook: the budget's granularity. */
#define HOST_HOOK_STEP 1000

/* One script file found in a folder; path is owned, name points into it. */
typedef struct {
    char *path;
    const char *name;
    const char *root; /* the folder the file must resolve inside, or NULL for shipped files */
} host_script;

typedef struct {
    host_script *items;
    size_t count;
} host_script_list;

static void host_set_message(char *message, size_t message_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void host_set_message(char *message, size_t message_size, const char *format, ...)
{
    if (message == NULL || message_size == 0) {
        return;
    }
    va_list args;
    va_start(args, format);
    vsnprintf(message, message_size, format, args);
    va_end(args);
}

const char *halyard_lua_host_share_dir(void)
{
    const char *from_environment = getenv("HALYARD_SHARE_DIR");
    if (from_environment != NULL && from_environment[0] != '\0') {
        return from_environment;
    }
    return HALYARD_SHARE_DIR;
}

const char *halyard_lua_result_name(halyard_lua_result result)
{
    switch (result) {
    case HALYARD_LUA_OK:
        return "ok";
    case HALYARD_LUA_ERROR:
        return "error";
    case HALYARD_LUA_TIMEOUT:
        return "timeout";
    case HALYARD_LUA_OUT_OF_MEMORY:
        return "out of memory";
    case HALYARD_LUA_CANCELLED:
        return "cancelled";
    }
    return "error";
}

/*
 * The state's allocator, user_data being the host: it counts the bytes the state holds and
 * fails a growth past the cap, which makes Lua collect garbage, retry once and then raise
 * "not enough memory". Shrinking and freeing are never failed by the cap.
 */
static void *host_allocate(void *user_data, void *block, size_t old_size, size_t new_size)
{
    halyard_lua_host *host = user_data;

    /* For a new block, old_size is the kind of object being made, not a size. */
    size_t old_bytes = block != NULL ? old_size : 0;

    if (new_size == 0) {
        free(block);
        host->memory_used -= old_bytes;
        return NULL;
    }
    if (new_size > old_bytes && new_size - old_bytes > host->memory_limit - host->memory_used) {
        return NULL;
    }
    void *moved = realloc(block, new_size);
    if (moved == NULL) {
        return NULL;
    }
    host->memory_used = host->memory_used - old_bytes + new_size;
    return moved;
}

/* Reads clock (CLOCK_MONOTONIC or CLOCK_THREAD_CPUTIME_ID) in nanoseconds. */
static long long host_clock_ns(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/*
 * Returns non-zero once the running call has used its CPU time, read on the calling thread's
 * CPU clock, so a call on a busy machine that waits for a core is not stopped for the wait. A
 * call runs on one thread from limits_start to its end, which makes that clock the call's.
 *
 * Reading the thread's CPU clock is a system call (about 1 us on the 2-core x86-64 test
 * machine, against 0.1 us for CLOCK_MONOTONIC), too slow for every hook call. A thread uses
 * no more CPU time than wall-clock time passes, so the CPU clock is read only once the
 * wall-clock deadline has passed, and a call that waited gets a later wall-clock deadline.
 */
static int host_time_reached(halyard_lua_host *host)
{
    long long now_ns = host_clock_ns(CLOCK_MONOTONIC);
    if (now_ns < host->deadline_ns) {
        return 0;
    }

    long long cpu_left_ns = host->cpu_deadline_ns - host_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    if (cpu_left_ns <= 0) {
        return 1;
    }
    host->deadline_ns = now_ns + cpu_left_ns;
    return 0;
}

/*
 * The count hook that enforces a call's instruction budget and deadline. Once either is
 * reached it re-arms itself to run after every instruction and raises each time, so the
 * error surfaces again right after any pcall, xpcall or error handler that caught it, until
 * the call unwinds to the host. Raises a Lua error; the host reads why from host->stop.
 */
static void host_limit_hook(lua_State *L, lua_Debug *debug)
{
    halyard_lua_host *host = host_of(L);

    if (host->stop == HOST_STOP_NONE) {
        host->instructions_used += (unsigned long long)host->hook_step;
        if (host->instructions_used >= host->instruction_limit) {
            host->stop = HOST_STOP_INSTRUCTIONS;
        } else if (host_time_reached(host)) {
            host->stop = HOST_STOP_DEADLINE;
        } else {
            return;
        }
        lua_sethook(L, host_limit_hook, LUA_MASKCOUNT, 1);
        if (lua_getinfo(L, "Sl", debug) != 0) {
            snprintf(host->stop_source, sizeof host->stop_source, "%s", debug->short_src);
            host->stop_line = debug->currentline;
        }
    }

    if (host->stop == HOST_STOP_INSTRUCTIONS) {
        luaL_error(L, "the script exceeded the instruction limit of %I instructions",
                   (lua_Integer)host->instruction_limit);
    }
    if (host->stop == HOST_STOP_MEMORY) {
        luaL_error(L, "not enough memory: the script needed more than the limit of %I bytes",
                   (lua_Integer)host->memory_limit);
    }
    luaL_error(L, "the script exceeded the time limit of %d ms", (int)host->time_limit_ms);
}

void halyard_lua_host_limits_start(halyard_lua_host *host, lua_State *L,
                                   unsigned long long instructions_used, long long time_left_ms)
{
    host->stop = HOST_STOP_NONE;
    host->stop_source[0] = '\0';
    host->stop_line = 0;
    host->instructions_used = instructions_used;
    host->hook_step =
        host->instruction_limit < HOST_HOOK_STEP ? (int)host->instruction_limit : HOST_HOOK_STEP;

    if (time_left_ms < 0) {
        time_left_ms = 0;
    }
    long long time_left_ns = time_left_ms * 1000000LL;
    host->deadline_ns = host_clock_ns(CLOCK_MONOTONIC) + time_left_ns;
    host->cpu_deadline_ns = host_clock_ns(CLOCK_THREAD_CPUTIME_ID) + time_left_ns;
    lua_sethook(L, host_limit_hook, LUA_MASKCOUNT, host->hook_step);
}

/* Starts the budget, log budget and deadline of one call into Lua made while C waits. */
static void host_run_begin(halyard_lua_host *host)
{
    halyard_lua_host_limits_start(host, host->L, 0, host->time_limit_ms);
    memset(&host->log_spending, 0, sizeof host->log_spending);
}

int halyard_lua_host_message_handler(lua_State *L)
{
    const char *text = lua_tostring(L, 1);
    if (text == NULL) {
        /* A stopped call runs no more script code, __tostring included. */
        if (host_of(L)->stop == HOST_STOP_NONE && luaL_callmeta(L, 1, "__tostring") &&
            lua_type(L, -1) == LUA_TSTRING) {
            text = lua_tostring(L, -1);
        } else {
            text = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
    }
    luaL_traceback(L, L, text, 1);
    return 1;
}

/*
 * Replaces the base library's load: the chunk must be a string of Lua source, because
 * scripts never load binary chunks (a crafted one can break the interpreter's memory
 * safety). A mode asking for binary raises; a binary string fails softly like any chunk
 * that does not compile: nil plus the message.
 */
static int host_load(lua_State *L)
{
    size_t length = 0;
    const char *chunk = luaL_checklstring(L, 1, &length);
    const char *chunk_name = luaL_optstring(L, 2, chunk);
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 'b') != NULL) {
        return luaL_argerror(L, 3, "binary chunks are not allowed, use mode \"t\"");
    }
    int has_environment = !lua_isnone(L, 4);

    if (luaL_loadbufferx(L, chunk, length, chunk_name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }

    /* The first upvalue of a main chunk is its _ENV. */
    if (has_environment) {
        lua_pushvalue(L, 4);
        if (lua_setupvalue(L, -2, 1) == NULL) {
            lua_pop(L, 1);
        }
    }
    return 1;
}

/* __index of _G: reading a global that does not exist is a bug in the script. */
static int host_global_index(lua_State *L)
{
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "undefined global '%s'", name != NULL ? name : luaL_typename(L, 2));
}

/* __newindex of _G: halyard's modules and every script keep their names local. */
static int host_global_new_index(lua_State *L)
{
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "assignment to undefined global '%s'; declare it local",
                      name != NULL ? name : luaL_typename(L, 2));
}

/*
 * Finishes host_pcall and host_xpcall, also when the protected function yielded and was
 * resumed (then Lua calls this as the continuation, with status LUA_YIELD for a normal return
 * and the error status for an error). Once the limit hook has stopped the call, the error is
 * raised again at once instead of being returned, so no Lua code runs between the catch and
 * the next raise. extra is the number of stack slots below the first result (true).
 * Stack: [(f, handler,) true, results...] -> [true, results...], or [..., error] ->
 * [false, error].
 */
static int host_finish_pcall(lua_State *L, int status, lua_KContext extra)
{
    halyard_lua_host *host = host_of(L);

    /* Running out of memory stops the call like the other limits: a script that caught it
     * would go on at the cap, failing at every allocation. */
    if (status == LUA_ERRMEM && host->stop == HOST_STOP_NONE) {
        host->stop = HOST_STOP_MEMORY;
        lua_sethook(L, host_limit_hook, LUA_MASKCOUNT, 1);
    }
    if (host->stop != HOST_STOP_NONE) {
        if (status == LUA_OK || status == LUA_YIELD) {
            lua_pushliteral(L, "the script was stopped by a limit");
        }
        return lua_error(L);
    }
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

/*
 * Replaces the base library's pcall: the same, except for host_finish_pcall's rule that a
 * call stopped by a limit is raised again. A function that yields (a halo or http call) may
 * run inside it. Stack: [f, args...] -> [true, results...] or [false, error].
 */
static int host_pcall(lua_State *L)
{
    luaL_checkany(L, 1);

    /* Stack: [f, args...] -> [true, f, args...]; true is the first result. */
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, host_finish_pcall);
    return host_finish_pcall(L, status, 0);
}

/* The message handler host_xpcall installs: calls the script's handler (upvalue 1) unless
 * the call was stopped by a limit, when the error passes through untouched. */
static int host_xpcall_handler(lua_State *L)
{
    if (host_of(L)->stop != HOST_STOP_NONE) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/*
 * Replaces the base library's xpcall, with host_pcall's rule: a stopped call is raised
 * again, and the script's handler no longer runs once the call is stopped. A function that
 * yields may run inside it (the handler may not yield). Stack: [f, handler, args...] ->
 * [true, results...] or [false, handled error].
 */
static int host_xpcall(lua_State *L)
{
    int argument_count = lua_gettop(L) - 2;
    luaL_checktype(L, 2, LUA_TFUNCTION);

    /* Stack: [f, handler, args...] -> [f, wrapped handler, true, f, args...]; true is the
     * first result. */
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, host_xpcall_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);

    int status = lua_pcallk(L, argument_count, LUA_MULTRET, 2, 2, host_finish_pcall);
    return host_finish_pcall(L, status, 2);
}

/*
 * Replaces the base library's collectgarbage: only "count" is left, because the other
 * options let a script stop the collector or tune it past the memory cap's reach.
 */
static int host_collect_garbage(lua_State *L)
{
    const char *option = luaL_optstring(L, 1, "collect");
    if (strcmp(option, "count") != 0) {
        return luaL_argerror(
            L, 1, lua_pushfstring(L, "option '%s' is not allowed, only \"count\"", option));
    }
    lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) +
                          (lua_Number)lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
    return 1;
}

/*
 * Opens the allowed libraries and shapes the global table. Runs under lua_pcall so an
 * out-of-memory error comes back as a status. Argument 1 is the host's options (a light
 * userdata). Stack: unchanged.
 */
static int host_open_sandbox(lua_State *L)
{
    static const luaL_Reg libraries[] = {
        {LUA_GNAME, luaopen_base},
        {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},
        {"json", halyard_open_json},
        {"log", halyard_open_log},
        {"script_log", halyard_open_script_log},
        {"text", halyard_open_text},
        {"clock", halyard_open_clock},
        {"halo", halyard_open_halo},
        {"http", halyard_open_http},
        {"match_index", halyard_open_match_index},
        {NULL, NULL},
    };
    for (const luaL_Reg *library = libraries; library->name != NULL; library++) {
        luaL_requiref(L, library->name, library->func, 1);
        lua_pop(L, 1);
    }

    /* Pattern matching that the instruction budget and the deadline can stop. */
    halyard_pattern_install(L);

    /* Library functions whose C loops run as often as their arguments request, charged up front. */
    halyard_loop_guard_install(L);

    const halyard_lua_host_options *options = lua_touserdata(L, 1);
    halyard_lua_store_options store_options = {
        .database_path = options->store_database_path,
        .msp_id = options->store_msp_id,
        .msp = options->msp,
        .max_value_bytes = options->store_max_value_bytes,
        .max_keys = options->store_max_keys,
    };
    halyard_open_store(L, &store_options);
    lua_setglobal(L, "store");

    /* No file access, and no binary chunks in either direction. */
    lua_pushglobaltable(L);
    lua_pushnil(L);
    lua_setfield(L, -2, "dofile");
    lua_pushnil(L);
    lua_setfield(L, -2, "loadfile");
    lua_pushcfunction(L, host_load);
    lua_setfield(L, -2, "load");
    lua_getfield(L, -1, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    lua_pushcfunction(L, host_collect_garbage);
    lua_setfield(L, -2, "collectgarbage");
    lua_pushcfunction(L, host_pcall);
    lua_setfield(L, -2, "pcall");
    lua_pushcfunction(L, host_xpcall);
    lua_setfield(L, -2, "xpcall");

    /* Every string shares one metatable, whose __index is the string table: __metatable
     * keeps a script from reaching it through getmetatable("") and changing what a method
     * call on any string does in halyard's own modules. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    /* The module table, filled by host_load_modules. */
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, HOST_MODULES_KEY);

    /* Strict globals. __metatable hides and locks the metatable from scripts. */
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, host_global_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, host_global_new_index);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
    return 0;
}

/*
 * Reads a whole script file into a malloc'd, NUL-terminated buffer. When root is not NULL, the
 * file must resolve inside that folder (halyard_script_file_check_inside).
 * Returns 0, or -2 with a message for a file outside root, which it never reads. Any other
 * failure returns -1 with a message naming the file and what to do.
 */
static int host_read_file(const char *path, const char *root, char **text, size_t *length,
                          char *message, size_t message_size)
{
    int result = -1;
    char *buffer = NULL;
    FILE *file = NULL;

    /* Open without blocking and read only regular files: a script path that is a FIFO or a
     * device (through a symlink, say) would otherwise hang the host or never end. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) {
        int error = errno;
        host_set_message(message, message_size, "%s: cannot open: %s%s", path, strerror(error),
                         error == EACCES || error == EPERM ? "; check the file's permissions" : "");
        if (fd >= 0) {
            close(fd);
        }
        goto cleanup;
    }
    if (root != NULL) {
        int inside = halyard_script_file_check_inside(fd, path, root, message, message_size);
        if (inside != 0) {
            close(fd);
            result = inside > 0 ? -2 : -1;
            goto cleanup;
        }
    }
    if (!S_ISREG(info.st_mode)) {
        const char *what = S_ISDIR(info.st_mode)    ? "a folder"
                           : S_ISFIFO(info.st_mode) ? "a FIFO"
                           : S_ISSOCK(info.st_mode) ? "a socket"
                                                    : "a device";
        host_set_message(message, message_size,
                         "%s: is %s, not a regular file; a script must be a plain .lua file", path,
                         what);
        close(fd);
        goto cleanup;
    }
    file = fdopen(fd, "rb");
    if (file == NULL) {
        host_set_message(message, message_size, "%s: cannot open: %s", path, strerror(errno));
        close(fd);
        goto cleanup;
    }

    buffer = malloc(HOST_SCRIPT_MAX_BYTES + 1);
    if (buffer == NULL) {
        host_set_message(message, message_size, "%s: out of memory", path);
        goto cleanup;
    }
    size_t used = fread(buffer, 1, HOST_SCRIPT_MAX_BYTES + 1, file);
    if (ferror(file)) {
        host_set_message(message, message_size, "%s: read failed: %s", path, strerror(errno));
        goto cleanup;
    }
    if (used > HOST_SCRIPT_MAX_BYTES) {
        host_set_message(message, message_size,
                         "%s: larger than %d bytes; split it into smaller scripts", path,
                         HOST_SCRIPT_MAX_BYTES);
        goto cleanup;
    }
    buffer[used] = '\0';

    *text = buffer;
    *length = used;
    buffer = NULL;
    result = 0;

cleanup:
    free(buffer);
    if (file != NULL) {
        fclose(file);
    }
    return result;
}

static void host_script_list_clear(host_script_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].path);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static int host_script_compare(const void *left, const void *right)
{
    const host_script *a = left;
    const host_script *b = right;
    return strcmp(a->name, b->name);
}

/*
 * Adds every "*.lua" file of folder to list. A file whose name is already listed replaces
 * that entry: this is how an MSP's file overrides the shipped one. Hidden files are skipped.
 * A folder that does not exist adds nothing. Returns 0, or -1 with a message.
 */
static int host_script_list_add_folder(const char *msp, host_script_list *list, const char *folder,
                                       const char *root, char *message, size_t message_size)
{
    DIR *directory = opendir(folder);
    if (directory == NULL) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return 0;
        }
        host_set_message(message, message_size, "%s: cannot list the folder: %s", folder,
                         strerror(errno));
        return -1;
    }

    int result = -1;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        size_t name_length = strlen(entry->d_name);
        if (entry->d_name[0] == '.' || name_length <= 4 ||
            strcmp(entry->d_name + name_length - 4, ".lua") != 0) {
            continue;
        }

        size_t path_size = strlen(folder) + 1 + name_length + 1;
        char *path = malloc(path_size);
        if (path == NULL) {
            host_set_message(message, message_size, "out of memory listing %s", folder);
            goto cleanup;
        }
        snprintf(path, path_size, "%s/%s", folder, entry->d_name);
        const char *name = path + strlen(folder) + 1;

        size_t index = 0;
        while (index < list->count && strcmp(list->items[index].name, name) != 0) {
            index++;
        }
        if (index == list->count) {
            host_script *grown = realloc(list->items, (list->count + 1) * sizeof *grown);
            if (grown == NULL) {
                free(path);
                host_set_message(message, message_size, "out of memory listing %s", folder);
                goto cleanup;
            }
            list->items = grown;
            list->count++;
        } else {
            halyard_log(HALYARD_LOG_INFO, "lua", "msp=%s %s overrides %s", msp, path,
                        list->items[index].path);
            free(list->items[index].path);
        }
        list->items[index].path = path;
        list->items[index].name = name;
        list->items[index].root = root;
    }
    result = 0;

cleanup:
    closedir(directory);
    return result;
}

/* Builds "<base>/<relative>" into a malloc'd string, or NULL when out of memory. */
static char *host_join_path(const char *base, const char *relative)
{
    size_t size = strlen(base) + 1 + strlen(relative) + 1;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size, "%s/%s", base, relative);
    }
    return path;
}

halyard_lua_result halyard_lua_host_classify(halyard_lua_host *host, lua_State *L, int status,
                                             char *message, size_t message_size)
{
    /* The hook's flag, not the error value, says why: a script may raise any value. */
    halyard_lua_result result = HALYARD_LUA_ERROR;
    if (status == LUA_OK) {
        return HALYARD_LUA_OK;
    }
    if (host->stop == HOST_STOP_MEMORY) {
        result = HALYARD_LUA_OUT_OF_MEMORY;
    } else if (host->stop != HOST_STOP_NONE) {
        result = HALYARD_LUA_TIMEOUT;
    } else if (status == LUA_ERRMEM) {
        result = HALYARD_LUA_OUT_OF_MEMORY;
    }

    if (result == HALYARD_LUA_OUT_OF_MEMORY) {
        host_set_message(message, message_size,
                         "out of memory: the script needed more than the limit of %zu bytes "
                         "(endless recursion can also end here)",
                         host->memory_limit);
    } else if (result == HALYARD_LUA_TIMEOUT && host->stop_line > 0) {
        /* Where the hook stopped the script comes first, as in Lua's own errors: a loop inside
         * a pcall leaves no frame in the traceback, so nothing else names the script at fault. */
        const char *error = lua_tostring(L, -1);
        host_set_message(message, message_size, "%s: %s:%d: %s", halyard_lua_result_name(result),
                         host->stop_source, host->stop_line,
                         error != NULL ? error : "unknown error");
    } else {
        const char *error = lua_tostring(L, -1);
        host_set_message(message, message_size, "%s: %s", halyard_lua_result_name(result),
                         error != NULL ? error : "unknown error");
    }
    return result;
}

/*
 * Calls the function on top of the stack with nargs arguments below it, under the message
 * handler. Stack: [function, args...] -> [results...] (LUA_MULTRET) or [] on error.
 * Returns the lua_pcall status; on error the message (with traceback) goes into message.
 * NOTE: the hardening of the Lua host arms an instruction-count hook around this call.
 */
static int host_protected_call(halyard_lua_host *host, int nargs, char *message,
                               size_t message_size)
{
    lua_State *L = host->L;
    int function_index = lua_gettop(L) - nargs;
    lua_pushcfunction(L, halyard_lua_host_message_handler);
    lua_insert(L, function_index);

    host_run_begin(host);
    int status = lua_pcall(L, nargs, LUA_MULTRET, function_index);
    lua_sethook(L, NULL, 0, 0);
    halyard_lua_log_report_dropped(host->msp, NULL, &host->log_spending, host->log_line_limit,
                                   host->log_byte_limit);

    host->last_result = halyard_lua_host_classify(host, L, status, message, message_size);
    if (status != LUA_OK) {
        lua_pop(L, 1);
    }
    lua_remove(L, function_index);
    host->stop = HOST_STOP_NONE;
    return status;
}

/*
 * Loads halyard's Lua modules from <share>/bindings/lua/ in host_module_names order. Each
 * chunk receives the table of modules loaded before it and returns its own table.
 * Returns 0, or -1 with a message.
 */
static int host_load_modules(halyard_lua_host *host, const char *share_dir, char *message,
                             size_t message_size)
{
    lua_State *L = host->L;
    int result = -1;
    char *path = NULL;
    char *text = NULL;
    size_t length = 0;

    for (size_t i = 0; i < sizeof host_module_names / sizeof host_module_names[0]; i++) {
        const char *name = host_module_names[i];
        char relative[128];
        snprintf(relative, sizeof relative, "bindings/lua/%s.lua", name);
        path = host_join_path(share_dir, relative);
        if (path == NULL) {
            host_set_message(message, message_size, "out of memory loading module %s", name);
            goto cleanup;
        }

        char read_message[512];
        if (host_read_file(path, NULL, &text, &length, read_message, sizeof read_message) != 0) {
            host_set_message(message, message_size,
                             "%s; set HALYARD_SHARE_DIR to the folder that holds bindings/lua/",
                             read_message);
            goto cleanup;
        }

        /* Stack: [] -> [chunk]; the "@" makes error positions read path:line. */
        lua_pushfstring(L, "@%s", path);
        const char *chunk_name = lua_tostring(L, -1);
        int status = luaL_loadbufferx(L, text, length, chunk_name, "t");
        lua_remove(L, -2);
        if (status != LUA_OK) {
            host_set_message(message, message_size, "%s", lua_tostring(L, -1));
            lua_pop(L, 1);
            goto cleanup;
        }

        /* Stack: [chunk] -> [chunk, modules] -> [module]. */
        lua_getfield(L, LUA_REGISTRYINDEX, HOST_MODULES_KEY);
        if (host_protected_call(host, 1, message, message_size) != LUA_OK) {
            goto cleanup;
        }
        if (!lua_istable(L, -1)) {
            host_set_message(message, message_size, "%s: the module returned %s, expected a table",
                             path, luaL_typename(L, -1));
            lua_settop(L, 0);
            goto cleanup;
        }
        lua_getfield(L, LUA_REGISTRYINDEX, HOST_MODULES_KEY);
        lua_insert(L, -2);
        lua_setfield(L, -2, name);
        lua_settop(L, 0);

        free(text);
        text = NULL;
        free(path);
        path = NULL;
    }
    result = 0;

cleanup:
    free(text);
    free(path);
    return result;
}

int halyard_lua_host_push_function(lua_State *L, const char *module, const char *function,
                                   char *message, size_t message_size)
{
    lua_getfield(L, LUA_REGISTRYINDEX, HOST_MODULES_KEY);
    lua_getfield(L, -1, module);
    lua_remove(L, -2);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, function);
        lua_remove(L, -2);
        if (lua_isfunction(L, -1)) {
            return 0;
        }
    }
    lua_pop(L, 1);
    host_set_message(message, message_size, "the Lua module %s has no function %s", module,
                     function);
    return -1;
}

/* A call of modules.<module>.<function> with string arguments, for host_push_and_call. */
typedef struct {
    const char *module;
    const char *function;
    const char *const *texts; /* NULL passes nil */
    const size_t *lengths;    /* NULL: each text ends at its NUL */
    int count;
} host_call_input;

/*
 * Pushes the function and its arguments and calls it. Runs under lua_pcall because pushing a
 * string allocates, and an allocation that fails outside a protected call ends the process:
 * a script that filled its state to the memory cap must fail its own call, not halyard.
 * Stack: [input] -> [results...].
 */
static int host_push_and_call(lua_State *L)
{
    const host_call_input *input = lua_touserdata(L, 1);
    lua_settop(L, 0);

    char message[256];
    if (halyard_lua_host_push_function(L, input->module, input->function, message,
                                       sizeof message) != 0) {
        return luaL_error(L, "%s", message);
    }
    for (int i = 0; i < input->count; i++) {
        if (input->texts[i] == NULL) {
            lua_pushnil(L);
        } else if (input->lengths != NULL) {
            lua_pushlstring(L, input->texts[i], input->lengths[i]);
        } else {
            lua_pushstring(L, input->texts[i]);
        }
    }
    lua_call(L, input->count, LUA_MULTRET);
    return lua_gettop(L);
}

/* Calls modules.<module>.<function>(texts...) through host_push_and_call under the host's
 * limits. Returns host_protected_call's status; the results are on the stack on LUA_OK. */
static int host_call_with_texts(halyard_lua_host *host, const host_call_input *input, char *message,
                                size_t message_size)
{
    lua_pushcfunction(host->L, host_push_and_call);
    lua_pushlightuserdata(host->L, (void *)input);
    return host_protected_call(host, 1, message, message_size);
}

/*
 * Records a problem through loader.add_problem, in a call of its own so the limits are
 * fresh. Returns 0, or -1 with a message when the loader itself fails.
 */
static int host_add_problem(halyard_lua_host *host, const char *problem, char *message,
                            size_t message_size)
{
    const char *texts[] = {problem};
    host_call_input input = {
        .module = "loader", .function = "add_problem", .texts = texts, .count = 1};
    if (host_call_with_texts(host, &input, message, message_size) != LUA_OK) {
        return -1;
    }
    host->loader_problem_count = (size_t)lua_tointeger(host->L, -1);
    lua_settop(host->L, 0);
    return 0;
}

/*
 * Hands one file's text to loader.add(kind, path, source) in a call of its own under the
 * host's limits. The loader records why a file fails to compile or validate. A load can also
 * fail past the loader, when a limit is reached or a metamethod of what the file returned
 * raises. Such a problem is recorded here, at the file's line where it happened. Returns 1 when
 * the file was accepted, 0 when it was not, or -1 with a message when the loader itself fails.
 */
static int host_add_file(halyard_lua_host *host, const char *kind, const char *path,
                         const char *text, size_t length, char *message, size_t message_size)
{
    lua_State *L = host->L;
    const char *texts[] = {kind, path, text};
    size_t lengths[] = {strlen(kind), strlen(path), length};
    host_call_input input = {
        .module = "loader", .function = "add", .texts = texts, .lengths = lengths, .count = 3};

    char run_message[1024];
    if (host_call_with_texts(host, &input, run_message, sizeof run_message) != LUA_OK) {
        lua_settop(L, 0);

        /* A limit's position is where the hook stopped the file; any other error's is the
         * innermost frame of the file in the traceback. */
        int line = 0;
        if (host->last_result == HALYARD_LUA_TIMEOUT && host->stop_line > 0 &&
            halyard_source_names_path(host->stop_source, strlen(host->stop_source), path)) {
            line = host->stop_line;
        } else {
            line = halyard_traceback_line(run_message, path);
        }
        run_message[strcspn(run_message, "\n")] = '\0';
        char problem[1200];
        snprintf(problem, sizeof problem, "%s:%d: %s; the file could not be loaded", path,
                 line > 0 ? line : 1, run_message);
        return host_add_problem(host, problem, message, message_size) == 0 ? 0 : -1;
    }

    /* Stack: [accepted, problem_count]. */
    int accepted = lua_toboolean(L, 1);
    host->loader_problem_count = (size_t)lua_tointeger(L, 2);
    lua_settop(L, 0);
    return accepted;
}

/* Returns the text of kind stored before the restart under path's file name, or NULL. */
static const halyard_script_text *host_find_restored_text(const halyard_lua_host *host,
                                                          const char *kind, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash != NULL ? slash + 1 : path;
    for (size_t i = 0; i < host->restored_text_count; i++) {
        const halyard_script_text *stored = &host->restored_texts[i];
        const char *stored_slash = strrchr(stored->path, '/');
        const char *stored_name = stored_slash != NULL ? stored_slash + 1 : stored->path;
        if (strcmp(stored->kind, kind) == 0 && strcmp(stored_name, name) == 0) {
            return stored;
        }
    }
    return NULL;
}

/*
 * Loads the text that served for file's name before, after the text on disk (failed_text,
 * NULL when it could not be read) failed. That is the previous host's text, or, when there is
 * no previous host, the text stored before the restart for a file of the MSP's folder. A
 * previous text equal to the failed one is not tried again: it failed for a reason outside
 * the file (a name another file took, say). Returns 1 when the previous text was accepted, 0
 * when there is none or it failed too, or -1 with a message when the loader itself fails or
 * memory runs out.
 */
static int host_add_previous_text(halyard_lua_host *host, halyard_script_file *file,
                                  const char *failed_text, size_t failed_length, char *message,
                                  size_t message_size)
{
    const char *earlier_text = NULL;
    const char *earlier_serving_path = NULL;
    size_t earlier_length = 0;
    bool restored = false;
    if (host->previous != NULL) {
        const halyard_script_file *earlier =
            halyard_script_files_find(&host->previous->files, file->info.kind, file->path);
        if (earlier != NULL) {
            earlier_text = earlier->text;
            earlier_serving_path = earlier->serving_path;
            earlier_length = earlier->length;
        }
    } else if (file->info.msp_file) {
        const halyard_script_text *stored =
            host_find_restored_text(host, file->info.kind, file->path);
        if (stored != NULL) {
            earlier_text = stored->text;
            earlier_serving_path = stored->serving_path;
            earlier_length = stored->length;
            restored = true;
        }
    }
    if (earlier_text == NULL || (failed_text != NULL && earlier_length == failed_length &&
                                 memcmp(earlier_text, failed_text, failed_length) == 0)) {
        return 0;
    }
    char *text = malloc(earlier_length + 1);
    if (text == NULL) {
        host_set_message(message, message_size, "out of memory copying %s", earlier_serving_path);
        return -1;
    }
    memcpy(text, earlier_text, earlier_length);
    text[earlier_length] = '\0';

    int accepted = host_add_file(host, file->info.kind, earlier_serving_path, text, earlier_length,
                                 message, message_size);
    if (accepted != 1) {
        free(text);
        return accepted;
    }
    if (halyard_script_file_serve(file, HALYARD_LUA_FILE_PREVIOUS, earlier_serving_path, text,
                                  earlier_length) != 0) {
        host_set_message(message, message_size, "out of memory recording %s", file->path);
        return -1;
    }
    file->info.restored = restored;
    return 1;
}

/*
 * Loads each script file of one kind ("tool", "workflow", "policy" or "verifier"), each in a
 * call of its own under the host's limits, and records what serves for it. A file that cannot
 * be read becomes a problem. A file whose text fails falls back to the previous host's text of the
 * same file name, when there is one. Returns 0, or -1 with a message when the loader itself
 * fails or loading was cancelled.
 */
static int host_load_scripts(halyard_lua_host *host, const char *kind, const host_script_list *list,
                             char *message, size_t message_size)
{
    for (size_t i = 0; i < list->count; i++) {
        const char *path = list->items[i].path;
        if (host->cancel != NULL && atomic_load(host->cancel) != 0) {
            host_set_message(message, message_size, "loading was cancelled");
            return -1;
        }
        halyard_script_file *file = halyard_script_files_add(&host->files, path, kind);
        if (file == NULL) {
            host_set_message(message, message_size, "out of memory listing %s", path);
            return -1;
        }
        file->info.first_problem = host->loader_problem_count;
        file->info.msp_file = list->items[i].root != NULL;

        /* Step 1: the text on disk. */
        char *text = NULL;
        size_t length = 0;
        char read_message[512];
        int accepted = 0;
        int read = host_read_file(path, list->items[i].root, &text, &length, read_message,
                                  sizeof read_message);
        if (read != 0) {
            char problem[600];
            snprintf(problem, sizeof problem, "%s", read_message);
            if (host_add_problem(host, problem, message, message_size) != 0) {
                return -1;
            }
        } else {
            accepted = host_add_file(host, kind, path, text, length, message, message_size);
            if (accepted == 1) {
                int served =
                    halyard_script_file_serve(file, HALYARD_LUA_FILE_LOADED, path, text, length);
                text = NULL;
                if (served != 0) {
                    host_set_message(message, message_size, "out of memory recording %s", path);
                    return -1;
                }
            }
        }

        /* Step 2: a text that failed leaves the previous version of the file serving. */
        if (accepted == 0) {
            accepted = host_add_previous_text(host, file, text, length, message, message_size);
        }
        free(text);
        if (accepted < 0) {
            return -1;
        }
        file->info.problem_count = host->loader_problem_count - file->info.first_problem;
    }
    return 0;
}

/* Lists the shipped folder and the MSP's override folder of one kind into list. The MSP's files
 * must resolve inside msp_root, its scripts folder, which must outlive the list. */
static int host_list_scripts(const char *msp, const char *shipped_folder, const char *msp_folder,
                             const char *msp_root, host_script_list *list, char *message,
                             size_t message_size)
{
    if (host_script_list_add_folder(msp, list, shipped_folder, NULL, message, message_size) != 0) {
        return -1;
    }
    if (msp_folder != NULL &&
        host_script_list_add_folder(msp, list, msp_folder, msp_root, message, message_size) != 0) {
        return -1;
    }
    if (list->count > 0) {
        qsort(list->items, list->count, sizeof list->items[0], host_script_compare);
    }
    return 0;
}

/* Copies the loader's problem list, how many of its entries are warnings and the workflow count
 * into the host. Stack: unchanged. */
static int host_collect_report(halyard_lua_host *host, char *message, size_t message_size)
{
    lua_State *L = host->L;

    if (halyard_lua_host_push_function(L, "loader", "report", message, message_size) != 0) {
        return -1;
    }
    if (host_protected_call(host, 0, message, message_size) != LUA_OK) {
        return -1;
    }

    /* Stack: [workflow_count, problems, warning_count]. */
    host->workflow_count = (size_t)lua_tointeger(L, 1);
    size_t count = (size_t)lua_rawlen(L, 2);
    lua_Integer warnings = lua_tointeger(L, 3);
    host->warning_count = warnings > 0 && (size_t)warnings <= count ? (size_t)warnings : 0;
    if (count > 0) {
        host->problems = calloc(count, sizeof *host->problems);
        if (host->problems == NULL) {
            host_set_message(message, message_size, "out of memory copying load problems");
            lua_settop(L, 0);
            return -1;
        }
    }
    for (size_t i = 0; i < count; i++) {
        lua_rawgeti(L, 2, (lua_Integer)i + 1);
        const char *problem = lua_tostring(L, -1);
        host->problems[i] = strdup(problem != NULL ? problem : "(problem without text)");
        lua_pop(L, 1);
        if (host->problems[i] == NULL) {
            host_set_message(message, message_size, "out of memory copying load problems");
            lua_settop(L, 0);
            return -1;
        }
        host->problem_count++;
    }
    lua_settop(L, 0);
    return 0;
}

/* Writes one log line per problem, saying what serves for its file instead. */
static void host_log_problems(const halyard_lua_host *host)
{
    for (size_t i = 0; i < host->files.count; i++) {
        const halyard_lua_file *file = &host->files.items[i].info;
        const char *outcome = "the file is skipped";
        if (file->state == HALYARD_LUA_FILE_PREVIOUS) {
            outcome = file->restored ? "the version that served before the restart keeps serving"
                                     : "the previous version of the file keeps serving";
        }
        for (size_t p = 0; p < file->problem_count; p++) {
            const char *problem = halyard_lua_host_problem(host, file->first_problem + p);
            if (problem != NULL) {
                halyard_log(HALYARD_LOG_WARNING, "lua", "msp=%s %s; %s", host->msp, problem,
                            outcome);
            }
        }
    }
}

/* Loads the tool, workflow, policy and verifier files of the shipped folders and the MSP's
 * folders, in that order. Tools load first, so that the loader checks each workflow step
 * against them. */
static int host_load_all_scripts(halyard_lua_host *host, const char *share_dir,
                                 const char *msp_script_dir, char *message, size_t message_size)
{
    static const struct {
        const char *kind;
        const char *shipped; /* under the share folder */
        const char *own;     /* under the MSP's script folder */
    } kinds[] = {
        {"tool", "config/tools", "tools"},
        {"workflow", "workflows", "workflows"},
        {"policy", "config/policies", "policies"},
        {"verifier", "config/verifiers", "verifiers"},
    };
    enum { KIND_COUNT = sizeof kinds / sizeof kinds[0] };
    int result = -1;
    host_script_list lists[KIND_COUNT] = {{0}};

    for (size_t k = 0; k < KIND_COUNT; k++) {
        char *shipped = host_join_path(share_dir, kinds[k].shipped);
        char *own = msp_script_dir != NULL ? host_join_path(msp_script_dir, kinds[k].own) : NULL;
        int listed = -1;
        if (shipped == NULL || (msp_script_dir != NULL && own == NULL)) {
            host_set_message(message, message_size, "out of memory building script paths");
        } else {
            listed = host_list_scripts(host->msp, shipped, own, msp_script_dir, &lists[k], message,
                                       message_size);
        }
        free(own);
        free(shipped);
        if (listed != 0) {
            goto cleanup;
        }
    }
    for (size_t k = 0; k < KIND_COUNT; k++) {
        if (host_load_scripts(host, kinds[k].kind, &lists[k], message, message_size) != 0) {
            goto cleanup;
        }
    }
    if (host_collect_report(host, message, message_size) != 0) {
        goto cleanup;
    }
    host_log_problems(host);
    result = 0;

cleanup:
    for (size_t k = KIND_COUNT; k-- > 0;) {
        host_script_list_clear(&lists[k]);
    }
    return result;
}

/* Calls loader.release_loading, which drops what only loading and sample checks read, for a
 * host created with the serving option. Modules without that function (an older share folder,
 * which `scripts/bench.sh lua --share` may measure) keep everything, with a warning.
 * Returns 0, or -1 with a message. Stack: unchanged. */
static int host_release_loading(halyard_lua_host *host, char *message, size_t message_size)
{
    char missing[256];
    if (halyard_lua_host_push_function(host->L, "loader", "release_loading", missing,
                                       sizeof missing) != 0) {
        halyard_log(HALYARD_LOG_WARNING, "lua",
                    "msp=%s %s, so the serving host keeps what only loading reads", host->msp,
                    missing);
        return 0;
    }
    if (host_protected_call(host, 0, message, message_size) != LUA_OK) {
        return -1;
    }
    lua_settop(host->L, 0);
    return 0;
}

/* Copies the http allow-list of options into the host. Returns 0, or -1 with a message. */
static int host_copy_http_allow(halyard_lua_host *host, const halyard_lua_host_options *options,
                                char *message, size_t message_size)
{
    if (options->http_allow_count == 0) {
        return 0;
    }
    host->http_allow = calloc(options->http_allow_count, sizeof *host->http_allow);
    if (host->http_allow == NULL) {
        host_set_message(message, message_size, "out of memory copying the http allow-list");
        return -1;
    }
    for (size_t i = 0; i < options->http_allow_count; i++) {
        const halyard_http_allow_entry *entry = &options->http_allow[i];
        char *host_name = strdup(entry->host != NULL ? entry->host : "");
        if (host_name == NULL) {
            host_set_message(message, message_size, "out of memory copying the http allow-list");
            return -1;
        }
        host->http_allow[i] = *entry;
        host->http_allow[i].host = host_name;
        host->http_allow_count++;
    }
    return 0;
}

int halyard_lua_host_create(const halyard_lua_host_options *options, halyard_lua_host **host,
                            char *message, size_t message_size)
{
    *host = NULL;
    if (options == NULL || options->msp == NULL || options->msp[0] == '\0') {
        host_set_message(message, message_size, "the Lua host needs the MSP's short name");
        return -1;
    }
    const char *share_dir =
        options->share_dir != NULL ? options->share_dir : halyard_lua_host_share_dir();

    halyard_lua_host *created = calloc(1, sizeof *created);
    if (created == NULL || (created->msp = strdup(options->msp)) == NULL) {
        host_set_message(message, message_size, "out of memory creating the Lua host");
        goto failure;
    }
    created->memory_limit = options->memory_limit_bytes != 0 ? options->memory_limit_bytes
                                                             : HALYARD_LUA_MEMORY_LIMIT_DEFAULT;
    created->instruction_limit = options->instruction_limit != 0
                                     ? options->instruction_limit
                                     : HALYARD_LUA_INSTRUCTION_LIMIT_DEFAULT;
    created->time_limit_ms =
        options->time_limit_ms != 0 ? options->time_limit_ms : HALYARD_LUA_TIME_LIMIT_MS_DEFAULT;
    created->run_time_limit_ms = options->run_time_limit_ms != 0
                                     ? options->run_time_limit_ms
                                     : HALYARD_LUA_RUN_TIME_LIMIT_MS_DEFAULT;
    created->call_limit =
        options->call_limit != 0 ? options->call_limit : HALYARD_LUA_CALL_LIMIT_DEFAULT;
    created->log_line_limit =
        options->log_line_limit != 0 ? options->log_line_limit : HALYARD_LUA_LOG_LINE_LIMIT_DEFAULT;
    created->log_byte_limit =
        options->log_byte_limit != 0 ? options->log_byte_limit : HALYARD_LUA_LOG_BYTE_LIMIT_DEFAULT;
    created->base = options->base;
    created->halo = options->halo;
    created->http = options->http;
    if (host_copy_http_allow(created, options, message, message_size) != 0) {
        goto failure;
    }
    created->L = lua_newstate(host_allocate, created);
    if (created->L == NULL) {
        host_set_message(message, message_size, "out of memory creating the Lua state");
        goto failure;
    }

    /* A new collection starts when the heap has grown by 20% since the last one, not Lua's
     * default 100%. A daemon keeps one state per MSP for days, and the garbage between
     * collections would otherwise double each state's memory (scripts/bench.sh lua measures
     * it). */
    lua_gc(created->L, LUA_GCINC, 120, 0, 0);

    lua_pushcfunction(created->L, host_open_sandbox);
    lua_pushlightuserdata(created->L, (void *)options);
    if (host_protected_call(created, 1, message, message_size) != LUA_OK) {
        goto failure;
    }
    if (host_load_modules(created, share_dir, message, message_size) != 0) {
        goto failure;
    }

    /* modules.host.msp names the MSP in the log lines the Lua side writes. */
    lua_getfield(created->L, LUA_REGISTRYINDEX, HOST_MODULES_KEY);
    lua_getfield(created->L, -1, "host");
    lua_pushstring(created->L, created->msp);
    lua_setfield(created->L, -2, "msp");
    lua_settop(created->L, 0);
    created->previous = options->previous;
    created->restored_texts = options->restored_texts;
    created->restored_text_count = options->restored_text_count;
    created->cancel = options->cancel;
    int loaded =
        host_load_all_scripts(created, share_dir, options->msp_script_dir, message, message_size);
    created->previous = NULL;
    created->restored_texts = NULL;
    created->restored_text_count = 0;
    created->cancel = NULL;
    if (loaded != 0) {
        goto failure;
    }
    if (options->serving && host_release_loading(created, message, message_size) != 0) {
        goto failure;
    }

    /* While serving, a collection starts at 10% growth rather than loading's 20%. It is set
     * before the full collection below, so the first serving cycle is timed from it too. A
     * state lives for days, and its peak is its live data plus the garbage allowed between
     * collections. That costs a few per cent more instructions per call, and loading keeps
     * 20% so that building a host for a reload does not slow down (docs/benchmarks.md,
     * "Collector pause while serving"). */
    lua_gc(created->L, LUA_GCINC, HOST_SERVING_GC_PAUSE, 0, 0);

    /* Loading leaves garbage behind: the files' texts, their compiled main chunks and the
     * loader's temporaries, about 0.27 MiB with the shipped scripts. A full collection frees
     * it before the host serves, so a state that then sits idle does not keep it, and the
     * first automatic collection is timed from what the state keeps. Only C finalizers can
     * run here, because the sandbox gives scripts no way to set __gc. */
    lua_gc(created->L, LUA_GCCOLLECT);

    halyard_log(HALYARD_LOG_INFO, "lua", "msp=%s Lua host ready: %zu workflows, %zu problems",
                created->msp, created->workflow_count, created->problem_count);
    *host = created;
    return 0;

failure:
    halyard_log(HALYARD_LOG_ERROR, "lua", "msp=%s Lua host not created: %s", options->msp,
                message != NULL ? message : "");
    halyard_lua_host_destroy(created);
    return -1;
}

void halyard_lua_host_destroy(halyard_lua_host *host)
{
    if (host == NULL) {
        return;
    }
    halyard_lua_host_cancel_runs(host);
    if (host->L != NULL) {
        /* Closing runs the finalizers (__gc) scripts left behind: under the limits, so a
         * finalizer that never returns is stopped like any other script. */
        host_run_begin(host);
        lua_close(host->L);
    }
    for (size_t i = 0; i < host->http_allow_count; i++) {
        free((char *)host->http_allow[i].host);
    }
    free(host->http_allow);
    for (size_t i = 0; i < host->problem_count; i++) {
        free(host->problems[i]);
    }
    free(host->problems);
    halyard_script_files_clear(&host->files);
    free(host->msp);
    free(host);
}

halyard_lua_result halyard_lua_host_last_result(const halyard_lua_host *host)
{
    return host->last_result;
}

size_t halyard_lua_host_workflow_count(const halyard_lua_host *host)
{
    return host->workflow_count;
}

size_t halyard_lua_host_problem_count(const halyard_lua_host *host)
{
    return host->problem_count;
}

size_t halyard_lua_host_memory_used(const halyard_lua_host *host)
{
    return host->memory_used;
}

size_t halyard_lua_host_warning_count(const halyard_lua_host *host)
{
    return host->warning_count;
}

const char *halyard_lua_host_problem(const halyard_lua_host *host, size_t index)
{
    return index < host->problem_count ? host->problems[index] : NULL;
}

size_t halyard_lua_host_file_count(const halyard_lua_host *host)
{
    return host->files.count;
}

const halyard_lua_file *halyard_lua_host_file(const halyard_lua_host *host, size_t index)
{
    return index < host->files.count ? &host->files.items[index].info : NULL;
}

const char *halyard_lua_host_file_text(const halyard_lua_host *host, size_t index, size_t *length)
{
    if (index >= host->files.count || host->files.items[index].text == NULL) {
        *length = 0;
        return NULL;
    }
    *length = host->files.items[index].length;
    return host->files.items[index].text;
}

int halyard_lua_host_copy_results(lua_State *L, int first, const char *function, char **results,
                                  int result_count, char *message, size_t message_size)
{
    int i = 0;
    for (i = 0; i < result_count; i++) {
        results[i] = NULL;
    }

    /* Stack from first: [nil, message] for bad input, else [results...]. */
    if (lua_isnil(L, first)) {
        const char *reason = lua_tostring(L, first + 1);
        host_set_message(message, message_size, "%s",
                         reason != NULL ? reason : "the script returned nil without a message");
        return -1;
    }
    for (i = 0; i < result_count; i++) {
        const char *text = lua_tostring(L, first + i);
        if (text == NULL) {
            host_set_message(message, message_size,
                             "host.%s returned %s as result %d, expected a string", function,
                             luaL_typename(L, first + i), i + 1);
            break;
        }
        results[i] = strdup(text);
        if (results[i] == NULL) {
            host_set_message(message, message_size, "out of memory copying host.%s results",
                             function);
            break;
        }
    }
    if (i < result_count) {
        for (i = 0; i < result_count; i++) {
            free(results[i]);
            results[i] = NULL;
        }
        return -1;
    }
    return 0;
}

/*
 * Calls modules.host.<function> with string arguments (NULL passes nil) while C waits and
 * copies its string results into results[0 .. result_count). The function returns its
 * results, or nil and a message for bad input. Returns 0, or -1 with a message; on failure no
 * result is set.
 */
static int host_call(halyard_lua_host *host, const char *function, const char *const *arguments,
                     int argument_count, char **results, int result_count, char *message,
                     size_t message_size)
{
    lua_State *L = host->L;
    int result = -1;

    for (int i = 0; i < result_count; i++) {
        results[i] = NULL;
    }
    host_call_input input = {
        .module = "host", .function = function, .texts = arguments, .count = argument_count};
    if (host_call_with_texts(host, &input, message, message_size) == LUA_OK) {
        result = halyard_lua_host_copy_results(L, 1, function, results, result_count, message,
                                               message_size);
    }
    lua_settop(L, 0);
    return result;
}

int halyard_lua_host_plan(halyard_lua_host *host, const char *ticket_json, const char *actions_json,
                          const char *client_json, const char *run_id, halyard_lua_plan *plan,
                          char *message, size_t message_size)
{
    plan->note_html = NULL;
    plan->summary_json = NULL;
    const char *arguments[] = {ticket_json, actions_json, client_json, run_id};
    char *results[2];

    if (host_call(host, "plan", arguments, 4, results, 2, message, message_size) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "lua", "msp=%s run=%s plan failed: %s", host->msp,
                    run_id != NULL ? run_id : "-", message != NULL ? message : "");
        return -1;
    }
    plan->note_html = results[0];
    plan->summary_json = results[1];
    return 0;
}

void halyard_lua_plan_clear(halyard_lua_plan *plan)
{
    free(plan->note_html);
    free(plan->summary_json);
    plan->note_html = NULL;
    plan->summary_json = NULL;
}

int halyard_lua_host_match(halyard_lua_host *host, const char *ticket_json, const char *client_json,
                           char **matches_json, char *message, size_t message_size)
{
    const char *arguments[] = {ticket_json, client_json};
    return host_call(host, "match", arguments, 2, matches_json, 1, message, message_size);
}

int halyard_lua_host_check_samples(halyard_lua_host *host, char **report_json, char *message,
                                   size_t message_size)
{
    return host_call(host, "check_samples", NULL, 0, report_json, 1, message, message_size);
}

int halyard_lua_host_list_workflows(halyard_lua_host *host, char **workflows_json, char *message,
                                    size_t message_size)
{
    return host_call(host, "list_workflows", NULL, 0, workflows_json, 1, message, message_size);
}
