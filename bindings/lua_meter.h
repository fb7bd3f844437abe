#ifndef HALYARD_BINDINGS_LUA_METER_H
#define HALYARD_BINDINGS_LUA_METER_H

#include <stddef.h>

#include <lua.h>

/*
 * Charges work that a binding does in C to the running call's limits. Lua calls a state's
 * count hook only between Lua instructions, so a C function that loops (a pattern matcher
 * backtracking over a long subject, say) would otherwise run past the instruction budget and
 * the deadline. A meter counts the C function's steps and, after every `count` steps, calls
 * the count hook the host installed (lua_sethook with LUA_MASKCOUNT), just as the interpreter
 * does after `count` instructions. One step is worth one instruction.
 *
 * Contract with the hook: it may raise (that stops the C function, which must be safe to
 * unwind at any step), but it must not yield. Without a count hook the meter charges nothing.
 *
 * A meter lives on the C stack of one call of a C function and is used by that call only.
 * Steps short of a whole quantum carry over to the state's next meter (they are kept in the
 * registry), so many short calls add up like one long one.
 */
typedef struct {
    lua_State *L;
    lua_Hook hook;

    /* Steps per hook call: the hook's instruction count, or SIZE_MAX without a hook. */
    size_t quantum;

    /* Steps counted and not yet charged. */
    size_t pending;

    /* Steps this call counted itself, without those taken over from the last meter. */
    size_t charged;

    /* The quantum when the call began, before a hook re-armed itself with another count. */
    size_t first_quantum;

    /* The name of the C function, for the error: "string.gsub". */
    const char *function;

    /* The size of the input in bytes, for the error. */
    size_t input_bytes;

    /* Advice for the script's author, appended to the error; NULL for none. */
    const char *advice;
} halyard_lua_meter;

/* Starts a meter for the C function named function (e.g. "string.find") working on an input
 * of input_bytes bytes, without advice, taking over the steps the last meter left. Raises
 * nothing. Stack: unchanged. */
void halyard_lua_meter_begin(halyard_lua_meter *meter, lua_State *L, const char *function,
                             size_t input_bytes);

/* Leaves the steps short of a quantum for the state's next meter. Call it before the C
 * function returns; a function that raises may skip it. Stack: unchanged. */
void halyard_lua_meter_end(halyard_lua_meter *meter);

/* Calls the hook once for every whole quantum of pending steps. When the hook raises, raises
 * its error again with the script's line that made the call in front. The function, input size
 * and advice are added only when the call counted at least one whole quantum itself. So the
 * message blames a call whose own work ran past the limit, and not the cheap call that a loop
 * made last. Called by halyard_lua_meter_charge; rarely needed directly. */
void halyard_lua_meter_settle(halyard_lua_meter *meter);

/* Counts steps of work; may raise the hook's error (see halyard_lua_meter_settle). */
static inline void halyard_lua_meter_charge(halyard_lua_meter *meter, size_t steps)
{
    meter->pending += steps;
    meter->charged += steps;
    if (meter->pending >= meter->quantum) {
        halyard_lua_meter_settle(meter);
    }
}

#endif
