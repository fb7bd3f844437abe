#include "json.h"

#include <lauxlib.h>

/* lua-cjson's entry point; Debian's lua-cjson-dev ships it as a library without a usable header. */
int luaopen_cjson(lua_State *L);

/* The codec is lua-cjson; halyard only fixes the settings every caller relies on. Decoding keeps
 * lua-cjson's 2.1 behaviour: every number becomes a float (4242 -> 4242.0), JSON null becomes the
 * truthy json.null, and ids must pass through math.tointeger before they go into a URL. */
int halyard_open_json(lua_State *L)
{
    luaL_requiref(L, "cjson", luaopen_cjson, 0);

    /* Reject NaN and Infinity on both sides: HaloPSA never sends them, and a script that
     * produced one has a bug that should fail loudly. */
    lua_getfield(L, -1, "encode_invalid_numbers");
    lua_pushboolean(L, 0);
    lua_call(L, 1, 0);
    lua_getfield(L, -1, "decode_invalid_numbers");
    lua_pushboolean(L, 0);
    lua_call(L, 1, 0);

    /* Bodies from HaloPSA nest a few levels; 64 leaves room and stops a hostile payload. */
    lua_getfield(L, -1, "decode_max_depth");
    lua_pushinteger(L, 64);
    lua_call(L, 1, 0);
    return 1;
}
