#include "loop_guard.h"

#include "lua_meter.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdint.h>

/* Charges steps to the running call's budget; raises when the budget runs out. */
static void loop_guard_charge(lua_State *L, const char *function, size_t input_bytes,
                              lua_Unsigned steps)
{
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, function, input_bytes);
    meter.advice = "use a smaller count";
    halyard_lua_meter_charge(&meter, steps > SIZE_MAX ? SIZE_MAX : (size_t)steps);
    halyard_lua_meter_end(&meter);
}

/* Calls the original function (upvalue 1) with the arguments as given. */
static int loop_guard_call_original(lua_State *L)
{
    int argument_count = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, argument_count, LUA_MULTRET);
    return lua_gettop(L);
}

/* string.rep(s, n [, sep]): Lua copies s and sep n times, and loops n times even when both
 * are empty. An empty result needs no loop at all. */
static int loop_guard_rep(lua_State *L)
{
    size_t length = 0;
    size_t separator_length = 0;
    luaL_checklstring(L, 1, &length);
    lua_Integer count = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &separator_length);

    if (count <= 0 || length + separator_length == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    loop_guard_charge(L, "string.rep", length, (lua_Unsigned)count);
    return loop_guard_call_original(L);
}

/* table.move(a1, f, e, t [, a2]): one get and one set per element from f to e. */
static int loop_guard_move(lua_State *L)
{
    lua_Integer first = luaL_checkinteger(L, 2);
    lua_Integer last = luaL_checkinteger(L, 3);
    if (last >= first) {
        lua_Unsigned count = (lua_Unsigned)last - (lua_Unsigned)first + 1;
        loop_guard_charge(L, "table.move", 0, count);
    }
    return loop_guard_call_original(L);
}

/* table.sort(list [, comparison]): about n log2 n comparisons, which run in C when there is no
 * comparison function. */
static int loop_guard_sort(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Unsigned count = (lua_Unsigned)lua_rawlen(L, 1);
    if (count > 1) {
        double steps = (double)count * log2((double)count);
        loop_guard_charge(L, "table.sort", 0, steps >= (double)SIZE_MAX ? SIZE_MAX : (size_t)steps);
    }
    return loop_guard_call_original(L);
}

/* Replaces library[name] with guard, which calls the original as its upvalue. */
static void loop_guard_replace(lua_State *L, const char *library, const char *name,
                               lua_CFunction guard)
{
    /* Stack: [] -> [library] -> [library, original] -> [library, guard] -> []. */
    lua_getglobal(L, library);
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, guard, 1);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

void halyard_loop_guard_install(lua_State *L)
{
    loop_guard_replace(L, LUA_STRLIBNAME, "rep", loop_guard_rep);
    loop_guard_replace(L, LUA_TABLIBNAME, "move", loop_guard_move);
    loop_guard_replace(L, LUA_TABLIBNAME, "sort", loop_guard_sort);
}
