#include "lua_log.h"

#include <lauxlib.h>

#include "log.h"

/*
 * Writes one line at the level stored in the closure's upvalue. The arguments are those of
 * string.format. A formatting error (a missing value, say) raises with string.format's
 * wording, so a broken log call fails where it is written.
 */
static int log_write(lua_State *L)
{
    halyard_log_level level = (halyard_log_level)lua_tointeger(L, lua_upvalueindex(1));

    luaL_checkstring(L, 1);
    int argument_count = lua_gettop(L);

    /* string.format(...) with the caller's arguments: [args] -> [args, message]. */
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "format");
    lua_remove(L, -2);
    for (int i = 1; i <= argument_count; i++) {
        lua_pushvalue(L, i);
    }
    lua_call(L, argument_count, 1);
    const char *text = lua_tostring(L, -1);

    /* The script's position: level 1 is the function that called log.<level>. */
    lua_Debug caller;
    const char *source = "?";
    int line = 0;
    if (lua_getstack(L, 1, &caller) && lua_getinfo(L, "Sl", &caller)) {
        source = caller.short_src;
        line = caller.currentline;
    }

    halyard_log(level, "lua", "%s:%d: %s", source, line, text != NULL ? text : "");
    return 0;
}

int halyard_open_log(lua_State *L)
{
    static const struct {
        const char *name;
        halyard_log_level level;
    } levels[] = {
        {"error", HALYARD_LOG_ERROR},
        {"warning", HALYARD_LOG_WARNING},
        {"info", HALYARD_LOG_INFO},
        {"debug", HALYARD_LOG_DEBUG},
    };

    lua_createtable(L, 0, (int)(sizeof levels / sizeof levels[0]));
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        lua_pushinteger(L, levels[i].level);
        lua_pushcclosure(L, log_write, 1);
        lua_setfield(L, -2, levels[i].name);
    }
    return 1;
}
