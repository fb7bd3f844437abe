#include "lua_meter.h"

#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

/* The registry key of the steps the last meter left uncharged, an integer. */
static const char meter_carry_key = 0;

/* Reads the state's count hook into the meter. */
static void meter_read_hook(halyard_lua_meter *meter)
{
    lua_Hook hook = lua_gethook(meter->L);
    int count = lua_gethookcount(meter->L);

    if (hook == NULL || (lua_gethookmask(meter->L) & LUA_MASKCOUNT) == 0 || count <= 0) {
        meter->hook = NULL;
        meter->quantum = SIZE_MAX;
        return;
    }
    meter->hook = hook;
    meter->quantum = (size_t)count;
}

void halyard_lua_meter_begin(halyard_lua_meter *meter, lua_State *L, const char *function,
                             size_t input_bytes)
{
    meter->L = L;
    meter->pending = 0;
    meter->function = function;
    meter->input_bytes = input_bytes;
    meter->advice = NULL;
    meter->charged = 0;
    meter_read_hook(meter);
    meter->first_quantum = meter->quantum;
    if (meter->hook != NULL) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &meter_carry_key);
        meter->pending = (size_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
}

void halyard_lua_meter_end(halyard_lua_meter *meter)
{
    if (meter->hook == NULL) {
        return;
    }
    lua_pushinteger(meter->L, (lua_Integer)meter->pending);
    lua_rawsetp(meter->L, LUA_REGISTRYINDEX, &meter_carry_key);
}

/* Runs the hook as the interpreter would after `count` instructions, with a record of the
 * running function. Stack: [meter] -> []. */
static int meter_call_hook(lua_State *L)
{
    halyard_lua_meter *meter = lua_touserdata(L, 1);
    lua_Debug record;

    memset(&record, 0, sizeof record);
    lua_getstack(L, 0, &record);
    record.event = LUA_HOOKCOUNT;
    meter->hook(L, &record);
    return 0;
}

void halyard_lua_meter_settle(halyard_lua_meter *meter)
{
    lua_State *L = meter->L;

    while (meter->hook != NULL && meter->pending >= meter->quantum) {
        meter->pending -= meter->quantum;

        /* The hook runs under lua_pcall so its error can be raised again with context. */
        lua_pushcfunction(L, meter_call_hook);
        lua_pushlightuserdata(L, meter);
        int status = lua_pcall(L, 1, 0, 0);
        if (status == LUA_OK) {
            /* A hook may re-arm itself with another count. */
            meter_read_hook(meter);
            continue;
        }
        if (status != LUA_ERRRUN || lua_type(L, -1) != LUA_TSTRING) {
            lua_error(L);
        }

        /* Stack: [hook error] -> [hook error, where] -> [message]. Level 1 is the script line
         * that called the C function. */
        luaL_where(L, 1);
        if (meter->charged < meter->first_quantum) {
            lua_pushfstring(L, "%s%s", lua_tostring(L, -1), lua_tostring(L, -2));
        } else if (meter->input_bytes > 0) {
            lua_pushfstring(L, "%s%s in %s on %I bytes of input%s%s", lua_tostring(L, -1),
                            lua_tostring(L, -2), meter->function, (lua_Integer)meter->input_bytes,
                            meter->advice != NULL ? "; " : "",
                            meter->advice != NULL ? meter->advice : "");
        } else {
            lua_pushfstring(L, "%s%s in %s%s%s", lua_tostring(L, -1), lua_tostring(L, -2),
                            meter->function, meter->advice != NULL ? "; " : "",
                            meter->advice != NULL ? meter->advice : "");
        }
        lua_error(L);
    }
    if (meter->hook == NULL) {
        meter->pending = 0;
    }
}
