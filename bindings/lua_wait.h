#ifndef HALYARD_BINDINGS_LUA_WAIT_H
#define HALYARD_BINDINGS_LUA_WAIT_H

/*
 * How a binding waits for a request (bindings/halo.c, bindings/http.c). A call starts its
 * request on the loop and suspends the script's run; the run resumes when the response arrives.
 *
 *   static int module_function(lua_State *L)
 *   {
 *       check the arguments, raising on misuse;
 *       halyard_lua_wait_begin(L, "module.function", HALYARD_LUA_WAIT_HALO, &io);
 *       allocate a record that starts with a halyard_lua_wait, set cancel and release;
 *       halyard_lua_wait_attach(L, &record->wait);
 *       start the request; its callback stores the response in the record and calls
 *           halyard_lua_wait_done(&record->wait);
 *       when the start failed: halyard_lua_wait_detach(L, &record->wait), return nil, message;
 *       return halyard_lua_wait_yield(L, &record->wait, continuation);
 *   }
 *
 * The continuation runs in the resumed run with context (lua_KContext)&record->wait and pushes
 * the call's results; it may raise. When the run's time limit passes first, the host cancels
 * the request and resumes the run with record->wait.failure set, and the continuation returns
 * nil and that message. From attach on, the host owns the record: it releases it after the
 * continuation has run, or cancels the request and releases the record when the run is
 * cancelled. The request's callback may run before halyard_lua_wait_yield (a request that
 * fails at once); the run still resumes from the loop.
 */

#include <stdbool.h>

#include <lua.h>

#include "lua_host.h"

typedef struct halyard_lua_wait halyard_lua_wait;

struct halyard_lua_wait {
    /* Set by the binding before attaching. cancel abandons the request so that its callback
     * never runs; release frees the record. */
    void (*cancel)(halyard_lua_wait *wait);
    void (*release)(halyard_lua_wait *wait);

    /* Set by the host: the run, and the reason the call failed without a response (the run's
     * time limit passed), or NULL. */
    halyard_lua_run *run;
    const char *failure;
};

/* Which client a waiting call needs. */
typedef enum {
    HALYARD_LUA_WAIT_HALO,
    HALYARD_LUA_WAIT_HTTP,
} halyard_lua_wait_kind;

/* What a waiting call may use, valid until the call yields. */
typedef struct {
    const char *msp;
    const char *run_label; /* the run id, for log lines */
    halyard_halo_client *halo;
    halyard_http_client *http;
    const halyard_http_allow_entry *http_allow;
    size_t http_allow_count;
    long long time_left_ms; /* until the run's own time limit */
    bool allow_writes;      /* the run may send requests other than GET (lua_host.h) */
} halyard_lua_io;

/*
 * Checks that the running script may make a waiting call named function (for messages, such
 * as "halo.user") and counts it against the run's call limit, then fills io. Returns 0, or -1
 * with a message once the run's time limit has passed (the call then returns nil and the
 * message). Raises when the call cannot wait. That is the case outside a run (the CLI, a check, a
 * file's top level), without the client the call needs, and past the run's call limit. It is also
 * the case where Lua cannot yield: inside a table.sort comparison, a string.gsub replacement, a
 * __tostring or an xpcall handler.
 */
int halyard_lua_wait_begin(lua_State *L, const char *function, halyard_lua_wait_kind kind,
                           halyard_lua_io *io, char *message, size_t message_size);

/* Sets *entries and *count to the http_allow list of the run that L runs, without waiting or
 * counting a call. Returns 0, or -1 outside a run (the CLI, a check, a file's top level). */
int halyard_lua_run_http_allow(lua_State *L, const halyard_http_allow_entry **entries,
                               size_t *count);

/* Makes wait the running run's pending call; from now on the host owns the record. */
void halyard_lua_wait_attach(lua_State *L, halyard_lua_wait *wait);

/* Undoes halyard_lua_wait_attach after a request that could not start, and releases wait. */
void halyard_lua_wait_detach(lua_State *L, halyard_lua_wait *wait);

/* Suspends the run until halyard_lua_wait_done(wait); then continuation runs with context
 * (lua_KContext)wait. Must be the return expression of the binding's C function. */
int halyard_lua_wait_yield(lua_State *L, halyard_lua_wait *wait, lua_KFunction continuation);

/* Tells the host that wait's response is stored: the run resumes from the loop soon after, never
 * inside this call. Called from the request's callback. */
void halyard_lua_wait_done(halyard_lua_wait *wait);

#endif
