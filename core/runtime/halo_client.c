#include "halo_client.h"

#include "clock.h"

#include "message.h"

#include "json_reader.h"
#include "log.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A token is renewed this long before HaloPSA says it expires, in seconds. */
#define HALO_TOKEN_MARGIN_SECONDS 60
/* expires_in is not always sent; HaloPSA's tokens are observed to last an hour. */
#define HALO_DEFAULT_TOKEN_SECONDS 3600
/* A token whose expires_in is 0 or negative is used for this long, in seconds, rather than
 * not at all, so jobs do not each request a token. A 401 on it still fetches a new one. */
#define HALO_SHORT_TOKEN_SECONDS 60
#define HALO_MAX_BACKOFF_MS      60000L
#define HALO_MESSAGE_MAX         512
/* After a failed token request, calls that need a token fail without a new request for this
 * long, doubled per failure in a row up to HALO_MAX_BACKOFF_MS. */
#define HALO_TOKEN_FIRST_BACKOFF_MS 1000L

typedef struct halo_call halo_call;

struct halyard_halo_client {
    struct event_base *base;
    halyard_http_client *http;
    halyard_json_reader *json;
    char *instance_url;
    char *token_url;
    char *client_id;
    char *client_secret;
    char *scope;
    int max_rate_limit_retries;
    long first_backoff_ms;
    char log_ids[HALYARD_HALO_LOG_IDS_MAX]; /* "" for none */

    char *token;
    double token_renew_at; /* monotonic seconds */
    bool token_requested;
    halo_call *calls; /* every call not yet finished, for free */

    /* The last token request's failure, "" after a success. Until token_retry_at, every call
     * that needs a token fails with it, from token_failure_timer, without a request of its own,
     * so an MSP's jobs share one token request per back-off. */
    char token_failure[HALO_MESSAGE_MAX];
    halyard_halo_outcome token_failure_outcome;
    long token_failure_status;
    long token_backoff_ms;            /* the current back-off, 0 after a success */
    double token_retry_at;            /* monotonic seconds */
    unsigned long token_failed_calls; /* calls failed in the back-off, for the next log line */
    bool token_rejected; /* HaloPSA rejected a token it had just issued, and no call succeeded
                            with a token since */
    struct event *token_failure_timer;
};

struct halo_call {
    halyard_halo_client *client;
    char *method;
    char *path;
    char *body;
    bool token_only;
    bool waiting_for_token;
    bool retried_after_401;
    int attempts;
    /* The ids that start the caller's log lines ("msp=acme run=12"), or "". */
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    struct event *retry_timer;
    /* Made active to call back with failure_outcome and failure_message from the loop, when the
     * request fails before it was sent (fail_call_later). */
    struct event *failure_event;
    halyard_halo_outcome failure_outcome;
    char failure_message[HALO_MESSAGE_MAX];
    long long retry_due_ms;     /* business clock (clock.h) */
    double retry_due_monotonic; /* monotonic seconds */
    halyard_halo_callback callback;
    void *user_data;
    halo_call *previous;
    halo_call *next;
};

static double monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int halyard_halo_url_encode(const char *text, char **encoded)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t length = strlen(text);
    char *out = malloc(length * 3 + 1);
    if (out == NULL) {
        *encoded = NULL;
        return -1;
    }
    size_t used = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out[used++] = (char)c;
        } else {
            out[used++] = '%';
            out[used++] = hex[c >> 4];
            out[used++] = hex[c & 15];
        }
    }
    out[used] = '\0';
    *encoded = out;
    return 0;
}

/* Frees call and its events, without unlinking it from its client's list. */
static void free_call(halo_call *call)
{
    if (call->retry_timer != NULL) {
        event_free(call->retry_timer);
    }
    if (call->failure_event != NULL) {
        event_free(call->failure_event);
    }
    free(call->method);
    free(call->path);
    free(call->body);
    free(call);
}

/* Unlinks call from its client's list and frees it, without calling back. */
static void drop_call(halo_call *call)
{
    halyard_halo_client *client = call->client;
    if (call->previous != NULL) {
        call->previous->next = call->next;
    } else {
        client->calls = call->next;
    }
    if (call->next != NULL) {
        call->next->previous = call->previous;
    }
    free_call(call);
}

/* Calls back and frees call. */
static void finish_call(halo_call *call, halyard_halo_outcome outcome, long status,
                        const char *body, size_t body_length, const char *message)
{
    halyard_halo_client *client = call->client;
    if (call->previous != NULL) {
        call->previous->next = call->next;
    } else {
        client->calls = call->next;
    }
    if (call->next != NULL) {
        call->next->previous = call->previous;
    }

    halyard_halo_response response = {
        .outcome = outcome,
        .status = status,
        .body = body != NULL ? body : "",
        .body_length = body != NULL ? body_length : 0,
        .message = message,
        .attempts = call->attempts,
    };
    call->callback(&response, call->user_data);
    free_call(call);
}

static void on_failure_event(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halo_call *call = argument;
    finish_call(call, call->failure_outcome, 0, NULL, 0, call->failure_message);
}

/* Fails call from the loop with outcome and message, for a request that failed before it was
 * sent. Its caller may be inside halyard_halo_request, whose callers expect the callback to
 * run later, so it must not call back at once. */
static void fail_call_later(halo_call *call, halyard_halo_outcome outcome, const char *message)
{
    call->waiting_for_token = false;
    call->failure_outcome = outcome;
    snprintf(call->failure_message, sizeof call->failure_message, "%s", message);
    event_active(call->failure_event, EV_TIMEOUT, 0);
}

static void start_call(halo_call *call);

static void on_api_response(const halyard_http_response *response, void *argument);

static void send_api_request(halo_call *call)
{
    halyard_halo_client *client = call->client;
    char authorization[4096];
    snprintf(authorization, sizeof authorization, "Authorization: Bearer %s", client->token);
    const char *headers[] = {authorization, "Accept: application/json",
                             "Content-Type: application/json", NULL};

    size_t url_length = strlen(client->instance_url) + strlen(call->path) + 1;
    char *url = malloc(url_length);
    char message[HALO_MESSAGE_MAX];
    if (url == NULL) {
        fail_call_later(call, HALYARD_HALO_UNREACHABLE, "out of memory");
        return;
    }
    snprintf(url, url_length, "%s%s", client->instance_url, call->path);

    halyard_http_request request = {
        .method = call->method,
        .url = url,
        .headers = headers,
        .body = call->body,
        .body_length = call->body != NULL ? strlen(call->body) : 0,
    };
    call->attempts++;
    int sent =
        halyard_http_send(client->http, &request, on_api_response, call, message, sizeof message);
    sodium_memzero(authorization, sizeof authorization);
    free(url);
    if (sent != 0) {
        fail_call_later(call, HALYARD_HALO_UNREACHABLE, message);
    }
}

/* The maximum wait of the retry timer before it looks at the business clock again, so that a
 * test clock moved forward sends a retry within this time. */
#define HALO_RETRY_TICK_MS 250

/* Sends call again once its retry is due on the business clock or on the monotonic clock,
 * whichever comes first, and otherwise waits for the next tick. The business clock lets a
 * test clock move the retry on, and the monotonic one keeps a wall clock set back from
 * delaying it. */
static void on_retry_timer(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halo_call *call = argument;
    double left_s = call->retry_due_monotonic - monotonic_seconds();
    if (halyard_clock_now_ms() >= call->retry_due_ms || left_s <= 0) {
        start_call(call);
        return;
    }
    long wait_ms =
        left_s * 1000 < HALO_RETRY_TICK_MS ? (long)(left_s * 1000) + 1 : HALO_RETRY_TICK_MS;
    struct timeval wait = {wait_ms / 1000, (wait_ms % 1000) * 1000};
    if (evtimer_add(call->retry_timer, &wait) != 0) {
        finish_call(call, HALYARD_HALO_UNREACHABLE, 0, NULL, 0,
                    "cannot schedule a retry after HaloPSA's rate limit");
    }
}

/* Waits before sending call again after a 429: 5 s doubling per retry, at most 60 s, with up
 * to a fifth added at random so that many waiting calls do not return together. */
static void schedule_retry(halo_call *call)
{
    halyard_halo_client *client = call->client;
    long delay_ms = client->first_backoff_ms;
    for (int retry = 1; retry < call->attempts && delay_ms < HALO_MAX_BACKOFF_MS; retry++) {
        delay_ms *= 2;
    }
    if (delay_ms > HALO_MAX_BACKOFF_MS) {
        delay_ms = HALO_MAX_BACKOFF_MS;
    }
    delay_ms += (long)randombytes_uniform((uint32_t)(delay_ms / 5 + 1));

    if (call->retry_timer == NULL) {
        call->retry_timer = evtimer_new(client->base, on_retry_timer, call);
    }
    call->retry_due_ms = halyard_clock_now_ms() + delay_ms;
    call->retry_due_monotonic = monotonic_seconds() + (double)delay_ms / 1000;
    long first_wait_ms = delay_ms < HALO_RETRY_TICK_MS ? delay_ms : HALO_RETRY_TICK_MS;
    struct timeval delay = {first_wait_ms / 1000, (first_wait_ms % 1000) * 1000};
    if (call->retry_timer == NULL || evtimer_add(call->retry_timer, &delay) != 0) {
        finish_call(call, HALYARD_HALO_UNREACHABLE, 0, NULL, 0,
                    "cannot schedule a retry after HaloPSA's rate limit");
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "halo",
                "%s%srate limited: HaloPSA answered HTTP 429 to %s %s, retried in %ld ms "
                "(attempt %d)",
                call->log_ids, call->log_ids[0] != '\0' ? " " : "", call->method, call->path,
                delay_ms, call->attempts + 1);
}

static void remember_token_failure(halyard_halo_client *client, halyard_halo_outcome outcome,
                                   long status, const char *message);

/*
 * Fails call after HaloPSA returned 401 for a token it had just issued, which no new token
 * fixes: the API application lacks a permission or scope, or the agent its Client ID logs in
 * as cannot use the API. The failure starts the token back-off, so the MSP's other calls fail
 * without a token request of their own until it is over.
 */
static void refuse_new_token(halo_call *call)
{
    halyard_halo_client *client = call->client;
    char message[HALO_MESSAGE_MAX];
    halyard_message_write(
        message, sizeof message,
        "HaloPSA rejected the token it had just issued (HTTP 401 to %s %s): check the API "
        "application's permissions and scope in HaloPSA (Configuration > Integrations > HaloPSA "
        "API > View Applications) and the agent its Client ID logs in as",
        call->method, call->path);
    free(client->token);
    client->token = NULL;
    client->token_rejected = true;
    remember_token_failure(client, HALYARD_HALO_TOKEN_FAILED, 401, message);
    finish_call(call, HALYARD_HALO_TOKEN_FAILED, 401, NULL, 0, message);
}

static void on_api_response(const halyard_http_response *response, void *argument)
{
    halo_call *call = argument;
    halyard_halo_client *client = call->client;

    if (response->error != NULL) {
        char message[HALO_MESSAGE_MAX];
        snprintf(message, sizeof message, "HaloPSA at %s did not answer %s %s: %s",
                 client->instance_url, call->method, call->path, response->error);
        finish_call(call, HALYARD_HALO_UNREACHABLE, 0, NULL, 0, message);
        return;
    }

    /* A token HaloPSA no longer accepts (expired early, secret regenerated): fetch a new one
     * and try once more. */
    if (response->status == 401 && !call->retried_after_401 && !client->token_rejected) {
        call->retried_after_401 = true;
        free(client->token);
        client->token = NULL;
        start_call(call);
        return;
    }
    if (response->status == 401) {
        refuse_new_token(call);
        return;
    }
    if (client->token_rejected) {
        /* HaloPSA accepts its tokens again: the back-off ends. */
        client->token_rejected = false;
        client->token_backoff_ms = 0;
        client->token_failed_calls = 0;
    }

    if (response->status == 429 && call->attempts <= client->max_rate_limit_retries) {
        schedule_retry(call);
        return;
    }

    finish_call(call, HALYARD_HALO_OK, response->status, response->body, response->body_length,
                NULL);
}

/* Explains a failed token request in the words an MSP can act on. */
static halyard_halo_outcome explain_token_failure(halyard_halo_client *client,
                                                  const halyard_http_response *response,
                                                  char *message, size_t message_size)
{
    if (response->error != NULL) {
        halyard_message_write(message, message_size, "cannot reach HaloPSA's token endpoint %s: %s",
                              client->token_url, response->error);
        return HALYARD_HALO_UNREACHABLE;
    }

    char *error = NULL;
    halyard_json_read_text(client->json, response->body, response->body_length, "$.error", &error);
    halyard_halo_outcome outcome = HALYARD_HALO_TOKEN_FAILED;
    if (error != NULL && strcmp(error, "invalid_client") == 0) {
        halyard_message_write(
            message, message_size,
            "HaloPSA rejected the Client ID or Client Secret (invalid_client): check "
            "both on the API application in HaloPSA (Configuration > Integrations > "
            "HaloPSA API > View Applications). The secret is shown only once, and the "
            "Client ID changes when the application is first saved");
        outcome = HALYARD_HALO_REJECTED_CLIENT;
    } else if (error != NULL && strcmp(error, "invalid_scope") == 0) {
        halyard_message_write(
            message, message_size,
            "HaloPSA rejected the requested permissions '%s' (invalid_scope): enable "
            "them on the API application's Permissions tab in HaloPSA, or change the "
            "scope halyard requests",
            client->scope);
        outcome = HALYARD_HALO_REJECTED_SCOPE;
    } else if (response->status == 200) {
        halyard_message_write(message, message_size,
                              "HaloPSA's token endpoint %s answered without an access token",
                              client->token_url);
    } else {
        halyard_message_write(message, message_size,
                              "HaloPSA's token endpoint %s answered HTTP %ld%s%s",
                              client->token_url, response->status, error != NULL ? ": " : "",
                              error != NULL ? error : "");
    }
    free(error);
    return outcome;
}

/* Starts or doubles the back-off after a failed token request and logs one line for it,
 * with the calls that waited for this request and those that failed in the last back-off. */
static void remember_token_failure(halyard_halo_client *client, halyard_halo_outcome outcome,
                                   long status, const char *message)
{
    size_t waiting = 0;
    for (halo_call *call = client->calls; call != NULL; call = call->next) {
        waiting += call->waiting_for_token ? 1 : 0;
    }
    client->token_backoff_ms =
        client->token_backoff_ms == 0 ? HALO_TOKEN_FIRST_BACKOFF_MS : client->token_backoff_ms * 2;
    if (client->token_backoff_ms > HALO_MAX_BACKOFF_MS) {
        client->token_backoff_ms = HALO_MAX_BACKOFF_MS;
    }
    client->token_retry_at = monotonic_seconds() + (double)client->token_backoff_ms / 1000;
    client->token_failure_outcome = outcome;
    client->token_failure_status = status;
    snprintf(client->token_failure, sizeof client->token_failure, "%s", message);

    halyard_log(HALYARD_LOG_ERROR, "halo",
                "%s%stoken request failed, failing %zu waiting call(s) and %lu more in the last "
                "back-off; calls that need a token fail without a new request for the next "
                "%ld ms: %s",
                client->log_ids, client->log_ids[0] != '\0' ? " " : "", waiting,
                client->token_failed_calls, client->token_backoff_ms, message);
    client->token_failed_calls = 0;
}

static int request_token(halyard_halo_client *client, char *message, size_t message_size);

/* Fails the calls that wait for a token during the back-off, or requests one for them once
 * the back-off is over. A call may finish and free others' list neighbours, so the walk
 * restarts after each one. */
static void on_token_failure_timer(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_halo_client *client = argument;
    if (client->token_requested) {
        return;
    }

    char message[HALO_MESSAGE_MAX];
    halyard_halo_outcome outcome = client->token_failure_outcome;
    long status = client->token_failure_status;
    snprintf(message, sizeof message, "%s", client->token_failure);
    bool in_backoff =
        client->token_failure[0] != '\0' && monotonic_seconds() < client->token_retry_at;
    if (!in_backoff) {
        if (request_token(client, message, sizeof message) == 0) {
            return;
        }
        outcome = HALYARD_HALO_UNREACHABLE;
        status = 0;
    }

    bool released = true;
    while (released) {
        released = false;
        for (halo_call *call = client->calls; call != NULL; call = call->next) {
            if (!call->waiting_for_token) {
                continue;
            }
            call->waiting_for_token = false;
            released = true;
            client->token_failed_calls += in_backoff ? 1 : 0;
            finish_call(call, outcome, status, NULL, 0, message);
            break;
        }
    }
}

/* Returns how long a token whose expires_in is lifetime seconds is used, in seconds:
 * until HALO_TOKEN_MARGIN_SECONDS before it expires, half of a lifetime too short for that
 * margin, and HALO_SHORT_TOKEN_SECONDS for a lifetime of 0 or less. */
static double token_use_seconds(long long lifetime)
{
    if (lifetime <= 0) {
        return HALO_SHORT_TOKEN_SECONDS;
    }
    if (lifetime <= 2 * HALO_TOKEN_MARGIN_SECONDS) {
        return (double)lifetime / 2;
    }
    return (double)(lifetime - HALO_TOKEN_MARGIN_SECONDS);
}

static void on_token_response(const halyard_http_response *response, void *argument)
{
    halyard_halo_client *client = argument;
    client->token_requested = false;

    /* Step 1: read the token, or explain why there is none. */
    char message[HALO_MESSAGE_MAX] = "";
    halyard_halo_outcome outcome = HALYARD_HALO_OK;
    char *token = NULL;
    if (response->error == NULL && response->status == 200) {
        halyard_json_read_text(client->json, response->body, response->body_length,
                               "$.access_token", &token);
    }
    if (token == NULL || token[0] == '\0') {
        free(token);
        token = NULL;
        outcome = explain_token_failure(client, response, message, sizeof message);
        remember_token_failure(client, outcome, response->status, message);
    } else {
        /* After a token HaloPSA issued and then rejected, the back-off and the count of failed
         * calls stay until a call succeeds with a token. So each new token that is rejected
         * waits twice as long as the last, and its log line counts the calls since. */
        if (client->token_failure[0] != '\0' && !client->token_rejected) {
            halyard_log(HALYARD_LOG_INFO, "halo",
                        "%s%stoken request succeeded again; %lu call(s) failed without a token "
                        "request in the last back-off",
                        client->log_ids, client->log_ids[0] != '\0' ? " " : "",
                        client->token_failed_calls);
        }
        if (!client->token_rejected) {
            client->token_backoff_ms = 0;
            client->token_failed_calls = 0;
        }
        client->token_failure[0] = '\0';
        long long lifetime = HALO_DEFAULT_TOKEN_SECONDS;
        halyard_json_read_integer(client->json, response->body, response->body_length,
                                  "$.expires_in", &lifetime);
        free(client->token);
        client->token = token;
        client->token_renew_at = monotonic_seconds() + token_use_seconds(lifetime);
    }

    /* Step 2: release every call that waited for it. A call may finish and free others' list
     * neighbours, so restart the walk after each one. */
    bool released = true;
    while (released) {
        released = false;
        for (halo_call *call = client->calls; call != NULL; call = call->next) {
            if (!call->waiting_for_token) {
                continue;
            }
            call->waiting_for_token = false;
            released = true;
            if (outcome != HALYARD_HALO_OK) {
                finish_call(call, outcome, response->status, response->body, response->body_length,
                            message);
            } else if (call->token_only) {
                finish_call(call, HALYARD_HALO_OK, 200, NULL, 0, NULL);
            } else {
                send_api_request(call);
            }
            break;
        }
    }
}

static int request_token(halyard_halo_client *client, char *message, size_t message_size)
{
    char *id = NULL;
    char *secret = NULL;
    char *scope = NULL;
    char *form = NULL;
    int status = -1;
    if (halyard_halo_url_encode(client->client_id, &id) != 0 ||
        halyard_halo_url_encode(client->client_secret, &secret) != 0 ||
        halyard_halo_url_encode(client->scope, &scope) != 0) {
        halyard_message_write(message, message_size, "out of memory requesting a token");
        goto cleanup;
    }
    size_t form_size = strlen(id) + strlen(secret) + strlen(scope) + 80;
    form = malloc(form_size);
    if (form == NULL) {
        halyard_message_write(message, message_size, "out of memory requesting a token");
        goto cleanup;
    }
    snprintf(form, form_size,
             "grant_type=client_credentials&client_id=%s&client_secret=%s&scope=%s", id, secret,
             scope);

    static const char *const headers[] = {"Content-Type: application/x-www-form-urlencoded",
                                          "Accept: application/json", NULL};
    halyard_http_request request = {
        .method = "POST",
        .url = client->token_url,
        .headers = headers,
        .body = form,
        .body_length = strlen(form),
    };
    status =
        halyard_http_send(client->http, &request, on_token_response, client, message, message_size);
    if (status == 0) {
        client->token_requested = true;
    }

cleanup:
    if (secret != NULL) {
        sodium_memzero(secret, strlen(secret));
    }
    if (form != NULL) {
        sodium_memzero(form, strlen(form));
    }
    free(id);
    free(secret);
    free(scope);
    free(form);
    return status;
}

static void start_call(halo_call *call)
{
    halyard_halo_client *client = call->client;
    bool token_fresh = client->token != NULL && monotonic_seconds() < client->token_renew_at;
    if (token_fresh && !call->token_only) {
        send_api_request(call);
        return;
    }

    call->waiting_for_token = true;
    if (call->token_only && token_fresh) {
        free(client->token);
        client->token = NULL;
    }
    if (client->token_requested) {
        return;
    }

    /* In the back-off after a failed token request the call fails from the loop, because its
     * callback must not run inside the caller's request. */
    if (client->token_failure[0] != '\0' && monotonic_seconds() < client->token_retry_at) {
        struct timeval now = {0, 0};
        if (evtimer_add(client->token_failure_timer, &now) != 0) {
            fail_call_later(call, client->token_failure_outcome, client->token_failure);
        }
        return;
    }
    char message[HALO_MESSAGE_MAX];
    if (request_token(client, message, sizeof message) != 0) {
        fail_call_later(call, HALYARD_HALO_UNREACHABLE, message);
    }
}

static halo_call *new_call(halyard_halo_client *client, const char *method, const char *path,
                           const char *body, halyard_halo_callback callback, void *user_data)
{
    halo_call *call = calloc(1, sizeof *call);
    if (call == NULL) {
        return NULL;
    }
    call->client = client;
    call->method = strdup(method);
    call->path = strdup(path);
    call->body = body != NULL ? strdup(body) : NULL;
    call->failure_event = event_new(client->base, -1, 0, on_failure_event, call);
    if (call->method == NULL || call->path == NULL || (body != NULL && call->body == NULL) ||
        call->failure_event == NULL) {
        free_call(call);
        return NULL;
    }
    call->callback = callback;
    call->user_data = user_data;
    call->next = client->calls;
    if (client->calls != NULL) {
        client->calls->previous = call;
    }
    client->calls = call;
    return call;
}

int halyard_halo_request(halyard_halo_client *client, const char *method, const char *path,
                         const char *json_body, halyard_halo_callback callback, void *user_data,
                         char *message, size_t message_size)
{
    return halyard_halo_request_for(client, NULL, method, path, json_body, callback, user_data,
                                    message, message_size);
}

int halyard_halo_request_for(halyard_halo_client *client, const char *log_ids, const char *method,
                             const char *path, const char *json_body,
                             halyard_halo_callback callback, void *user_data, char *message,
                             size_t message_size)
{
    if (path[0] != '/') {
        halyard_message_write(message, message_size, "the HaloPSA path '%s' must start with '/'",
                              path);
        return -1;
    }
    halo_call *call = new_call(client, method, path, json_body, callback, user_data);
    if (call == NULL) {
        halyard_message_write(message, message_size, "out of memory starting %s %s", method, path);
        return -1;
    }
    snprintf(call->log_ids, sizeof call->log_ids, "%s", log_ids != NULL ? log_ids : "");
    start_call(call);
    return 0;
}

size_t halyard_halo_cancel(halyard_halo_client *client, halyard_halo_callback callback,
                           void *user_data)
{
    size_t cancelled = 0;
    halo_call *call = client->calls;
    while (call != NULL) {
        halo_call *next = call->next;
        if (call->callback == callback && call->user_data == user_data) {
            halyard_http_cancel(client->http, on_api_response, call);
            drop_call(call);
            cancelled++;
        }
        call = next;
    }
    return cancelled;
}

int halyard_halo_check_token(halyard_halo_client *client, halyard_halo_callback callback,
                             void *user_data, char *message, size_t message_size)
{
    halo_call *call = new_call(client, "POST", "/token", NULL, callback, user_data);
    if (call == NULL) {
        halyard_message_write(message, message_size, "out of memory checking the token");
        return -1;
    }
    call->token_only = true;
    start_call(call);
    return 0;
}

int halyard_halo_client_create(struct event_base *base, halyard_http_client *http,
                               const halyard_halo_settings *settings, halyard_halo_client **out,
                               char *message, size_t message_size)
{
    *out = NULL;
    halyard_halo_client *client = calloc(1, sizeof *client);
    if (client == NULL) {
        halyard_message_write(message, message_size, "out of memory creating the HaloPSA client");
        return -1;
    }
    client->base = base;
    client->http = http;
    client->max_rate_limit_retries =
        settings->max_rate_limit_retries > 0 ? settings->max_rate_limit_retries : 5;
    client->first_backoff_ms = settings->first_backoff_ms > 0 ? settings->first_backoff_ms : 5000;
    snprintf(client->log_ids, sizeof client->log_ids, "%s",
             settings->log_ids != NULL ? settings->log_ids : "");
    client->instance_url = strdup(settings->instance_url);
    client->token_url = strdup(settings->token_url);
    client->client_id = strdup(settings->client_id);
    client->client_secret = strdup(settings->client_secret);
    client->scope = strdup(settings->scope);
    if (client->instance_url == NULL || client->token_url == NULL || client->client_id == NULL ||
        client->client_secret == NULL || client->scope == NULL) {
        halyard_message_write(message, message_size, "out of memory creating the HaloPSA client");
        halyard_halo_client_free(client);
        return -1;
    }
    if (halyard_json_reader_create(&client->json, message, message_size) != 0) {
        halyard_halo_client_free(client);
        return -1;
    }
    client->token_failure_timer = evtimer_new(base, on_token_failure_timer, client);
    if (client->token_failure_timer == NULL) {
        halyard_message_write(message, message_size, "out of memory creating the HaloPSA client");
        halyard_halo_client_free(client);
        return -1;
    }
    if (sodium_init() < 0) {
        halyard_message_write(message, message_size, "libsodium failed to initialise");
        halyard_halo_client_free(client);
        return -1;
    }
    *out = client;
    return 0;
}

void halyard_halo_client_free(halyard_halo_client *client)
{
    if (client == NULL) {
        return;
    }
    while (client->calls != NULL) {
        halo_call *call = client->calls;
        client->calls = call->next;
        free_call(call);
    }
    if (client->client_secret != NULL) {
        sodium_memzero(client->client_secret, strlen(client->client_secret));
    }
    if (client->token_failure_timer != NULL) {
        event_free(client->token_failure_timer);
    }
    halyard_json_reader_free(client->json);
    free(client->instance_url);
    free(client->token_url);
    free(client->client_id);
    free(client->client_secret);
    free(client->scope);
    free(client->token);
    free(client);
}

const char *halyard_halo_token_failure(const halyard_halo_client *client)
{
    return client->token_failure[0] != '\0' ? client->token_failure : NULL;
}
