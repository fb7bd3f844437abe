#ifndef HALYARD_TESTS_WAIT_FIXTURE_H
#define HALYARD_TESTS_WAIT_FIXTURE_H

/*
 * A fixture for tests of runs and of the halo and http modules. It has an event loop, a small
 * fake HaloPSA and HTTP server on 127.0.0.1 in that loop (evhttp), the HTTP and HaloPSA clients
 * halyard uses, a folder for the MSP's workflows, and a way to run a plan to its end.
 *
 * The fake server responds to:
 *   POST /auth/token                  a token
 *   GET  /api/Users/77, /api/Users/78 users (Jane Doe, client 12; Omar Ali, client 12)
 *   GET  /api/Users/404               404; /api/Users/500: 500; /api/Users/88: not JSON
 *   GET  /api/Users?...               {"record_count": 1, "users": [Jane Doe]}
 *   GET  /api/Tickets?...             {"record_count": 1, "tickets": [{"id": 5, ...}]}
 *   GET  /api/Tickets/4242            a ticket; /api/Actions?ticket_id=4242: two actions
 *   GET  /api/Client/12               Acme Ltd; /api/Agent/3: Sam Lead
 *   GET  /api/Agent                   a bare array of one technician
 *   GET  /api/Asset?...               {"record_count": 1, "assets": [asset 1042, a laptop]}
 *   GET  /api/Status                  a bare array: 1 New, 4 Waiting on user
 *   GET  /web/hello                   200, "hello", header X-Test: a
 *   GET  /web/redirect                302 to http://elsewhere.example/next
 *   GET  /web/big                     a body of 2 MiB
 *   ANY  /web/echo                    200 with the method, the X-Token header and the body
 * A request whose URI starts with delay_prefix gets its response delay_ms later.
 */

#include <stdbool.h>
#include <stddef.h>

#include <event2/event.h>

#include "halo_client.h"
#include "http_client.h"
#include "lua_host.h"

#define WAIT_FIXTURE_MAX_DELAYED 8

typedef struct wait_fixture wait_fixture;

/* A request the fake server responds to later. */
typedef struct {
    wait_fixture *fixture;
    struct evhttp_request *request;
    struct event *timer;
} wait_fixture_delayed;

/* The outcome of one run. */
typedef struct {
    int callbacks;
    halyard_lua_result result;
    char *note_html;
    char *summary_json;
    char message[4096];
} wait_fixture_outcome;

struct wait_fixture {
    struct event_base *base;
    struct evhttp *server;
    int port;
    char url[64]; /* "http://127.0.0.1:<port>" */
    halyard_http_client *http;
    halyard_halo_client *halo;
    char *dir; /* the MSP's script folder */

    char delay_prefix[128];
    int delay_ms;
    wait_fixture_delayed delayed[WAIT_FIXTURE_MAX_DELAYED];

    int requests;    /* requests the server received */
    char seen[8192]; /* their URIs, each ending in "\n" */
    char last_echo[512];
};

/* Starts the loop, the server and the clients, and makes the script folder. */
wait_fixture *wait_fixture_start(void);

/* Stops and frees everything, the script folder included. */
void wait_fixture_stop(wait_fixture *fixture);

/* Creates a host on the fixture's loop and clients, whose MSP folder is the fixture's, with
 * options' limits (options may be NULL). Fails the test when the host cannot be created. */
halyard_lua_host *wait_fixture_host(wait_fixture *fixture, const halyard_lua_host_options *options);

/* Writes workflows/<keyword>.lua: active, for every client, matching tickets whose summary
 * contains keyword, with gather = function(context) <gather_body> end. */
void wait_fixture_workflow(wait_fixture *fixture, const char *keyword, const char *gather_body);

/* The JSON of a ticket whose summary is keyword, from user user_id. */
void wait_fixture_ticket(const char *keyword, int user_id, char *json, size_t json_size);

/* Starts a plan of a ticket about keyword into outcome; the run ends later, from the loop. */
halyard_lua_run *wait_fixture_plan_start(wait_fixture *fixture, halyard_lua_host *host,
                                         const char *keyword, int user_id,
                                         wait_fixture_outcome *outcome);

/* Runs the loop until outcome's callback ran (at most 20 s; then the test fails). */
void wait_fixture_wait(wait_fixture *fixture, const wait_fixture_outcome *outcome);

/* Runs the loop until the server has received count requests in all (at most 20 s). */
void wait_fixture_wait_requests(wait_fixture *fixture, int count);

/* Starts a plan and waits for its end. Returns the result. */
halyard_lua_result wait_fixture_plan(wait_fixture *fixture, halyard_lua_host *host,
                                     const char *keyword, wait_fixture_outcome *outcome);

/* Returns the facts of a plan's summary, one per line, then its gather failures as
 * "failed: <message>" lines (malloc'd). Fails the test when the run made no plan. */
char *wait_fixture_facts(const wait_fixture_outcome *outcome);

/* Frees an outcome's strings. */
void wait_fixture_outcome_clear(wait_fixture_outcome *outcome);

/* Runs modules.host.<entry>(arguments...) as a call run with one result and waits for its
 * end; allow_writes sets the run's flag. Returns the result; with HALYARD_LUA_OK, *result_json
 * is the entry's result (malloc'd), else message names what failed. */
halyard_lua_result wait_fixture_call(wait_fixture *fixture, halyard_lua_host *host,
                                     const char *entry, const char *const *arguments,
                                     int argument_count, bool allow_writes, char **result_json,
                                     char *message, size_t message_size);

/* Plans a ticket about keyword from user 77 of client 12 with run_json (may be NULL) as
 * host.plan's run argument, and waits for the end. Returns the result. */
halyard_lua_result wait_fixture_plan_run(wait_fixture *fixture, halyard_lua_host *host,
                                         const char *keyword, const char *run_json,
                                         wait_fixture_outcome *outcome);

/* Writes tools/<name>.lua with text as its whole content. */
void wait_fixture_tool_file(wait_fixture *fixture, const char *name, const char *text);

/*
 * Runs host.run_step as a call run on the fixture's loop and waits for its end. step_json and
 * options_json go to the entry as they are; the context is the ticket of
 * wait_fixture_ticket("step", 77) and client 12 in Execute mode. allow_writes sets the run's
 * C flag, which the options' allow_writes does not change. Returns the result; with
 * HALYARD_LUA_OK, *result_json is the entry's result (malloc'd), else message names what failed.
 */
halyard_lua_result wait_fixture_step(wait_fixture *fixture, halyard_lua_host *host,
                                     const char *step_json, const char *options_json,
                                     bool allow_writes, char **result_json, char *message,
                                     size_t message_size);

#endif
