/*
 * Tests of the `http` module (bindings/http.c) and its allow-list rules
 * (bindings/http_allow.c): the rules as a table of URLs and addresses, then the module in
 * runs against a web server on 127.0.0.1 in the test's own loop (tests/lua/wait_fixture.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_allow.h"
#include "log.h"
#include "lua_host.h"
#include "wait_fixture.h"

/* ---- the rules -------------------------------------------------------------------------- */

static const halyard_http_allow_entry rule_entries[] = {
    {.host = "allowed.example"},
    {.host = "api.allowed.example", .port = 8443},
    {.host = "127.0.0.1", .port = 9000, .allow_private = true},
    {.host = "::1", .port = 9001},
};

typedef struct {
    const char *url;
    const char *expected; /* a fragment of the message, or NULL when the URL is allowed */
} url_case;

static void allow_rules_judge_urls(void **state)
{
    (void)state;
    static const url_case cases[] = {
        {"https://allowed.example/path?q=1", NULL},
        {"http://allowed.example/", NULL},
        {"HTTPS://ALLOWED.Example/", NULL},
        {"https://api.allowed.example:8443/v1", NULL},
        {"http://127.0.0.1:9000/", NULL},
        {"http://[::1]:9001/", NULL},
        {"https://allowed.example#@evil.example/", NULL},
        {"ftp://allowed.example/", "only http:// and https://"},
        {"file:///etc/passwd", "only http:// and https://"},
        {"http:/allowed.example/", "only http:// and https://"},
        {"//allowed.example/", "only http:// and https://"},
        {"https://allowed.example@evil.example/", "a user name or password"},
        {"https://user:pw@allowed.example/", "a user name or password"},
        {"https://allowed.example\\@evil.example/", "backslash"},
        {"https://allowed.example /", "space"},
        {"https://evil.example/?allowed.example", "evil.example port 443 is not on this MSP's"},
        {"https://allowed.example.evil.example/", "is not on this MSP's"},
        {"https://allowed.example:8443/",
         "allowed.example is on this MSP's http_allow list for port 443 (the scheme's default, "
         "as the entry names no port), not for port 8443; ask the operator to add an entry with "
         "port = 8443"},
        {"https://api.allowed.example/",
         "api.allowed.example is on this MSP's http_allow list for port 8443, not for port 443"},
        {"https://other.allowed.example/", "other.allowed.example port 443 is not on"},
        {"http://allowed.example./", "is not a host name"},
        {"http://a%6clowed.example/", "not written in its plain form"},
        {"http://127.0.0.1:9002/", "127.0.0.1 is on this MSP's http_allow list for port 9000, not "
                                   "for port 9002"},
        {"http://127.0.0.3:9002/", "(an IP address is allowed only when it is listed)"},
        {"http://127.0.0.2:9000/", "127.0.0.2 port 9000 is not on"},
        {"http://2130706433:9000/", "not written in its plain form (libcurl reads it as "
                                    "'127.0.0.1')"},
        {"http://0x7f.1:9000/", "not written in its plain form"},
        {"http://0177.0.0.1:9000/", "not written in its plain form"},
        {"http://127.1:9000/", "not written in its plain form"},
        {"http://0x7f000001:9000/", "not written in its plain form"},
        {"http://%31%32%37.0.0.1:9000/", "not written in its plain form"},
        {"http://12.34.56.78.9/", "looks like an IP address in another notation"},
        {"http://[::ffff:127.0.0.1]:9000/", "is not on this MSP's"},
        {"http://[0:0::1]:9001/", "not written in its plain form"},
        {"http://[fe80::1%25eth0]:9001/", "not written in its plain form"},
        {"http://allowed.example:99999/", "the URL is not valid"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        halyard_http_allow_target target;
        char message[512] = "";
        int status = halyard_http_allow_check_url(rule_entries, 4, cases[i].url, &target, message,
                                                  sizeof message);
        if (cases[i].expected == NULL) {
            if (status != 0) {
                fail_msg("%s rejected: %s", cases[i].url, message);
            }
            assert_non_null(target.entry);
            free(target.url);
        } else {
            if (status == 0) {
                fail_msg("%s allowed, expected \"%s\"", cases[i].url, cases[i].expected);
            }
            if (strstr(message, cases[i].expected) == NULL) {
                fail_msg("%s: \"%s\" does not contain \"%s\"", cases[i].url, message,
                         cases[i].expected);
            }
            assert_null(target.url);
        }
    }
}

/* A message never repeats the URL's path or query, which may hold a key. */
static void allow_messages_hide_path(void **state)
{
    (void)state;
    halyard_http_allow_target target;
    char message[512] = "";

    assert_int_equal(halyard_http_allow_check_url(rule_entries, 4,
                                                  "https://evil.example/hook?key=sekrit", &target,
                                                  message, sizeof message),
                     -1);

    assert_null(strstr(message, "sekrit"));
    assert_null(strstr(message, "/hook"));
}

static void allow_target_is_normalised(void **state)
{
    (void)state;
    halyard_http_allow_target target;
    char message[512] = "";

    assert_int_equal(halyard_http_allow_check_url(rule_entries, 4, "HTTPS://Allowed.Example/a b",
                                                  &target, message, sizeof message),
                     -1);
    assert_int_equal(halyard_http_allow_check_url(rule_entries, 4, "HTTPS://Allowed.Example/a",
                                                  &target, message, sizeof message),
                     0);

    assert_string_equal(target.host, "allowed.example");
    assert_int_equal(target.port, 443);
    assert_ptr_equal(target.entry, &rule_entries[0]);
    assert_non_null(strstr(target.url, "/a"));
    free(target.url);
}

typedef struct {
    const char *text;
    const char *expected; /* the normal form, or NULL when the host is rejected */
} host_case;

static void allow_hosts_normalised(void **state)
{
    (void)state;
    static const host_case cases[] = {
        {"Hooks.Example.COM", "hooks.example.com"},
        {"192.0.2.10", "192.0.2.10"},
        {"[::1]", "::1"},
        {"0:0::1", "::1"},
        {"2001:DB8::1", "2001:db8::1"},
        {"localhost", "localhost"},
        {"", NULL},
        {"a..b", NULL},
        {"-a.example", NULL},
        {"a-.example", NULL},
        {"bad_host.example", NULL},
        {"hooks.example.com.", NULL},
        {"1.2.3", NULL},
        {"0x7f.1", NULL},
        {"2130706433", NULL},
        {"0177.0.0.1", NULL},
        {"host:8080", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char normalized[HALYARD_HTTP_HOST_MAX + 1] = "";
        char message[512] = "";
        int status = halyard_http_allow_normalize_host(cases[i].text, normalized, sizeof normalized,
                                                       message, sizeof message);
        if (cases[i].expected == NULL) {
            if (status == 0) {
                fail_msg("host '%s' accepted as '%s'", cases[i].text, normalized);
            }
            assert_non_null(strstr(message, "the host '"));
        } else {
            if (status != 0) {
                fail_msg("host '%s' rejected: %s", cases[i].text, message);
            }
            assert_string_equal(normalized, cases[i].expected);
        }
    }
}

typedef struct {
    const char *address;
    const char *kind; /* NULL for a public address */
} address_case;

static void address_kinds_judged(void **state)
{
    (void)state;
    static const address_case cases[] = {
        {"127.0.0.1", "loopback"},
        {"127.255.0.9", "loopback"},
        {"10.1.2.3", "private"},
        {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},
        {"172.32.0.1", NULL},
        {"192.168.1.1", "private"},
        {"169.254.169.254", "link-local"},
        {"100.64.0.1", "carrier-grade NAT"},
        {"100.127.255.254", "carrier-grade NAT"},
        {"100.128.0.1", NULL},
        {"224.0.0.1", "multicast"},
        {"239.255.255.250", "multicast"},
        {"0.0.0.0", "unspecified"},
        {"0.1.2.3", "unspecified"},
        {"255.255.255.255", "broadcast"},
        {"240.0.0.1", "reserved"},
        {"192.0.0.8", "reserved"},
        {"198.18.0.1", "reserved"},
        {"8.8.8.8", NULL},
        {"192.0.2.10", NULL},
        {"::1", "loopback"},
        {"::", "unspecified"},
        {"fe80::1", "link-local"},
        {"febf::1", "link-local"},
        {"fec0::1", "private"},
        {"fc00::1", "private"},
        {"fd12:3456::1", "private"},
        {"ff02::1", "multicast"},
        {"::ffff:127.0.0.1", "loopback"},
        {"::ffff:10.0.0.1", "private"},
        {"::ffff:169.254.169.254", "link-local"},
        {"::ffff:8.8.8.8", NULL},
        {"::127.0.0.1", "loopback"},
        {"64:ff9b::a9fe:a9fe", "link-local"},
        {"64:ff9b::808:808", NULL},
        {"2002:7f00:1::", "loopback"},
        {"2002:c0a8:101::1", "private"},
        {"2002:808:808::1", NULL},
        {"2001:db8::1", NULL},
        {"2606:4700::1111", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sockaddr_storage storage;
        memset(&storage, 0, sizeof storage);
        size_t length = 0;
        struct sockaddr_in *v4 = (struct sockaddr_in *)&storage;
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&storage;
        if (inet_pton(AF_INET, cases[i].address, &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            length = sizeof *v4;
        } else {
            assert_int_equal(inet_pton(AF_INET6, cases[i].address, &v6->sin6_addr), 1);
            v6->sin6_family = AF_INET6;
            length = sizeof *v6;
        }

        const char *kind = halyard_http_address_kind((struct sockaddr *)&storage, length);

        if (cases[i].kind == NULL && kind != NULL) {
            fail_msg("%s judged %s, expected public", cases[i].address, kind);
        }
        if (cases[i].kind != NULL && (kind == NULL || strcmp(kind, cases[i].kind) != 0)) {
            fail_msg("%s judged %s, expected %s", cases[i].address, kind ? kind : "public",
                     cases[i].kind);
        }
    }
}

/* ---- the module in runs ----------------------------------------------------------------- */

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

/* Writes a workflow whose gather runs body with `base` set to the fixture's URL, and a host
 * whose allow-list is entries. Returns the facts of one plan (malloc'd). */
static char *gather_with(wait_fixture *fixture, const halyard_http_allow_entry *entries,
                         size_t entry_count, const char *body)
{
    char gather[4096];
    snprintf(gather, sizeof gather, "local base = '%s'\n%s", fixture->url, body);
    wait_fixture_workflow(fixture, "web", gather);
    halyard_lua_host_options options = {.http_allow = entries, .http_allow_count = entry_count};
    halyard_lua_host *host = wait_fixture_host(fixture, &options);
    wait_fixture_outcome outcome;

    halyard_lua_result result = wait_fixture_plan(fixture, host, "web", &outcome);

    if (result != HALYARD_LUA_OK) {
        fail_msg("plan failed: %s", outcome.message);
    }
    char *facts = wait_fixture_facts(&outcome);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
    return facts;
}

static void get_returns_status_headers_body(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port, .allow_private = true}};

    char *facts = gather_with(
        fixture, entries, 1,
        "local response = http.get(base .. '/web/hello', {headers = {['X-Token'] = 'k'}})\n"
        "local echo = http.request('GET', base .. '/web/echo',\n"
        "    {headers = {['X-Token'] = 'sekrit'}, timeout_ms = 5000})\n"
        "return {'status=' .. response.status .. ' ' .. math.type(response.status),\n"
        "    'x-test=' .. response.headers['x-test'], 'type=' .. "
        "response.headers['content-type'],\n"
        "    'body=' .. response.body, 'echo=' .. echo.body}");

    assert_line(facts, "status=200 integer");
    assert_line(facts, "x-test=a, b");
    assert_line(facts, "type=text/plain");
    assert_line(facts, "body=hello");
    assert_line(facts, "echo=GET sekrit ");
    free(facts);
}

/* A plan run never allows writes: every method but GET raises, and nothing reaches the
 * server, even when the script catches the error. */
static void plan_run_rejects_writes(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port, .allow_private = true}};

    char *facts = gather_with(
        fixture, entries, 1,
        "local lines = {}\n"
        "for _, method in ipairs({'POST', 'PUT', 'PATCH', 'DELETE'}) do\n"
        "    local ok, problem = pcall(http.request, method, base .. '/web/echo', {body = 'x'})\n"
        "    lines[#lines + 1] = method .. ' ' .. tostring(ok) .. ' ' .. (problem:match('writes "
        "are not allowed.*') or problem)\n"
        "end\n"
        "local ok, problem = pcall(http.post, base .. '/web/echo', 'x')\n"
        "lines[#lines + 1] = 'post ' .. tostring(ok)\n"
        "return lines");

    for (size_t i = 0; i < 4; i++) {
        static const char *const methods[] = {"POST", "PUT", "PATCH", "DELETE"};
        char line[512];
        snprintf(line, sizeof line,
                 "%s false writes are not allowed in this run: http.request with method %s is "
                 "sent only by a write tool that runs as an approved or automatic step in "
                 "Execute mode",
                 methods[i], methods[i]);
        assert_line(facts, line);
    }
    assert_line(facts, "post false");
    assert_null(strstr(fixture->seen, "/web/echo"));
    free(facts);
}

/* A write tool's http requests go out only in a run started with allow_writes; the options'
 * allow_writes alone does not let them through. */
static void write_step_sends_with_allow_writes(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port, .allow_private = true}};
    char tool[2048];
    snprintf(tool, sizeof tool,
             "return {name = 'web.put', description = 'Sends a PUT and a POST.', kind = 'write',\n"
             "    parameters = {body = {type = 'string', required = true}},\n"
             "    run = function(arguments)\n"
             "        local base = '%s'\n"
             "        local echo, problem = http.request('PUT', base .. '/web/echo',\n"
             "            {headers = {['X-Token'] = 'sekrit'}, body = arguments.body})\n"
             "        if echo == nil then return nil, problem end\n"
             "        local posted = http.post(base .. '/web/echo', 'post-body')\n"
             "        return {echo = echo.body, posted = posted.body}\n"
             "    end}\n",
             fixture->url);
    wait_fixture_tool_file(fixture, "web", tool);
    halyard_lua_host_options options = {.http_allow = entries, .http_allow_count = 1};
    halyard_lua_host *host = wait_fixture_host(fixture, &options);
    const char *step = "{\"number\": 1, \"tool\": \"web.put\", \"kind\": \"write\", "
                       "\"arguments\": {\"body\": \"put-body\"}, \"missing\": []}";
    const char *options_json =
        "{\"run_id\": \"run-1\", \"allow_writes\": true, \"run\": {\"mode\": \"execute\"}}";
    char *result = NULL;
    char message[4096];

    halyard_lua_result blocked = wait_fixture_step(fixture, host, step, options_json, false,
                                                   &result, message, sizeof message);

    assert_int_equal(blocked, HALYARD_LUA_OK);
    assert_non_null(strstr(result, "\"status\":\"error\""));
    assert_non_null(strstr(result, "writes are not allowed in this run"));
    assert_null(strstr(fixture->seen, "/web/echo"));
    free(result);

    halyard_lua_result sent = wait_fixture_step(fixture, host, step, options_json, true, &result,
                                                message, sizeof message);

    if (sent != HALYARD_LUA_OK) {
        fail_msg("run_step failed: %s", message);
    }
    assert_string_equal(result, "{\"result\":{\"echo\":\"PUT sekrit put-body\","
                                "\"posted\":\"POST - post-body\"},\"status\":\"ok\"}");
    free(result);
    halyard_lua_host_destroy(host);
}

static void redirect_comes_back_unfollowed(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port, .allow_private = true}};

    char *facts = gather_with(
        fixture, entries, 1,
        "local response = http.get(base .. '/web/redirect')\n"
        "local next_page, message = http.get(response.headers.location)\n"
        "return {'status=' .. response.status, 'location=' .. response.headers.location,\n"
        "    tostring(next_page) .. ' ' .. message}");

    assert_line(facts, "status=302");
    assert_line(facts, "location=http://elsewhere.example/next");
    assert_line(facts, "nil http.get: elsewhere.example port 80 is not on this MSP's http_allow "
                       "list; ask the operator to add it");
    assert_int_equal(fixture->requests, 1);
    free(facts);
}

/* The allow-list contains the name, but the name leads to a loopback address. */
static void name_leading_to_loopback_rejected(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "localhost", .port = (unsigned int)fixture->port},
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port},
    };
    char body[512];
    snprintf(body, sizeof body,
             "local by_name, message = http.get('http://localhost:%d/web/hello')\n"
             "local by_address, message2 = http.get(base .. '/web/hello')\n"
             "return {tostring(by_name) .. ' ' .. message, tostring(by_address) .. ' ' .. "
             "message2}",
             fixture->port);

    char *facts = gather_with(fixture, entries, 2, body);

    assert_non_null(strstr(facts, "nil http.get: localhost leads to "));
    assert_non_null(strstr(facts, "a loopback address, which is reached only when its "
                                  "http_allow entry sets private = true"));
    assert_non_null(strstr(facts, "nil http.get: 127.0.0.1 leads to 127.0.0.1, a loopback "
                                  "address"));
    assert_int_equal(fixture->requests, 0);
    free(facts);
}

static void private_entry_reaches_loopback_name(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "localhost", .port = (unsigned int)fixture->port, .allow_private = true}};
    char body[512];
    snprintf(body, sizeof body,
             "local response, message = http.get('http://localhost:%d/web/hello')\n"
             "return {response and ('status=' .. response.status) or message}",
             fixture->port);

    char *facts = gather_with(fixture, entries, 1, body);

    assert_line(facts, "status=200");
    free(facts);
}

static void response_limits_apply(void **state)
{
    wait_fixture *fixture = *state;
    snprintf(fixture->delay_prefix, sizeof fixture->delay_prefix, "/web/hello");
    fixture->delay_ms = 2000;
    halyard_http_allow_entry entries[] = {
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port, .allow_private = true}};

    char *facts = gather_with(fixture, entries, 1,
                              "local big, message = http.get(base .. '/web/big')\n"
                              "local slow, message2 = http.get(base .. '/web/hello',\n"
                              "    {timeout_ms = 200})\n"
                              "return {tostring(big) .. ' ' .. message,\n"
                              "    tostring(slow) .. ' ' .. message2}");

    assert_line(facts, "nil http.get: the response body is longer than 1048576 bytes");
    assert_non_null(strstr(facts, "nil http.get: Operation timed out after "));
    free(facts);
}

static void empty_allow_list_rejects_all(void **state)
{
    wait_fixture *fixture = *state;

    char *facts = gather_with(fixture, NULL, 0,
                              "local response, message = http.get(base .. '/web/hello')\n"
                              "return {tostring(response) .. ' ' .. message}");

    assert_non_null(strstr(facts, "nil http.get: 127.0.0.1 port "));
    assert_int_equal(fixture->requests, 0);
    free(facts);
}

/* http.check_url judges a URL by the run's list without sending anything: true, nil with the
 * message and the host and port to add, or nil with the message alone for an invalid URL. */
static void check_url_sends_nothing(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port, .allow_private = true}};

    char *facts = gather_with(
        fixture, entries, 1,
        "local ok = http.check_url(base .. '/web/hello')\n"
        "local no, message, host, port = http.check_url('https://api.example.com:8443/v1')\n"
        "local bad, why, bad_host = http.check_url('ftp://api.example.com/')\n"
        "local raised, problem = pcall(http.check_url)\n"
        "return {'ok=' .. tostring(ok), 'no=' .. tostring(no) .. ' ' .. host .. ' port ' .. port,\n"
        "    'message=' .. message, 'bad=' .. tostring(bad) .. ' ' .. tostring(bad_host),\n"
        "    'why=' .. why, 'raised=' .. tostring(raised) .. ' ' .. problem}");

    assert_line(facts, "ok=true");
    /* "port" before the number keeps it through the cut that facts get. */
    assert_line(facts, "no=nil api.example.com port 8443");
    assert_line(facts, "message=http.check_url: api.example.com port 8443 is not on this MSP's "
                       "http_allow list; ask the operator to add it");
    assert_line(facts, "bad=nil nil");
    assert_non_null(strstr(facts, "why=http.check_url: "));
    assert_line(facts, "raised=false bad argument #1 to 'http.check_url' (string expected, got no "
                       "value)");
    assert_int_equal(fixture->requests, 0);
    free(facts);
}

static void http_misuse_raises(void **state)
{
    wait_fixture *fixture = *state;
    halyard_http_allow_entry entries[] = {
        {.host = "127.0.0.1", .port = (unsigned int)fixture->port, .allow_private = true}};

    char *facts = gather_with(fixture, entries, 1,
                              "local facts = {}\n"
                              "local function try(f, ...)\n"
                              "    local ok, message = pcall(f, ...)\n"
                              "    facts[#facts + 1] = tostring(ok) .. ' ' .. tostring(message)\n"
                              "end\n"
                              "local url = base .. '/web/hello'\n"
                              "try(http.get, 42)\n"
                              "try(http.get, url, {headers = {['X-A'] = 'a\\r\\nHost: evil'}})\n"
                              "try(http.get, url, {headers = {Host = 'evil.example'}})\n"
                              "try(http.get, url, {headers = {['Bad Name'] = 'x'}})\n"
                              "try(http.get, url, {headers = {['X-A'] = 1}})\n"
                              "try(http.get, url, {timeout_ms = 0})\n"
                              "try(http.get, url, {body = 'x'})\n"
                              "try(http.post, url)\n"
                              "try(http.request, 'TRACE', url)\n"
                              "try(http.request, 'GET', url, {body = 7})\n"
                              "return facts");

    assert_line(facts, "false bad argument #1 to 'http.get' (string expected, got number)");
    assert_line(facts, "false bad argument #2 to 'http.get' (the value of header 'X-A' contains a "
                       "line break or NUL byte)");
    assert_line(facts, "false bad argument #2 to 'http.get' (header 'Host' is set by halyard and "
                       "cannot be changed)");
    assert_line(facts, "false bad argument #2 to 'http.get' (header name 'Bad Name' is not "
                       "valid)");
    assert_line(facts, "false bad argument #2 to 'http.get' (every header must be a string name "
                       "with a string value)");
    /* Facts get the cut of a ticket quote, which takes the limit's five digits. */
    assert_line(facts, "false bad argument #2 to 'http.get' (field 'timeout_ms' must be a whole "
                       "number of milliseconds from 1 to [digits removed])");
    assert_line(facts, "false bad argument #2 to 'http.get' (unknown option 'body'; the options "
                       "are headers, timeout_ms)");
    assert_line(facts, "false bad argument #2 to 'http.post' (string expected, got no value)");
    assert_line(facts, "false bad argument #1 to 'http.request' (invalid option 'TRACE')");
    assert_line(facts, "false bad argument #3 to 'http.request' (field 'body' must be a string)");
    assert_int_equal(fixture->requests, 0);
    free(facts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allow_rules_judge_urls),
        cmocka_unit_test(allow_messages_hide_path),
        cmocka_unit_test(allow_target_is_normalised),
        cmocka_unit_test(allow_hosts_normalised),
        cmocka_unit_test(address_kinds_judged),
        cmocka_unit_test_setup_teardown(get_returns_status_headers_body, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_run_rejects_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(write_step_sends_with_allow_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(redirect_comes_back_unfollowed, setup, teardown),
        cmocka_unit_test_setup_teardown(name_leading_to_loopback_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(private_entry_reaches_loopback_name, setup, teardown),
        cmocka_unit_test_setup_teardown(response_limits_apply, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_allow_list_rejects_all, setup, teardown),
        cmocka_unit_test_setup_teardown(http_misuse_raises, setup, teardown),
        cmocka_unit_test_setup_teardown(check_url_sends_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
