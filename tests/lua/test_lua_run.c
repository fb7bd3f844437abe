/*
 * Tests of runs (bindings/lua_run.c) and of the `halo` module (bindings/halo.c): plans that
 * run as coroutines on an event loop, wait for a fake HaloPSA (tests/lua/wait_fixture.c) and
 * resume, through pcall and xpcall, under the run's limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/http.h>

#include "log.h"
#include "lua_host.h"
#include "wait_fixture.h"

/* Fails unless facts contains line as one whole line. */
static void assert_line(const char *facts, const char *line)
{
    size_t length = strlen(line);
    for (const char *at = strstr(facts, line); at != NULL; at = strstr(at + 1, line)) {
        if ((at == facts || at[-1] == '\n') && at[length] == '\n') {
            return;
        }
    }
    fail_msg("no line \"%s\" in:\n%s", line, facts);
}

static int setup(void **state)
{
    halyard_log_configure(HALYARD_LOG_ERROR, NULL);
    *state = wait_fixture_start();
    return 0;
}

static int teardown(void **state)
{
    wait_fixture_stop(*state);
    return 0;
}

static void halo_calls_return_records(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(
        fixture, "records",
        "local user = halo.user(context.requester.id)\n"
        "local ticket = halo.ticket(4242)\n"
        "local actions = halo.actions(4242)\n"
        "local client = halo.client(12)\n"
        "local technician = halo.technician(3)\n"
        "local users = halo.users{search = 'jane doe@acme', client_id = 12}\n"
        "local tickets = halo.tickets{user_id = 77, open_only = true, limit = 10}\n"
        "return {'user=' .. user.name, 'ticket=' .. ticket.summary,\n"
        "    'actions=' .. #actions .. ' ' .. actions[2].note, 'client=' .. client.name,\n"
        "    'technician=' .. technician.name, 'users=' .. #users .. ' ' .. users[1].name,\n"
        "    'tickets=' .. #tickets .. ' ' .. tickets[1].summary,\n"
        "    'id=' .. math.type(user.id)}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "records", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "user=Jane Doe");
    assert_line(facts, "ticket=Printer jam");
    assert_line(facts, "actions=2 second");
    assert_line(facts, "client=Acme Ltd");
    assert_line(facts, "technician=Sam Lead");
    assert_line(facts, "users=1 Jane Doe");
    /* A fact is cut as a quote of a ticket, so the listed summary loses its password. */
    assert_line(facts, "tickets=1 VPN drops, pw: [secret removed]");
    assert_line(facts, "id=float");
    assert_non_null(strstr(fixture->seen, "/api/Users/77\n"));
    assert_non_null(strstr(fixture->seen, "/api/Agent/3\n"));
    assert_non_null(
        strstr(fixture->seen, "/api/Users?count=50&search=jane%20doe%40acme&client_id=12\n"));
    assert_non_null(strstr(fixture->seen, "/api/Tickets?count=10&user_id=77&open_only=true\n"));
    assert_non_null(strstr(outcome.note_html, ">Facts gathered<"));
    assert_non_null(strstr(outcome.note_html, "<strong>records</strong>: user=Jane Doe"));
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

static void halo_failures_return_nil_message(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "failures",
                          "local facts = {}\n"
                          "for _, id in ipairs({404, 500, 88}) do\n"
                          "    local user, message = halo.user(id)\n"
                          "    facts[#facts + 1] = tostring(user) .. ' ' .. message\n"
                          "end\n"
                          "return facts");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "failures", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "nil HaloPSA has no user 404 (HTTP 404)");
    assert_line(facts, "nil HaloPSA returned HTTP 500 for user 500");
    assert_non_null(strstr(facts, "nil HaloPSA's response for user 88 is not valid JSON: "));
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

static void halo_misuse_raises(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(
        fixture, "misuse",
        "local facts = {}\n"
        "local function try(f, ...)\n"
        "    local ok, message = pcall(f, ...)\n"
        "    facts[#facts + 1] = tostring(ok) .. ' ' .. tostring(message):gsub('^.-:%d+: ', '')\n"
        "end\n"
        "try(halo.user, '77')\n"
        "try(halo.user, 1.5)\n"
        "try(halo.ticket, 0)\n"
        "try(halo.users, {})\n"
        "try(halo.users, {serach = 'jane'})\n"
        "try(halo.users, {search = 'jane', limit = 1000})\n"
        "try(halo.tickets, {client_id = 12, open_only = 'yes'})\n"
        "try(halo.tickets, {client_id = -4})\n"
        "try(halo.tickets, 12)\n"
        "return facts");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "misuse", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "false bad argument #1 to 'halo.user' (number expected, got string)");
    assert_line(facts,
                "false bad argument #1 to 'halo.user' (the id must be a positive whole number)");
    assert_line(facts,
                "false bad argument #1 to 'halo.ticket' (the id must be a positive whole number)");
    assert_line(facts, "false bad argument #1 to 'halo.users' (give search or client_id, or both)");
    assert_line(facts,
                "false bad argument #1 to 'halo.users' (unknown option 'serach'; the options "
                "are search client_id limit)");
    assert_line(facts,
                "false bad argument #1 to 'halo.users' (field 'limit' must be a whole number "
                "from 1 to 100)");
    assert_line(
        facts, "false bad argument #1 to 'halo.tickets' (field 'open_only' must be true or false)");
    assert_line(facts, "false bad argument #1 to 'halo.tickets' (field 'client_id' must be a "
                       "positive whole number, got -4)");
    assert_line(facts, "false bad argument #1 to 'halo.tickets' (table expected, got number)");
    assert_int_equal(fixture->requests, 0);
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

static void halo_unreachable_returns_message(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "offline",
                          "local user, message = halo.user(77)\n"
                          "return {tostring(user) .. ' ' .. message}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    evhttp_free(fixture->server); /* closes the listening socket: the port now refuses */
    fixture->server = evhttp_new(fixture->base);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "offline", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_non_null(strstr(facts, "nil cannot reach HaloPSA's token endpoint http://127.0.0.1:"));
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

static void gather_must_be_function(void **state)
{
    wait_fixture *fixture = *state;
    char path[1024];
    snprintf(path, sizeof path, "%s/workflows", fixture->dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/workflows/facts.lua", fixture->dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("return {\n"
          "    name = 'Facts', status = 'active', scope = 'all', trigger = 'x',\n"
          "    match = {any = {'facts'}}, instructions = 'x',\n"
          "    samples = {match = {{source = 'written', summary = 'facts'}}},\n"
          "    gather = {'not', 'a', 'function'},\n"
          "}\n",
          file);
    fclose(file);

    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_int_equal(halyard_lua_host_problem_count(host), 1);
    assert_non_null(strstr(halyard_lua_host_problem(host, 0),
                           "facts.lua:5: gather is a table; it must be a function(context) that "
                           "returns a list of facts (strings)"));
    halyard_lua_host_destroy(host);
}

/* The calls made while C waits (the CLI, tests) have no loop to wait on. */
static void blocking_plan_cannot_wait(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "blocking",
                          "local ok, message = pcall(halo.user, 77)\n"
                          "local ok2, message2 = pcall(http.get, 'http://127.0.0.1/')\n"
                          "local ok3, message3 = pcall(halo.user, 'x')\n"
                          "return {message, message2, message3}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    char ticket[512];
    wait_fixture_ticket("blocking", 77, ticket, sizeof ticket);
    halyard_lua_plan plan = {0};
    char message[2048] = "";

    assert_int_equal(
        halyard_lua_host_plan(host, ticket, NULL, NULL, "run-2", &plan, message, sizeof message),
        0);

    wait_fixture_outcome outcome = {.summary_json = plan.summary_json};
    char *facts = wait_fixture_facts(&outcome);
    assert_non_null(strstr(facts, "halo.user is not available in this context: only a run on "
                                  "halyard's event loop"));
    assert_non_null(strstr(facts, "http.get is not available in this context"));
    assert_non_null(strstr(facts, "bad argument #1 to 'halo.user' (number expected, got string)"));
    assert_int_equal(fixture->requests, 0);
    free(facts);
    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

static void waits_resume_through_pcall(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(
        fixture, "protected",
        "local ok, user = pcall(halo.user, 77)\n"
        "local ok2, name = xpcall(function() return halo.user(78).name end,\n"
        "    function(e) return 'handled ' .. e end)\n"
        "local ok3, ok4, inner = pcall(pcall, halo.client, 12)\n"
        "local ok5, raised = pcall(function() halo.user(77); error('after the wait', 0) end)\n"
        "local ok6, handled = xpcall(function() halo.user(77); error('late', 0) end,\n"
        "    function(e) return 'handled ' .. e end)\n"
        "local ok7, nested = pcall(function()\n"
        "    local a = select(2, pcall(halo.user, 77)).name\n"
        "    local b = select(2, xpcall(halo.user, tostring, 78)).name\n"
        "    return a .. '+' .. b\n"
        "end)\n"
        "return {tostring(ok) .. ' ' .. user.name, tostring(ok2) .. ' ' .. name,\n"
        "    tostring(ok3) .. ' ' .. tostring(ok4) .. ' ' .. inner.name,\n"
        "    tostring(ok5) .. ' ' .. raised, tostring(ok6) .. ' ' .. handled,\n"
        "    tostring(ok7) .. ' ' .. nested}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "protected", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "true Jane Doe");
    assert_line(facts, "true Omar Ali");
    assert_line(facts, "true true Acme Ltd");
    assert_line(facts, "false after the wait");
    assert_line(facts, "false handled late");
    assert_line(facts, "true Jane Doe+Omar Ali");
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* After a wait, a script that runs past the instruction budget inside pcall or xpcall is
 * still stopped: the resumed pcall passes the limit on. */
static void limit_after_wait_not_swallowed(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "spin",
                          "local ok = pcall(function() halo.user(77); while true do end end)\n"
                          "local ok2 = xpcall(function() while true do end end,\n"
                          "    function() return 'swallowed' end)\n"
                          "return {'survived ' .. tostring(ok) .. tostring(ok2)}");
    halyard_lua_host_options options = {.instruction_limit = 2000000};
    halyard_lua_host *host = wait_fixture_host(fixture, &options);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "spin", &outcome), HALYARD_LUA_TIMEOUT);

    assert_non_null(strstr(outcome.message, "timeout: "));
    assert_non_null(strstr(outcome.message, "instruction limit of 2000000"));
    assert_null(outcome.note_html);
    assert_int_equal(halyard_lua_host_run_count(host), 0);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* The instruction budget is the run's, not each slice's. */
static void budget_spans_slices(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "slices",
                          "for _ = 1, 8 do\n"
                          "    halo.user(77)\n"
                          "    for i = 1, 100000 do end\n"
                          "end\n"
                          "return {'done'}");
    halyard_lua_host_options options = {.instruction_limit = 500000};
    halyard_lua_host *host = wait_fixture_host(fixture, &options);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "slices", &outcome), HALYARD_LUA_TIMEOUT);

    assert_non_null(strstr(outcome.message, "instruction limit of 500000"));
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* A wait longer than the Lua time limit is not Lua time. */
static void waiting_is_not_lua_time(void **state)
{
    wait_fixture *fixture = *state;
    snprintf(fixture->delay_prefix, sizeof fixture->delay_prefix, "/api/Users/77");
    fixture->delay_ms = 600;
    wait_fixture_workflow(fixture, "patient", "return {'user=' .. halo.user(77).name}");
    halyard_lua_host_options options = {.time_limit_ms = 200};
    halyard_lua_host *host = wait_fixture_host(fixture, &options);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "patient", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "user=Jane Doe");
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* Past the run's own time limit the waiting call fails, later calls fail without waiting,
 * and the plan is still written. */
static void run_time_limit_ends_waits(void **state)
{
    wait_fixture *fixture = *state;
    snprintf(fixture->delay_prefix, sizeof fixture->delay_prefix, "/api/Users/77");
    fixture->delay_ms = 3000;
    wait_fixture_workflow(fixture, "stuck",
                          "local user, message = halo.user(77)\n"
                          "local again, message2 = halo.user(78)\n"
                          "local page, message3 = http.get('http://127.0.0.1/')\n"
                          "return {tostring(user) .. ' ' .. message,\n"
                          "    tostring(again) .. ' ' .. message2,\n"
                          "    tostring(page) .. ' ' .. message3}");
    halyard_lua_host_options options = {.run_time_limit_ms = 300};
    halyard_lua_host *host = wait_fixture_host(fixture, &options);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "stuck", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "nil no response within the run's time limit of 300 ms");
    assert_line(facts, "nil http.get: no response within the run's time limit of 300 ms");
    assert_int_equal(fixture->requests, 2); /* the token and user 77, never user 78 */
    assert_int_equal(halyard_http_pending(fixture->http), 0);
    assert_int_equal(halyard_lua_host_run_count(host), 0);
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

static void call_limit_raises(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "chatty",
                          "local facts = {}\n"
                          "for i = 1, 5 do\n"
                          "    local ok, result = pcall(halo.user, 77)\n"
                          "    facts[#facts + 1] = i .. ' ' .. (ok and result.name or result)\n"
                          "end\n"
                          "return facts");
    halyard_lua_host_options options = {.call_limit = 3};
    halyard_lua_host *host = wait_fixture_host(fixture, &options);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "chatty", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "3 Jane Doe");
    assert_non_null(
        strstr(facts, "4 halo.user: the run reached its limit of 3 halo and http calls"));
    assert_non_null(
        strstr(facts, "5 halo.user: the run reached its limit of 3 halo and http calls"));
    assert_int_equal(fixture->requests, 4); /* a token and three users */
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

static void wait_in_sort_comparison_raises(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "sorting",
                          "local list = {3, 1, 2}\n"
                          "local ok, message = pcall(table.sort, list, function(a, b)\n"
                          "    halo.user(77)\n"
                          "    return a < b\n"
                          "end)\n"
                          "return {tostring(ok), message}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "sorting", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "false");
    assert_non_null(strstr(facts, "halo.user cannot wait here: it was called from a function "
                                  "that Lua calls from C"));
    assert_int_equal(fixture->requests, 0);
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* A gather that raises costs only its own facts; the plan is still written. */
static void failed_gather_keeps_plan(void **state)
{
    wait_fixture *fixture = *state;
    wait_fixture_workflow(fixture, "broken", "local user = halo.user(404)\nreturn {user.name}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "broken", &outcome), HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_non_null(strstr(facts, "failed: broken.lua:11: attempt to index a nil value"));
    assert_non_null(strstr(outcome.note_html, "<strong>broken</strong>: could not gather facts: "
                                              "broken.lua:11: attempt to index a nil value"));
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* While one run waits, another starts, waits for a faster response and ends first. */
static void slow_run_does_not_block_others(void **state)
{
    wait_fixture *fixture = *state;
    snprintf(fixture->delay_prefix, sizeof fixture->delay_prefix, "/api/Users/77");
    fixture->delay_ms = 1500;
    wait_fixture_workflow(fixture, "lookup",
                          "return {'user=' .. halo.user(context.requester.id).name}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome slow;
    wait_fixture_outcome fast;

    wait_fixture_plan_start(fixture, host, "lookup", 77, &slow);
    wait_fixture_wait_requests(fixture, 2); /* the token, then the slow user */
    wait_fixture_plan_start(fixture, host, "lookup", 78, &fast);
    assert_int_equal(halyard_lua_host_run_count(host), 2);
    wait_fixture_wait(fixture, &fast);

    assert_int_equal(fast.result, HALYARD_LUA_OK);
    assert_int_equal(slow.callbacks, 0);
    wait_fixture_wait(fixture, &slow);
    assert_int_equal(slow.result, HALYARD_LUA_OK);
    char *fast_facts = wait_fixture_facts(&fast);
    char *slow_facts = wait_fixture_facts(&slow);
    assert_line(fast_facts, "user=Omar Ali");
    assert_line(slow_facts, "user=Jane Doe");
    free(fast_facts);
    free(slow_facts);
    wait_fixture_outcome_clear(&fast);
    wait_fixture_outcome_clear(&slow);
    halyard_lua_host_destroy(host);
}

static void cancelled_run_reports_cancelled(void **state)
{
    wait_fixture *fixture = *state;
    snprintf(fixture->delay_prefix, sizeof fixture->delay_prefix, "/api/Users/77");
    fixture->delay_ms = 500;
    wait_fixture_workflow(fixture, "cancel", "return {'user=' .. halo.user(77).name}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;
    halyard_lua_run *run = wait_fixture_plan_start(fixture, host, "cancel", 77, &outcome);
    wait_fixture_wait_requests(fixture, 2);

    halyard_lua_run_cancel(run);

    assert_int_equal(outcome.callbacks, 1);
    assert_int_equal(outcome.result, HALYARD_LUA_CANCELLED);
    assert_non_null(strstr(outcome.message, "cancelled: "));
    assert_null(outcome.note_html);
    assert_int_equal(halyard_lua_host_run_count(host), 0);
    assert_int_equal(halyard_http_pending(fixture->http), 0);

    /* The abandoned response arrives at no one; a later run still works. */
    fixture->delay_prefix[0] = '\0';
    wait_fixture_outcome later;
    assert_int_equal(wait_fixture_plan(fixture, host, "cancel", &later), HALYARD_LUA_OK);
    assert_int_equal(outcome.callbacks, 1);
    wait_fixture_outcome_clear(&later);
    halyard_lua_host_destroy(host);
}

static void destroyed_host_cancels_runs(void **state)
{
    wait_fixture *fixture = *state;
    snprintf(fixture->delay_prefix, sizeof fixture->delay_prefix, "/api/Users/77");
    fixture->delay_ms = 500;
    wait_fixture_workflow(fixture, "closing", "return {'user=' .. halo.user(77).name}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome waiting;
    wait_fixture_outcome not_started;
    wait_fixture_plan_start(fixture, host, "closing", 77, &waiting);
    wait_fixture_wait_requests(fixture, 2);
    wait_fixture_plan_start(fixture, host, "closing", 77, &not_started);

    halyard_lua_host_destroy(host);

    assert_int_equal(waiting.callbacks, 1);
    assert_int_equal(waiting.result, HALYARD_LUA_CANCELLED);
    assert_int_equal(not_started.callbacks, 1);
    assert_int_equal(not_started.result, HALYARD_LUA_CANCELLED);
    assert_int_equal(halyard_http_pending(fixture->http), 0);
}

/* The shipped password reset workflow looks the requester up while its plan is written. */
static void password_reset_gathers_requester(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    assert_int_equal(wait_fixture_plan(fixture, host, "please reset my password", &outcome),
                     HALYARD_LUA_OK);

    char *facts = wait_fixture_facts(&outcome);
    assert_line(facts, "HaloPSA has the requester as Jane Doe: jane.doe@acme.example.");
    assert_line(facts, "Other open tickets of the requester: #5 VPN drops, pw: [secret removed].");
    assert_non_null(strstr(fixture->seen, "/api/Tickets?count=20&user_id=77&open_only=true\n"));
    assert_non_null(strstr(outcome.note_html, "<strong>Password reset</strong>: HaloPSA has"));
    free(facts);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

static void on_plan_ignored(halyard_lua_result result, halyard_lua_plan *plan, const char *message,
                            void *argument)
{
    (void)result;
    (void)plan;
    (void)message;
    ((wait_fixture_outcome *)argument)->callbacks++;
}

/* Keeps a call run's first result as the outcome's note and its second as its summary. */
static void on_call(halyard_lua_result result, char **results, int result_count,
                    const char *message, void *argument)
{
    wait_fixture_outcome *outcome = argument;
    outcome->callbacks++;
    outcome->result = result;
    if (result_count > 0) {
        outcome->note_html = results[0];
        results[0] = NULL;
    }
    snprintf(outcome->message, sizeof outcome->message, "%s", message != NULL ? message : "");
}

/* A call run of a named entry returns its strings; one the entry rejects, or one host.lua
 * does not have, ends with an error that says so. */
static void call_run_returns_entry_results(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    char ticket[512];
    wait_fixture_ticket("printer", 77, ticket, sizeof ticket);
    const char *arguments[] = {ticket, NULL, NULL, "run-9"};
    halyard_lua_call_inputs inputs = {.entry = "plan",
                                      .arguments = arguments,
                                      .argument_count = 4,
                                      .result_count = 2,
                                      .label = "run-9"};
    wait_fixture_outcome outcome = {0};
    char message[1024] = "";

    assert_int_equal(halyard_lua_host_call_start(host, &inputs, on_call, &outcome, NULL, message,
                                                 sizeof message),
                     0);
    wait_fixture_wait(fixture, &outcome);
    assert_int_equal(outcome.result, HALYARD_LUA_OK);
    assert_non_null(strstr(outcome.note_html, "run-9"));
    free(outcome.note_html);

    const char *bad[] = {"not json", NULL, NULL, "run-9"};
    inputs.arguments = bad;
    memset(&outcome, 0, sizeof outcome);
    assert_int_equal(halyard_lua_host_call_start(host, &inputs, on_call, &outcome, NULL, message,
                                                 sizeof message),
                     0);
    wait_fixture_wait(fixture, &outcome);
    assert_int_equal(outcome.result, HALYARD_LUA_ERROR);
    assert_null(outcome.note_html);
    assert_non_null(strstr(outcome.message, "the ticket JSON is not valid JSON"));

    inputs.entry = "no_such_entry";
    memset(&outcome, 0, sizeof outcome);
    assert_int_equal(halyard_lua_host_call_start(host, &inputs, on_call, &outcome, NULL, message,
                                                 sizeof message),
                     -1);
    assert_non_null(strstr(message, "no_such_entry"));

    inputs.entry = "plan";
    inputs.argument_count = HALYARD_LUA_CALL_MAX_VALUES + 1;
    assert_int_equal(halyard_lua_host_call_start(host, &inputs, on_call, &outcome, NULL, message,
                                                 sizeof message),
                     -1);
    assert_non_null(strstr(message, "at most"));
    assert_int_equal(outcome.callbacks, 0);
    halyard_lua_host_destroy(host);
}

static void host_without_loop_starts_no_run(void **state)
{
    (void)state;
    halyard_lua_host_options options = {.msp = "test", .share_dir = HALYARD_SOURCE_DIR};
    halyard_lua_host *host = NULL;
    char message[1024] = "";
    assert_int_equal(halyard_lua_host_create(&options, &host, message, sizeof message), 0);
    halyard_lua_plan_inputs inputs = {.ticket_json = "{\"id\": 1}", .run_id = "run-3"};
    wait_fixture_outcome outcome = {0};

    assert_int_equal(halyard_lua_host_plan_start(host, &inputs, on_plan_ignored, &outcome, NULL,
                                                 message, sizeof message),
                     -1);

    assert_non_null(strstr(message, "has no event loop"));
    halyard_lua_host_destroy(host);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(halo_calls_return_records, setup, teardown),
        cmocka_unit_test_setup_teardown(halo_failures_return_nil_message, setup, teardown),
        cmocka_unit_test_setup_teardown(halo_misuse_raises, setup, teardown),
        cmocka_unit_test_setup_teardown(halo_unreachable_returns_message, setup, teardown),
        cmocka_unit_test_setup_teardown(gather_must_be_function, setup, teardown),
        cmocka_unit_test_setup_teardown(blocking_plan_cannot_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(waits_resume_through_pcall, setup, teardown),
        cmocka_unit_test_setup_teardown(limit_after_wait_not_swallowed, setup, teardown),
        cmocka_unit_test_setup_teardown(budget_spans_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(waiting_is_not_lua_time, setup, teardown),
        cmocka_unit_test_setup_teardown(run_time_limit_ends_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(call_limit_raises, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_in_sort_comparison_raises, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_gather_keeps_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(slow_run_does_not_block_others, setup, teardown),
        cmocka_unit_test_setup_teardown(cancelled_run_reports_cancelled, setup, teardown),
        cmocka_unit_test_setup_teardown(destroyed_host_cancels_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(password_reset_gathers_requester, setup, teardown),
        cmocka_unit_test_setup_teardown(call_run_returns_entry_results, setup, teardown),
        cmocka_unit_test(host_without_loop_starts_no_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
