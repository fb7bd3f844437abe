#ifndef HALYARD_BINDINGS_JSON_H
#define HALYARD_BINDINGS_JSON_H

#include <lua.h>

/* Opens the `json` module (lua-cjson 2.1 under halyard's name) and pushes its table.
 * lua_CFunction convention: returns 1. Raises on out-of-memory only. */
int halyard_open_json(lua_State *L);

#endif
