#include "halo_session.h"

#include <event2/event.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct halyard_halo_session {
    struct event_base *base;
    halyard_http_client *http;
    halyard_halo_client *halo;
    char *token_url;
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    char discover_warning[512]; /* why discovery fell back to the self-hosted endpoint, or "" */
};

/* What a callback delivered, for the caller waiting on the loop. */
typedef struct {
    bool done;
    halyard_halo_outcome outcome;
    long status;
    char *body;
    char *token_url;
    char message[512];
} session_result;

static void on_discovered(halyard_halo_outcome outcome, const char *token_url, const char *message,
                          void *user_data)
{
    session_result *result = user_data;
    result->done = true;
    result->outcome = outcome;
    result->token_url = strdup(token_url);
    snprintf(result->message, sizeof result->message, "%s", message != NULL ? message : "");
}

static void on_response(const halyard_halo_response *response, void *user_data)
{
    session_result *result = user_data;
    result->done = true;
    result->outcome = response->outcome;
    result->status = response->status;
    result->body = malloc(response->body_length + 1);
    if (result->body != NULL) {
        memcpy(result->body, response->body, response->body_length);
        result->body[response->body_length] = '\0';
    }
    snprintf(result->message, sizeof result->message, "%s",
             response->message != NULL ? response->message : "");
}

static void wait_for(halyard_halo_session *session, session_result *result)
{
    while (!result->done) {
        event_base_loop(session->base, EVLOOP_ONCE);
    }
}

halyard_halo_outcome halyard_halo_session_open(const halyard_halo_session_settings *settings,
                                               halyard_halo_session **out, char *message,
                                               size_t message_size)
{
    *out = NULL;
    halyard_halo_session *session = calloc(1, sizeof *session);
    if (session == NULL || (session->base = event_base_new()) == NULL) {
        free(session);
        snprintf(message, message_size, "out of memory opening a HaloPSA session");
        return HALYARD_HALO_UNREACHABLE;
    }
    snprintf(session->log_ids, sizeof session->log_ids, "%s",
             settings->log_ids != NULL ? settings->log_ids : "");
    halyard_http_client_options options = {.ca_file = settings->ca_file};
    if (halyard_http_client_create(session->base, &options, &session->http, message,
                                   message_size) != 0) {
        halyard_halo_session_close(session);
        return HALYARD_HALO_UNREACHABLE;
    }

    /* Step 1: the token endpoint, discovered unless known. */
    if (settings->token_url != NULL) {
        session->token_url = strdup(settings->token_url);
    } else {
        session_result result = {0};
        if (halyard_halo_discover(session->http, settings->instance_url, on_discovered, &result,
                                  message, message_size) != 0) {
            halyard_halo_session_close(session);
            return HALYARD_HALO_UNREACHABLE;
        }
        wait_for(session, &result);
        if (result.outcome != HALYARD_HALO_OK) {
            snprintf(message, message_size, "%s", result.message);
            free(result.token_url);
            halyard_halo_session_close(session);
            return result.outcome;
        }
        session->token_url = result.token_url;
        snprintf(session->discover_warning, sizeof session->discover_warning, "%s", result.message);
    }
    if (session->token_url == NULL) {
        snprintf(message, message_size, "out of memory opening a HaloPSA session");
        halyard_halo_session_close(session);
        return HALYARD_HALO_UNREACHABLE;
    }

    /* Step 2: the client that holds the token. */
    halyard_halo_settings halo_settings = {
        .instance_url = settings->instance_url,
        .token_url = session->token_url,
        .client_id = settings->client_id,
        .client_secret = settings->client_secret,
        .scope = settings->scope,
        /* Someone is waiting on a command or an API call: after two rate-limited retries
         * (about 15 s) the call fails with HaloPSA's 429 instead of waiting minutes. */
        .max_rate_limit_retries = 2,
        .log_ids = session->log_ids,
    };
    if (halyard_halo_client_create(session->base, session->http, &halo_settings, &session->halo,
                                   message, message_size) != 0) {
        halyard_halo_session_close(session);
        return HALYARD_HALO_UNREACHABLE;
    }
    *out = session;
    return HALYARD_HALO_OK;
}

void halyard_halo_session_close(halyard_halo_session *session)
{
    if (session == NULL) {
        return;
    }
    /* The HTTP client goes first: its abandoned transfers point into the HaloPSA client. */
    halyard_http_client_free(session->http);
    halyard_halo_client_free(session->halo);
    if (session->base != NULL) {
        event_base_free(session->base);
    }
    free(session->token_url);
    free(session);
}

const char *halyard_halo_session_discover_warning(const halyard_halo_session *session)
{
    return session->discover_warning;
}

const char *halyard_halo_session_token_url(const halyard_halo_session *session)
{
    return session->token_url;
}

halyard_halo_outcome halyard_halo_session_check_token(halyard_halo_session *session, char *message,
                                                      size_t message_size)
{
    session_result result = {0};
    if (halyard_halo_check_token(session->halo, on_response, &result, message, message_size) != 0) {
        return HALYARD_HALO_UNREACHABLE;
    }
    wait_for(session, &result);
    free(result.body);
    if (result.outcome != HALYARD_HALO_OK) {
        snprintf(message, message_size, "%s", result.message);
    }
    return result.outcome;
}

halyard_halo_outcome halyard_halo_session_call(halyard_halo_session *session, const char *method,
                                               const char *path, const char *json_body,
                                               long *status, char **body, char *message,
                                               size_t message_size)
{
    *status = 0;
    *body = NULL;
    session_result result = {0};
    if (halyard_halo_request_for(session->halo, session->log_ids, method, path, json_body,
                                 on_response, &result, message, message_size) != 0) {
        return HALYARD_HALO_UNREACHABLE;
    }
    wait_for(session, &result);
    if (result.outcome != HALYARD_HALO_OK) {
        snprintf(message, message_size, "%s", result.message);
        free(result.body);
        return result.outcome;
    }
    if (result.body == NULL) {
        snprintf(message, message_size, "out of memory reading HaloPSA's answer to %s %s", method,
                 path);
        return HALYARD_HALO_UNREACHABLE;
    }
    *status = result.status;
    *body = result.body;
    return HALYARD_HALO_OK;
}
