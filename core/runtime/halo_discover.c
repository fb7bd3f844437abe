#include "halo_client.h"
#include "log.h"

#include "json_reader.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* State of one discovery, alive until its callback has run. */
typedef struct {
    char *instance_url;
    halyard_halo_discover_callback callback;
    void *user_data;
} discovery;

static void finish(discovery *state, halyard_halo_outcome outcome, const char *token_url,
                   const char *message)
{
    state->callback(outcome, token_url, message, state->user_data);
    free(state->instance_url);
    free(state);
}

/* Builds "{auth_url}/token[?tenant=...]" into token_url; returns 0, or -1 with a message. */
static int build_token_url(const char *auth_url, const char *tenant, char *token_url,
                           size_t token_url_size, char *message, size_t message_size)
{
    if (strncasecmp(auth_url, "https://", 8) != 0) {
        snprintf(message, message_size,
                 "HaloPSA's authinfo names the authorisation server '%s', which is not HTTPS: "
                 "halyard will not send the Client Secret there",
                 auth_url);
        return -1;
    }
    size_t length = strlen(auth_url);
    while (length > 0 && auth_url[length - 1] == '/') {
        length--;
    }

    char *encoded_tenant = NULL;
    if (tenant != NULL && tenant[0] != '\0' &&
        halyard_halo_url_encode(tenant, &encoded_tenant) != 0) {
        snprintf(message, message_size, "out of memory building the token URL");
        return -1;
    }
    int written = snprintf(token_url, token_url_size, "%.*s/token%s%s", (int)length, auth_url,
                           encoded_tenant != NULL ? "?tenant=" : "",
                           encoded_tenant != NULL ? encoded_tenant : "");
    free(encoded_tenant);
    if (written < 0 || (size_t)written >= token_url_size) {
        snprintf(message, message_size, "the authorisation server URL '%s' is too long", auth_url);
        return -1;
    }
    return 0;
}

static void on_authinfo(const halyard_http_response *response, void *argument)
{
    discovery *state = argument;
    char token_url[1024];
    char message[2560];

    if (response->error != NULL) {
        bool certificate = strstr(response->error, "certificate") != NULL ||
                           strstr(response->error, "SSL") != NULL;
        snprintf(message, sizeof message, "cannot reach HaloPSA at %s: %s%s", state->instance_url,
                 response->error,
                 certificate ? " (if the instance uses a private CA, name its certificate in the "
                               "config's ca_file)"
                             : "");
        finish(state, HALYARD_HALO_UNREACHABLE, "", message);
        return;
    }

    /* Step 1: read auth_url and tenant_id when authinfo answered with them. */
    char *auth_url = NULL;
    char *tenant = NULL;
    halyard_json_reader *reader = NULL;
    if (response->status == 200 &&
        halyard_json_reader_create(&reader, message, sizeof message) == 0) {
        halyard_json_read_text(reader, response->body, response->body_length, "$.auth_url",
                               &auth_url);
        halyard_json_read_text(reader, response->body, response->body_length, "$.tenant_id",
                               &tenant);
        halyard_json_reader_free(reader);
    }

    /* Step 2: the token URL, from auth_url or by HaloPSA's self-hosted convention. A failed
     * authinfo also falls back to the convention, with a warning, because a hosted instance
     * then gets a token error that would not say why. */
    int built;
    const char *warning = NULL;
    if (auth_url != NULL && auth_url[0] != '\0') {
        built =
            build_token_url(auth_url, tenant, token_url, sizeof token_url, message, sizeof message);
    } else {
        snprintf(token_url, sizeof token_url, "%s/auth/token", state->instance_url);
        built = 0;
        if (response->status != 200) {
            snprintf(message, sizeof message,
                     "HaloPSA's %s/api/authinfo answered HTTP %ld, so halyard uses the "
                     "self-hosted token endpoint %s; if the token request fails, check that "
                     "the instance URL is the one you open HaloPSA at",
                     state->instance_url, response->status, token_url);
            halyard_log(HALYARD_LOG_WARNING, "halo", "%s", message);
            warning = message;
        }
    }
    free(auth_url);
    free(tenant);
    if (built != 0) {
        finish(state, HALYARD_HALO_TOKEN_FAILED, "", message);
        return;
    }
    finish(state, HALYARD_HALO_OK, token_url, warning);
}

int halyard_halo_discover(halyard_http_client *http, const char *instance_url,
                          halyard_halo_discover_callback callback, void *user_data, char *message,
                          size_t message_size)
{
    discovery *state = calloc(1, sizeof *state);
    if (state == NULL || (state->instance_url = strdup(instance_url)) == NULL) {
        free(state);
        snprintf(message, message_size, "out of memory discovering the token endpoint");
        return -1;
    }
    state->callback = callback;
    state->user_data = user_data;

    char url[1024];
    snprintf(url, sizeof url, "%s/api/authinfo", instance_url);
    static const char *const headers[] = {"Accept: application/json", NULL};
    halyard_http_request request = {.method = "GET", .url = url, .headers = headers};
    if (halyard_http_send(http, &request, on_authinfo, state, message, message_size) != 0) {
        free(state->instance_url);
        free(state);
        return -1;
    }
    return 0;
}
