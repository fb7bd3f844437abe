/*
 * Tests of the metered pattern functions (bindings/pattern.c): they must give the results and
 * errors of Lua 5.4's own string.find, match, gmatch and gsub, and a pattern that backtracks
 * must be stopped by the state's count hook.
 */
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

#include "pattern.h"

/*
 * Runs the same generated cases in a state and returns one line per case: the results of the
 * call, or its error message. Random cases come from a fixed seed, so both states run the
 * same ones. Tokens cover every item of the pattern language and its malformed forms.
 */
static const char differential_script[] =
    "local seed, count = ...\n"
    "math.randomseed(seed)\n"
    "local subject_bytes = {'a', 'b', 'a', 'b', '(', ')', '[', ']', '%', '-', '.', ' ', '\\n',\n"
    "    '1', 'x', 'A', '\\0', '\\200'}\n"
    "local tokens = {'a', 'b', '.', '%a', '%d', '%s', '%w', '%A', '%S', '%p', '[ab]', '[^a]',\n"
    "    '[a-c]', '[%a_]', '[]]', '[^]]', '[a-]', '(', ')', '()', '%b()', '%bab', '%f[%w]',\n"
    "    '%f[%W]', '%1', '%2', '%0', '$', '^', '*', '+', '-', '?', '%', '[', 'x', '%%', '%.',\n"
    "    '%b', '%f', '%fa', '\\0', '%z', '[%]]', '[a%-]'}\n"
    "local templates = {'<%0>', '%1', '%%', 'x', '%2', '%', '%a', '[%1|%2]', ''}\n"
    "local function random_subject()\n"
    "    local parts = {}\n"
    "    for i = 1, math.random(0, 12) do\n"
    "        parts[i] = subject_bytes[math.random(#subject_bytes)]\n"
    "    end\n"
    "    return table.concat(parts)\n"
    "end\n"
    "local function random_pattern()\n"
    "    local parts = {}\n"
    "    if math.random(4) == 1 then parts[1] = '^' end\n"
    "    for _ = 1, math.random(1, 6) do\n"
    "        parts[#parts + 1] = tokens[math.random(#tokens)]\n"
    "        local suffix = math.random(8)\n"
    "        if suffix <= 4 then parts[#parts + 1] = ({'*', '+', '-', '?'})[suffix] end\n"
    "    end\n"
    "    if math.random(6) == 1 then parts[#parts + 1] = '$' end\n"
    "    return table.concat(parts)\n"
    "end\n"
    "local function show(ok, ...)\n"
    "    local values = table.pack(...)\n"
    "    local parts = {ok and 'ok' or 'error'}\n"
    "    for i = 1, values.n do\n"
    "        parts[#parts + 1] = string.format('%q', tostring(values[i]))\n"
    "    end\n"
    "    return table.concat(parts, ' ')\n"
    "end\n"
    "local function replacement()\n"
    "    local kind = math.random(4)\n"
    "    if kind == 1 then return function(...) local n = select('#', ...)\n"
    "        if n > 1 then return false end return '{' .. tostring((...)) .. '}' end end\n"
    "    if kind == 2 then return {a = 'A', b = true, ['('] = false, x = 7} end\n"
    "    if kind == 3 then return math.random(0, 9) end\n"
    "    return templates[math.random(#templates)]\n"
    "end\n"
    "local lines = {}\n"
    "for case = 1, count do\n"
    "    local subject, pattern = random_subject(), random_pattern()\n"
    "    local init = math.random(3) == 1 and math.random(-14, 14) or nil\n"
    "    local kind = math.random(4)\n"
    "    local line\n"
    "    if kind == 1 then\n"
    "        local plain = math.random(5) == 1\n"
    "        line = show(pcall(string.find, subject, pattern, init, plain))\n"
    "    elseif kind == 2 then\n"
    "        line = show(pcall(string.match, subject, pattern, init))\n"
    "    elseif kind == 3 then\n"
    "        line = show(pcall(function()\n"
    "            local found = {}\n"
    "            for a, b in string.gmatch(subject, pattern, init) do\n"
    "                found[#found + 1] = tostring(a) .. ',' .. tostring(b)\n"
    "                if #found > 40 then break end\n"
    "            end\n"
    "            return table.concat(found, ';')\n"
    "        end))\n"
    "    else\n"
    "        local limit = math.random(4) == 1 and math.random(0, 3) or nil\n"
    "        line = show(pcall(string.gsub, subject, pattern, replacement(), limit))\n"
    "    end\n"
    "    lines[case] = string.format('%q %q %s', subject, pattern, line)\n"
    "end\n"
    "return table.concat(lines, '\\n')\n";

/* Cases worth keeping whatever the generator does: one per line, as Lua expressions. */
static const char fixed_script[] =
    "local cases = {\n"
    "    function() return string.find('hello world', 'o w') end,\n"
    "    function() return string.find('hello', 'l+') end,\n"
    "    function() return string.find('hello', '') end,\n"
    "    function() return string.find('hello', '', 10) end,\n"
    "    function() return string.find('hello', '', 6) end,\n"
    "    function() return string.find('a.b', '.', 1, true) end,\n"
    "    function() return string.find('abc', 'b', -1) end,\n"
    "    function() return string.find('abc', 'b', -100) end,\n"
    "    function() return string.match('key = value', '^(%w+)%s*=%s*(%w+)$') end,\n"
    "    function() return string.match('  trim me  ', '^%s*(.-)%s*$') end,\n"
    "    function() return string.match('f(a(b)c)d', '%b()') end,\n"
    "    function() return string.match('THE (quick) fox', '%f[%a]%a+%f[%A]') end,\n"
    "    function() return string.match('hello', '()ll()') end,\n"
    "    function() return string.match('abcabc', '(abc)%1') end,\n"
    "    function() return string.gsub('hello world', '(%w+)', '<%1>') end,\n"
    "    function() return string.gsub('abc', '', '-') end,\n"
    "    function() return string.gsub('hello world', '%w+', '%0 %0', 1) end,\n"
    "    function() return string.gsub('$name is $age', '%$(%w+)', {name = 'Ann', age = 7}) end,\n"
    "    function() return string.gsub('abc', '%w', function(c) return c:upper() .. '.' end) end,\n"
    "    function() return string.gsub('abc', '^a', 'x') end,\n"
    "    function() return string.gsub(12345, 3, 0) end,\n"
    "    function() return string.gsub('abc', '(a)(b)(c)', '%3%2%1') end,\n"
    "    function() return string.gsub('abc', '()', '%1') end,\n"
    "    function() local r = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do\n"
    "        r[#r + 1] = k .. v end return table.concat(r, ' ') end,\n"
    "    function() local r = {} for w in string.gmatch('one two  three', '%a*') do\n"
    "        r[#r + 1] = '[' .. w .. ']' end return table.concat(r) end,\n"
    "    function() local r = {} for w in string.gmatch('abcd', '.', 3) do r[#r + 1] = w end\n"
    "        return table.concat(r) end,\n"
    "    function() return string.find(string.rep('a', 300), string.rep('a?', 300)) end,\n"
    "    function() return string.find('abc', string.rep('(', 33)) end,\n"
    "    function() return string.gsub('abc', 'a', true) end,\n"
    "    function() return string.gsub('abc', '(a', 'x') end,\n"
    "    function() return string.match('abc', 'b', 1.5) end,\n"
    "    function() return string.find(nil, 'a') end,\n"
    "    function() return ('method'):find('th') end,\n"
    "    function() return ('method'):gsub('%l', {}, 'x') end,\n"
    "}\n"
    "local lines = {}\n"
    "for index, case in ipairs(cases) do\n"
    "    local values = table.pack(pcall(case))\n"
    "    local parts = {}\n"
    "    for i = 1, values.n do parts[i] = string.format('%q', tostring(values[i])) end\n"
    "    lines[index] = table.concat(parts, ' ')\n"
    "end\n"
    "return table.concat(lines, '\\n')\n";

/* ---- helpers ---------------------------------------------------------------------------- */

static lua_State *new_state(int metered)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    if (metered) {
        halyard_pattern_install(L);
    }
    return L;
}

/* Runs script with the given arguments (integers) and returns its string result, malloc'd. */
static char *run_script(lua_State *L, const char *script, const lua_Integer *arguments,
                        int argument_count)
{
    if (luaL_loadbuffer(L, script, strlen(script), "=driver") != LUA_OK) {
        fail_msg("driver does not compile: %s", lua_tostring(L, -1));
    }
    for (int i = 0; i < argument_count; i++) {
        lua_pushinteger(L, arguments[i]);
    }
    if (lua_pcall(L, argument_count, 1, 0) != LUA_OK) {
        fail_msg("driver failed: %s", lua_tostring(L, -1));
    }
    char *text = strdup(lua_tostring(L, -1));
    assert_non_null(text);
    lua_pop(L, 1);
    return text;
}

/* Fails with the first line where the two outputs differ. */
static void assert_same_lines(const char *expected, const char *actual)
{
    if (strcmp(expected, actual) == 0) {
        return;
    }
    size_t line = 1;
    const char *e = expected;
    const char *a = actual;
    while (*e != '\0' && *e == *a) {
        if (*e == '\n') {
            line++;
        }
        e++;
        a++;
    }
    while (e > expected && e[-1] != '\n') {
        e--;
        a--;
    }
    fail_msg("case %zu differs:\n  Lua:     %.300s\n  metered: %.300s", line, e, a);
}

static void compare_with_lua(const char *script, const lua_Integer *arguments, int count)
{
    lua_State *stock = new_state(0);
    lua_State *metered = new_state(1);
    char *expected = run_script(stock, script, arguments, count);
    char *actual = run_script(metered, script, arguments, count);

    assert_same_lines(expected, actual);

    free(actual);
    free(expected);
    lua_close(metered);
    lua_close(stock);
}

/* A count hook for tests: counts its calls and raises once the budget in calls is spent. */
static long hook_calls;
static long hook_budget;

static void counting_hook(lua_State *L, lua_Debug *debug)
{
    (void)debug;
    hook_calls++;
    if (hook_calls > hook_budget) {
        luaL_error(L, "the test budget of %d hook calls is spent", (int)hook_budget);
    }
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Runs code in a metered state with a hook of count 1000 and the given budget of calls.
 * Returns the pcall status; the message or result is left in message. */
static int run_hooked(const char *code, long budget, char *message, size_t message_size)
{
    lua_State *L = new_state(1);
    hook_calls = 0;
    hook_budget = budget;
    lua_sethook(L, counting_hook, LUA_MASKCOUNT, 1000);

    int status = luaL_loadstring(L, code);
    if (status == LUA_OK) {
        status = lua_pcall(L, 0, 1, 0);
    }
    const char *text = lua_tostring(L, -1);
    snprintf(message, message_size, "%s", text != NULL ? text : "(no message)");
    lua_close(L);
    return status;
}

/* ---- same results as Lua ---------------------------------------------------------------- */

static void fixed_cases_match_lua(void **state)
{
    (void)state;
    compare_with_lua(fixed_script, NULL, 0);
}

static void generated_cases_match_lua(void **state)
{
    (void)state;
    static const lua_Integer seeds[] = {1, 2, 3, 4, 5, 6, 7, 8};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        lua_Integer arguments[] = {seeds[i], 5000};
        compare_with_lua(differential_script, arguments, 2);
    }
}

/* ---- metering --------------------------------------------------------------------------- */

/* Regression: Lua's matcher ran a backtracking pattern in C, where the count hook never fired,
 * so `.-.-.-b` against 100 KB of "a" (about 10^18 steps) ran far past any deadline. */
static void backtracking_pattern_stopped(void **state)
{
    (void)state;
    char message[1024];
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);

    int status = run_hooked("local text = string.rep('a', 100000)\n"
                            "return text:find('.-.-.-b')\n",
                            10000, message, sizeof message);

    assert_int_equal(status, LUA_ERRRUN);
    assert_non_null(strstr(message, "the test budget of 10000 hook calls is spent"));
    assert_non_null(strstr(message, "in string.find on 100000 bytes of input"));
    assert_non_null(strstr(message, "anchor it with '^'"));
    assert_true(elapsed_ms(&start) < 5000);
}

static void error_names_script_line(void **state)
{
    (void)state;
    char message[1024];
    int status = run_hooked("local text = string.rep('a', 50000)\n"
                            "local found = text:match('^(a*)$')\n"
                            "local again = text:gsub('a-a-a-b', '')\n",
                            100, message, sizeof message);

    assert_int_equal(status, LUA_ERRRUN);
    assert_int_equal(strncmp(message, "[string \"local text", 19), 0);
    assert_non_null(strstr(message, "\"]:3: the test budget"));
    assert_non_null(strstr(message, "in string.gsub on 50000 bytes"));
}

static void each_function_is_metered(void **state)
{
    (void)state;
    static const char *const codes[] = {
        "return string.find(string.rep('a', 20000), 'a-a-a-b')",
        "return string.match(string.rep('a', 20000), 'a-a-a-b')",
        "for x in string.gmatch(string.rep('a', 20000), 'a-a-a-b') do end",
        "return string.gsub(string.rep('a', 20000), 'a-a-a-b', '')",
        "return string.find(string.rep('(', 20000), '%b()')",
        "return string.find(string.rep('ab', 10000), '(.*)%1x')",
    };
    static const char *const functions[] = {"string.find", "string.match", "string.gmatch",
                                            "string.gsub", "string.find",  "string.find"};

    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char message[1024];
        int status = run_hooked(codes[i], 1000, message, sizeof message);
        if (status != LUA_ERRRUN || strstr(message, functions[i]) == NULL ||
            strstr(message, "budget") == NULL) {
            fail_msg("case %zu (%s) was not stopped: status %d, %s", i, codes[i], status, message);
        }
    }
}

static void linear_work_charged_in_proportion(void **state)
{
    (void)state;
    char message[1024];

    /* About one step per byte and word: 100 KB must call the hook about 100 to 400 times. */
    int status = run_hooked("local text = string.rep('word ', 20000)\n"
                            "local count = 0\n"
                            "for word in text:gmatch('%a+') do count = count + 1 end\n"
                            "return count\n",
                            1000000, message, sizeof message);

    assert_int_equal(status, LUA_OK);
    assert_string_equal(message, "20000");
    assert_true(hook_calls >= 100);
    assert_true(hook_calls <= 400);
}

static void plain_search_not_charged(void **state)
{
    (void)state;
    char message[1024];
    int status = run_hooked("local text = string.rep('a', 1000000) .. 'b'\n"
                            "local first = text:find('ab', 1, true)\n"
                            "local second = text:find('aab')\n"
                            "return first + second\n",
                            1000000, message, sizeof message);

    assert_int_equal(status, LUA_OK);
    assert_string_equal(message, "1999999");
    assert_true(hook_calls < 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_cases_match_lua),
        cmocka_unit_test(generated_cases_match_lua),
        cmocka_unit_test(backtracking_pattern_stopped),
        cmocka_unit_test(error_names_script_line),
        cmocka_unit_test(each_function_is_metered),
        cmocka_unit_test(linear_work_charged_in_proportion),
        cmocka_unit_test(plain_search_not_charged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
