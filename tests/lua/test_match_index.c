/*
 * Tests of the `match_index` module (bindings/match_index.c, match_rules.c, match_output.c)
 * and bindings/lua/match.lua over it, in bare Lua states. The C matcher is compared with the
 * Lua matcher it replaced (tests/lua/match_reference.lua) on the real tickets, the benchmark's
 * generated workflows and random rules, by tests/lua/match_compare.lua. Then its argument
 * errors, and its limits: the count hook and a memory cap.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lua_match_index.h"
#include "lua_text.h"
#include "test_allocator.h"
#include "test_folder.h"

int luaopen_cjson(lua_State *L);

/* ---- helpers ---------------------------------------------------------------------------- */

/* Opens the standard libraries, lua-cjson (as the module "cjson"), and halyard's text and
 * match_index modules as globals, then loads bindings/lua/match.lua as the global match. */
static void open_libraries(lua_State *L)
{
    luaL_openlibs(L);
    luaL_requiref(L, "cjson", luaopen_cjson, 0);
    luaL_requiref(L, "text", halyard_open_text, 1);
    luaL_requiref(L, "match_index", halyard_open_match_index, 1);
    lua_pop(L, 3);
    if (luaL_dofile(L, HALYARD_SOURCE_DIR "/bindings/lua/match.lua") != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_setglobal(L, "match");
}

static lua_State *new_state(void)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    open_libraries(L);
    return L;
}

/* Runs code, which checks its own results with assert, and fails with Lua's message. */
static void run_lua(lua_State *L, const char *code)
{
    if (luaL_dostring(L, code) != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_settop(L, 0);
}

/* Runs code that must raise, and asserts the message contains expected. */
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

/* A state holding tests/lua/match_compare.lua's functions as the global compare, and a
 * temporary folder for the workflow files it writes. */
typedef struct {
    lua_State *L;
    char folder[64];
} compare_fixture;

static int compare_setup(void **state)
{
    compare_fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    fixture->L = new_state();
    snprintf(fixture->folder, sizeof fixture->folder, "/tmp/halyard-match-test-XXXXXX");
    assert_non_null(mkdtemp(fixture->folder));

    lua_State *L = fixture->L;
    if (luaL_loadfile(L, HALYARD_SOURCE_DIR "/tests/lua/match_compare.lua") != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_pushstring(L, HALYARD_SOURCE_DIR);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_setglobal(L, "compare");
    *state = fixture;
    return 0;
}

static int compare_teardown(void **state)
{
    compare_fixture *fixture = *state;
    lua_close(fixture->L);
    test_folder_remove(fixture->folder);
    free(fixture);
    return 0;
}

/* Runs compare.<call> (Lua source such as "generated(folder .. '/n', 'narrow', 1000)", with
 * the global folder set to the fixture's folder) and fails with its message unless it
 * returns true. */
static void run_compare(compare_fixture *fixture, const char *call)
{
    lua_State *L = fixture->L;
    lua_pushstring(L, fixture->folder);
    lua_setglobal(L, "folder");

    char code[512];
    snprintf(code, sizeof code, "return compare.%s", call);
    if (luaL_dostring(L, code) != LUA_OK) {
        fail_msg("compare.%s raised: %s", call, lua_tostring(L, -1));
    }
    if (!lua_toboolean(L, 1)) {
        fail_msg("compare.%s: %s", call, lua_tostring(L, 2));
    }
    lua_settop(L, 0);
}

static long hook_calls;

static void counting_hook(lua_State *L, lua_Debug *debug)
{
    (void)L;
    (void)debug;
    hook_calls++;
}

/* Raises once it has been called hook_limit times, like the host's instruction budget. */
static long hook_limit;

static void limiting_hook(lua_State *L, lua_Debug *debug)
{
    (void)debug;
    if (++hook_calls >= hook_limit) {
        luaL_error(L, "the script exceeded the instruction limit");
    }
}

/* ---- the C matcher against the Lua one ---------------------------------------------------- */

static void matcher_equals_reference_narrow(void **state)
{
    run_compare(*state, "generated(folder .. '/narrow', 'narrow', 1000)");
}

static void matcher_equals_reference_broad(void **state)
{
    run_compare(*state, "generated(folder .. '/broad', 'broad', 1000)");
}

/* Score functions and keyword rules in one index: merged by score, then insertion order. */
static void matcher_equals_reference_mixed(void **state)
{
    run_compare(*state, "mixed(folder .. '/mixed')");
}

/* match.evaluate, which the samples checks use, also when a rule set does not match. */
static void evaluate_equals_reference(void **state)
{
    run_compare(*state, "evaluate(folder .. '/evaluate-narrow', 'narrow', 100, 150)");
    run_compare(*state, "evaluate(folder .. '/evaluate-broad', 'broad', 100, 150)");
}

static void random_rules_equal_reference(void **state)
{
    for (int seed = 1; seed <= 4; seed++) {
        char call[64];
        snprintf(call, sizeof call, "random(%d, 300, 300)", seed);
        run_compare(*state, call);
    }
}

static void describe_equals_lua_format(void **state)
{
    run_compare(*state, "describe_bytes()");
}

static void encode_writes_canonical_numbers(void **state)
{
    run_compare(*state, "encode_numbers()");
}

/* ---- behaviour worth naming ----------------------------------------------------------------- */

/* The first field in summary, details, notes order names a phrase found in several, and a
 * summary hit counts 2, others 1. */
static void reason_names_first_field(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "local compiled = match.compile({any = {'printer', 'toner'},\n"
               "    fields = {'summary', 'details', 'notes'}})\n"
               "local index = match.new_index()\n"
               "index:add('key', compiled)\n"
               "local prepared = match.prepare({summary = 'Toner', details = 'printer toner',\n"
               "    notes = 'printer'})\n"
               "local results = index:run(prepared)\n"
               "assert(#results == 1)\n"
               "assert(results[1].score == 3, results[1].score)\n"
               "assert(results[1].reasons[1].phrase == 'printer')\n"
               "assert(results[1].reasons[1].field == 'details')\n"
               "assert(results[1].reasons[2].phrase == 'toner')\n"
               "assert(results[1].reasons[2].field == 'summary')\n");
    lua_close(L);
}

/* A member scoped to clients matches only their tickets, and none without a client. */
static void scope_limits_run(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "local compiled = match.compile({any = {'vpn'}})\n"
               "local index = match.new_index()\n"
               "index:add('scoped', compiled, {[12] = true, [15] = true, [20] = false})\n"
               "index:add('everyone', compiled)\n"
               "local prepared = match.prepare({summary = 'VPN down'})\n"
               "local function names(client)\n"
               "    local list = {}\n"
               "    for _, found in ipairs(index:run(prepared, nil, client)) do\n"
               "        list[#list + 1] = found.key\n"
               "    end\n"
               "    return table.concat(list, ',')\n"
               "end\n"
               "assert(names(12) == 'scoped,everyone', names(12))\n"
               "assert(names(15) == 'scoped,everyone')\n"
               "assert(names(20) == 'everyone')\n"
               "assert(names(13) == 'everyone')\n"
               "assert(names(nil) == 'everyone')\n");
    lua_close(L);
}

/* prepared.text is made for score functions only, and all of them share it. */
static void score_functions_share_text(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "local seen = {}\n"
               "local function score(ticket, text)\n"
               "    seen[#seen + 1] = text\n"
               "    return text.summary == 'dont panic' and 1 or 0\n"
               "end\n"
               "local index = match.new_index()\n"
               "index:add('a', (match.compile(score)))\n"
               "index:add('b', (match.compile(score)))\n"
               "local results = index:run(match.prepare({summary = \"Don't PANIC!\"}), {})\n"
               "assert(#results == 2 and #seen == 2 and seen[1] == seen[2])\n"
               "assert(seen[1].details == '' and seen[1].notes == '')\n"
               "local summary, details, notes = match_index.texts(\n"
               "    match_index.prepare('Tray-Jam', '', 'Paper OUT'))\n"
               "assert(summary == 'tray jam' and details == '' and notes == 'paper out')\n");
    lua_close(L);
}

/* run_json writes the name and file a workflow had when it was added, and run's results carry
 * the record itself. */
static void run_json_writes_added_name(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "local workflow = {name = 'Printer \"jam\"', file = 'printer.lua'}\n"
               "local index = match.new_index()\n"
               "index:add(workflow, (match.compile({any = {'toner/ink'}})))\n"
               "workflow.name = 'Renamed'\n"
               "local prepared = match.prepare({summary = 'Toner ink low'})\n"
               "local expected = '[{\"file\":\"printer.lua\",\"reasons\":[\"summary contains '\n"
               "    .. '\\\\\"toner\\\\/ink\\\\\"\"],\"score\":2,\"workflow\":'\n"
               "    .. '\"Printer \\\\\"jam\\\\\"\"}]'\n"
               "local written = index:run_json(prepared)\n"
               "assert(written == expected, written)\n"
               "local results = index:run(prepared)\n"
               "assert(results[1].key == workflow)\n"
               "assert(match.encode_matches(results):find('\"workflow\":\"Renamed\"', 1, true))\n");
    lua_close(L);
}

/* Bug: an exclusion anywhere in the ticket cancelled the match, so "let me see her mailbox?
 * Also remove his access to the Sales folder" did not match a workflow for mailbox access.
 * With none_scope = "clause" an exclusion cancels only its own clause, in run, run_json and
 * evaluate alike. */
static void clause_exclusion_cancels_own_clause(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "local workflow = {name = 'Mail', file = 'mail.lua'}\n"
               "local compiled = match.compile({all = {{'see', 'access'}, {'mailbox'}},\n"
               "    none = {'remove his access'}, none_scope = 'clause'})\n"
               "local index = match.new_index()\n"
               "index:add(workflow, compiled)\n"
               "local function matches(details, summary)\n"
               "    local prepared = match.prepare({summary = summary or 'Question',\n"
               "        details = details})\n"
               "    local results = index:run(prepared)\n"
               "    local written = index:run_json(prepared)\n"
               "    local evaluated = match.evaluate(compiled, prepared)\n"
               "    assert(evaluated == (#results == 1), details)\n"
               "    assert((written ~= '[]') == (#results == 1), details)\n"
               "    return #results == 1\n"
               "end\n"
               "assert(matches('Let me see her mailbox? Also remove his access to Sales.'))\n"
               "assert(matches('Let me see her mailbox, remove his access to Sales'))\n"
               "assert(matches('Let me see her mailbox and remove his access to Sales'))\n"
               "assert(matches('Let me see her mailbox\\nremove his access to Sales'))\n"
               "assert(matches('Let me see her mailbox\\239\\188\\159remove his access'))\n"
               "assert(not matches('Please remove his access to her mailbox.'))\n"
               "assert(not matches('Remove his access to the mailbox; he left.'))\n"
               "-- A field is a clause of its own.\n"
               "assert(matches('Let me see her mailbox.', 'Remove his access to Sales'))\n"
               "assert(not matches('Thanks', 'Remove his access to her mailbox'))\n"
               "-- An exclusion split by a clause end stops the match on the joined text.\n"
               "assert(not matches('See her mailbox, remove his. Access it.'))\n"
               "-- The score and reasons are those of the clauses kept.\n"
               "local prepared = match.prepare({summary = 'Mailbox',\n"
               "    details = 'Let me see it. Remove his access to Sales.'})\n"
               "local results = index:run(prepared)\n"
               "assert(results[1].score == 3, results[1].score)\n"
               "assert(results[1].reasons[1].phrase == 'see')\n"
               "assert(results[1].reasons[2].field == 'summary')\n"
               "-- A rule set scoped to a client is matched again for that client only.\n"
               "local scoped = match.new_index()\n"
               "scoped:add(workflow, compiled, {[12] = true})\n"
               "prepared = match.prepare({details = 'See her mailbox. Remove his access.'})\n"
               "assert(#scoped:run(prepared, nil, 12) == 1)\n"
               "assert(#scoped:run(prepared, nil, 13) == 0)\n"
               "assert(#scoped:run(prepared, nil, nil) == 0)\n"
               "assert(scoped:run_json(prepared, nil, 13) == '[]')\n");
    lua_close(L);
}

/* Without none_scope, or with "ticket", an exclusion anywhere cancels the match, which suits
 * look-alikes such as "print screen" beside a printer word. */
static void ticket_exclusion_cancels_match(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "for _, scope in ipairs({'ticket', false}) do\n"
               "    local compiled = match.compile({any = {'printer'}, none = {'print screen'},\n"
               "        none_scope = scope or nil})\n"
               "    local index = match.new_index()\n"
               "    index:add('printer', compiled)\n"
               "    local prepared = match.prepare({summary = 'Printer',\n"
               "        details = 'It jams. A print screen is attached.'})\n"
               "    assert(#index:run(prepared) == 0)\n"
               "    assert(index:run_json(prepared) == '[]')\n"
               "    assert(not match.evaluate(compiled, prepared))\n"
               "end\n");
    lua_close(L);
}

/* ---- argument errors ---------------------------------------------------------------------- */

/* none_scope takes "ticket" or "clause" only, and the problem names both. */
static void none_scope_rejects_other_values(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "for _, scope in ipairs({'sentence', 1, true}) do\n"
               "    local _, problems = match.compile({any = {'printer'}, none = {'ink'},\n"
               "        none_scope = scope})\n"
               "    assert(#problems == 1, tostring(scope))\n"
               "    assert(problems[1]:find('match.none_scope is', 1, true), problems[1])\n"
               "    assert(problems[1]:find('\"ticket\"', 1, true), problems[1])\n"
               "    assert(problems[1]:find('\"clause\"', 1, true), problems[1])\n"
               "end\n"
               "local _, problems = match.compile({any = {'printer'}, none_scope = 'clause'})\n"
               "assert(#problems == 0, problems[1])\n");
    lua_close(L);
}

static void add_rejects_bad_rules(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "index = match_index.new()\n"
               "good = match.compile({any = {'printer'}})\n");
    assert_lua_error(L, "index:add(nil, good, 1)",
                     "bad argument #1 to 'add' (the key must not be nil)");
    assert_lua_error(L, "index:add('k', 42, 1)",
                     "bad argument #2 to 'add' (table expected, got number)");
    assert_lua_error(L, "index:add('k', good, 1.5)",
                     "bad argument #3 to 'add' (number has no integer representation)");
    assert_lua_error(L, "index:add('k', good, 1, 'all')",
                     "bad argument #4 to 'add' (table expected, got string)");
    assert_lua_error(
        L, "index:add('k', match.compile(function() end), 1)",
        "bad argument #2 to 'add' (rules with a score function are not keyword rules)");
    assert_lua_error(L, "index:add('k', {groups = {}, fields = {}}, 1)",
                     "bad argument #2 to 'add' (compiled.phrases is not a table)");
    assert_lua_error(L, "index:add('k', {phrases = {}, fields = {}}, 1)",
                     "bad argument #2 to 'add' (compiled.groups is not a table)");
    assert_lua_error(L, "index:add('k', {phrases = {}, groups = {}}, 1)",
                     "bad argument #2 to 'add' (compiled.fields is not a table)");
    assert_lua_error(L, "index:add('k', {phrases = {'x'}, groups = {}, fields = {}}, 1)",
                     "bad argument #2 to 'add' (compiled phrase 1 is not a table)");
    assert_lua_error(L,
                     "index:add('k', {phrases = {{kind = 'maybe', text = 'x', words = {{text = "
                     "'x'}}}}, groups = {}, fields = {}}, 1)",
                     "compiled phrase 1 has no kind any, all or none");
    assert_lua_error(L,
                     "index:add('k', {phrases = {{kind = 'all', group = 2, text = 'x', words = "
                     "{{text = 'x'}}}}, groups = {{1}}, fields = {}}, 1)",
                     "compiled phrase 1 has no group in compiled.groups");
    assert_lua_error(L,
                     "index:add('k', {phrases = {{kind = 'any', words = {{text = 'x'}}}}, "
                     "groups = {}, fields = {}}, 1)",
                     "compiled phrase 1 has no text");
    assert_lua_error(L,
                     "index:add('k', {phrases = {{kind = 'any', text = 'x', words = {}}}, "
                     "groups = {}, fields = {}}, 1)",
                     "compiled phrase 1 has no words");
    assert_lua_error(L,
                     "index:add('k', {phrases = {{kind = 'any', text = 'x', words = {{text = "
                     "''}}}}, groups = {}, fields = {}}, 1)",
                     "compiled phrase 1 has a word without text");

    /* None of the rejected calls left anything behind. */
    run_lua(L, "index:add('k', good, 1)\n"
               "local results = index:run(match_index.prepare('printer', '', ''))\n"
               "assert(#results == 1 and results[1].key == 'k')\n");
    lua_close(L);
}

static void run_rejects_bad_arguments(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "index = match_index.new()\n"
               "index:add('k', match.compile({any = {'printer'}}), 1)\n"
               "tokens = match_index.prepare('printer', '', '')\n");
    assert_lua_error(L, "index:run({})",
                     "bad argument #1 to 'run' (halyard.match_tokens expected, got table)");
    assert_lua_error(L, "index:run(tokens, 1.5)",
                     "bad argument #2 to 'run' (integer client id or nil expected, got number)");
    assert_lua_error(L, "index:run_json(tokens, 'acme')",
                     "bad argument #2 to 'run_json' (integer client id or nil expected, got "
                     "string)");
    assert_lua_error(L, "index:evaluate(tokens, 7)",
                     "bad argument #2 to 'evaluate' (no rules were added with order 7)");
    assert_lua_error(L, "index.run(tokens, tokens)",
                     "bad argument #1 to 'run' (halyard.match_index expected, got "
                     "halyard.match_tokens)");
    assert_lua_error(L, "index:run_json(tokens)",
                     "the key of a matched member was not a workflow record with a name and a "
                     "file when it was added");
    assert_lua_error(L, "match_index.prepare('a', {}, '')",
                     "bad argument #2 to 'prepare' (string expected, got table)");
    assert_lua_error(L, "match_index.texts('a b')",
                     "bad argument #1 to 'texts' (halyard.match_tokens expected, got string)");
    run_lua(L, "assert(getmetatable(match_index.new()) == false)\n"
               "assert(getmetatable(tokens) == false)\n");
    lua_close(L);
}

static void output_rejects_bad_arguments(void **state)
{
    (void)state;
    lua_State *L = new_state();
    assert_lua_error(L, "match_index.describe(nil, 'x', 'summary')",
                     "bad argument #1 to 'describe' (string expected, got nil)");
    assert_lua_error(L, "match_index.encode_matches('x')",
                     "bad argument #1 to 'encode_matches' (table expected, got string)");
    assert_lua_error(L, "match_index.encode_matches({1})",
                     "bad argument #1 to 'encode_matches' (match 1 is not a table)");
    assert_lua_error(L, "match_index.encode_matches({{key = 'k', score = 1, reasons = {}}})",
                     "match 1 has no key with a name and a file");
    assert_lua_error(L,
                     "match_index.encode_matches({{key = {name = 'n', file = 'f'}, score = 0/0, "
                     "reasons = {}}})",
                     "match 1 has no finite number as its score");
    assert_lua_error(L, "match_index.encode_matches({{key = {name = 'n', file = 'f'}, score = 1}})",
                     "match 1 has no reasons table");
    assert_lua_error(L,
                     "match_index.encode_matches({{key = {name = 'n', file = 'f'}, score = 1, "
                     "reasons = {{rule = 'any', phrase = 'x'}}}})",
                     "reason 1 of match 1 has no field string");
    lua_close(L);
}

/* ---- limits ----------------------------------------------------------------------------- */

/* Preparing and matching a large ticket count their steps against the count hook. */
static void work_charged_to_count_hook(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "index = match.new_index()\n"
               "index:add('k', (match.compile({any = {'zorb blick', 'qu*'}, none = {'x'}})))\n"
               "big = string.rep('zorb blick quoll ', 100000)\n");

    /* 1.7 MB and 300,000 words: preparing counts about 400,000 steps and running at least one
     * per word and look-up, so 500 to 5,000 hook calls at 1,000 instructions per call. */
    lua_sethook(L, counting_hook, LUA_MASKCOUNT, 1000);
    hook_calls = 0;
    run_lua(L, "prepared = match.prepare({summary = big})\n");
    long prepare_calls = hook_calls;
    hook_calls = 0;
    run_lua(L, "assert(#index:run(prepared) == 1)\n");
    long run_calls = hook_calls;
    lua_sethook(L, NULL, 0, 0);
    if (prepare_calls < 300 || run_calls < 500 || prepare_calls + run_calls > 5000) {
        fail_msg("%ld hook calls preparing and %ld running, expected 300+ and 500+", prepare_calls,
                 run_calls);
    }
    lua_close(L);
}

/* A hook that raises stops a long run, and the error names the C function. */
static void raising_hook_stops_run(void **state)
{
    (void)state;
    lua_State *L = new_state();
    run_lua(L, "index = match.new_index()\n"
               "index:add('k', (match.compile({any = {'zorb blick', 'qu*'}})))\n"
               "prepared = match.prepare({summary = string.rep('zorb blick quoll ', 100000)})\n");
    lua_sethook(L, limiting_hook, LUA_MASKCOUNT, 1000);
    hook_calls = 0;
    hook_limit = 50;
    assert_lua_error(L, "index:run(prepared)", "in match_index.run on 1699999 bytes of input");
    assert_true(hook_calls >= hook_limit);
    hook_calls = 0;
    assert_lua_error(L, "index:run_json(prepared)", "in match_index.run_json");
    lua_sethook(L, NULL, 0, 0);

    /* The index works as before after the interrupted runs. */
    run_lua(L, "assert(#index:run(match.prepare({summary = 'a zorb blick'})) == 1)\n"
               "assert(#index:run(match.prepare({summary = 'zorb'})) == 0)\n");
    lua_close(L);
}

/* Preparing a text whose words do not fit under the cap fails with Lua's memory error. */
static void memory_cap_holds_in_prepare(void **state)
{
    (void)state;
    test_memory memory = {.used = 0, .limit = 8 * 1024 * 1024};
    lua_State *L = lua_newstate(test_capped_allocate, &memory);
    assert_non_null(L);
    open_libraries(L);

    /* 3 MB of one-letter words: the text and 1.5 million words of 8 bytes need 15 MB. */
    assert_lua_error(L, "local tokens = match_index.prepare(string.rep('a ', 1500000), '', '')",
                     "not enough memory");
    assert_true(memory.used <= memory.limit);
    lua_close(L);
}

/* An add that runs out of memory leaves the index as it was: the rule sets added before it
 * still match, and nothing of the failed one does. */
static void failed_add_leaves_index_usable(void **state)
{
    (void)state;
    test_memory memory = {.used = 0, .limit = 2 * 1024 * 1024};
    lua_State *L = lua_newstate(test_capped_allocate, &memory);
    assert_non_null(L);
    open_libraries(L);

    run_lua(L, "index = match.new_index()\n"
               "added = 0\n"
               "local ok, problem = pcall(function()\n"
               "    for number = 1, 100000 do\n"
               "        local words = {}\n"
               "        for i = 1, 20 do words[i] = 'w' .. number .. 'x' .. i end\n"
               "        index:add(number, (match.compile({any = {table.concat(words, ' '),\n"
               "            'w' .. number .. 'x1*', 'common'}})))\n"
               "        added = number\n"
               "    end\n"
               "end)\n"
               "assert(not ok and tostring(problem):find('not enough memory'), problem)\n"
               "assert(added > 100, added)\n");

    /* Free what the loop built but the index does not keep, then match. */
    memory.limit = 64 * 1024 * 1024;
    run_lua(L, "collectgarbage()\n"
               "local results = index:run(match.prepare({summary = 'common'}))\n"
               "assert(#results == added, #results .. ' matches, expected ' .. added)\n"
               "local last = index:run(match.prepare({summary = 'w' .. added .. 'x1'}))\n"
               "assert(#last == 1 and last[1].key == added)\n"
               "local failed = index:run(match.prepare({summary = 'w' .. (added + 1) .. 'x1'}))\n"
               "assert(#failed == 0)\n"
               "index:add('after', (match.compile({any = {'common'}})))\n"
               "assert(#index:run(match.prepare({summary = 'common'})) == added + 1)\n");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(matcher_equals_reference_narrow, compare_setup,
                                        compare_teardown),
        cmocka_unit_test_setup_teardown(matcher_equals_reference_broad, compare_setup,
                                        compare_teardown),
        cmocka_unit_test_setup_teardown(matcher_equals_reference_mixed, compare_setup,
                                        compare_teardown),
        cmocka_unit_test_setup_teardown(evaluate_equals_reference, compare_setup, compare_teardown),
        cmocka_unit_test_setup_teardown(random_rules_equal_reference, compare_setup,
                                        compare_teardown),
        cmocka_unit_test_setup_teardown(describe_equals_lua_format, compare_setup,
                                        compare_teardown),
        cmocka_unit_test_setup_teardown(encode_writes_canonical_numbers, compare_setup,
                                        compare_teardown),
        cmocka_unit_test(reason_names_first_field),
        cmocka_unit_test(scope_limits_run),
        cmocka_unit_test(score_functions_share_text),
        cmocka_unit_test(run_json_writes_added_name),
        cmocka_unit_test(clause_exclusion_cancels_own_clause),
        cmocka_unit_test(ticket_exclusion_cancels_match),
        cmocka_unit_test(none_scope_rejects_other_values),
        cmocka_unit_test(add_rejects_bad_rules),
        cmocka_unit_test(run_rejects_bad_arguments),
        cmocka_unit_test(output_rejects_bad_arguments),
        cmocka_unit_test(work_charged_to_count_hook),
        cmocka_unit_test(raising_hook_stops_run),
        cmocka_unit_test(memory_cap_holds_in_prepare),
        cmocka_unit_test(failed_add_leaves_index_usable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
