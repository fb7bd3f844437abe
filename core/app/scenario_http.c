#include "scenario_http.h"

#include "http_client.h"
#include "scenario_process.h"

#include <event2/event.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often a waiting request checks whether the run was interrupted, in ms. */
#define HTTP_INTERRUPT_CHECK_MS 50

struct halyard_scenario_http {
    struct event_base *base;
    halyard_http_client *client;
    struct event *interrupt_check;
    char *ca_file;
};

/* The response to one request, written by the callback. */
typedef struct {
    bool done;
    long status;
    char *body;
    size_t body_length;
    char error[512];
} http_answer;

static void on_answer(const halyard_http_response *response, void *argument)
{
    http_answer *answer = argument;
    answer->done = true;
    answer->status = response->status;
    if (response->error != NULL) {
        snprintf(answer->error, sizeof answer->error, "%s", response->error);
        return;
    }
    answer->body = malloc(response->body_length + 1);
    if (answer->body == NULL) {
        snprintf(answer->error, sizeof answer->error, "out of memory reading the answer");
        return;
    }
    memcpy(answer->body, response->body, response->body_length);
    answer->body[response->body_length] = '\0';
    answer->body_length = response->body_length;
}

static void on_interrupt_check(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_scenario_http *http = argument;
    if (halyard_scenario_interrupted() != 0) {
        event_base_loopbreak(http->base);
    }
}

/* Makes the HTTP client; called at create and again after an interrupted request dropped it. */
static int open_client(halyard_scenario_http *http, char *message, size_t message_size)
{
    halyard_http_client_options options = {.ca_file = http->ca_file};
    return halyard_http_client_create(http->base, &options, &http->client, message, message_size);
}

int halyard_scenario_http_create(const char *ca_file, halyard_scenario_http **out, char *message,
                                 size_t message_size)
{
    *out = NULL;
    halyard_scenario_http *http = calloc(1, sizeof *http);
    if (http == NULL || (http->base = event_base_new()) == NULL ||
        (ca_file != NULL && (http->ca_file = strdup(ca_file)) == NULL)) {
        halyard_scenario_http_free(http);
        snprintf(message, message_size, "out of memory creating an HTTP client");
        return -1;
    }
    http->interrupt_check = event_new(http->base, -1, EV_PERSIST, on_interrupt_check, http);
    if (http->interrupt_check == NULL) {
        halyard_scenario_http_free(http);
        snprintf(message, message_size, "out of memory creating an HTTP client");
        return -1;
    }
    if (open_client(http, message, message_size) != 0) {
        halyard_scenario_http_free(http);
        return -1;
    }
    *out = http;
    return 0;
}

void halyard_scenario_http_free(halyard_scenario_http *http)
{
    if (http == NULL) {
        return;
    }
    halyard_http_client_free(http->client);
    if (http->interrupt_check != NULL) {
        event_free(http->interrupt_check);
    }
    if (http->base != NULL) {
        event_base_free(http->base);
    }
    free(http->ca_file);
    free(http);
}

int halyard_scenario_http_send(halyard_scenario_http *http,
                               const halyard_scenario_http_request *request, long *status,
                               char **body, size_t *body_length, char *message, size_t message_size)
{
    *body = NULL;
    *body_length = 0;
    if (http->client == NULL && open_client(http, message, message_size) != 0) {
        return -1;
    }
    http_answer *answer = calloc(1, sizeof *answer);
    if (answer == NULL) {
        snprintf(message, message_size, "out of memory sending a request");
        return -1;
    }
    halyard_http_request sent = {
        .method = request->method,
        .url = request->url,
        .headers = request->headers,
        .body = request->body,
        .body_length = request->body_length,
        .timeout_ms = request->timeout_ms,
    };
    if (halyard_http_send(http->client, &sent, on_answer, answer, message, message_size) != 0) {
        free(answer);
        return -1;
    }

    /* Run the loop until the response arrives, checking for an interrupt now and then. */
    struct timeval interval = {0, HTTP_INTERRUPT_CHECK_MS * 1000};
    event_add(http->interrupt_check, &interval);
    while (!answer->done && halyard_scenario_interrupted() == 0) {
        event_base_loop(http->base, EVLOOP_ONCE);
    }
    event_del(http->interrupt_check);

    if (!answer->done) {
        /* Freeing the client abandons the transfer without its callback. */
        halyard_http_client_free(http->client);
        http->client = NULL;
        free(answer);
        snprintf(message, message_size, "interrupted while waiting for %s %s", request->method,
                 request->url);
        return -1;
    }
    int result = -1;
    if (answer->body != NULL) {
        *status = answer->status;
        *body = answer->body;
        *body_length = answer->body_length;
        result = 0;
    } else {
        snprintf(message, message_size, "%s %s failed: %s", request->method, request->url,
                 answer->error);
    }
    free(answer);
    return result;
}
