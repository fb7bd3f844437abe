#include "verification_api.h"
#include "verification_record.h"

#include "clock.h"
#include "data_folder.h"
#include "jobs.h"
#include "json_reader.h"
#include "log.h"
#include "text_buffer.h"
#include "verification_store.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Largest body a callback or an admin request may send, in bytes. */
#define VERIFY_BODY_MAX    (64 * 1024)
#define VERIFY_MESSAGE_MAX 1024

/* Rejected callbacks are logged at most once per MSP in this window, in ms of real time. */
#define CALLBACK_LOG_WINDOW_MS 60000
/* MSPs whose rejected callbacks are counted; beyond this the oldest window is reused. */
#define CALLBACK_LOG_SLOTS 16

/* The 404 text of a callback path with an unknown MSP or a provider the MSP has not connected:
 * one text for both, so the endpoint does not reveal which MSP names exist. */
#define CALLBACK_NOT_FOUND "no such callback: no connected provider of this name for this MSP"

static const char json_type[] = "application/json";

/* The rejected callbacks of one MSP in the current log window. */
typedef struct {
    char msp[64];
    long long window_start_ms;
    unsigned long suppressed;
} callback_log_slot;

struct halyard_verification_api {
    halyard_admin_api *admin;
    const halyard_config *config;
    halyard_pipeline *pipeline;
    halyard_store *store;
    halyard_secret_key key;
    halyard_json_reader *json;
    callback_log_slot rejected[CALLBACK_LOG_SLOTS];
};

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Logs a rejected callback of an MSP, at most once per CALLBACK_LOG_WINDOW_MS with the number
 * of rejections left out since the last line, so unsigned posts cannot flood the log. */
static void log_rejected_callback(halyard_verification_api *api, const char *msp,
                                  const char *provider, const char *reason)
{
    long long now = monotonic_ms();
    callback_log_slot *slot = NULL;
    callback_log_slot *oldest = &api->rejected[0];
    for (size_t i = 0; i < CALLBACK_LOG_SLOTS; i++) {
        if (strcmp(api->rejected[i].msp, msp) == 0) {
            slot = &api->rejected[i];
            break;
        }
        if (api->rejected[i].window_start_ms < oldest->window_start_ms) {
            oldest = &api->rejected[i];
        }
    }
    if (slot == NULL) {
        slot = oldest;
        snprintf(slot->msp, sizeof slot->msp, "%s", msp);
        slot->window_start_ms = 0;
        slot->suppressed = 0;
    }
    if (slot->window_start_ms != 0 && now - slot->window_start_ms < CALLBACK_LOG_WINDOW_MS) {
        slot->suppressed++;
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s callback from %s rejected: %s (%lu more rejected in the last minute "
                "were not logged)",
                msp, provider, reason, slot->suppressed);
    slot->window_start_ms = now;
    slot->suppressed = 0;
}

int halyard_verification_check_signature(const char *secret, const char *timestamp,
                                         const char *signature, const char *body,
                                         size_t body_length, long long now_s, char *message,
                                         size_t message_size)
{
    if (timestamp == NULL || signature == NULL) {
        snprintf(message, message_size,
                 "the callback is not signed: send X-Halyard-Timestamp and X-Halyard-Signature "
                 "(docs/verification.md)");
        return -1;
    }
    size_t digits = strspn(timestamp, "0123456789");
    if (digits == 0 || digits > 12 || timestamp[digits] != '\0') {
        snprintf(message, message_size,
                 "X-Halyard-Timestamp is invalid: send whole seconds since 1970-01-01 UTC");
        return -1;
    }
    long long sent_s = strtoll(timestamp, NULL, 10);
    if (sent_s < now_s - HALYARD_VERIFY_CALLBACK_WINDOW_S ||
        sent_s > now_s + HALYARD_VERIFY_CALLBACK_WINDOW_S) {
        snprintf(message, message_size,
                 "X-Halyard-Timestamp is more than %d s away from halyard's clock: sign the "
                 "callback when you send it",
                 HALYARD_VERIFY_CALLBACK_WINDOW_S);
        return -1;
    }

    /* The MAC covers the timestamp too, so an old signature cannot be sent with a new time. */
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)body, body_length);
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(&state, sizeof state);

    /* The hex digits are decoded, so upper and lower case both match; the bytes are compared
     * in constant time. */
    unsigned char sent_mac[crypto_auth_hmacsha256_BYTES];
    size_t sent_length = 0;
    const char *hex_end = NULL;
    bool decoded = strncmp(signature, "sha256=", 7) == 0 &&
                   strlen(signature + 7) == 2 * sizeof sent_mac &&
                   sodium_hex2bin(sent_mac, sizeof sent_mac, signature + 7, 2 * sizeof sent_mac,
                                  NULL, &sent_length, &hex_end) == 0 &&
                   sent_length == sizeof sent_mac && *hex_end == '\0';
    bool valid = decoded && sodium_memcmp(sent_mac, mac, sizeof mac) == 0;
    sodium_memzero(mac, sizeof mac);
    if (!decoded) {
        snprintf(message, message_size,
                 "X-Halyard-Signature is invalid: send \"sha256=\" followed by the 64 hex digits "
                 "of the HMAC-SHA256");
        return -1;
    }
    if (!valid) {
        snprintf(message, message_size,
                 "the callback's signature does not match: sign timestamp + \".\" + body with "
                 "HMAC-SHA256 under the callback secret that `halyard verify connect` showed");
        return -1;
    }
    return 0;
}

static void reply_json(struct evhttp_request *request, int status, const char *body)
{
    halyard_http_reply_send(request, status, json_type, body, strlen(body));
}

/* Copies the request body into a NUL-terminated heap string; replies and returns NULL when it
 * is empty, too large or memory runs out. */
static char *read_body(struct evhttp_request *request, size_t *length)
{
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    *length = evbuffer_get_length(input);
    if (*length == 0) {
        halyard_admin_api_reply_error(request, 400, "the request body is empty: send JSON");
        return NULL;
    }
    if (*length > VERIFY_BODY_MAX) {
        halyard_admin_api_reply_error(request, 413, "the request body is larger than 64 KiB");
        return NULL;
    }
    char *body = malloc(*length + 1);
    if (body == NULL) {
        halyard_admin_api_reply_error(request, 500, "out of memory");
        return NULL;
    }
    evbuffer_copyout(input, body, *length);
    body[*length] = '\0';
    return body;
}

/* Finds the verification a callback names and stores its body for the job. Only a pending
 * verification takes a body, so a late or repeated callback changes nothing. Returns 0 when stored
 * (with *verification_id), 1 when no verification has that transaction, 2 when it is no longer
 * pending, or -1. */
static int store_callback(halyard_verification_api *api, long long msp_id, const char *provider,
                          const char *transaction_id, const char *body, long long *verification_id)
{
    sqlite3 *database = halyard_store_database(api->store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(database,
                           "SELECT id, status FROM verifications WHERE msp_id = ?1 AND"
                           " provider = ?2 AND transaction_id = ?3",
                           -1, &statement, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_text(statement, 2, provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, transaction_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_DONE) {
        status = 1;
    } else if (step == SQLITE_ROW) {
        *verification_id = sqlite3_column_int64(statement, 0);
        status = strcmp((const char *)sqlite3_column_text(statement, 1), "pending") == 0 ? 0 : 2;
    }
    sqlite3_finalize(statement);
    if (status != 0) {
        return status;
    }

    if (sqlite3_prepare_v2(database,
                           "UPDATE verifications SET callback_body = ?2 WHERE id = ?1 AND"
                           " status = 'pending'",
                           -1, &statement, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, *verification_id);
    sqlite3_bind_text(statement, 2, body, -1, SQLITE_STATIC);
    step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    return step == SQLITE_DONE ? 0 : -1;
}

/* POST /hooks/verify/{provider}/{msp}, routed as /hooks/verify/{names...} so that any
 * provider file name has its callback. A bad signature changes nothing. */
static void handle_callback(struct evhttp_request *request, const char *names, void *argument)
{
    halyard_verification_api *api = argument;
    char message[VERIFY_MESSAGE_MAX];
    char provider[64];
    char msp[64];
    const char *slash = strchr(names, '/');
    if (slash == NULL || strchr(slash + 1, '/') != NULL ||
        (size_t)(slash - names) >= sizeof provider || strlen(slash + 1) >= sizeof msp) {
        halyard_admin_api_reply_error(request, 404,
                                      "no such callback: post to /hooks/verify/<provider>/<msp>");
        return;
    }
    snprintf(provider, sizeof provider, "%.*s", (int)(slash - names), names);
    snprintf(msp, sizeof msp, "%s", slash + 1);
    char *body = NULL;
    char *transaction_id = NULL;
    halyard_verification_provider connected = {0};

    /* Step 1: the MSP and its provider. An unknown MSP and a wrong provider get the same 404
     * text, so an unauthenticated caller cannot learn which MSP names exist. */
    long long msp_id = 0;
    int created = 0;
    if (halyard_msp_name_validate(msp, message, sizeof message) != 0 ||
        halyard_msp_find(api->store, msp, 0, &msp_id, &created, message, sizeof message) != 0) {
        halyard_admin_api_reply_error(request, 404, CALLBACK_NOT_FOUND);
        goto cleanup;
    }
    int loaded = halyard_verification_provider_load(api->store, &api->key, msp_id, msp, &connected,
                                                    message, sizeof message);
    if (loaded < 0) {
        halyard_log(HALYARD_LOG_ERROR, "verify", "msp=%s callback from %s: %s", msp, provider,
                    message);
        halyard_admin_api_reply_error(request, 500, "reading the provider failed");
        goto cleanup;
    }
    if (loaded == 1 || strcmp(connected.provider, provider) != 0) {
        halyard_admin_api_reply_error(request, 404, CALLBACK_NOT_FOUND);
        goto cleanup;
    }

    /* Step 2: the signature, before the body is read for anything else. */
    size_t length = 0;
    body = read_body(request, &length);
    if (body == NULL) {
        goto cleanup;
    }
    struct evkeyvalq *headers = evhttp_request_get_input_headers(request);
    if (halyard_verification_check_signature(
            connected.callback_secret, evhttp_find_header(headers, "X-Halyard-Timestamp"),
            evhttp_find_header(headers, "X-Halyard-Signature"), body, length,
            halyard_clock_now_ms() / 1000, message, sizeof message) != 0) {
        log_rejected_callback(api, msp, provider, message);
        halyard_admin_api_reply_error(request, 401, message);
        goto cleanup;
    }

    /* Step 3: the verification it is about, stored for the job. */
    if (!halyard_json_valid(api->json, body, length)) {
        halyard_admin_api_reply_error(request, 400,
                                      "the callback body is not JSON, or nests too deeply: "
                                      "send a JSON object with transaction_id");
        goto cleanup;
    }
    if (halyard_json_read_text(api->json, body, length, "$.transaction_id", &transaction_id) !=
            HALYARD_JSON_FOUND ||
        transaction_id[0] == '\0') {
        halyard_admin_api_reply_error(request, 400,
                                      "the callback has no transaction_id: send the id the "
                                      "provider returned to the dispatch");
        goto cleanup;
    }
    long long verification_id = 0;
    int stored = store_callback(api, msp_id, provider, transaction_id, body, &verification_id);
    if (stored == 1) {
        /* The provider may post its result before halyard has stored the dispatch's
         * transaction, so the signed callback is kept until the verification is stored. */
        int held = halyard_verification_hold_callback(api->store, msp_id, provider, transaction_id,
                                                      body, message, sizeof message);
        if (held != 0) {
            halyard_log(HALYARD_LOG_WARNING, "verify", "msp=%s callback from %s not held: %s", msp,
                        provider, message);
            halyard_admin_api_reply_error(request, held > 0 ? 429 : 500, message);
            goto cleanup;
        }
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s callback from %s for a transaction not stored yet; held for %d s", msp,
                    provider, HALYARD_VERIFICATION_HOLD_SECONDS);
        reply_json(request, 202,
                   "{\"accepted\":true,\"held\":true,\"reason\":\"no verification has this "
                   "transaction_id yet; the callback is kept for a short time in case its "
                   "dispatch is still being recorded\"}");
        goto cleanup;
    }
    if (stored == 2) {
        reply_json(request, 200,
                   "{\"accepted\":false,\"reason\":\"the verification is already "
                   "finished\"}");
        goto cleanup;
    }
    /* The job reads when the callback arrived: a pass received by the deadline counts even
     * when halyard stops before the job runs and comes back after the deadline. */
    char key[64];
    char payload[128];
    snprintf(key, sizeof key, "verify_callback:%lld", verification_id);
    snprintf(payload, sizeof payload, "{\"verification_id\":%lld,\"received_at_ms\":%lld}",
             verification_id, halyard_clock_now_ms());
    if (stored < 0 || halyard_jobs_enqueue(api->store, msp_id, "verify_callback", key, payload, 0,
                                           message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "verify",
                    "msp=%s verification=%lld storing the callback "
                    "failed: %s",
                    msp, verification_id,
                    stored < 0 ? sqlite3_errmsg(halyard_store_database(api->store)) : message);
        halyard_admin_api_reply_error(request, 500, "storing the callback failed; send it again");
        goto cleanup;
    }
    halyard_log(HALYARD_LOG_INFO, "verify", "msp=%s verification=%lld callback from %s stored", msp,
                verification_id, provider);
    halyard_pipeline_wake(api->pipeline);
    reply_json(request, 202, "{\"accepted\":true}");

cleanup:
    free(transaction_id);
    free(body);
    halyard_verification_provider_clear(&connected);
}

/* Finds the id of an MSP that an admin token belongs to; replies 500 and returns -1 when the
 * database fails. */
static int admin_msp_id(halyard_verification_api *api, struct evhttp_request *request,
                        const char *msp, long long *msp_id)
{
    char message[VERIFY_MESSAGE_MAX];
    int created = 0;
    if (halyard_msp_find(api->store, msp, 0, msp_id, &created, message, sizeof message) != 0) {
        halyard_admin_api_reply_error(request, 500, message);
        return -1;
    }
    return 0;
}

static void reply_status(halyard_verification_api *api, struct evhttp_request *request,
                         long long msp_id, const char *msp, int status)
{
    char message[VERIFY_MESSAGE_MAX];
    char *json = NULL;
    if (halyard_verification_status_json(api->store, &api->key, msp_id, msp, &json, message,
                                         sizeof message) != 0) {
        halyard_admin_api_reply_error(request, 500, message);
        return;
    }
    reply_json(request, status, json);
    free(json);
}

/* GET /api/v1/verification. */
static void handle_show(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_verification_api *api = argument;
    char msp[64];
    long long msp_id = 0;
    if (halyard_admin_api_authenticate(api->admin, request, msp, sizeof msp) != 0 ||
        admin_msp_id(api, request, msp, &msp_id) != 0) {
        return;
    }
    reply_status(api, request, msp_id, msp, 200);
}

/* DELETE /api/v1/verification. */
static void handle_disconnect(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_verification_api *api = argument;
    char msp[64];
    char message[VERIFY_MESSAGE_MAX];
    long long msp_id = 0;
    if (halyard_admin_api_authenticate(api->admin, request, msp, sizeof msp) != 0 ||
        admin_msp_id(api, request, msp, &msp_id) != 0) {
        return;
    }
    if (halyard_verification_disconnect(api->store, msp_id, message, sizeof message) < 0) {
        halyard_admin_api_reply_error(request, 500, message);
        return;
    }
    halyard_log(HALYARD_LOG_INFO, "verify", "msp=%s verification provider disconnected", msp);
    reply_json(request, 200, "{\"connected\":false}");
}

/* True when the value at path is missing, null or a JSON string: the connect fields are text,
 * and halyard_json_read_text would read a number as its digits. */
static bool value_is_text_or_missing(halyard_verification_api *api, const char *body, size_t length,
                                     const char *path)
{
    sqlite3_stmt *statement = NULL;
    bool result = false;
    if (sqlite3_prepare_v2(halyard_store_database(api->store), "SELECT json_type(?1, ?2)", -1,
                           &statement, NULL) != SQLITE_OK) {
        return false;
    }
    sqlite3_bind_text(statement, 1, body, (int)length, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, path, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) == SQLITE_ROW) {
        const unsigned char *type = sqlite3_column_text(statement, 0);
        result = type == NULL || strcmp((const char *)type, "text") == 0 ||
                 strcmp((const char *)type, "null") == 0;
    }
    sqlite3_finalize(statement);
    return result;
}

/* POST /api/v1/verification. */
static void handle_connect(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_verification_api *api = argument;
    char msp[64];
    char message[VERIFY_MESSAGE_MAX];
    if (halyard_admin_api_authenticate(api->admin, request, msp, sizeof msp) != 0) {
        return;
    }
    size_t length = 0;
    char *body = read_body(request, &length);
    if (body == NULL) {
        return;
    }
    if (halyard_admin_api_reject_duplicate_keys(request, body, length) != 0) {
        sodium_memzero(body, length);
        free(body);
        return;
    }
    char *fields[4] = {NULL, NULL, NULL, NULL};
    static const char *const paths[4] = {"$.provider", "$.url", "$.api_key", "$.channel"};
    bool valid = halyard_json_valid(api->json, body, length);
    for (size_t i = 0; valid && i < 4; i++) {
        int read = halyard_json_read_exact_text(api->json, body, length, paths[i], &fields[i]);
        valid = (read == HALYARD_JSON_FOUND || (read == HALYARD_JSON_MISSING && i >= 2)) &&
                value_is_text_or_missing(api, body, length, paths[i]);
    }
    sodium_memzero(body, length);
    free(body);
    if (!valid) {
        halyard_admin_api_reply_error(request, 400,
                                      "send a JSON object with provider and url (strings), "
                                      "and optionally api_key and channel");
        goto cleanup;
    }

    halyard_verification_connect_input input = {
        .msp = msp,
        .provider = fields[0],
        .url = fields[1],
        .api_key = fields[2],
        .channel = fields[3],
    };
    char secret[HALYARD_VERIFY_CALLBACK_SECRET_CHARS + 1];
    if (halyard_verification_connect(api->store, &api->key, api->config, &input, secret, message,
                                     sizeof message) != 0) {
        halyard_admin_api_reply_error(request, 422, message);
        goto cleanup;
    }
    halyard_log(HALYARD_LOG_INFO, "verify", "msp=%s verification provider %s connected", msp,
                fields[0]);
    halyard_text_buffer reply;
    halyard_text_buffer_init(&reply, 4096);
    halyard_text_buffer_printf(&reply,
                               "{\"connected\":true,\"provider\":\"%s\","
                               "\"callback_secret\":\"%s\"}",
                               fields[0], secret);
    sodium_memzero(secret, sizeof secret);
    char *text = halyard_text_buffer_take(&reply);
    if (text == NULL) {
        halyard_admin_api_reply_error(request, 500, "out of memory");
        goto cleanup;
    }
    reply_json(request, 201, text);
    sodium_memzero(text, strlen(text));
    free(text);

cleanup:
    for (size_t i = 0; i < 4; i++) {
        if (fields[i] != NULL) {
            sodium_memzero(fields[i], strlen(fields[i]));
            free(fields[i]);
        }
    }
}

int halyard_verification_api_open(halyard_http_server *server, halyard_admin_api *admin,
                                  const halyard_config *config, const char *data_dir,
                                  halyard_pipeline *pipeline, halyard_verification_api **out,
                                  char *message, size_t message_size)
{
    *out = NULL;
    halyard_verification_api *api = calloc(1, sizeof *api);
    if (api == NULL) {
        snprintf(message, message_size, "out of memory opening the verification API");
        return -1;
    }
    api->admin = admin;
    api->config = config;
    api->pipeline = pipeline;
    if (halyard_data_folder_open(data_dir, &api->store, &api->key, message, message_size) != 0 ||
        halyard_json_reader_create(&api->json, message, message_size) != 0) {
        halyard_verification_api_close(api);
        return -1;
    }

    static const struct {
        enum evhttp_cmd_type method;
        halyard_http_handler handler;
    } routes[] = {
        {EVHTTP_REQ_GET, handle_show},
        {EVHTTP_REQ_POST, handle_connect},
        {EVHTTP_REQ_DELETE, handle_disconnect},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (halyard_http_server_route(server, routes[i].method, "/api/v1/verification",
                                      routes[i].handler, api, message, message_size) != 0) {
            halyard_verification_api_close(api);
            return -1;
        }
    }
    if (halyard_http_server_route(server, EVHTTP_REQ_POST, "/hooks/verify/{names...}",
                                  handle_callback, api, message, message_size) != 0) {
        halyard_verification_api_close(api);
        return -1;
    }
    *out = api;
    return 0;
}

void halyard_verification_api_close(halyard_verification_api *api)
{
    if (api == NULL) {
        return;
    }
    halyard_json_reader_free(api->json);
    halyard_store_close(api->store);
    sodium_memzero(&api->key, sizeof api->key);
    free(api);
}
