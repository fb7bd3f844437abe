/*
 * Tests of the `clock` module (bindings/clock.c) in a bare Lua state: the business clock and
 * the test clock, ISO 8601 text both ways (checked against the C library's gmtime), calendar
 * fields with offsets, and argument errors.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#include "clock.h"
#include "lua_clock.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static lua_State *new_state(void)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    luaL_requiref(L, "clock", halyard_open_clock, 1);
    lua_pop(L, 1);
    return L;
}

/* Runs code, which checks its own results with assert; fails with Lua's message. */
static void run_lua(lua_State *L, const char *code)
{
    if (luaL_dostring(L, code) != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_settop(L, 0);
}

static void assert_lua_error(lua_State *L, const char *code, const char *expected)
{
    if (luaL_dostring(L, code) == LUA_OK) {
        fail_msg("expected an error holding \"%s\" from: %s", expected, code);
    }
    const char *message = lua_tostring(L, -1);
    if (message == NULL || strstr(message, expected) == NULL) {
        fail_msg("expected \"%s\", got: %s", expected, message != NULL ? message : "(none)");
    }
    lua_settop(L, 0);
}

/* Calls clock.<function>(seconds) and returns its string result, copied into text. */
static void call_with_seconds(lua_State *L, const char *function, long long seconds, char *text,
                              size_t text_size)
{
    lua_getglobal(L, "clock");
    lua_getfield(L, -1, function);
    lua_pushinteger(L, (lua_Integer)seconds);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        fail_msg("clock.%s(%lld) failed: %s", function, seconds, lua_tostring(L, -1));
    }
    snprintf(text, text_size, "%s", lua_tostring(L, -1));
    lua_settop(L, 0);
}

/* ---- now ---------------------------------------------------------------------------------- */

static void now_follows_business_clock(void **state)
{
    (void)state;
    lua_State *L = new_state();
    halyard_clock_enable_test();

    long long before = halyard_clock_now_ms();
    lua_getglobal(L, "clock");
    lua_getfield(L, -1, "now_ms");
    assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
    long long seen = (long long)lua_tointeger(L, -1);
    lua_settop(L, 0);
    assert_true(seen >= before);
    assert_true(seen - before < 1000);

    /* An hour on the test clock moves clock.now by an hour, not a second more. */
    run_lua(L, "first = clock.now()\nassert(math.type(clock.now_ms()) == 'integer')\n");
    assert_int_equal(halyard_clock_advance(3600 * 1000), 0);
    run_lua(L, "local moved = clock.now() - first\n"
               "assert(moved >= 3600 and moved < 3601, 'moved ' .. moved)\n");
    lua_close(L);
}

/* ---- format and parse --------------------------------------------------------------------- */

static void format_writes_iso_8601(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "assert(clock.format(0) == '1970-01-01T00:00:00Z')\n"
               "assert(clock.format(1714555800) == '2024-05-01T09:30:00Z')\n"
               "assert(clock.format(1714555800.5) == '2024-05-01T09:30:00.500Z')\n"
               "assert(clock.format(1714555800.0015) == '2024-05-01T09:30:00.002Z')\n"
               "assert(clock.format(1714555800, 120) == '2024-05-01T11:30:00+02:00')\n"
               "assert(clock.format(1714555800, -330) == '2024-05-01T04:00:00-05:30')\n"
               "assert(clock.format(1709164800) == '2024-02-29T00:00:00Z')\n"
               "assert(clock.format(-1) == '1969-12-31T23:59:59Z')\n"
               "assert(clock.format(-62135596800) == '0001-01-01T00:00:00Z')\n"
               "assert(clock.format(253402300799) == '9999-12-31T23:59:59Z')\n");
    lua_close(L);
}

static void format_agrees_with_gmtime(void **state)
{
    (void)state;
    lua_State *L = new_state();
    srand(11);

    /* From 1900 to 2200, where glibc's gmtime is exact. */
    for (int i = 0; i < 20000; i++) {
        long long seconds = -2208988800LL + (long long)(((unsigned long long)rand() << 20) ^
                                                        (unsigned long long)rand()) %
                                                9467107200LL;
        time_t moment = (time_t)seconds;
        struct tm fields;
        assert_non_null(gmtime_r(&moment, &fields));
        char expected[64];
        strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%SZ", &fields);

        char actual[64];
        call_with_seconds(L, "format", seconds, actual, sizeof actual);
        if (strcmp(expected, actual) != 0) {
            fail_msg("clock.format(%lld) = %s, gmtime says %s", seconds, actual, expected);
        }
        char weekday[16];
        call_with_seconds(L, "weekday", seconds, weekday, sizeof weekday);
        int iso_weekday = fields.tm_wday == 0 ? 7 : fields.tm_wday;
        assert_int_equal(atoi(weekday), iso_weekday);
    }
    lua_close(L);
}

static void parse_reads_halopsa_forms(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "assert(clock.parse('2024-05-01T09:30:00') == 1714555800)\n"
               "assert(math.type(clock.parse('2024-05-01T09:30:00')) == 'integer')\n"
               "assert(clock.parse('2024-05-01T09:30:00Z') == 1714555800)\n"
               "assert(clock.parse('2024-05-01T09:30:00.8378294Z') == 1714555800.837)\n"
               "assert(clock.parse('2024-05-01T09:30:00.5') == 1714555800.5)\n"
               "assert(clock.parse('2024-05-01T11:30:00+02:00') == 1714555800)\n"
               "assert(clock.parse('2024-05-01T11:30:00+0200') == 1714555800)\n"
               "assert(clock.parse('2024-05-01T11:30:00+02') == 1714555800)\n"
               "assert(clock.parse('2024-05-01T04:00:00-05:30') == 1714555800)\n"
               "assert(clock.parse('2024-05-01 09:30') == 1714555800)\n"
               "assert(clock.parse('2024-05-01t09:30:00z') == 1714555800)\n"
               "assert(clock.parse('  2024-05-01T09:30:00Z\\n') == 1714555800)\n"
               "assert(clock.parse('2024-05-01') == 1714521600)\n"
               "assert(clock.parse('2024-02-29') == 1709164800)\n");
    lua_close(L);
}

static void parse_rejects_invalid_text(void **state)
{
    (void)state;
    lua_State *L = new_state();
    static const char *const cases[][2] = {
        {"2024-13-01", "month 13 is out of range"},
        {"2024-04-31", "day 31 does not exist in 2024-04"},
        {"2023-02-29", "day 29 does not exist in 2023-02"},
        {"0000-01-01", "year 0000 is out of range"},
        {"2024-05-01T24:00:00", "time 24:00:00 is out of range"},
        {"2024-05-01T09:60", "time 09:60:00 is out of range"},
        {"2024-05-01T09", "expected the time as THH:MM"},
        {"2024-05-01T09:30:0", "expected seconds as two digits"},
        {"2024-05-01T09:30:00.", "expected digits after the decimal point"},
        {"2024-05-01T09:30:00+19:00", "offset +19:00 is out of range"},
        {"2024-05-01T09:30:00+02:", "expected the offset as +HH:MM"},
        {"2024-05-01T09:30:00 UTC", "unexpected text after the date-time"},
        {"yesterday", "expected a date as YYYY-MM-DD at the start"},
        {"", "expected a date as YYYY-MM-DD at the start"},
        {"1900-01-01T00:00:00", "HaloPSA's placeholder for an empty date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lua_getglobal(L, "clock");
        lua_getfield(L, -1, "parse");
        lua_pushstring(L, cases[i][0]);
        assert_int_equal(lua_pcall(L, 1, 2, 0), LUA_OK);
        if (!lua_isnil(L, -2) || lua_tostring(L, -1) == NULL ||
            strstr(lua_tostring(L, -1), cases[i][1]) == NULL) {
            fail_msg("clock.parse(\"%s\"): expected nil and \"%s\", got %s, %s", cases[i][0],
                     cases[i][1], luaL_tolstring(L, -2, NULL), lua_tostring(L, -2));
        }
        lua_settop(L, 0);
    }
    lua_close(L);
}

static void parse_reverses_format(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "math.randomseed(3)\n"
               "for _ = 1, 20000 do\n"
               "    local ms = math.random(-62135596800000, 253402300799999)\n"
               "    local seconds = ms % 1000 == 0 and ms // 1000 or ms / 1000\n"
               "    local offset = math.random(-1080, 1080)\n"
               "    local text = clock.format(seconds)\n"
               "    assert(clock.parse(text) == seconds, text)\n"
               "    local ok, local_text = pcall(clock.format, seconds, offset)\n"
               "    if ok then assert(clock.parse(local_text) == seconds, local_text) end\n"
               "end\n");
    lua_close(L);
}

/* ---- parts, weekday, hour ----------------------------------------------------------------- */

static void parts_split_local_time(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "local p = clock.parts(1714555800.25)\n"
               "assert(p.year == 2024)\n"
               "assert(p.month == 5)\n"
               "assert(p.day == 1)\n"
               "assert(p.hour == 9)\n"
               "assert(p.minute == 30)\n"
               "assert(p.second == 0)\n"
               "assert(p.millisecond == 250)\n"
               "assert(p.weekday == 3)\n"
               "assert(p.yearday == 122)\n"
               "local late = clock.parse('2024-05-05T23:30:00Z')\n"
               "assert(clock.weekday(late) == 7)\n"
               "assert(clock.hour(late) == 23)\n"
               "assert(clock.weekday(late, 60) == 1)\n"
               "assert(clock.hour(late, 60) == 0)\n"
               "assert(clock.weekday(0) == 4)\n"
               "assert(clock.parts(clock.parse('2024-12-31')).yearday == 366)\n");
    lua_close(L);
}

static void bad_arguments_raise(void **state)
{
    (void)state;
    lua_State *L = new_state();
    assert_lua_error(L, "clock.format('soon')",
                     "bad argument #1 to 'format' (number expected, got string)");
    assert_lua_error(L, "clock.format(1e300)", "bad argument #1 to 'format' (time out of range");
    assert_lua_error(L, "clock.format(0/0)", "bad argument #1 to 'format' (time out of range");
    assert_lua_error(L, "clock.hour(0, 2000)",
                     "bad argument #2 to 'hour' (offset 2000 minutes out of range; use -1080 "
                     "to 1080)");
    assert_lua_error(L, "clock.weekday(0, 1.5)",
                     "bad argument #2 to 'weekday' (number has no integer representation)");
    assert_lua_error(L, "clock.parts(253402300799, 60)",
                     "bad argument #1 to 'parts' (time out of range once the offset is added)");
    assert_lua_error(L, "clock.parse(nil)",
                     "bad argument #1 to 'parse' (string expected, got nil)");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(now_follows_business_clock), cmocka_unit_test(format_writes_iso_8601),
        cmocka_unit_test(format_agrees_with_gmtime),  cmocka_unit_test(parse_reads_halopsa_forms),
        cmocka_unit_test(parse_rejects_invalid_text), cmocka_unit_test(parse_reverses_format),
        cmocka_unit_test(parts_split_local_time),     cmocka_unit_test(bad_arguments_raise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
