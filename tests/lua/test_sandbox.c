/*
 * Sandbox-escape tests of the Lua host (bindings/lua_host.c and the script environment in
 * bindings/lua/loader.lua): one test per trick a workflow or policy script might use to get
 * past its limits or change what halyard's own modules do. Each test asserts the trick fails
 * with the expected result and that the host still makes a plan afterwards.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lua_host.h"
#include "test_folder.h"

#define SOURCE_DIR HALYARD_SOURCE_DIR

/* A ticket the shipped "Password reset" workflow matches: a plan that names it proves
 * halyard's matching and note code still work. */
static const char plan_ticket[] = "{\"id\": 4242, \"summary\": \"Password reset for Jane\", "
                                  "\"details\": \"I forgot my password and cannot log in.\"}";

/* A ticket whose summary sets off the tricks placed in score functions. */
static const char trick_ticket[] = "{\"id\": 4343, \"summary\": \"escapetrick\", "
                                   "\"details\": \"x\"}";

/* A workflow whose score function runs the trick for a ticket saying "escapetrick" and
 * otherwise does not match. */
#define SCORE_WORKFLOW_TEMPLATE                                                                    \
    "return {\n"                                                                                   \
    "    name = \"Trick\",\n"                                                                      \
    "    status = \"active\",\n"                                                                   \
    "    scope = \"all\",\n"                                                                       \
    "    trigger = \"x\",\n"                                                                       \
    "    match = function(ticket, text)\n"                                                         \
    "        if tostring(ticket.summary):find(\"escapetrick\") then\n"                             \
    "            %s\n"                                                                             \
    "        end\n"                                                                                \
    "        return false\n"                                                                       \
    "    end,\n"                                                                                   \
    "    instructions = \"x\",\n"                                                                  \
    "    samples = {match = {{source = \"written\", summary = \"x\"}}},\n"                         \
    "}\n"

/* ---- helpers ---------------------------------------------------------------------------- */

typedef struct {
    size_t memory_limit_bytes;
    unsigned long long instruction_limit;
    unsigned int time_limit_ms;
} sandbox_limits;

static char *make_temp_dir(void)
{
    return test_folder_make("/tmp/halyard-sandbox-test-XXXXXX");
}

static void remove_tree(char *path)
{
    test_folder_remove(path);
    free(path);
}

/* Writes text to <dir>/<relative>, making the one folder level between them. */
static void write_text(const char *dir, const char *relative, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, relative);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';

    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    size_t length = strlen(text);
    assert_int_equal(fwrite(text, 1, length, file), length);
    fclose(file);
}

static void write_score_workflow(const char *dir, const char *trick)
{
    char text[4096];
    snprintf(text, sizeof text, SCORE_WORKFLOW_TEMPLATE, trick);
    write_text(dir, "workflows/trick.lua", text);
}

static halyard_lua_host *create_limited_host(const char *dir, const sandbox_limits *limits)
{
    halyard_lua_host_options options = {
        .msp = "test", .share_dir = SOURCE_DIR, .msp_script_dir = dir};
    if (limits != NULL) {
        options.memory_limit_bytes = limits->memory_limit_bytes;
        options.instruction_limit = limits->instruction_limit;
        options.time_limit_ms = limits->time_limit_ms;
    }
    halyard_lua_host *host = NULL;
    char message[4096] = "";
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fail_msg("host not created: %s", message);
    }
    return host;
}

static halyard_lua_host *create_host(const char *dir)
{
    return create_limited_host(dir, NULL);
}

/* Returns the first problem holding both fragments (the second may be NULL), else NULL. */
static const char *find_problem(const halyard_lua_host *host, const char *first, const char *second)
{
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        const char *problem = halyard_lua_host_problem(host, i);
        if (strstr(problem, first) != NULL && (second == NULL || strstr(problem, second) != NULL)) {
            return problem;
        }
    }
    return NULL;
}

static void print_problems(const halyard_lua_host *host)
{
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        print_message("problem: %s\n", halyard_lua_host_problem(host, i));
    }
}

static size_t count_shipped_workflows(void)
{
    DIR *directory = opendir(SOURCE_DIR "/workflows");
    assert_non_null(directory);
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (entry->d_name[0] != '.' && length > 4 &&
            strcmp(entry->d_name + length - 4, ".lua") == 0) {
            count++;
        }
    }
    closedir(directory);
    return count;
}

/* Returns the CPU time in ms this thread has used since start, a CLOCK_THREAD_CPUTIME_ID
 * reading. The host's time limit counts the same clock, and unlike wall-clock time it does not
 * grow while a loaded machine keeps the test waiting for a core. */
static long cpu_elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Asserts a plan for the password ticket succeeds and names the shipped workflow. */
static void assert_host_still_plans(halyard_lua_host *host)
{
    halyard_lua_plan plan = {0};
    char message[4096] = "";
    if (halyard_lua_host_plan(host, plan_ticket, NULL, NULL, "run-after", &plan, message,
                              sizeof message) != 0) {
        fail_msg("the plan after the trick failed: %s", message);
    }
    assert_int_equal(halyard_lua_host_last_result(host), HALYARD_LUA_OK);
    assert_non_null(strstr(plan.summary_json, "Password reset"));
    halyard_lua_plan_clear(&plan);
}

/*
 * Loads source as the MSP workflow trick.lua under limits (NULL for the defaults), then
 * asserts the file was skipped with a problem holding expected, every shipped workflow still
 * loaded, and the host still plans.
 */
static void assert_file_rejected_with(const char *source, const char *expected,
                                      const sandbox_limits *limits)
{
    char *dir = make_temp_dir();
    write_text(dir, "workflows/trick.lua", source);

    halyard_lua_host *host = create_limited_host(dir, limits);

    if (find_problem(host, "trick.lua:", expected) == NULL) {
        print_problems(host);
        fail_msg("no problem for trick.lua says \"%s\"", expected);
    }
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());
    assert_host_still_plans(host);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void assert_file_rejected(const char *source, const char *expected)
{
    assert_file_rejected_with(source, expected, NULL);
}

/*
 * Loads source as the MSP policy harmless.lua, which must load without a problem (its own
 * asserts are the checks), then asserts the host still plans.
 */
static void assert_policy_harmless(const char *source)
{
    char *dir = make_temp_dir();
    write_text(dir, "policies/harmless.lua", source);

    halyard_lua_host *host = create_host(dir);

    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    assert_host_still_plans(host);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/*
 * Installs trick in a score function, asserts a plan for the trick ticket fails with result
 * and a message holding expected, within max_ms of this thread's CPU time, then asserts the
 * host still plans.
 */
static void assert_score_trick_stopped(const char *trick, const sandbox_limits *limits,
                                       halyard_lua_result result, const char *expected, long max_ms)
{
    char *dir = make_temp_dir();
    write_score_workflow(dir, trick);
    halyard_lua_host *host = create_limited_host(dir, limits);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);

    struct timespec start;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    halyard_lua_plan plan = {0};
    char message[4096] = "";
    int status = halyard_lua_host_plan(host, trick_ticket, NULL, NULL, "run-trick", &plan, message,
                                       sizeof message);
    long spent = cpu_elapsed_ms(&start);

    assert_int_equal(status, -1);
    assert_int_equal(halyard_lua_host_last_result(host), result);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", halyard_lua_result_name(result));
    if (strncmp(message, prefix, strlen(prefix)) != 0 || strstr(message, expected) == NULL) {
        fail_msg("expected \"%s...%s\", got: %s", prefix, expected, message);
    }
    if (spent > max_ms) {
        fail_msg("the plan used %ld ms of CPU time, more than the bound of %ld ms", spent, max_ms);
    }
    assert_host_still_plans(host);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* ---- binary chunks ---------------------------------------------------------------------- */

static void load_mode_b_rejected(void **state)
{
    (void)state;
    assert_file_rejected("local chunk = load('return 1', '=x', 'b')\nreturn {}\n",
                         "binary chunks are not allowed");
}

static void load_binary_string_rejected(void **state)
{
    (void)state;
    assert_file_rejected("local chunk = assert(load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n'))\n"
                         "return {}\n",
                         "attempt to load a binary chunk");
}

static void string_dump_removed(void **state)
{
    (void)state;
    assert_file_rejected("local bytes = string.dump(function() return 1 end)\nreturn {}\n",
                         "attempt to call a nil value (field 'dump')");
}

static void string_dump_removed_from_methods(void **state)
{
    (void)state;
    assert_file_rejected("local dump = ('').dump\nlocal bytes = dump(function() end)\nreturn {}\n",
                         "attempt to call a nil value (local 'dump')");
}

/* ---- modules and files ------------------------------------------------------------------ */

static void package_unreachable(void **state)
{
    (void)state;
    assert_file_rejected("local loaded = package.loaded\nreturn {}\n",
                         "undefined global 'package'");
}

static void require_unreachable(void **state)
{
    (void)state;
    assert_file_rejected("local os = require('os')\nreturn {}\n", "undefined global 'require'");
}

static void loadlib_unreachable(void **state)
{
    (void)state;
    assert_file_rejected("local open = package.loadlib('libc.so.6', 'system')\nreturn {}\n",
                         "undefined global 'package'");
}

static void file_and_process_functions_unreachable(void **state)
{
    (void)state;
    static const char *const names[] = {"io", "os", "debug", "dofile", "loadfile", "print"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char source[256];
        char expected[64];
        snprintf(source, sizeof source, "local reached = %s\nreturn {}\n", names[i]);
        snprintf(expected, sizeof expected, "undefined global '%s'", names[i]);
        assert_file_rejected(source, expected);
    }
}

static void coroutines_unreachable(void **state)
{
    (void)state;
    assert_file_rejected("local run = coroutine.wrap(function() while true do end end)\n"
                         "return {}\n",
                         "undefined global 'coroutine'");
}

static void json_settings_unreachable(void **state)
{
    (void)state;
    assert_file_rejected("json.decode_max_depth(100000)\nreturn {}\n",
                         "attempt to call a nil value (field 'decode_max_depth')");
}

/* The keyword index is halyard's own: a script that reached it could add rules to the index
 * every ticket is matched against. */
static void match_index_unreachable(void **state)
{
    (void)state;
    assert_file_rejected("local index = match_index.new()\nreturn {}\n",
                         "undefined global 'match_index'");
}

/* ---- the instruction budget and the deadline -------------------------------------------- */

static void pcall_cannot_outlive_instruction_kill(void **state)
{
    (void)state;
    assert_score_trick_stopped("while true do pcall(function() while true do end end) end", NULL,
                               HALYARD_LUA_TIMEOUT, "instruction limit of 10000000", 5000);
}

static void xpcall_handler_cannot_outlive_kill(void **state)
{
    (void)state;
    assert_score_trick_stopped("local function spin() while true do end end\n"
                               "while true do xpcall(spin, function() return xpcall(spin, spin) "
                               "end) end",
                               NULL, HALYARD_LUA_TIMEOUT, "instruction limit", 5000);
}

static void error_tostring_cannot_outlive_kill(void **state)
{
    (void)state;
    assert_file_rejected("error(setmetatable({}, {__tostring = function() while true do end "
                         "end}))\n",
                         "timeout: ");
}

static void close_handler_cannot_outlive_kill(void **state)
{
    (void)state;
    assert_file_rejected("do\n"
                         "  local guard <close> = setmetatable({}, {__close = function()\n"
                         "    while true do end\n"
                         "  end})\n"
                         "  while true do end\n"
                         "end\nreturn {}\n",
                         "timeout: ");
}

static void runaway_top_level_fails_that_file_only(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/runaway.lua", "while true do end\n");
    write_text(dir, "workflows/steady.lua",
               "return {name = 'Steady', status = 'active', scope = 'all', trigger = 'x',\n"
               "  match = {any = {'steady'}}, instructions = 'x',\n"
               "  samples = {match = {{source = 'written', summary = 'steady'}}}}\n");

    halyard_lua_host *host = create_host(dir);

    assert_non_null(find_problem(host, "runaway.lua:", "timeout: "));
    assert_int_equal(halyard_lua_host_problem_count(host), 1);
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows() + 1);
    assert_host_still_plans(host);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* Matching runs in C (bindings/match_index.c), and its work counts against the budget like
 * Lua code. A 4 MB ticket, of which matching reads the first 256 KiB, matches within the
 * default budget and stops with a timeout under a budget of 50,000 instructions. */
static void keyword_matching_counts_against_budget(void **state)
{
    (void)state;
    static const char word[] = "printer ";
    size_t repeats = 500000;
    size_t size = 64 + repeats * (sizeof word - 1);
    char *ticket = malloc(size);
    assert_non_null(ticket);
    size_t used = (size_t)snprintf(ticket, size, "{\"id\": 7, \"summary\": \"");
    for (size_t i = 0; i < repeats; i++) {
        memcpy(ticket + used, word, sizeof word - 1);
        used += sizeof word - 1;
    }
    /* No space before the closing quote: trimming one costs a pattern match over the text. */
    snprintf(ticket + used - 1, size - used + 1, "\"}");

    char *matches = NULL;
    char message[4096] = "";
    halyard_lua_host *host = create_host(NULL);
    if (halyard_lua_host_match(host, ticket, NULL, &matches, message, sizeof message) != 0) {
        fail_msg("a 4 MB ticket did not match within the default budget: %s", message);
    }
    assert_non_null(strstr(matches, "Printer problem"));
    free(matches);
    halyard_lua_host_destroy(host);

    sandbox_limits limits = {.instruction_limit = 50000};
    host = create_limited_host(NULL, &limits);
    assert_int_equal(halyard_lua_host_match(host, ticket, NULL, &matches, message, sizeof message),
                     -1);
    assert_int_equal(halyard_lua_host_last_result(host), HALYARD_LUA_TIMEOUT);
    /* The message names match_index only when its own work ran past the limit. Here reading
     * the ticket's words before the call used most of the budget. */
    if (strstr(message, "instruction limit of 50000") == NULL) {
        fail_msg("expected the instruction limit, got: %s", message);
    }
    assert_host_still_plans(host);
    halyard_lua_host_destroy(host);
    free(ticket);
}

/* A field of several MB with spaces at both ends: trimming walks the spaces only, and matching
 * reads the first 256 KiB, so the words at its start still match within the default budget. */
static void huge_padded_ticket_still_matches(void **state)
{
    (void)state;
    size_t filler = 6 * 1024 * 1024;
    char *ticket = malloc(filler + 128);
    assert_non_null(ticket);
    int used = sprintf(ticket, "{\"id\": 7, \"summary\": \"  printer jammed ");
    for (size_t i = 0; i < filler; i += 2) {
        ticket[used + i] = 'x';
        ticket[used + i + 1] = ' ';
    }
    strcpy(ticket + used + filler, " \"}");

    char *matches = NULL;
    char message[4096] = "";
    halyard_lua_host *host = create_host(NULL);
    if (halyard_lua_host_match(host, ticket, NULL, &matches, message, sizeof message) != 0) {
        fail_msg("a 6 MB padded ticket did not match within the default budget: %s", message);
    }
    assert_non_null(strstr(matches, "Printer problem"));
    free(matches);
    halyard_lua_host_destroy(host);
    free(ticket);
}

static void cpu_time_deadline_holds(void **state)
{
    (void)state;
    sandbox_limits limits = {.instruction_limit = 1000000000000000ULL, .time_limit_ms = 500};

    /* Only the deadline can stop this loop, so the call ending at all shows it holds. The limit
     * also applies to loading each shipped file, which takes up to about 50 ms of CPU time
     * (sensitive.lua, measured on a 2-core x86-64 test machine), so it is set well above that. */
    assert_score_trick_stopped("while true do pcall(function() while true do end end) end", &limits,
                               HALYARD_LUA_TIMEOUT, "time limit of 500 ms", 5000);
}

static void callback_from_c_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped("string.gsub('abc', '.', function() while true do end end)", NULL,
                               HALYARD_LUA_TIMEOUT, "instruction limit", 5000);
}

static void sort_comparator_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped("table.sort({3, 2, 1}, function() while true do end end)", NULL,
                               HALYARD_LUA_TIMEOUT, "instruction limit", 5000);
}

/* string.rep, table.move and table.sort loop in C, where the count hook cannot fire, so their
 * counts are charged to the budget before they start. */
static void empty_string_rep_returns_at_once(void **state)
{
    (void)state;
    assert_policy_harmless("assert(string.rep('', 3000000000) == '')\n"
                           "assert(string.rep('', 3000000000, '') == '')\n"
                           "assert(('ab'):rep(3, ',') == 'ab,ab,ab')\nreturn {}\n");
}

static void string_rep_huge_count_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped("local text = ('x'):rep(3000000000)", NULL, HALYARD_LUA_TIMEOUT,
                               "instruction limit", 2000);
}

/* A huge count is the call's own cost, so the message names the function and the advice. */
static void string_rep_huge_count_named(void **state)
{
    (void)state;
    assert_score_trick_stopped("local text = ('x'):rep(3000000000)", NULL, HALYARD_LUA_TIMEOUT,
                               "in string.rep on 1 bytes of input; use a smaller count", 2000);
}

/*
 * Asserts that trick, a loop of cheap guarded calls on line 10 of trick.lua, runs out of a
 * budget of 2,000,000 instructions with a message naming the limit and that line, and not
 * the function called last.
 */
static void assert_loop_blamed(const char *trick, const char *function)
{
    sandbox_limits limits = {.instruction_limit = 2000000};
    assert_score_trick_stopped(trick, &limits, HALYARD_LUA_TIMEOUT,
                               "trick.lua:10: the script exceeded the instruction limit of 2000000 "
                               "instructions",
                               5000);

    char *dir = make_temp_dir();
    write_score_workflow(dir, trick);
    halyard_lua_host *host = create_limited_host(dir, &limits);
    halyard_lua_plan plan = {0};
    char message[4096] = "";
    assert_int_equal(halyard_lua_host_plan(host, trick_ticket, NULL, NULL, "run-trick", &plan,
                                           message, sizeof message),
                     -1);
    if (strstr(message, function) != NULL) {
        fail_msg("expected no mention of %s, got: %s", function, message);
    }
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* A loop of cheap string.rep calls ran out of instructions, and the message blamed the last
 * call ("in string.rep on 1 bytes of input; use a smaller count"). Each call here charges 900
 * steps, so the meter, not the interpreter, almost always notices the limit. */
static void string_rep_loop_blames_line(void **state)
{
    (void)state;
    assert_loop_blamed("local parts = {}\n"
                       "for i = 1, math.maxinteger do\n"
                       "parts[i % 8 + 1] = string.rep('x', 900)\n"
                       "end",
                       "string.rep");
}

static void table_concat_loop_blames_line(void **state)
{
    (void)state;
    assert_loop_blamed("local parts = {}\n"
                       "for i = 1, 900 do parts[i] = 'a' end\n"
                       "while true do local text = table.concat(parts) end",
                       "table.concat");
}

static void table_insert_loop_blames_line(void **state)
{
    (void)state;
    assert_loop_blamed("local list = {}\n"
                       "for i = 1, 900 do list[i] = i end\n"
                       "while true do table.insert(list, 1, 0); table.remove(list, 1) end",
                       "table.");
}

/* Pattern matching is metered the same way: a loop of matches over a short text is blamed on
 * the loop's line. */
static void string_gsub_loop_blames_line(void **state)
{
    (void)state;
    assert_loop_blamed("local text = string.rep('a', 100)\n"
                       "local count = 0\n"
                       "while true do local out = text:gsub('a', 'b') end",
                       "string.gsub");
}

static void table_move_huge_range_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped("table.move({}, 1, 200000000, 1)", NULL, HALYARD_LUA_TIMEOUT,
                               "instruction limit", 2000);
}

static void table_sort_huge_list_charged(void **state)
{
    (void)state;
    sandbox_limits limits = {.instruction_limit = 2000000};
    assert_score_trick_stopped("local list = {}\nfor i = 1, 200000 do list[i] = -i end\n"
                               "table.sort(list)",
                               &limits, HALYARD_LUA_TIMEOUT, "table.sort", 5000);
}

/* A __len metamethod makes the table functions loop as often as it claims, all in C when
 * __index and __newindex are C functions too. The guards charge the claimed length. */
#define LYING_LENGTH_TABLE                                                                         \
    "local list = setmetatable({}, {__len = function() return math.maxinteger - 10 end, "          \
    "__index = rawlen, __newindex = rawequal})\n"

static void len_metamethod_sort_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped(LYING_LENGTH_TABLE "table.sort(list)", NULL, HALYARD_LUA_TIMEOUT,
                               "instruction limit", 2000);
}

static void len_metamethod_insert_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped(LYING_LENGTH_TABLE "table.insert(list, 1, 0)", NULL,
                               HALYARD_LUA_TIMEOUT, "instruction limit", 2000);
}

static void len_metamethod_remove_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped(LYING_LENGTH_TABLE "table.remove(list, 1)", NULL,
                               HALYARD_LUA_TIMEOUT, "instruction limit", 2000);
}

static void len_metamethod_concat_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped(LYING_LENGTH_TABLE "table.concat(list)", NULL, HALYARD_LUA_TIMEOUT,
                               "instruction limit", 2000);
}

/* Appending and removing the last element move nothing, so a long list built with them stays
 * cheap. */
static void table_functions_still_work(void **state)
{
    (void)state;
    assert_policy_harmless("local list = {}\n"
                           "for i = 1, 100000 do table.insert(list, i) end\n"
                           "assert(#list == 100000)\n"
                           "assert(table.remove(list) == 100000)\n"
                           "table.insert(list, 1, 0)\n"
                           "assert(list[1] == 0 and list[2] == 1 and #list == 100000)\n"
                           "assert(table.remove(list, 1) == 0)\n"
                           "table.sort(list, function(a, b) return a > b end)\n"
                           "assert(list[1] == 99999)\n"
                           "assert(table.concat({1, 2, 3}, ',') == '1,2,3')\n"
                           "assert(table.concat({1, 2, 3}, ',', 2) == '2,3')\n"
                           "return {}\n");
}

/* A script that keeps its state near the memory cap makes halyard's own pushes fail (the
 * ticket's text, here): the plan fails with out of memory instead of the process aborting. */
static void full_state_fails_call_not_process(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/hoard.lua",
               "local hoard = string.rep('k', 6 * 1024 * 1024)\n"
               "return {name = 'Hoard', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = function() return #hoard == 0 end, instructions = 'x',\n"
               "    samples = {match = {{source = 'written', summary = 'x'}}}}\n");
    sandbox_limits limits = {.memory_limit_bytes = 16 * 1024 * 1024, .instruction_limit = 50000000};
    halyard_lua_host *host = create_limited_host(dir, &limits);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);

    size_t summary_length = 9 * 1024 * 1024;
    char *ticket = malloc(summary_length + 64);
    assert_non_null(ticket);
    int prefix = sprintf(ticket, "{\"id\": 7, \"summary\": \"");
    memset(ticket + prefix, 'a', summary_length);
    strcpy(ticket + prefix + summary_length, "\"}");

    halyard_lua_plan plan = {0};
    char message[4096] = "";
    int status =
        halyard_lua_host_plan(host, ticket, NULL, NULL, "run-full", &plan, message, sizeof message);

    assert_int_equal(status, -1);
    assert_int_equal(halyard_lua_host_last_result(host), HALYARD_LUA_OUT_OF_MEMORY);
    free(ticket);
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void pcall_cannot_catch_out_of_memory(void **state)
{
    (void)state;
    sandbox_limits limits = {.memory_limit_bytes = 16 * 1024 * 1024};
    assert_score_trick_stopped("local kept = {}\n"
                               "for round = 1, 3 do\n"
                               "  pcall(function() local s = 'x' while true do s = s .. s "
                               "kept[#kept + 1] = s end end)\n"
                               "end",
                               &limits, HALYARD_LUA_OUT_OF_MEMORY, "the script needed more", 5000);
}

static void finalizer_rejected(void **state)
{
    (void)state;
    assert_file_rejected("local keep = setmetatable({}, {__gc = function() while true do end "
                         "end})\nreturn {}\n",
                         "__gc is not allowed in scripts");
}

static void finalizer_added_late_never_runs(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "policies/lingering.lua",
               "local metatable = {}\n"
               "local keep = setmetatable({}, metatable)\n"
               "metatable.__gc = function() while true do end end\n"
               "return {keep = keep}\n");
    halyard_lua_host *host = create_host(dir);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    assert_host_still_plans(host);

    /* Closing the state would run a finalizer; it must not, so destroy returns at once. */
    struct timespec start;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    halyard_lua_host_destroy(host);
    assert_true(cpu_elapsed_ms(&start) < 5000);
    remove_tree(dir);
}

/* ---- memory ----------------------------------------------------------------------------- */

static void string_rep_memory_bomb(void **state)
{
    (void)state;
    assert_file_rejected("local bomb = ('x'):rep(1 << 22)\nlocal more = {}\n"
                         "for i = 1, 32 do more[i] = bomb .. i end\nreturn {}\n",
                         "out of memory");
}

static void string_doubling_memory_bomb(void **state)
{
    (void)state;
    sandbox_limits limits = {.memory_limit_bytes = 16 * 1024 * 1024};
    assert_file_rejected_with("local bomb = 'x'\nwhile true do bomb = bomb .. bomb end\n",
                              "out of memory", &limits);
}

static void table_concat_memory_bomb(void **state)
{
    (void)state;
    assert_file_rejected("local piece = string.rep('x', 1 << 20)\nlocal pieces = {}\n"
                         "for i = 1, 4096 do pieces[i] = piece end\n"
                         "local bomb = table.concat(pieces)\nreturn {}\n",
                         "out of memory");
}

static void memory_bomb_past_the_loader_is_out_of_memory(void **state)
{
    (void)state;
    assert_file_rejected("return setmetatable({}, {__index = function() "
                         "local s = ('x'):rep(1 << 20) while true do s = s .. s end end})\n",
                         "out of memory: the script needed more than the limit of 67108864 bytes");
}

static void deep_recursion_stopped(void **state)
{
    (void)state;
    assert_file_rejected("local function deeper(n) return deeper(n + 1) + 1 end\n"
                         "return deeper(1)\n",
                         "stack overflow");
}

/* Regression: a recursion whose frames hold many values reached the memory limit before
 * Lua's stack overflow, and the error named only the limit. */
static void wide_recursion_out_of_memory_named(void **state)
{
    (void)state;
    sandbox_limits limits = {.memory_limit_bytes = 4 * 1024 * 1024};
    assert_file_rejected_with(
        "local function deeper(n)\n"
        "  local a, b, c, d, e, f, g, h = n, n, n, n, n, n, n, n\n"
        "  local i, j, k, l, m, o, p, q = n, n, n, n, n, n, n, n\n"
        "  return deeper(n + 1) + a + b + c + d + e + f + g + h + i + j + k + l + m + o + p + q\n"
        "end\n"
        "return deeper(1)\n",
        "(endless recursion can also end here)", &limits);
}

static void metamethod_recursion_stopped(void **state)
{
    (void)state;
    assert_file_rejected("local loop = setmetatable({}, {__index = function(t, key) "
                         "return t[key] end})\nreturn loop.x\n",
                         "stack overflow");
}

static void collectgarbage_limited_to_count(void **state)
{
    (void)state;
    assert_file_rejected("collectgarbage('stop')\nreturn {}\n",
                         "option 'stop' is not allowed, only \"count\"");
    assert_policy_harmless("assert(type(collectgarbage('count')) == 'number')\nreturn {}\n");
}

/* ---- tampering -------------------------------------------------------------------------- */

static void string_metatable_locked(void **state)
{
    (void)state;
    assert_file_rejected("getmetatable('').__index = {}\nreturn {}\n",
                         "attempt to index a boolean value");
}

static void string_library_read_only(void **state)
{
    (void)state;
    assert_file_rejected("string.find = function() return nil end\nreturn {}\n",
                         "string.find cannot be changed");
}

static void library_view_metatable_locked(void **state)
{
    (void)state;
    assert_file_rejected("setmetatable(table, nil)\nreturn {}\n",
                         "cannot change a protected metatable");
}

static void rawset_on_library_stays_in_file(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "policies/a_tamper.lua",
               "rawset(string, 'lower', function() return 'tampered' end)\n"
               "assert(string.lower('X') == 'tampered')\nreturn {}\n");
    write_text(dir, "policies/b_check.lua",
               "assert(string.lower('X') == 'x', 'a_tamper.lua reached this file')\nreturn {}\n");

    halyard_lua_host *host = create_host(dir);

    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    assert_host_still_plans(host);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void load_cannot_reach_global_table(void **state)
{
    (void)state;
    assert_policy_harmless("load('string = nil; table = nil; json = nil')()\n"
                           "assert(string ~= nil)\nreturn {}\n");
}

static void global_table_name_is_own_environment(void **state)
{
    (void)state;
    assert_policy_harmless("_G.string = nil\n_G.json = nil\n"
                           "assert(getmetatable(_G) == false)\nreturn {}\n");
}

static void returned_metamethod_error_skips_file(void **state)
{
    (void)state;
    assert_file_rejected("return setmetatable({}, {__index = function() error('boom') end})\n",
                         "error: ");
}

/* ---- pattern matching ------------------------------------------------------------------- */

/* Lua's matcher ran in C, out of the hook's reach: these patterns backtracked for hours. */
static void backtracking_find_stopped(void **state)
{
    (void)state;
    assert_score_trick_stopped("local text = string.rep('a', 100000)\n"
                               "local found = text:find('.-.-.-b')",
                               NULL, HALYARD_LUA_TIMEOUT,
                               "instruction limit of 10000000 instructions in string.find on "
                               "100000 bytes of input; the pattern backtracks too much",
                               2000);
}

static void backtracking_gsub_not_swallowed_by_pcall(void **state)
{
    (void)state;
    assert_score_trick_stopped("local text = string.rep('a', 100000)\n"
                               "while true do pcall(string.gsub, text, '(.-)(.-)x', '') end",
                               NULL, HALYARD_LUA_TIMEOUT, "in string.gsub on 100000 bytes of input",
                               2000);
}

static void backtracking_match_stopped_by_deadline(void **state)
{
    (void)state;
    /* 500 ms for the reason cpu_time_deadline_holds gives. */
    sandbox_limits limits = {.instruction_limit = 1000000000000000ULL, .time_limit_ms = 500};
    assert_score_trick_stopped("local text = string.rep(' ', 100000)\n"
                               "local found = text:match('^(%s-)(%s-)(%s-)x')",
                               &limits, HALYARD_LUA_TIMEOUT,
                               "time limit of 500 ms in string.match on 100000 bytes", 5000);
}

static volatile sig_atomic_t descheduled_count = 0;

/* Stands for the scheduler keeping a busy machine's core from the call: a second of wall-clock
 * time in which the thread uses no CPU time. nanosleep is async-signal-safe. */
static void sleep_like_descheduled(int signal_number)
{
    (void)signal_number;
    struct timespec second = {1, 0};
    nanosleep(&second, NULL);
    descheduled_count++;
}

/* Bug: the time limit was wall-clock time, so a call that waited for a core on a loaded
 * machine ran out of it without doing more work. An approval policy was stopped in string.gsub
 * on 57 bytes that way. Time spent off the processor no longer counts. */
static void time_limit_ignores_time_off_processor(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_score_workflow(dir, "local total = 0\n"
                              "for i = 1, 5000000 do total = total + i end\n"
                              "return 5, 'loop ended'");
    sandbox_limits limits = {.instruction_limit = 1000000000000000ULL, .time_limit_ms = 500};
    halyard_lua_host *host = create_limited_host(dir, &limits);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);

    /* The timer counts the process's user CPU time, so it fires inside the loop, which takes
     * tens of milliseconds of it, however busy the machine is. */
    struct sigaction action = {.sa_handler = sleep_like_descheduled};
    sigemptyset(&action.sa_mask);
    struct sigaction previous;
    assert_int_equal(sigaction(SIGVTALRM, &action, &previous), 0);
    descheduled_count = 0;
    struct itimerval timer = {.it_value = {0, 10000}};
    assert_int_equal(setitimer(ITIMER_VIRTUAL, &timer, NULL), 0);

    char *matches = NULL;
    char message[4096] = "";
    int status =
        halyard_lua_host_match(host, trick_ticket, NULL, &matches, message, sizeof message);

    struct itimerval stopped = {{0, 0}, {0, 0}};
    setitimer(ITIMER_VIRTUAL, &stopped, NULL);
    sigaction(SIGVTALRM, &previous, NULL);
    if (descheduled_count != 1) {
        fail_msg("the timer fired %d times during the match instead of once; make the loop longer",
                 (int)descheduled_count);
    }
    if (status != 0) {
        fail_msg("the match failed after a second off the processor: %s", message);
    }
    if (strstr(matches, "loop ended") == NULL) {
        fail_msg("the score function did not finish: %s", matches);
    }
    free(matches);
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void ordinary_patterns_work_on_long_text(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_score_workflow(dir, "local text = string.rep('word, ', 20000) .. 'needle'\n"
                              "local words = 0\n"
                              "for _ in text:gmatch('%a+') do words = words + 1 end\n"
                              "local squeezed = text:gsub('%s+', '')\n"
                              "assert(words == 20001)\n"
                              "assert(#squeezed == 100006)\n"
                              "assert(text:find('needle') == 120001)\n"
                              "assert(text:match('^(%a+),') == 'word')\n"
                              "assert(text:match('^%s*(.-)%s*$') == text)\n"
                              "return 5, 'patterns ran'");
    halyard_lua_host *host = create_host(dir);

    char *matches = NULL;
    char message[4096] = "";
    if (halyard_lua_host_match(host, trick_ticket, NULL, &matches, message, sizeof message) != 0) {
        fail_msg("match failed: %s", message);
    }
    if (strstr(matches, "patterns ran") == NULL) {
        fail_msg("the score function did not finish: %s", matches);
    }
    free(matches);
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_mode_b_rejected),
        cmocka_unit_test(load_binary_string_rejected),
        cmocka_unit_test(string_dump_removed),
        cmocka_unit_test(string_dump_removed_from_methods),
        cmocka_unit_test(package_unreachable),
        cmocka_unit_test(require_unreachable),
        cmocka_unit_test(loadlib_unreachable),
        cmocka_unit_test(file_and_process_functions_unreachable),
        cmocka_unit_test(coroutines_unreachable),
        cmocka_unit_test(json_settings_unreachable),
        cmocka_unit_test(match_index_unreachable),
        cmocka_unit_test(pcall_cannot_outlive_instruction_kill),
        cmocka_unit_test(xpcall_handler_cannot_outlive_kill),
        cmocka_unit_test(error_tostring_cannot_outlive_kill),
        cmocka_unit_test(close_handler_cannot_outlive_kill),
        cmocka_unit_test(runaway_top_level_fails_that_file_only),
        cmocka_unit_test(keyword_matching_counts_against_budget),
        cmocka_unit_test(huge_padded_ticket_still_matches),
        cmocka_unit_test(cpu_time_deadline_holds),
        cmocka_unit_test(callback_from_c_stopped),
        cmocka_unit_test(sort_comparator_stopped),
        cmocka_unit_test(empty_string_rep_returns_at_once),
        cmocka_unit_test(string_rep_huge_count_stopped),
        cmocka_unit_test(string_rep_huge_count_named),
        cmocka_unit_test(string_rep_loop_blames_line),
        cmocka_unit_test(table_concat_loop_blames_line),
        cmocka_unit_test(table_insert_loop_blames_line),
        cmocka_unit_test(string_gsub_loop_blames_line),
        cmocka_unit_test(table_move_huge_range_stopped),
        cmocka_unit_test(table_sort_huge_list_charged),
        cmocka_unit_test(pcall_cannot_catch_out_of_memory),
        cmocka_unit_test(len_metamethod_sort_stopped),
        cmocka_unit_test(len_metamethod_insert_stopped),
        cmocka_unit_test(len_metamethod_remove_stopped),
        cmocka_unit_test(len_metamethod_concat_stopped),
        cmocka_unit_test(table_functions_still_work),
        cmocka_unit_test(full_state_fails_call_not_process),
        cmocka_unit_test(finalizer_rejected),
        cmocka_unit_test(finalizer_added_late_never_runs),
        cmocka_unit_test(wide_recursion_out_of_memory_named),
        cmocka_unit_test(string_rep_memory_bomb),
        cmocka_unit_test(string_doubling_memory_bomb),
        cmocka_unit_test(table_concat_memory_bomb),
        cmocka_unit_test(memory_bomb_past_the_loader_is_out_of_memory),
        cmocka_unit_test(deep_recursion_stopped),
        cmocka_unit_test(metamethod_recursion_stopped),
        cmocka_unit_test(collectgarbage_limited_to_count),
        cmocka_unit_test(string_metatable_locked),
        cmocka_unit_test(string_library_read_only),
        cmocka_unit_test(library_view_metatable_locked),
        cmocka_unit_test(rawset_on_library_stays_in_file),
        cmocka_unit_test(load_cannot_reach_global_table),
        cmocka_unit_test(global_table_name_is_own_environment),
        cmocka_unit_test(returned_metamethod_error_skips_file),
        cmocka_unit_test(backtracking_find_stopped),
        cmocka_unit_test(backtracking_gsub_not_swallowed_by_pcall),
        cmocka_unit_test(backtracking_match_stopped_by_deadline),
        cmocka_unit_test(time_limit_ignores_time_off_processor),
        cmocka_unit_test(ordinary_patterns_work_on_long_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
