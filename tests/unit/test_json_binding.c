#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "json.h"

/* Runs chunk in a state where `json` is the binding; returns the lua_pcall status and leaves
 * the chunk's first result (or the error message) on the stack of *out_state. */
static int run_chunk(const char *chunk, lua_State **out_state)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    halyard_open_json(L);
    lua_setglobal(L, "json");

    int status = luaL_loadstring(L, chunk);
    if (status == LUA_OK) {
        status = lua_pcall(L, 0, 1, 0);
    }
    *out_state = L;
    return status;
}

static void decode_makes_numbers_floats(void **state)
{
    (void)state;
    lua_State *L = NULL;

    int status = run_chunk("return math.type(json.decode('{\"id\": 4242}').id)", &L);

    assert_int_equal(status, LUA_OK);
    assert_string_equal(lua_tostring(L, -1), "float");
    lua_close(L);
}

static void decode_rejects_nan(void **state)
{
    (void)state;
    lua_State *L = NULL;

    int status = run_chunk("return json.decode('[NaN]')", &L);

    assert_int_not_equal(status, LUA_OK);
    lua_close(L);
}

static void decode_limits_depth(void **state)
{
    (void)state;
    lua_State *L = NULL;

    int status = run_chunk("return json.decode(string.rep('[', 65) .. string.rep(']', 65))", &L);

    assert_int_not_equal(status, LUA_OK);
    assert_non_null(strstr(lua_tostring(L, -1), "too many nested"));
    lua_close(L);
}

static void decode_accepts_allowed_depth(void **state)
{
    (void)state;
    lua_State *L = NULL;

    int status =
        run_chunk("return type(json.decode(string.rep('[', 60) .. string.rep(']', 60)))", &L);

    assert_int_equal(status, LUA_OK);
    assert_string_equal(lua_tostring(L, -1), "table");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_makes_numbers_floats),
        cmocka_unit_test(decode_rejects_nan),
        cmocka_unit_test(decode_limits_depth),
        cmocka_unit_test(decode_accepts_allowed_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
