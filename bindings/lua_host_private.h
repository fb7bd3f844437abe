#ifndef HALYARD_BINDINGS_LUA_HOST_PRIVATE_H
#define HALYARD_BINDINGS_LUA_HOST_PRIVATE_H

/* What the Lua host's own files share (lua_host.c: the state, sandbox, limits and calls made
 * while C waits; lua_run.c: runs as coroutines). Nothing outside bindings/ includes this. */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <lua.h>

#include "http_allow.h"
#include "lua_host.h"
#include "lua_log.h"
#include "lua_script_files.h"

/* Why the running call was stopped by the limit hook, if it was. */
typedef enum {
    HOST_STOP_NONE = 0,
    HOST_STOP_INSTRUCTIONS,
    HOST_STOP_DEADLINE,
    HOST_STOP_MEMORY, /* an allocation failed at the memory cap inside a pcall or xpcall */
} host_stop;

struct halyard_lua_host {
    lua_State *L;
    char *msp;
    char **problems;
    size_t problem_count;
    /* The last warning_count entries of problems are warnings about files that serve. */
    size_t warning_count;
    size_t workflow_count;

    /* The memory cap and the bytes the state holds now. */
    size_t memory_limit;
    size_t memory_used;

    /* The limits of one call, and the running call's spending against them. A run's slices
     * load its spending here when they start and save it when they end. */
    unsigned long long instruction_limit;
    unsigned int time_limit_ms;
    unsigned long long instructions_used;
    int hook_step;
    /* The running call's deadline on the thread's CPU clock, and the CLOCK_MONOTONIC time
     * before which it cannot have been reached (host_time_reached), in nanoseconds. */
    long long cpu_deadline_ns;
    long long deadline_ns;
    host_stop stop;
    halyard_lua_result last_result;

    /* Where the running call was when a limit stopped it: Lua's short source and line. */
    char stop_source[LUA_IDSIZE];
    int stop_line;

    /* Every script file found, with the text it serves. */
    halyard_script_files files;

    /* The number of problems the loader has recorded so far, while the files load. */
    size_t loader_problem_count;

    /* The create call's previous host, stored texts and cancel flag; NULL once create
     * returns. */
    const halyard_lua_host *previous;
    const halyard_script_text *restored_texts;
    size_t restored_text_count;
    const atomic_int *cancel;

    /* The loop and clients that runs wait on HaloPSA and HTTP with; all NULL for a host
     * without a loop. */
    struct event_base *base;
    halyard_halo_client *halo;
    halyard_http_client *http;
    halyard_http_allow_entry *http_allow; /* owned copies */
    size_t http_allow_count;
    unsigned int run_time_limit_ms;
    unsigned int call_limit;

    /* The script log budget of one call or run, and the running call's spending. A run's
     * slices load its spending here when they start and save it when they end. */
    unsigned int log_line_limit;
    size_t log_byte_limit;
    halyard_lua_log_spending log_spending;

    /* Runs in progress, and the one whose slice is running now (NULL between slices and in
     * calls made while C waits). */
    halyard_lua_run *runs;
    halyard_lua_run *current_run;
    size_t run_count;
};

/* Returns the host that owns L (any thread of its state): the allocator's user data. */
static inline halyard_lua_host *host_of(lua_State *L)
{
    void *user_data = NULL;
    lua_getallocf(L, &user_data);
    return user_data;
}

/* Starts the limits of a stretch of Lua code on thread L: the instruction count goes on from
 * instructions_used, and the deadline is time_left_ms of the calling thread's CPU time from
 * now. Arms the limit hook on L. */
void halyard_lua_host_limits_start(halyard_lua_host *host, lua_State *L,
                                   unsigned long long instructions_used, long long time_left_ms);

/* Message handler for protected calls: turns any error value into a string and appends a
 * traceback. Stack: [error] -> [error, message]. */
int halyard_lua_host_message_handler(lua_State *L);

/* Pushes modules.<module>.<function> onto L; raises nothing. Returns 0, or -1 with a message. */
int halyard_lua_host_push_function(lua_State *L, const char *module, const char *function,
                                   char *message, size_t message_size);

/* Returns the result of a protected call from its status and the stop flag, and, when the
 * call failed, writes "<result>: <error>" from the error value on top of L into message.
 * Stack: unchanged. */
halyard_lua_result halyard_lua_host_classify(halyard_lua_host *host, lua_State *L, int status,
                                             char *message, size_t message_size);

/*
 * Copies the results of modules.host.<function> from L, starting at stack index first, into
 * results[0 .. result_count): each must be a string, and nil plus a message at first means the
 * function rejected its input. Returns 0, or -1 with a message; on failure no result is set.
 * Stack: unchanged.
 */
int halyard_lua_host_copy_results(lua_State *L, int first, const char *function, char **results,
                                  int result_count, char *message, size_t message_size);

/* Cancels every run of the host: each callback runs with HALYARD_LUA_CANCELLED. */
void halyard_lua_host_cancel_runs(halyard_lua_host *host);

#endif
