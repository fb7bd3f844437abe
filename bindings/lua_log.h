#ifndef HALYARD_BINDINGS_LUA_LOG_H
#define HALYARD_BINDINGS_LUA_LOG_H

#include <lua.h>

/* Opens the `log` module and pushes its table: log.error, log.warning, log.info and log.debug,
 * each taking a string.format pattern and its values. Every line goes to halyard_log with the
 * subsystem "lua" and starts with the calling script's file:line.
 * lua_CFunction convention: returns 1. */
int halyard_open_log(lua_State *L);

#endif
