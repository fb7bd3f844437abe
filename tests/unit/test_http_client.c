#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"

/* A real evhttp server on 127.0.0.1 in the same event loop as the client under test. */
typedef struct {
    struct event_base *base;
    struct evhttp *server;
    int port;
    halyard_http_client *client;
    struct event *delayed_reply;
    struct evhttp_request *delayed_request;
    int dropped_posts; /* POST /drop requests seen, each closed without an answer */
    int requests;      /* every request the server received */
} fixture;

/* What a callback saw. */
typedef struct {
    int calls;
    long status;
    char body[4096];
    char error[256];
} outcome;

static void on_delayed_reply(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    fixture *context = argument;
    evhttp_send_reply(context->delayed_request, 200, "OK", NULL);
}

static void serve(struct evhttp_request *request, void *argument)
{
    fixture *context = argument;
    const char *path = evhttp_request_get_uri(request);
    struct evbuffer *reply = evbuffer_new();
    context->requests++;

    if (strcmp(path, "/hello") == 0) {
        evbuffer_add_printf(reply, "{\"hello\":\"world\"}");
        evhttp_send_reply(request, 200, "OK", reply);
    } else if (strcmp(path, "/echo") == 0) {
        struct evbuffer *input = evhttp_request_get_input_buffer(request);
        const char *type =
            evhttp_find_header(evhttp_request_get_input_headers(request), "Content-Type");
        evbuffer_add_printf(reply, "%s %s ",
                            evhttp_request_get_command(request) == EVHTTP_REQ_POST ? "POST"
                                                                                   : "OTHER",
                            type != NULL ? type : "-");
        evbuffer_add_buffer(reply, input);
        evhttp_send_reply(request, 201, "Created", reply);
    } else if (strcmp(path, "/big") == 0) {
        for (int i = 0; i < 2000; i++) {
            evbuffer_add_printf(reply, "0123456789");
        }
        evhttp_send_reply(request, 200, "OK", reply);
    } else if (strcmp(path, "/redirect") == 0) {
        evhttp_add_header(evhttp_request_get_output_headers(request), "Location", "/hello");
        evhttp_send_reply(request, 302, "Found", NULL);
    } else if (strcmp(path, "/drop") == 0) {
        /* The request takes effect, then the connection closes without an answer. */
        context->dropped_posts++;
        evbuffer_free(reply);
        evhttp_connection_free(evhttp_request_get_connection(request));
        return;
    } else if (strcmp(path, "/slow") == 0) {
        context->delayed_request = request;
        struct timeval delay = {2, 0};
        evtimer_add(context->delayed_reply, &delay);
    } else {
        evhttp_send_reply(request, 404, "Not Found", NULL);
    }
    evbuffer_free(reply);
}

static int start_fixture(void **state)
{
    fixture *context = calloc(1, sizeof *context);
    assert_non_null(context);
    context->base = event_base_new();
    context->server = evhttp_new(context->base);
    struct evhttp_bound_socket *bound =
        evhttp_bind_socket_with_handle(context->server, "127.0.0.1", 0);
    assert_non_null(bound);
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&address, &length);
    context->port = ntohs(address.sin_port);
    evhttp_set_gencb(context->server, serve, context);
    context->delayed_reply = evtimer_new(context->base, on_delayed_reply, context);

    halyard_http_client_options options = {.max_body_bytes = 10000};
    char message[256];
    assert_int_equal(halyard_http_client_create(context->base, &options, &context->client, message,
                                                sizeof message),
                     0);
    *state = context;
    return 0;
}

static int stop_fixture(void **state)
{
    fixture *context = *state;
    halyard_http_client_free(context->client);
    event_free(context->delayed_reply);
    evhttp_free(context->server);
    event_base_free(context->base);
    free(context);
    return 0;
}

static void record(const halyard_http_response *response, void *argument)
{
    outcome *seen = argument;
    seen->calls++;
    seen->status = response->status;
    snprintf(seen->body, sizeof seen->body, "%s", response->body);
    snprintf(seen->error, sizeof seen->error, "%s", response->error != NULL ? response->error : "");
}

/* Sends one request and runs the loop until its callback has run. */
static outcome send_and_wait(fixture *context, const char *method, const char *path,
                             const char *body, long timeout_ms)
{
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", context->port, path);
    static const char *const headers[] = {"Content-Type: application/json", NULL};
    halyard_http_request request = {
        .method = method,
        .url = url,
        .headers = headers,
        .body = body,
        .body_length = body != NULL ? strlen(body) : 0,
        .timeout_ms = timeout_ms,
    };
    outcome seen = {0};
    char message[256];
    assert_int_equal(
        halyard_http_send(context->client, &request, record, &seen, message, sizeof message), 0);
    assert_int_equal(seen.calls, 0);

    while (seen.calls == 0) {
        event_base_loop(context->base, EVLOOP_ONCE);
    }
    assert_int_equal(halyard_http_pending(context->client), 0);
    return seen;
}

static void get_returns_body(void **state)
{
    outcome seen = send_and_wait(*state, "GET", "/hello", NULL, 0);

    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.status, 200);
    assert_string_equal(seen.body, "{\"hello\":\"world\"}");
    assert_string_equal(seen.error, "");
}

static void post_sends_body_and_headers(void **state)
{
    outcome seen = send_and_wait(*state, "POST", "/echo", "[{\"id\":1}]", 0);

    assert_int_equal(seen.status, 201);
    assert_string_equal(seen.body, "POST application/json [{\"id\":1}]");
}

static void status_is_not_an_error(void **state)
{
    outcome seen = send_and_wait(*state, "GET", "/missing", NULL, 0);

    assert_int_equal(seen.status, 404);
    assert_string_equal(seen.error, "");
}

static void redirect_not_followed(void **state)
{
    outcome seen = send_and_wait(*state, "GET", "/redirect", NULL, 0);

    assert_int_equal(seen.status, 302);
    assert_string_equal(seen.body, "");
}

static void body_over_cap_fails(void **state)
{
    outcome seen = send_and_wait(*state, "GET", "/big", NULL, 0);

    assert_int_equal(seen.status, 0);
    assert_non_null(strstr(seen.error, "longer than 10000 bytes"));
}

static void timeout_reported(void **state)
{
    outcome seen = send_and_wait(*state, "GET", "/slow", NULL, 300);

    assert_int_equal(seen.status, 0);
    assert_non_null(strstr(seen.error, "imed out"));
}

static void refused_connection_reported(void **state)
{
    fixture *context = *state;
    evhttp_free(context->server); /* closes the listening socket: the port now refuses */
    context->server = evhttp_new(context->base);

    outcome seen = send_and_wait(context, "GET", "/hello", NULL, 2000);

    assert_int_equal(seen.status, 0);
    assert_string_not_equal(seen.error, "");
}

static void non_http_scheme_rejected(void **state)
{
    fixture *context = *state;
    halyard_http_request request = {.method = "GET", .url = "file:///etc/passwd"};
    outcome seen = {0};
    char message[256];
    assert_int_equal(
        halyard_http_send(context->client, &request, record, &seen, message, sizeof message), 0);

    while (seen.calls == 0) {
        event_base_loop(context->base, EVLOOP_ONCE);
    }

    assert_int_equal(seen.status, 0);
    assert_non_null(strstr(seen.error, "rotocol"));
    assert_string_equal(seen.body, "");
}

/* Regression: libcurl sent a POST a second time by itself when the server closed a reused
 * connection without answering, so a HaloPSA note was written twice. */
static void dropped_write_not_resent(void **state)
{
    fixture *context = *state;
    outcome warm = send_and_wait(context, "GET", "/hello", NULL, 0);
    assert_int_equal(warm.status, 200);

    outcome seen = send_and_wait(context, "POST", "/drop", "[{\"note\":\"once\"}]", 2000);

    assert_int_equal(seen.status, 0);
    assert_string_not_equal(seen.error, "");
    assert_int_equal(context->dropped_posts, 1);
}

/* Runs the loop until seen's callback ran, as send_and_wait does for a request it made. */
static void wait_for(fixture *context, const outcome *seen)
{
    while (seen->calls == 0) {
        event_base_loop(context->base, EVLOOP_ONCE);
    }
}

static void record_headers(const halyard_http_response *response, void *argument)
{
    outcome *seen = argument;
    record(response, argument);
    snprintf(seen->body, sizeof seen->body, "%s", response->headers);
}

static void kept_headers_returned(void **state)
{
    fixture *context = *state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/redirect", context->port);
    halyard_http_request request = {.method = "GET", .url = url, .keep_headers = true};
    outcome seen = {0};
    char message[256];
    assert_int_equal(halyard_http_send(context->client, &request, record_headers, &seen, message,
                                       sizeof message),
                     0);

    wait_for(context, &seen);

    assert_int_equal(seen.status, 302);
    assert_non_null(strstr(seen.body, "Location: /hello\r\n"));
    assert_null(strstr(seen.body, "HTTP/1.1"));
}

static void request_body_cap_applies(void **state)
{
    fixture *context = *state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hello", context->port);
    halyard_http_request request = {.method = "GET", .url = url, .max_body_bytes = 5};
    outcome seen = {0};
    char message[256];
    assert_int_equal(
        halyard_http_send(context->client, &request, record, &seen, message, sizeof message), 0);

    wait_for(context, &seen);

    assert_int_equal(seen.status, 0);
    assert_non_null(strstr(seen.error, "longer than 5 bytes"));
}

/* Rejects every address, saying which family it saw. */
static int reject_address(const struct sockaddr *address, size_t address_length, void *argument,
                          char *message, size_t message_size)
{
    (void)address_length;
    int *checks = argument;
    (*checks)++;
    snprintf(message, message_size, "address of family %d rejected by the test",
             address->sa_family);
    return -1;
}

static void rejected_address_not_reached(void **state)
{
    fixture *context = *state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/drop", context->port);
    int checks = 0;
    halyard_http_request request = {.method = "POST",
                                    .url = url,
                                    .body = "x",
                                    .body_length = 1,
                                    .timeout_ms = 2000,
                                    .check_address = reject_address,
                                    .check_argument = &checks};
    outcome seen = {0};
    char message[256];
    assert_int_equal(
        halyard_http_send(context->client, &request, record, &seen, message, sizeof message), 0);

    wait_for(context, &seen);

    assert_int_equal(seen.status, 0);
    assert_int_equal(checks, 1);
    assert_string_equal(seen.error, "address of family 2 rejected by the test");
    assert_int_equal(context->dropped_posts, 0);
}

/* Regression: a GET with a body went out as a POST, because libcurl sends a body as a POST.
 * The client now rejects a GET or HEAD with a body before anything is sent. */
static void get_with_body_rejected(void **state)
{
    fixture *context = *state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", context->port);
    static const char *const methods[] = {"GET", "HEAD"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        halyard_http_request request = {
            .method = methods[i], .url = url, .body = "{\"action\":\"wipe\"}", .body_length = 17};
        outcome seen = {0};
        char message[256] = "";
        assert_int_equal(
            halyard_http_send(context->client, &request, record, &seen, message, sizeof message),
            -1);
        assert_non_null(strstr(message, "request cannot carry a body"));
        assert_int_equal(halyard_http_pending(context->client), 0);
    }

    /* An empty body is still a body. */
    halyard_http_request empty = {.method = "GET", .url = url, .body = "", .body_length = 0};
    outcome seen = {0};
    char message[256] = "";
    assert_int_equal(
        halyard_http_send(context->client, &empty, record, &seen, message, sizeof message), -1);

    event_base_loop(context->base, EVLOOP_NONBLOCK);
    assert_int_equal(context->requests, 0);
}

/* A method is sent only when it matches one of the known methods exactly. */
static void unknown_method_rejected(void **state)
{
    fixture *context = *state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hello", context->port);
    static const char *const methods[] = {"get",     " GET", "GET\r\n", "GET ",          "TRACE",
                                          "CONNECT", "",     "Post",    "DELETE\r\nX: y"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        halyard_http_request request = {.method = methods[i], .url = url};
        outcome seen = {0};
        char message[256] = "";
        assert_int_equal(
            halyard_http_send(context->client, &request, record, &seen, message, sizeof message),
            -1);
        assert_non_null(strstr(message, "invalid HTTP method"));
    }
    halyard_http_request missing = {.url = url};
    outcome seen = {0};
    char message[256] = "";
    assert_int_equal(
        halyard_http_send(context->client, &missing, record, &seen, message, sizeof message), -1);

    event_base_loop(context->base, EVLOOP_NONBLOCK);
    assert_int_equal(context->requests, 0);
}

/* HEAD returns the status without waiting for a body the server never sends. */
static void head_returns_status_only(void **state)
{
    outcome seen = send_and_wait(*state, "HEAD", "/hello", NULL, 2000);

    assert_int_equal(seen.status, 200);
    assert_string_equal(seen.body, "");
    assert_string_equal(seen.error, "");
}

static void cancelled_request_never_calls_back(void **state)
{
    fixture *context = *state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/slow", context->port);
    halyard_http_request request = {.method = "GET", .url = url};
    outcome cancelled = {0};
    char message[256];
    assert_int_equal(
        halyard_http_send(context->client, &request, record, &cancelled, message, sizeof message),
        0);

    assert_int_equal(halyard_http_cancel(context->client, record, &cancelled), 1);

    assert_int_equal(halyard_http_pending(context->client), 0);
    outcome later = send_and_wait(context, "GET", "/hello", NULL, 0);
    assert_int_equal(later.status, 200);
    assert_int_equal(cancelled.calls, 0);
    assert_int_equal(halyard_http_cancel(context->client, record, &cancelled), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(get_returns_body, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(post_sends_body_and_headers, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(status_is_not_an_error, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(redirect_not_followed, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(body_over_cap_fails, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(timeout_reported, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(refused_connection_reported, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(non_http_scheme_rejected, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(dropped_write_not_resent, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(kept_headers_returned, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(request_body_cap_applies, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(rejected_address_not_reached, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(cancelled_request_never_calls_back, start_fixture,
                                        stop_fixture),
        cmocka_unit_test_setup_teardown(get_with_body_rejected, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(unknown_method_rejected, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(head_returns_status_only, start_fixture, stop_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
