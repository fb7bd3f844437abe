#define _XOPEN_SOURCE 700

#include "wait_fixture.h"
#include "test_folder.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <lauxlib.h>
#include <lualib.h>

int luaopen_cjson(lua_State *L);

#define WAIT_FIXTURE_TIMEOUT_S 20

static const char jane[] = "{\"id\": 77, \"name\": \"Jane Doe\", \"client_id\": 12, "
                           "\"emailaddress\": \"jane.doe@acme.example\"}";
static const char omar[] = "{\"id\": 78, \"name\": \"Omar Ali\", \"client_id\": 12, "
                           "\"emailaddress\": \"omar@acme.example\"}";

static void reply(struct evhttp_request *request, int status, const char *content_type,
                  const char *body)
{
    struct evbuffer *buffer = evbuffer_new();
    if (body != NULL) {
        evbuffer_add(buffer, body, strlen(body));
    }
    if (content_type != NULL) {
        evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Type", content_type);
    }
    evhttp_send_reply(request, status, status == 200 ? "OK" : "Status", buffer);
    evbuffer_free(buffer);
}

static void reply_json(struct evhttp_request *request, int status, const char *body)
{
    reply(request, status, "application/json", body);
}

/* Responds to one request by its URI; see the list in wait_fixture.h. */
static void respond(wait_fixture *fixture, struct evhttp_request *request)
{
    const char *uri = evhttp_request_get_uri(request);
    struct evkeyvalq *headers = evhttp_request_get_output_headers(request);

    if (strcmp(uri, "/auth/token") == 0) {
        reply_json(request, 200,
                   "{\"access_token\": \"fixture-token\", \"token_type\": \"Bearer\", "
                   "\"expires_in\": 3600}");
    } else if (strcmp(uri, "/api/Users/77") == 0) {
        reply_json(request, 200, jane);
    } else if (strcmp(uri, "/api/Users/78") == 0) {
        reply_json(request, 200, omar);
    } else if (strcmp(uri, "/api/Users/500") == 0) {
        reply_json(request, 500, "{\"ClassName\": \"System.Exception\"}");
    } else if (strcmp(uri, "/api/Users/88") == 0) {
        reply(request, 200, "text/html", "<html>maintenance</html>");
    } else if (strncmp(uri, "/api/Users?", 11) == 0) {
        char body[512];
        snprintf(body, sizeof body, "{\"record_count\": 1, \"users\": [%s]}", jane);
        reply_json(request, 200, body);
    } else if (strncmp(uri, "/api/Tickets?", 13) == 0) {
        reply_json(request, 200,
                   "{\"record_count\": 1, \"tickets\": [{\"id\": 5, \"summary\": \"VPN drops, pw: "
                   "Tr0ub4dor&3\", "
                   "\"status_id\": 1}]}");
    } else if (strcmp(uri, "/api/Tickets/4242?includedetails=true") == 0) {
        reply_json(request, 200, "{\"id\": 4242, \"summary\": \"Printer jam\", \"user_id\": 77}");
    } else if (strcmp(uri, "/api/Actions?ticket_id=4242") == 0) {
        reply_json(request, 200,
                   "{\"record_count\": 2, \"actions\": [{\"id\": 1, \"note\": \"first\"}, "
                   "{\"id\": 2, \"note\": \"second\"}]}");
    } else if (strcmp(uri, "/api/Client/12") == 0) {
        reply_json(request, 200, "{\"id\": 12, \"name\": \"Acme Ltd\"}");
    } else if (strncmp(uri, "/api/Asset?", 11) == 0) {
        reply_json(request, 200,
                   "{\"record_count\": 1, \"assets\": [{\"id\": 1042, \"inventory_number\": "
                   "\"ACME-0042\", \"assettype_name\": \"Laptop\", \"client_id\": 12, "
                   "\"notes\": \"not copied\"}]}");
    } else if (strcmp(uri, "/api/Status") == 0) {
        reply_json(request, 200,
                   "[{\"id\": 1, \"name\": \"New\"}, {\"id\": 4, \"name\": \"Waiting on "
                   "user\"}]");
    } else if (strcmp(uri, "/api/Agent/3") == 0) {
        reply_json(request, 200, "{\"id\": 3, \"name\": \"Sam Lead\"}");
    } else if (strcmp(uri, "/web/hello") == 0) {
        evhttp_add_header(headers, "X-Test", "a");
        evhttp_add_header(headers, "X-Test", "b");
        reply(request, 200, "text/plain", "hello");
    } else if (strcmp(uri, "/web/redirect") == 0) {
        evhttp_add_header(headers, "Location", "http://elsewhere.example/next");
        reply(request, 302, NULL, NULL);
    } else if (strcmp(uri, "/web/big") == 0) {
        char *body = malloc(2 * 1024 * 1024 + 1);
        assert_non_null(body);
        memset(body, 'x', 2 * 1024 * 1024);
        body[2 * 1024 * 1024] = '\0';
        reply(request, 200, "text/plain", body);
        free(body);
    } else if (strcmp(uri, "/web/echo") == 0) {
        const char *token =
            evhttp_find_header(evhttp_request_get_input_headers(request), "X-Token");
        struct evbuffer *input = evhttp_request_get_input_buffer(request);
        size_t length = evbuffer_get_length(input);
        char body[256] = "";
        if (length < sizeof body) {
            evbuffer_copyout(input, body, length);
            body[length] = '\0';
        }
        enum evhttp_cmd_type command = evhttp_request_get_command(request);
        const char *method = command == EVHTTP_REQ_POST  ? "POST"
                             : command == EVHTTP_REQ_PUT ? "PUT"
                             : command == EVHTTP_REQ_GET ? "GET"
                                                         : "OTHER";
        snprintf(fixture->last_echo, sizeof fixture->last_echo, "%s %s %s", method,
                 token != NULL ? token : "-", body);
        reply(request, 200, "text/plain", fixture->last_echo);
    } else {
        reply_json(request, 404, "{\"message\": \"not found\"}");
    }
}

static void on_delayed(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    wait_fixture_delayed *delayed = argument;
    struct evhttp_request *request = delayed->request;
    event_free(delayed->timer);
    delayed->timer = NULL;
    delayed->request = NULL;
    respond(delayed->fixture, request);
}

static void on_request(struct evhttp_request *request, void *argument)
{
    wait_fixture *fixture = argument;
    const char *uri = evhttp_request_get_uri(request);
    fixture->requests++;
    size_t used = strlen(fixture->seen);
    snprintf(fixture->seen + used, sizeof fixture->seen - used, "%s\n", uri);

    if (fixture->delay_prefix[0] != '\0' &&
        strncmp(uri, fixture->delay_prefix, strlen(fixture->delay_prefix)) == 0) {
        for (int i = 0; i < WAIT_FIXTURE_MAX_DELAYED; i++) {
            wait_fixture_delayed *delayed = &fixture->delayed[i];
            if (delayed->timer == NULL) {
                delayed->fixture = fixture;
                delayed->request = request;
                delayed->timer = evtimer_new(fixture->base, on_delayed, delayed);
                struct timeval delay = {fixture->delay_ms / 1000,
                                        (fixture->delay_ms % 1000) * 1000};
                evtimer_add(delayed->timer, &delay);
                return;
            }
        }
        fail_msg("more than %d delayed requests at once", WAIT_FIXTURE_MAX_DELAYED);
    }
    respond(fixture, request);
}

wait_fixture *wait_fixture_start(void)
{
    wait_fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    fixture->base = event_base_new();
    fixture->server = evhttp_new(fixture->base);
    evhttp_set_allowed_methods(fixture->server, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                                    EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH);
    struct evhttp_bound_socket *bound =
        evhttp_bind_socket_with_handle(fixture->server, "127.0.0.1", 0);
    assert_non_null(bound);
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&address, &length);
    fixture->port = ntohs(address.sin_port);
    snprintf(fixture->url, sizeof fixture->url, "http://127.0.0.1:%d", fixture->port);
    evhttp_set_gencb(fixture->server, on_request, fixture);

    char message[512];
    halyard_http_client_options http_options = {0};
    assert_int_equal(halyard_http_client_create(fixture->base, &http_options, &fixture->http,
                                                message, sizeof message),
                     0);
    char token_url[96];
    snprintf(token_url, sizeof token_url, "%s/auth/token", fixture->url);
    halyard_halo_settings settings = {
        .instance_url = fixture->url,
        .token_url = token_url,
        .client_id = "fixture",
        .client_secret = "fixture-secret",
        .scope = "all",
    };
    assert_int_equal(halyard_halo_client_create(fixture->base, fixture->http, &settings,
                                                &fixture->halo, message, sizeof message),
                     0);

    fixture->dir = strdup("/tmp/halyard-wait-test-XXXXXX");
    assert_non_null(fixture->dir);
    assert_non_null(mkdtemp(fixture->dir));
    return fixture;
}

void wait_fixture_stop(wait_fixture *fixture)
{
    halyard_halo_client_free(fixture->halo);
    halyard_http_client_free(fixture->http);
    for (int i = 0; i < WAIT_FIXTURE_MAX_DELAYED; i++) {
        if (fixture->delayed[i].timer != NULL) {
            event_free(fixture->delayed[i].timer);
        }
    }
    evhttp_free(fixture->server);
    event_base_free(fixture->base);
    test_folder_remove(fixture->dir);
    free(fixture->dir);
    free(fixture);
}

halyard_lua_host *wait_fixture_host(wait_fixture *fixture, const halyard_lua_host_options *options)
{
    halyard_lua_host_options settings = {0};
    if (options != NULL) {
        settings = *options;
    }
    settings.msp = "test";
    settings.share_dir = HALYARD_SOURCE_DIR;
    settings.msp_script_dir = fixture->dir;
    settings.base = fixture->base;
    settings.halo = fixture->halo;
    settings.http = fixture->http;
    halyard_lua_host *host = NULL;
    char message[4096] = "";
    if (halyard_lua_host_create(&settings, &host, message, sizeof message) != 0) {
        fail_msg("host not created: %s", message);
    }
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        print_message("problem: %s\n", halyard_lua_host_problem(host, i));
    }
    return host;
}

void wait_fixture_workflow(wait_fixture *fixture, const char *keyword, const char *gather_body)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/workflows", fixture->dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/workflows/%s.lua", fixture->dir, keyword);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fprintf(file,
            "return {\n"
            "    name = \"%s\",\n"
            "    status = \"active\",\n"
            "    scope = \"all\",\n"
            "    trigger = \"A test ticket mentions %s.\",\n"
            "    match = {any = {\"%s\"}},\n"
            "    instructions = \"Do nothing; this is a test.\",\n"
            "    samples = {match = {{source = \"written\", summary = \"%s\", details = \"\"}}},\n"
            "    gather = function(context)\n"
            "%s\n"
            "    end,\n"
            "}\n",
            keyword, keyword, keyword, keyword, gather_body);
    fclose(file);
}

void wait_fixture_ticket(const char *keyword, int user_id, char *json, size_t json_size)
{
    snprintf(json, json_size,
             "{\"id\": 4242, \"summary\": \"%s\", \"details\": \"\", \"client_id\": 12, "
             "\"user_id\": %d}",
             keyword, user_id);
}

static void on_plan(halyard_lua_result result, halyard_lua_plan *plan, const char *message,
                    void *argument)
{
    wait_fixture_outcome *outcome = argument;
    outcome->callbacks++;
    outcome->result = result;
    outcome->note_html = plan->note_html;
    outcome->summary_json = plan->summary_json;
    plan->note_html = NULL;
    plan->summary_json = NULL;
    snprintf(outcome->message, sizeof outcome->message, "%s", message != NULL ? message : "");
}

halyard_lua_run *wait_fixture_plan_start(wait_fixture *fixture, halyard_lua_host *host,
                                         const char *keyword, int user_id,
                                         wait_fixture_outcome *outcome)
{
    (void)fixture;
    char ticket[512];
    wait_fixture_ticket(keyword, user_id, ticket, sizeof ticket);
    halyard_lua_plan_inputs inputs = {
        .ticket_json = ticket,
        .client_json = "{\"id\": 12, \"name\": \"Acme Ltd\", \"mode\": \"plan\"}",
        .run_id = "run-1",
    };
    memset(outcome, 0, sizeof *outcome);
    halyard_lua_run *run = NULL;
    char message[1024] = "";
    if (halyard_lua_host_plan_start(host, &inputs, on_plan, outcome, &run, message,
                                    sizeof message) != 0) {
        fail_msg("run not started: %s", message);
    }
    assert_int_equal(outcome->callbacks, 0);
    return run;
}

static void on_timeout(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    *(int *)argument = 1;
}

/* Runs the loop until done() returns true, at most WAIT_FIXTURE_TIMEOUT_S. */
static void run_loop_until(wait_fixture *fixture, bool (*done)(const void *), const void *argument,
                           const char *what)
{
    int timed_out = 0;
    struct event *timer = evtimer_new(fixture->base, on_timeout, &timed_out);
    struct timeval limit = {WAIT_FIXTURE_TIMEOUT_S, 0};
    evtimer_add(timer, &limit);
    while (!done(argument) && !timed_out) {
        event_base_loop(fixture->base, EVLOOP_ONCE);
    }
    event_free(timer);
    if (timed_out) {
        fail_msg("%s did not happen in %d s", what, WAIT_FIXTURE_TIMEOUT_S);
    }
}

static bool outcome_arrived(const void *argument)
{
    const wait_fixture_outcome *outcome = argument;
    return outcome->callbacks > 0;
}

void wait_fixture_wait(wait_fixture *fixture, const wait_fixture_outcome *outcome)
{
    run_loop_until(fixture, outcome_arrived, outcome, "the end of the run");
}

typedef struct {
    const wait_fixture *fixture;
    int count;
} request_goal;

static bool requests_arrived(const void *argument)
{
    const request_goal *goal = argument;
    return goal->fixture->requests >= goal->count;
}

void wait_fixture_wait_requests(wait_fixture *fixture, int count)
{
    request_goal goal = {fixture, count};
    run_loop_until(fixture, requests_arrived, &goal, "the requests");
}

halyard_lua_result wait_fixture_plan(wait_fixture *fixture, halyard_lua_host *host,
                                     const char *keyword, wait_fixture_outcome *outcome)
{
    wait_fixture_plan_start(fixture, host, keyword, 77, outcome);
    wait_fixture_wait(fixture, outcome);
    assert_int_equal(outcome->callbacks, 1);
    return outcome->result;
}

void wait_fixture_outcome_clear(wait_fixture_outcome *outcome)
{
    free(outcome->note_html);
    free(outcome->summary_json);
    outcome->note_html = NULL;
    outcome->summary_json = NULL;
}

char *wait_fixture_facts(const wait_fixture_outcome *outcome)
{
    if (outcome->summary_json == NULL) {
        fail_msg("the run made no plan: %s", outcome->message);
    }
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    luaL_requiref(L, "cjson", luaopen_cjson, 1);
    lua_pop(L, 1);
    const char *chunk = "local plan = cjson.decode(...)\n"
                        "local lines = {}\n"
                        "for _, fact in ipairs(plan.facts) do lines[#lines + 1] = fact.text end\n"
                        "for _, failure in ipairs(plan.gather_failures) do\n"
                        "    lines[#lines + 1] = 'failed: ' .. failure.message\n"
                        "end\n"
                        "return table.concat(lines, '\\n') .. '\\n'\n";
    if (luaL_loadstring(L, chunk) != LUA_OK) {
        fail_msg("chunk not loaded: %s", lua_tostring(L, -1));
    }
    lua_pushstring(L, outcome->summary_json);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        fail_msg("plan not read: %s", lua_tostring(L, -1));
    }
    char *facts = strdup(lua_tostring(L, -1));
    lua_close(L);
    assert_non_null(facts);
    return facts;
}

void wait_fixture_tool_file(wait_fixture *fixture, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tools", fixture->dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/tools/%s.lua", fixture->dir, name);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

/* The outcome of one call run. */
typedef struct {
    int callbacks;
    halyard_lua_result result;
    char *result_json;
    char message[4096];
} step_outcome;

static void on_step(halyard_lua_result result, char **results, int result_count,
                    const char *message, void *argument)
{
    (void)result_count;
    step_outcome *outcome = argument;
    outcome->callbacks++;
    outcome->result = result;
    if (result == HALYARD_LUA_OK) {
        outcome->result_json = results[0];
        results[0] = NULL;
    }
    snprintf(outcome->message, sizeof outcome->message, "%s", message != NULL ? message : "");
}

static bool step_arrived(const void *argument)
{
    const step_outcome *outcome = argument;
    return outcome->callbacks > 0;
}

halyard_lua_result wait_fixture_call(wait_fixture *fixture, halyard_lua_host *host,
                                     const char *entry, const char *const *arguments,
                                     int argument_count, bool allow_writes, char **result_json,
                                     char *message, size_t message_size)
{
    halyard_lua_call_inputs inputs = {
        .entry = entry,
        .arguments = arguments,
        .argument_count = argument_count,
        .result_count = 1,
        .label = "run-1",
        .allow_writes = allow_writes,
    };

    step_outcome outcome = {0};
    char start_message[1024] = "";
    if (halyard_lua_host_call_start(host, &inputs, on_step, &outcome, NULL, start_message,
                                    sizeof start_message) != 0) {
        fail_msg("%s not started: %s", entry, start_message);
    }
    run_loop_until(fixture, step_arrived, &outcome, "the end of the call");
    assert_int_equal(outcome.callbacks, 1);
    *result_json = outcome.result_json;
    snprintf(message, message_size, "%s", outcome.message);
    return outcome.result;
}

halyard_lua_result wait_fixture_step(wait_fixture *fixture, halyard_lua_host *host,
                                     const char *step_json, const char *options_json,
                                     bool allow_writes, char **result_json, char *message,
                                     size_t message_size)
{
    char ticket[512];
    char context[1024];
    wait_fixture_ticket("step", 77, ticket, sizeof ticket);
    snprintf(context, sizeof context,
             "{\"ticket\": %s, \"actions\": null, \"client\": {\"id\": 12, \"name\": "
             "\"Acme Ltd\", \"mode\": \"execute\"}}",
             ticket);
    const char *arguments[] = {step_json, context, options_json};
    return wait_fixture_call(fixture, host, "run_step", arguments, 3, allow_writes, result_json,
                             message, message_size);
}

halyard_lua_result wait_fixture_plan_run(wait_fixture *fixture, halyard_lua_host *host,
                                         const char *keyword, const char *run_json,
                                         wait_fixture_outcome *outcome)
{
    char ticket[512];
    wait_fixture_ticket(keyword, 77, ticket, sizeof ticket);
    halyard_lua_plan_inputs inputs = {
        .ticket_json = ticket,
        .client_json = "{\"id\": 12, \"name\": \"Acme Ltd\", \"mode\": \"execute\"}",
        .run_id = "run-1",
        .run_json = run_json,
    };
    memset(outcome, 0, sizeof *outcome);
    char message[1024] = "";
    if (halyard_lua_host_plan_start(host, &inputs, on_plan, outcome, NULL, message,
                                    sizeof message) != 0) {
        fail_msg("run not started: %s", message);
    }
    wait_fixture_wait(fixture, outcome);
    assert_int_equal(outcome->callbacks, 1);
    return outcome->result;
}
