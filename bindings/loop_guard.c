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
    /* Far above any budget, and low enough that the meter's running sum cannot wrap. */
    const lua_Unsigned max_steps = (lua_Unsigned)1 << 60;
    halyard_lua_meter_charge(&meter, (size_t)(steps > max_steps ? max_steps : steps));
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

/* Returns the length the table functions use, #list, which a __len metamethod may set to
 * anything: the guards charge that length, not the table's raw size. Raises as # does. */
static lua_Unsigned loop_guard_length(lua_State *L, int index)
{
    lua_Integer length = luaL_len(L, index);
    return length > 0 ? (lua_Unsigned)length : 0;
}

/* table.sort(list [, comparison]): about n log2 n comparisons, which run in C when there is no
 * comparison function. */
static int loop_guard_sort(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_Unsigned count = loop_guard_length(L, 1);
    if (count > 1) {
        double steps = (double)count * log2((double)count);
        loop_guard_charge(L, "table.sort", 0,
                          steps >= 0x1p60 ? (lua_Unsigned)1 << 60 : (lua_Unsigned)steps);
    }
    return loop_guard_call_original(L);
}

/* Returns how many elements a shift from position to the end of a list of length moves. */
static lua_Unsigned loop_guard_shifted(lua_Unsigned length, lua_Integer position)
{
    if (position < 1) {
        return length;
    }
    return (lua_Unsigned)position <= length ? length - (lua_Unsigned)position + 1 : 0;
}

/* table.insert(list, position, value) shifts the elements from position up by one; appending
 * (two arguments) moves nothing and is not charged. */
static int loop_guard_insert(lua_State *L)
{
    if (lua_gettop(L) == 3) {
        luaL_checkany(L, 1);
        lua_Integer position = luaL_checkinteger(L, 2);
        loop_guard_charge(L, "table.insert", 0,
                          loop_guard_shifted(loop_guard_length(L, 1), position));
    }
    return loop_guard_call_original(L);
}

/* table.remove(list [, position]) shifts the elements above position down by one; removing
 * the last element moves nothing. */
static int loop_guard_remove(lua_State *L)
{
    if (!lua_isnoneornil(L, 2)) {
        luaL_checkany(L, 1);
        lua_Integer position = luaL_checkinteger(L, 2);
        loop_guard_charge(L, "table.remove", 0,
                          loop_guard_shifted(loop_guard_length(L, 1), position));
    }
    return loop_guard_call_original(L);
}

/* table.concat(list [, sep [, i [, j]]]): one element per index from i to j (#list). */
static int loop_guard_concat(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_Integer first = luaL_optinteger(L, 3, 1);
    lua_Integer last =
        lua_isnoneornil(L, 4) ? (lua_Integer)loop_guard_length(L, 1) : luaL_checkinteger(L, 4);
    if (last >= first) {
        loop_guard_charge(L, "table.concat", 0, (lua_Unsigned)last - (lua_Unsigned)first + 1);
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
    loop_guard_replace(L, LUA_TABLIBNAME, "insert", loop_guard_insert);
    loop_guard_replace(L, LUA_TABLIBNAME, "remove", loop_guard_remove);
    loop_guard_replace(L, LUA_TABLIBNAME, "concat", loop_guard_concat);
}
