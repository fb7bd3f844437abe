#ifndef HALYARD_BINDINGS_HALO_H
#define HALYARD_BINDINGS_HALO_H

#include <lua.h>

/* Opens the `halo` module and pushes its table: read-only HaloPSA calls that wait for the
 * response without blocking the loop (docs/lua-api.md). lua_CFunction convention: returns 1. */
int halyard_open_halo(lua_State *L);

#endif
