#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "halo_client.h"
#include "http_client.h"

/* A token endpoint on 127.0.0.1 in the same event loop as the HaloPSA client under test. */
typedef struct {
    struct event_base *base;
    struct evhttp *server;
    int port;
    halyard_http_client *http;
    halyard_halo_client *halo;
} fixture;

/* What a callback saw. */
typedef struct {
    int calls;
    halyard_halo_outcome outcome;
    char message[512];
} outcome;

static void serve(struct evhttp_request *request, void *argument)
{
    (void)argument;
    struct evbuffer *reply = evbuffer_new();
    if (strcmp(evhttp_request_get_uri(request), "/auth/token") == 0) {
        evbuffer_add_printf(reply, "{\"access_token\":\"test-token\",\"expires_in\":3600}");
        evhttp_send_reply(request, 200, "OK", reply);
    } else {
        evhttp_send_reply(request, 404, "Not Found", reply);
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

    char message[256];
    halyard_http_client_options options = {.max_body_bytes = 10000};
    assert_int_equal(halyard_http_client_create(context->base, &options, &context->http, message,
                                                sizeof message),
                     0);
    char instance_url[64];
    char token_url[96];
    snprintf(instance_url, sizeof instance_url, "http://127.0.0.1:%d", context->port);
    snprintf(token_url, sizeof token_url, "%s/auth/token", instance_url);
    halyard_halo_settings settings = {
        .instance_url = instance_url,
        .token_url = token_url,
        .client_id = "test-client",
        .client_secret = "test-secret",
        .scope = "all",
    };
    assert_int_equal(halyard_halo_client_create(context->base, context->http, &settings,
                                                &context->halo, message, sizeof message),
                     0);
    *state = context;
    return 0;
}

static int stop_fixture(void **state)
{
    fixture *context = *state;
    halyard_halo_client_free(context->halo);
    halyard_http_client_free(context->http);
    evhttp_free(context->server);
    event_base_free(context->base);
    free(context);
    return 0;
}

static void record(const halyard_halo_response *response, void *argument)
{
    outcome *seen = argument;
    seen->calls++;
    seen->outcome = response->outcome;
    snprintf(seen->message, sizeof seen->message, "%s",
             response->message != NULL ? response->message : "");
}

/* Runs the loop until seen's callback ran. */
static void wait_for(fixture *context, const outcome *seen)
{
    while (seen->calls == 0) {
        event_base_loop(context->base, EVLOOP_ONCE);
    }
}

/* Gets a token, so the next request is sent at once instead of waiting for one. */
static void fetch_token(fixture *context)
{
    outcome token = {0};
    char message[256];
    assert_int_equal(
        halyard_halo_check_token(context->halo, record, &token, message, sizeof message), 0);
    wait_for(context, &token);
    assert_int_equal(token.outcome, HALYARD_HALO_OK);
}

/* A request that failed before it was sent (here a GET with a body, which the HTTP client
 * rejects) called back from inside halyard_halo_request, so a caller that frees its state in
 * the callback used it after the free. The failure must arrive later, from the loop. */
static void send_failure_calls_back_later(void **state)
{
    fixture *context = *state;
    fetch_token(context);

    outcome seen = {0};
    char message[256];
    assert_int_equal(halyard_halo_request(context->halo, "GET", "/api/Tickets/1", "{}", record,
                                          &seen, message, sizeof message),
                     0);
    assert_int_equal(seen.calls, 0);

    wait_for(context, &seen);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.outcome, HALYARD_HALO_UNREACHABLE);
    assert_non_null(strstr(seen.message, "cannot carry a body"));
}

/* A request cancelled before its failure arrived never calls back. */
static void cancelled_failure_not_called_back(void **state)
{
    fixture *context = *state;
    fetch_token(context);

    outcome seen = {0};
    char message[256];
    assert_int_equal(halyard_halo_request(context->halo, "GET", "/api/Tickets/1", "{}", record,
                                          &seen, message, sizeof message),
                     0);
    assert_int_equal(halyard_halo_cancel(context->halo, record, &seen), 1);

    event_base_loop(context->base, EVLOOP_NONBLOCK);
    assert_int_equal(seen.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(send_failure_calls_back_later, start_fixture, stop_fixture),
        cmocka_unit_test_setup_teardown(cancelled_failure_not_called_back, start_fixture,
                                        stop_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
