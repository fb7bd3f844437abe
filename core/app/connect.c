#include "connect.h"

#include "connect_replace.h"
#include "data_folder.h"
#include "halo_session.h"
#include "instance_url.h"
#include "integration.h"
#include "json_reader.h"
#include "log.h"
#include "public_url.h"
#include "text_buffer.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Webhook settings as HaloPSA's API numbers them (community-documented, not confirmed by
 * HaloPSA): type 0 outbound, method 0 POST, authentication_type 1 Basic, payload_type 0. */
#define WEBHOOK_AUTHENTICATION_BASIC 1
#define WEBHOOK_URL_MAX              2048

/* The state of one connect, from validation to the stored integration. */
typedef struct {
    const halyard_config *config;
    const halyard_connect_input *input;
    FILE *out;
    char *message;
    size_t message_size;

    char instance_url[HALYARD_INSTANCE_URL_MAX + 1];
    char public_url[WEBHOOK_URL_MAX];
    char webhook_url[WEBHOOK_URL_MAX + 64]; /* public_url + /hooks/halopsa/ + MSP name */
    char webhook_name[128];
    char client_id[256]; /* the input's Client ID without the spaces around it */

    halyard_store *store;
    halyard_secret_key key;
    long long msp_id;
    bool had_integration;
    halyard_integration stored;
    halyard_integration fresh;
    halyard_halo_session *session;
    halyard_json_reader *json;
    bool webhook_written; /* the webhook was created or repaired in HaloPSA */

    /* The instance the MSP was connected to, in normal form, when it is another one. */
    char old_instance_url[HALYARD_INSTANCE_URL_MAX + 1];
    bool instance_changed;
    bool replace_old_data; /* clear the old instance's clients, runs and work when storing */
    int lock_fd;           /* the data folder's lock, held while replacing; -1 when not */
} connect_state;

static int fail(connect_state *state, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(connect_state *state, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(state->message, state->message_size, format, args);
    va_end(args);
    return -1;
}

static bool same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

/* Step 1: everything that can be checked before touching the network. */
static int validate_input(connect_state *state)
{
    const halyard_connect_input *input = state->input;
    if (halyard_msp_name_validate(input->msp, state->message, state->message_size) != 0) {
        return -1;
    }
    if (halyard_instance_url_validate(input->instance_url, state->instance_url,
                                      sizeof state->instance_url, state->message,
                                      state->message_size) != 0) {
        return -1;
    }
    /* A Client ID pasted with spaces or a line break around it is the same ID. */
    const char *client_id = input->client_id != NULL ? input->client_id : "";
    size_t id_length = strlen(client_id);
    while (id_length > 0 && isspace((unsigned char)client_id[id_length - 1])) {
        id_length--;
    }
    while (id_length > 0 && isspace((unsigned char)client_id[0])) {
        client_id++;
        id_length--;
    }
    if (id_length == 0) {
        return fail(state, "the Client ID is empty: copy it from the API application in HaloPSA "
                           "(Configuration > Integrations > HaloPSA API > View Applications)");
    }
    if (id_length >= sizeof state->client_id) {
        return fail(state,
                    "the Client ID is longer than %zu bytes: copy it from the API "
                    "application in HaloPSA",
                    sizeof state->client_id - 1);
    }
    memcpy(state->client_id, client_id, id_length);
    state->client_id[id_length] = '\0';
    if (input->client_secret == NULL || input->client_secret[0] == '\0') {
        return fail(state, "the Client Secret is empty: HaloPSA shows it once, when the API "
                           "application is created; generate a new one there if it is lost");
    }

    /* The public URL: HTTPS, or plain HTTP to this machine for tests and local trials. */
    const char *public_url = state->config->public_url;
    if (public_url == NULL || public_url[0] == '\0') {
        return fail(state, "public_url is not set: set it in the config to the HTTPS address at "
                           "which HaloPSA reaches halyard, e.g. public_url = "
                           "\"https://halyard.msp.example\"");
    }
    /* The config reader has checked its form and dropped trailing slashes. */
    if (halyard_public_url_check_transport(public_url, state->message, state->message_size) != 0) {
        return -1;
    }
    if (strlen(public_url) + 1 > sizeof state->public_url) {
        return fail(state, "public_url is too long");
    }
    snprintf(state->public_url, sizeof state->public_url, "%s", public_url);
    snprintf(state->webhook_url, sizeof state->webhook_url, "%s/hooks/halopsa/%s",
             state->public_url, input->msp);
    snprintf(state->webhook_name, sizeof state->webhook_name, "halyard (%s)", input->msp);
    return 0;
}

/* Step 2: the data folder, the MSP and what was stored before. */
static int open_storage(connect_state *state)
{
    if (halyard_data_folder_open(state->config->data_dir, &state->store, &state->key,
                                 state->message, state->message_size) != 0) {
        return -1;
    }
    int created = 0;
    if (halyard_msp_find(state->store, state->input->msp, 1, &state->msp_id, &created,
                         state->message, state->message_size) != 0) {
        return -1;
    }
    if (created) {
        fprintf(state->out, "created MSP '%s'\n", state->input->msp);
    }

    char load_message[512];
    int loaded =
        halyard_integration_load(state->store, &state->key, state->msp_id, state->input->msp,
                                 &state->stored, load_message, sizeof load_message);
    if (loaded == 0) {
        state->had_integration = true;
    } else if (loaded < 0) {
        /* The MSP is entering its secrets again, which is the cure for a lost key. */
        fprintf(state->out, "the stored secrets cannot be opened (%s); replacing them\n",
                load_message);
        halyard_log(HALYARD_LOG_WARNING, "connect", "msp=%s stored secrets unreadable: %s",
                    state->input->msp, load_message);
    }
    return 0;
}

/* Reads the instance URL the MSP is connected to (in clear, even when the stored secrets cannot
 * be opened) in normal form into old_url, "" when it has none. Returns 0, or -1 with a message. */
static int read_connected_instance(connect_state *state, char *old_url, size_t old_url_size)
{
    sqlite3 *database = halyard_store_database(state->store);
    sqlite3_stmt *statement = NULL;
    old_url[0] = '\0';
    if (sqlite3_prepare_v2(database, "SELECT instance_url FROM integrations WHERE msp_id = ?1", -1,
                           &statement, NULL) != SQLITE_OK) {
        return fail(state, "reading the connected instance failed: %s", sqlite3_errmsg(database));
    }
    sqlite3_bind_int64(statement, 1, state->msp_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        /* An earlier version may have stored another spelling of the same address. */
        const char *stored = (const char *)sqlite3_column_text(statement, 0);
        char ignored[256];
        if (halyard_instance_url_validate(stored != NULL ? stored : "", old_url, old_url_size,
                                          ignored, sizeof ignored) != 0) {
            snprintf(old_url, old_url_size, "%s", stored != NULL ? stored : "");
        }
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        return fail(state, "reading the connected instance failed: %s", sqlite3_errmsg(database));
    }
    return 0;
}

/* Step 2b: an MSP connected to another instance. Its clients, runs and deliveries carry that
 * instance's ids, which the new one reuses for other clients and tickets. So the move needs
 * --replace-instance, which clears them while it has the data folder to itself. */
static int check_instance_change(connect_state *state)
{
    char old_url[sizeof state->old_instance_url];
    if (read_connected_instance(state, old_url, sizeof old_url) != 0) {
        return -1;
    }
    if (old_url[0] == '\0' || strcmp(old_url, state->instance_url) == 0) {
        return 0;
    }
    snprintf(state->old_instance_url, sizeof state->old_instance_url, "%s", old_url);
    state->instance_changed = true;

    halyard_instance_data data;
    if (halyard_instance_data_count(state->store, state->msp_id, &data, state->message,
                                    state->message_size) != 0) {
        return -1;
    }
    if (data.clients == 0 && data.runs == 0 && data.deliveries == 0) {
        fprintf(state->out,
                "MSP '%s' moves from %s to %s; it has no clients, runs or deliveries "
                "yet, so nothing else changes\n",
                state->input->msp, old_url, state->instance_url);
        return 0;
    }
    if (!state->input->replace_instance) {
        return fail(state,
                    "MSP '%s' is connected to the HaloPSA instance %s, not %s, and has %lld "
                    "imported clients, %lld runs and %lld stored deliveries from it. To work "
                    "another instance too, connect it as a new MSP (halyard --msp NEW-NAME "
                    "connect ...) or with its own data folder. If this MSP really moved to %s, "
                    "stop halyard serve and connect again with --replace-instance: that removes "
                    "the imported clients, stops the runs under way without writing to either "
                    "instance, drops the queued work and registers the webhook in the new "
                    "instance",
                    state->input->msp, old_url, state->instance_url, data.clients, data.runs,
                    data.deliveries, state->instance_url);
    }
    int locked = halyard_data_folder_lock(state->config->data_dir,
                                          "--replace-instance changes the runs and jobs that it is "
                                          "working",
                                          &state->lock_fd, state->message, state->message_size);
    if (locked != 0) {
        return -1;
    }
    state->replace_old_data = true;
    return 0;
}

/* Turns a non-2xx response from the API into a message. */
static int fail_status(connect_state *state, const char *what, long status, const char *body)
{
    if (status == 401) {
        return fail(state,
                    "HaloPSA rejected halyard's token while %s (HTTP 401): check that the API "
                    "application is active and its Client Secret was not regenerated",
                    what);
    }
    if (status == 403) {
        return fail(state,
                    "HaloPSA refused %s (HTTP 403): the API application or the agent it logs in "
                    "as lacks the permission; enable all:standard, all:teams and admin:webhooks "
                    "on the application's Permissions tab",
                    what);
    }
    return fail(state, "HaloPSA answered HTTP %ld while %s: %.200s", status, what,
                body != NULL ? body : "");
}

/* Warns when another MSP of this halyard is connected to the same HaloPSA instance: both would
 * work every ticket of the clients they both import, and each would post its own note. */
static void warn_shared_instance(connect_state *state)
{
    sqlite3 *database = halyard_store_database(state->store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT m.name FROM integrations i JOIN msps m ON m.id = i.msp_id"
                           " WHERE i.instance_url = ?1 AND i.msp_id <> ?2",
                           -1, &statement, NULL) != SQLITE_OK) {
        return;
    }
    sqlite3_bind_text(statement, 1, state->instance_url, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 2, state->msp_id);
    while (sqlite3_step(statement) == SQLITE_ROW) {
        fprintf(state->out,
                "warning: MSP '%s' is connected to %s too; a client imported by both gets two "
                "plan notes per ticket\n",
                sqlite3_column_text(statement, 0), state->instance_url);
    }
    sqlite3_finalize(statement);
}

/* Step 3: a token and the agent it logs in as. */
static int log_in(connect_state *state)
{
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    snprintf(log_ids, sizeof log_ids, "msp=%s", state->input->msp);
    halyard_halo_session_settings settings = {
        .instance_url = state->instance_url,
        .client_id = state->client_id,
        .client_secret = state->input->client_secret,
        .scope = state->config->halo_scope,
        .ca_file = state->config->ca_file,
        .log_ids = log_ids,
    };
    if (halyard_halo_session_open(&settings, &state->session, state->message,
                                  state->message_size) != HALYARD_HALO_OK) {
        return -1;
    }
    const char *warning = halyard_halo_session_discover_warning(state->session);
    if (warning[0] != '\0') {
        fprintf(state->out, "warning: %s\n", warning);
    }
    if (halyard_halo_session_check_token(state->session, state->message, state->message_size) !=
        HALYARD_HALO_OK) {
        return -1;
    }

    long status = 0;
    char *body = NULL;
    if (halyard_halo_session_call(state->session, "GET", "/api/Agent/me", NULL, &status, &body,
                                  state->message, state->message_size) != HALYARD_HALO_OK) {
        return -1;
    }
    int result = 0;
    long long agent_id = 0;
    char *agent_name = NULL;
    if (status != 200) {
        result = fail_status(state, "reading the agent halyard logs in as (/api/Agent/me)", status,
                             body);
    } else if (halyard_json_read_integer(state->json, body, strlen(body), "$.id", &agent_id) !=
               HALYARD_JSON_FOUND) {
        result = fail(state, "HaloPSA's /api/Agent/me answered without an agent id");
    } else {
        halyard_json_read_text(state->json, body, strlen(body), "$.name", &agent_name);
        state->fresh.login_agent_id = agent_id;
        state->fresh.login_agent_name = agent_name != NULL ? agent_name : strdup("");
    }
    free(body);
    return result;
}

/* Generates webhook credentials unless the stored ones can be kept. */
static int choose_webhook_credentials(connect_state *state, bool *generated)
{
    *generated = false;
    /* Another instance gets new ones, so the old instance's webhook is rejected from now on. */
    if (state->had_integration && !state->instance_changed &&
        state->stored.webhook_username != NULL && state->stored.webhook_password != NULL) {
        state->fresh.webhook_username = strdup(state->stored.webhook_username);
        state->fresh.webhook_password = strdup(state->stored.webhook_password);
    } else {
        unsigned char random[24];
        char password[64];
        randombytes_buf(random, sizeof random);
        sodium_bin2base64(password, sizeof password, random, sizeof random,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        char username[64];
        snprintf(username, sizeof username, "halyard-%s", state->input->msp);
        state->fresh.webhook_username = strdup(username);
        state->fresh.webhook_password = strdup(password);
        sodium_memzero(password, sizeof password);
        *generated = true;
    }
    if (state->fresh.webhook_username == NULL || state->fresh.webhook_password == NULL) {
        return fail(state, "out of memory choosing webhook credentials");
    }
    return 0;
}

/* Builds the POST /api/Webhook body for halyard's webhook; id is NULL to create one. */
static char *webhook_body(connect_state *state, const char *id)
{
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 64 * 1024);
    char *quoted = NULL;
    const char *fields[][2] = {
        {"name", state->webhook_name},
        {"url", state->webhook_url},
        {"content_type", "application/json"},
        {"basic_username", state->fresh.webhook_username},
        {"basic_password", state->fresh.webhook_password},
    };

    halyard_text_buffer_append_text(&body, "[{");
    if (id != NULL && halyard_json_quote(state->json, id, &quoted) == 0) {
        halyard_text_buffer_printf(&body, "\"id\":%s,", quoted);
        free(quoted);
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (halyard_json_quote(state->json, fields[i][1], &quoted) != 0) {
            halyard_text_buffer_free(&body);
            return NULL;
        }
        halyard_text_buffer_printf(&body, "\"%s\":%s,", fields[i][0], quoted);
        free(quoted);
    }
    halyard_text_buffer_printf(&body,
                               "\"type\":0,\"method\":0,\"authentication_type\":%d,"
                               "\"payload_type\":0,\"active\":true,\"disabled\":false,"
                               "\"events\":[",
                               WEBHOOK_AUTHENTICATION_BASIC);
    for (size_t i = 0; i < state->config->webhook_event_count; i++) {
        halyard_text_buffer_printf(&body, "%s{\"eventno\":%d,\"name\":\"\",\"conditions\":[]}",
                                   i > 0 ? "," : "", state->config->webhook_events[i]);
    }
    halyard_text_buffer_append_text(&body, "]}]");
    return halyard_text_buffer_take(&body);
}

/* Lists what is wrong with an existing webhook compared with the one halyard needs, into
 * problems (empty when nothing is). */
static void compare_webhook(connect_state *state, const char *details, bool password_changed,
                            halyard_text_buffer *problems)
{
    size_t length = strlen(details);
    char *text = NULL;
    long long number = 0;

    halyard_json_read_text(state->json, details, length, "$.url", &text);
    if (!same_text(text, state->webhook_url)) {
        halyard_text_buffer_append_text(problems, " url");
    }
    free(text);
    text = NULL;
    halyard_json_read_text(state->json, details, length, "$.name", &text);
    if (!same_text(text, state->webhook_name)) {
        halyard_text_buffer_append_text(problems, " name");
    }
    free(text);
    text = NULL;
    halyard_json_read_text(state->json, details, length, "$.basic_username", &text);
    if (!same_text(text, state->fresh.webhook_username)) {
        halyard_text_buffer_append_text(problems, " username");
    }
    free(text);
    if (password_changed) {
        halyard_text_buffer_append_text(problems, " password");
    }
    if (halyard_json_read_integer(state->json, details, length, "$.authentication_type", &number) !=
            HALYARD_JSON_FOUND ||
        number != WEBHOOK_AUTHENTICATION_BASIC) {
        halyard_text_buffer_append_text(problems, " authentication");
    }

    /* Active and not disabled; HaloPSA may disable a webhook after failed deliveries. */
    char *active = NULL;
    char *disabled = NULL;
    halyard_json_read_json(state->json, details, length, "$.active", &active);
    halyard_json_read_json(state->json, details, length, "$.disabled", &disabled);
    if (!same_text(active, "true") || same_text(disabled, "true")) {
        halyard_text_buffer_append_text(problems, " inactive");
    }
    free(active);
    free(disabled);

    /* Every event halyard needs must be subscribed. */
    long long count = halyard_json_array_length(state->json, details, length, "$.events");
    for (size_t i = 0; i < state->config->webhook_event_count; i++) {
        bool found = false;
        for (long long j = 0; j < count && !found; j++) {
            char path[64];
            snprintf(path, sizeof path, "$.events[%lld].eventno", j);
            found = halyard_json_read_integer(state->json, details, length, path, &number) ==
                        HALYARD_JSON_FOUND &&
                    number == state->config->webhook_events[i];
        }
        if (!found) {
            halyard_text_buffer_printf(problems, " event-%d", state->config->webhook_events[i]);
        }
    }
}

/* Posts halyard's webhook (created when id is NULL) and keeps the id HaloPSA returns. */
static int post_webhook(connect_state *state, const char *id)
{
    char *body = webhook_body(state, id);
    if (body == NULL) {
        return fail(state, "out of memory building the webhook");
    }
    long status = 0;
    char *answer = NULL;
    halyard_halo_outcome outcome =
        halyard_halo_session_call(state->session, "POST", "/api/Webhook", body, &status, &answer,
                                  state->message, state->message_size);
    sodium_memzero(body, strlen(body));
    free(body);
    if (outcome != HALYARD_HALO_OK) {
        return -1;
    }
    int result = 0;
    char *new_id = NULL;
    if (status != 200 && status != 201) {
        result =
            fail_status(state, "registering halyard's webhook (POST /api/Webhook)", status, answer);
    } else if (halyard_json_read_text(state->json, answer, strlen(answer), "$.id", &new_id) !=
                   HALYARD_JSON_FOUND ||
               new_id[0] == '\0') {
        result = fail(state, "HaloPSA registered the webhook but answered without its id");
    } else {
        free(state->fresh.webhook_id);
        state->fresh.webhook_id = new_id;
        new_id = NULL;
        state->fresh.webhook_password_pushed = true;
        state->webhook_written = true;
    }
    free(new_id);
    free(answer);
    return result;
}

/* Finds halyard's own webhooks in a GET /api/Webhook response: by the stored id, the URL or the
 * name. Returns how many ids it wrote to ids (at most capacity); ids[0] is the one to keep. */
static size_t find_own_webhooks(connect_state *state, const char *list, char **ids, size_t capacity)
{
    size_t length = strlen(list);
    const char *array =
        halyard_json_array_length(state->json, list, length, "$") >= 0 ? "$" : "$.webhooks";
    long long count = halyard_json_array_length(state->json, list, length, array);
    size_t found = 0;
    for (long long i = 0; i < count && found < capacity; i++) {
        char path[64];
        char *id = NULL;
        char *url = NULL;
        char *name = NULL;
        snprintf(path, sizeof path, "%s[%lld].id", array, i);
        halyard_json_read_text(state->json, list, length, path, &id);
        snprintf(path, sizeof path, "%s[%lld].url", array, i);
        halyard_json_read_text(state->json, list, length, path, &url);
        snprintf(path, sizeof path, "%s[%lld].name", array, i);
        halyard_json_read_text(state->json, list, length, path, &name);

        /* A stored id is the old instance's when the instance changed: ids repeat across them. */
        bool stored_id = id != NULL && state->had_integration && !state->instance_changed &&
                         same_text(id, state->stored.webhook_id);
        bool ours = id != NULL && (stored_id || same_text(url, state->webhook_url) ||
                                   same_text(name, state->webhook_name));
        if (ours && stored_id && found > 0) {
            /* The stored one is kept in preference to other look-alikes. */
            ids[found++] = ids[0];
            ids[0] = id;
        } else if (ours) {
            ids[found++] = id;
        } else {
            free(id);
        }
        free(url);
        free(name);
    }
    return found;
}

/* Step 4: halyard's webhook exists once, with the right URL, credentials and events. */
static int ensure_webhook(connect_state *state)
{
    bool generated = false;
    if (choose_webhook_credentials(state, &generated) != 0) {
        return -1;
    }

    long status = 0;
    char *list = NULL;
    if (halyard_halo_session_call(state->session, "GET", "/api/Webhook", NULL, &status, &list,
                                  state->message, state->message_size) != HALYARD_HALO_OK) {
        return -1;
    }
    if (status != 200) {
        int result = fail_status(state, "listing webhooks (GET /api/Webhook)", status, list);
        free(list);
        return result;
    }
    char *ids[16] = {0};
    size_t own = find_own_webhooks(state, list, ids, sizeof ids / sizeof ids[0]);
    free(list);

    int result = 0;
    if (own == 0) {
        result = post_webhook(state, NULL);
        if (result == 0) {
            fprintf(state->out, "registered webhook %s at %s\n", state->fresh.webhook_id,
                    state->webhook_url);
        }
        goto cleanup;
    }

    /* Extra copies, from an earlier failed run or a hand-made one, are removed. */
    for (size_t i = 1; i < own && result == 0; i++) {
        char path[256];
        char *answer = NULL;
        snprintf(path, sizeof path, "/api/Webhook/%s", ids[i]);
        if (halyard_halo_session_call(state->session, "DELETE", path, NULL, &status, &answer,
                                      state->message, state->message_size) != HALYARD_HALO_OK) {
            result = -1;
        } else if (status != 200 && status != 204) {
            result =
                fail_status(state, "removing a duplicate of halyard's webhook", status, answer);
        } else {
            fprintf(state->out, "removed duplicate webhook %s\n", ids[i]);
        }
        free(answer);
    }
    if (result != 0) {
        goto cleanup;
    }

    /* The one kept is compared field by field and repaired when anything differs. */
    char path[256];
    char *details = NULL;
    snprintf(path, sizeof path, "/api/Webhook/%s?includedetails=true", ids[0]);
    if (halyard_halo_session_call(state->session, "GET", path, NULL, &status, &details,
                                  state->message, state->message_size) != HALYARD_HALO_OK) {
        result = -1;
        goto cleanup;
    }
    if (status != 200) {
        result = fail_status(state, "reading halyard's webhook", status, details);
        free(details);
        goto cleanup;
    }
    /* HaloPSA never shows the password back, so halyard tracks whether the webhook was last
     * sent the one stored (it is not after `halyard intake credentials --rotate`). */
    bool password_unsent = generated || !state->stored.webhook_password_pushed;
    halyard_text_buffer problems;
    halyard_text_buffer_init(&problems, 1024);
    compare_webhook(state, details, password_unsent, &problems);
    free(details);
    free(state->fresh.webhook_id);
    state->fresh.webhook_id = strdup(ids[0]);

    if (problems.length == 0) {
        state->fresh.webhook_password_pushed = true;
        fprintf(state->out, "webhook %s is in place at %s\n", ids[0], state->webhook_url);
    } else {
        result = post_webhook(state, ids[0]);
        if (result == 0) {
            fprintf(state->out, "repaired webhook %s (fixed:%s)\n", state->fresh.webhook_id,
                    halyard_text_buffer_text(&problems));
        }
    }
    halyard_text_buffer_free(&problems);

cleanup:
    for (size_t i = 0; i < own; i++) {
        free(ids[i]);
    }
    return result;
}

/* Step 5: store what changed and say what it was. */
static int store_integration(connect_state *state)
{
    halyard_integration *fresh = &state->fresh;
    halyard_integration *stored = &state->stored;
    fresh->instance_url = strdup(state->instance_url);
    fresh->token_url = strdup(halyard_halo_session_token_url(state->session));
    fresh->client_id = strdup(state->client_id);
    fresh->client_secret = strdup(state->input->client_secret);
    fresh->scope = strdup(state->config->halo_scope);
    fresh->public_url = strdup(state->public_url);
    if (fresh->instance_url == NULL || fresh->token_url == NULL || fresh->client_id == NULL ||
        fresh->client_secret == NULL || fresh->scope == NULL || fresh->public_url == NULL) {
        return fail(state, "out of memory storing the integration");
    }

    if (state->had_integration) {
        bool unchanged = same_text(fresh->instance_url, stored->instance_url) &&
                         same_text(fresh->token_url, stored->token_url) &&
                         same_text(fresh->client_id, stored->client_id) &&
                         same_text(fresh->client_secret, stored->client_secret) &&
                         same_text(fresh->scope, stored->scope) &&
                         same_text(fresh->public_url, stored->public_url) &&
                         same_text(fresh->webhook_id, stored->webhook_id) &&
                         same_text(fresh->webhook_password, stored->webhook_password) &&
                         fresh->login_agent_id == stored->login_agent_id &&
                         same_text(fresh->login_agent_name, stored->login_agent_name) &&
                         fresh->webhook_password_pushed == stored->webhook_password_pushed;
        if (unchanged && state->webhook_written) {
            fprintf(state->out, "nothing else changed for MSP '%s'\n", state->input->msp);
            return 0;
        }
        if (unchanged) {
            fprintf(state->out, "nothing changed: MSP '%s' was already connected this way\n",
                    state->input->msp);
            return 0;
        }
        if (!same_text(fresh->client_secret, stored->client_secret)) {
            fprintf(state->out, "rotated the stored Client Secret\n");
        }
        if (state->instance_changed) {
            fprintf(state->out, "replaced the instance URL %s with %s\n", state->old_instance_url,
                    state->instance_url);
        } else if (!same_text(fresh->client_id, stored->client_id)) {
            fprintf(state->out, "replaced the Client ID\n");
        }
    }

    /* The old instance's data goes in the same transaction as the new integration is stored. */
    halyard_instance_data removed = {0};
    if (halyard_store_execute(state->store, "BEGIN IMMEDIATE", "storing the integration",
                              state->message, state->message_size) != 0) {
        return -1;
    }
    if ((state->replace_old_data &&
         halyard_instance_replace(state->store, state->msp_id, state->old_instance_url,
                                  state->instance_url, &removed, state->message,
                                  state->message_size) != 0) ||
        halyard_integration_save(state->store, &state->key, state->msp_id, state->input->msp, fresh,
                                 state->message, state->message_size) != 0 ||
        halyard_store_execute(state->store, "COMMIT", "storing the integration", state->message,
                              state->message_size) != 0) {
        sqlite3_exec(halyard_store_database(state->store), "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (state->replace_old_data) {
        fprintf(state->out,
                "cleared what MSP '%s' held from %s: removed %lld imported clients, stopped %lld "
                "runs under way (finished runs stay in the history), dropped %lld jobs not run "
                "yet and %lld deliveries not worked yet, and kept %lld deliveries already worked "
                "as the intake record of the runs in the history\n",
                state->input->msp, state->old_instance_url, removed.clients, removed.runs,
                removed.jobs, removed.deliveries, removed.deliveries_kept);
        halyard_log(HALYARD_LOG_WARNING, "connect",
                    "msp=%s moved from %s to %s: removed %lld clients, stopped %lld runs, dropped "
                    "%lld jobs and %lld deliveries not worked, kept %lld worked deliveries",
                    state->input->msp, state->old_instance_url, state->instance_url,
                    removed.clients, removed.runs, removed.jobs, removed.deliveries,
                    removed.deliveries_kept);
    }
    if (state->instance_changed) {
        fprintf(state->out,
                "halyard's webhook in %s stays there until you delete it (Configuration > "
                "Integrations > Webhooks); halyard rejects its deliveries from now on, because "
                "the new webhook has a new password\n",
                state->old_instance_url);
    }
    fprintf(state->out, "stored the integration for MSP '%s' (secrets sealed in %s)\n",
            state->input->msp, state->config->data_dir);
    return 0;
}

int halyard_connect(const halyard_config *config, const halyard_connect_input *input, FILE *out,
                    char *message, size_t message_size)
{
    connect_state state = {
        .config = config,
        .input = input,
        .out = out,
        .message = message,
        .message_size = message_size,
        .lock_fd = -1,
    };
    int result = -1;

    if (validate_input(&state) != 0 || open_storage(&state) != 0 ||
        check_instance_change(&state) != 0 ||
        halyard_json_reader_create(&state.json, message, message_size) != 0) {
        goto cleanup;
    }
    if (log_in(&state) != 0) {
        goto cleanup;
    }
    warn_shared_instance(&state);
    fprintf(out, "connected to %s as agent %lld '%s' (token endpoint %s)\n", state.instance_url,
            state.fresh.login_agent_id, state.fresh.login_agent_name,
            halyard_halo_session_token_url(state.session));
    if (ensure_webhook(&state) != 0 || store_integration(&state) != 0) {
        goto cleanup;
    }
    halyard_log(HALYARD_LOG_INFO, "connect", "msp=%s connected to %s webhook=%s", input->msp,
                state.instance_url, state.fresh.webhook_id);
    result = 0;

cleanup:
    if (result != 0) {
        halyard_log(HALYARD_LOG_ERROR, "connect", "msp=%s connect failed: %s", input->msp, message);
    }
    halyard_halo_session_close(state.session);
    halyard_json_reader_free(state.json);
    halyard_integration_free(&state.stored);
    halyard_integration_free(&state.fresh);
    halyard_store_close(state.store);
    halyard_data_folder_unlock(state.lock_fd);
    sodium_memzero(&state.key, sizeof state.key);
    return result;
}
