#ifndef HALYARD_BINDINGS_HTTP_H
#define HALYARD_BINDINGS_HTTP_H

#include <lua.h>

/* Opens the `http` module and pushes its table: outbound HTTP to the MSP's allow-listed hosts
 * (http_allow.h), waiting for the response without blocking the loop (docs/lua-api.md).
 * lua_CFunction convention: returns 1. */
int halyard_open_http(lua_State *L);

#endif
