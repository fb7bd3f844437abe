#include "intake.h"

#include "intake_batch.h"
#include "log.h"
#include "webhook_credentials.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* How often the MSPs and their credentials are read again, in seconds. */
#define INTAKE_REFRESH_SECONDS 5
/* Rejections are logged at most once per this many seconds per kind, with a count of the rest. */
#define INTAKE_LOG_WINDOW_SECONDS 10
/* The longest Authorization value read: Basic credentials are far shorter. */
#define INTAKE_MAX_CREDENTIALS_BYTES 512
#define INTAKE_MAX_MSP_NAME          64

static const char intake_subsystem[] = "intake";
static const char intake_json_type[] = "application/json";

typedef struct {
    long long id;
    char name[INTAKE_MAX_MSP_NAME + 1];
    bool has_credentials;
    unsigned char digest[crypto_hash_sha256_BYTES]; /* SHA-256 of "username:password" */
} intake_msp;

/* One kind of repeated log line, written at most once per window. */
typedef struct {
    time_t window_start;
    unsigned long suppressed;
} log_limiter;

struct halyard_intake {
    struct event_base *base;
    halyard_http_server *server;
    halyard_store *store;
    const halyard_secret_key *key;
    halyard_delivery_writer *writer;
    struct event *refresh_timer;
    intake_msp *msps;
    size_t msp_count;
    double last_refresh;
    long long last_data_version; /* PRAGMA data_version at the last refresh, or -1 */
    bool stopping;
    halyard_intake_stats stats;
    void (*stored)(void *argument); /* called after a delivery added rows, or NULL */
    void *stored_argument;
    log_limiter unauthorized_log;
    log_limiter unknown_msp_log;
    log_limiter too_many_events_log;
    log_limiter refresh_log;
};

static double monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Returns true when a line may be written now and sets *suppressed to the lines held back since
 * the last one; otherwise counts this one. */
static bool limiter_allow(log_limiter *limiter, unsigned long *suppressed)
{
    time_t now = monotonic_seconds();
    if (limiter->window_start != 0 && now - limiter->window_start < INTAKE_LOG_WINDOW_SECONDS) {
        limiter->suppressed++;
        return false;
    }
    *suppressed = limiter->suppressed;
    limiter->suppressed = 0;
    limiter->window_start = now;
    return true;
}

static const char *peer_address(struct evhttp_request *request)
{
    struct evhttp_connection *connection = evhttp_request_get_connection(request);
    char *address = NULL;
    ev_uint16_t port = 0;
    if (connection == NULL) {
        return "unknown";
    }
    evhttp_connection_get_peer(connection, &address, &port);
    return address != NULL ? address : "unknown";
}

/* Reads the MSPs and the digests of their credentials. A failure keeps the previous list. */
/* Returns the connection's PRAGMA data_version, which changes when another connection (such as
 * `halyard connect` in another process) commits to the database file, or -1 when it cannot be
 * read. */
static long long read_data_version(sqlite3 *database)
{
    sqlite3_stmt *statement = NULL;
    long long version = -1;
    if (sqlite3_prepare_v2(database, "PRAGMA data_version", -1, &statement, NULL) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
        version = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    return version;
}

static int refresh_msps(halyard_intake *intake, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(intake->store);
    sqlite3_stmt *statement = NULL;
    intake_msp *msps = NULL;
    size_t count = 0;
    size_t capacity = 0;
    int status = -1;
    intake->last_refresh = monotonic_seconds();
    intake->last_data_version = read_data_version(database);

    if (sqlite3_prepare_v2(database, "SELECT id, name FROM msps ORDER BY id", -1, &statement,
                           NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the MSPs failed: %s", sqlite3_errmsg(database));
        goto cleanup;
    }
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        if (count == capacity) {
            capacity = capacity > 0 ? capacity * 2 : 8;
            intake_msp *grown = realloc(msps, capacity * sizeof *msps);
            if (grown == NULL) {
                snprintf(message, message_size, "out of memory reading the MSPs");
                goto cleanup;
            }
            msps = grown;
        }
        intake_msp *msp = &msps[count++];
        memset(msp, 0, sizeof *msp);
        msp->id = sqlite3_column_int64(statement, 0);
        snprintf(msp->name, sizeof msp->name, "%s", sqlite3_column_text(statement, 1));
    }
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the MSPs failed: %s", sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_finalize(statement);
    statement = NULL;

    /* Only the digest stays in memory; the plain password is wiped at once. */
    for (size_t i = 0; i < count; i++) {
        char *username = NULL;
        char *password = NULL;
        char error[256] = "";
        int read =
            halyard_webhook_credentials_read(intake->store, intake->key, msps[i].id, msps[i].name,
                                             &username, &password, error, sizeof error);
        if (read == 0) {
            crypto_hash_sha256_state hash;
            crypto_hash_sha256_init(&hash);
            crypto_hash_sha256_update(&hash, (const unsigned char *)username, strlen(username));
            crypto_hash_sha256_update(&hash, (const unsigned char *)":", 1);
            crypto_hash_sha256_update(&hash, (const unsigned char *)password, strlen(password));
            crypto_hash_sha256_final(&hash, msps[i].digest);
            msps[i].has_credentials = true;
        } else if (read < 0) {
            unsigned long suppressed = 0;
            if (limiter_allow(&intake->refresh_log, &suppressed)) {
                halyard_log(HALYARD_LOG_WARNING, intake_subsystem,
                            "msp %s: webhook deliveries are rejected with 401 until this is "
                            "fixed: %s (%lu such lines held back since the last one)",
                            msps[i].name, error, suppressed);
            }
        }
        free(username);
        halyard_webhook_credentials_free_password(password);
    }

    sodium_memzero(intake->msps, intake->msp_count * sizeof *intake->msps);
    free(intake->msps);
    intake->msps = msps;
    intake->msp_count = count;
    msps = NULL;
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    free(msps);
    return status;
}

/* Refreshes for a lookup that failed when the last refresh is at least 100 ms old or another
 * connection wrote to the database since. A delivery that arrives right after `halyard connect`
 * stored new credentials is then accepted, even within 100 ms of the last refresh, because
 * HaloPSA does not send a rejected delivery again. The bound keeps a flood of bad credentials
 * from rereading the MSPs on every request, and the data version is cheap to read. */
static void refresh_if_stale(halyard_intake *intake)
{
    if (monotonic_seconds() - intake->last_refresh < 0.1) {
        long long version = read_data_version(halyard_store_database(intake->store));
        if (version == intake->last_data_version && version != -1) {
            return;
        }
    }
    char message[256];
    if (refresh_msps(intake, message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, intake_subsystem, "%s", message);
    }
}

static void on_refresh_timer(evutil_socket_t fd, short what, void *argument)
{
    (void)fd;
    (void)what;
    halyard_intake *intake = argument;
    char message[256];
    if (refresh_msps(intake, message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, intake_subsystem, "%s", message);
    }
}

static const intake_msp *find_msp_by_name(const halyard_intake *intake, const char *name)
{
    for (size_t i = 0; i < intake->msp_count; i++) {
        if (strcmp(intake->msps[i].name, name) == 0) {
            return &intake->msps[i];
        }
    }
    return NULL;
}

static const char *msp_name_of(const halyard_intake *intake, long long id)
{
    for (size_t i = 0; i < intake->msp_count; i++) {
        if (intake->msps[i].id == id) {
            return intake->msps[i].name;
        }
    }
    return "(removed)";
}

/* Checks the request's Basic credentials against the MSP's. Returns NULL when they match, or the
 * reason for the log line. */
static const char *check_credentials(const intake_msp *msp, struct evhttp_request *request)
{
    if (!msp->has_credentials) {
        return "no webhook credentials are set for this MSP (run halyard intake credentials)";
    }
    const char *header =
        evhttp_find_header(evhttp_request_get_input_headers(request), "Authorization");
    if (header == NULL) {
        return "no Authorization header";
    }
    if (strncasecmp(header, "Basic ", 6) != 0) {
        return "the Authorization header is not Basic";
    }
    const char *encoded = header + 6;
    while (*encoded == ' ') {
        encoded++;
    }

    unsigned char decoded[INTAKE_MAX_CREDENTIALS_BYTES];
    size_t decoded_length = 0;
    if (sodium_base642bin(decoded, sizeof decoded, encoded, strlen(encoded), " ", &decoded_length,
                          NULL, sodium_base64_VARIANT_ORIGINAL) != 0 &&
        sodium_base642bin(decoded, sizeof decoded, encoded, strlen(encoded), " ", &decoded_length,
                          NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0) {
        return "the Basic credentials are not valid base64";
    }

    /* Equal-length digests, compared in constant time, so timing reveals nothing of the password.
     */
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, decoded, decoded_length);
    sodium_memzero(decoded, sizeof decoded);
    if (sodium_memcmp(digest, msp->digest, sizeof digest) != 0) {
        return "wrong username or password";
    }
    return NULL;
}

static void reply_json(struct evhttp_request *request, int status, const char *body)
{
    halyard_http_reply_send(request, status, intake_json_type, body, strlen(body));
}

static void reject_unauthorized(halyard_intake *intake, struct evhttp_request *request,
                                const char *msp_name, const char *reason)
{
    intake->stats.rejected_unauthorized++;
    unsigned long suppressed = 0;
    if (limiter_allow(&intake->unauthorized_log, &suppressed)) {
        char held_back[64] = "";
        if (suppressed > 0) {
            snprintf(held_back, sizeof held_back, " (and %lu more since the last such line)",
                     suppressed);
        }
        halyard_log(HALYARD_LOG_WARNING, intake_subsystem,
                    "rejected a delivery for msp %s from %s with 401: %s%s", msp_name,
                    peer_address(request), reason, held_back);
    }
    evhttp_add_header(evhttp_request_get_output_headers(request), "WWW-Authenticate",
                      "Basic realm=\"halyard\"");
    reply_json(request, 401,
               "{\"error\":\"invalid webhook credentials: use the username and password that "
               "halyard intake credentials prints for this MSP\"}");
}

static void reject_unknown_msp(halyard_intake *intake, struct evhttp_request *request,
                               const char *msp_name)
{
    intake->stats.rejected_unknown_msp++;
    unsigned long suppressed = 0;
    if (limiter_allow(&intake->unknown_msp_log, &suppressed)) {
        char held_back[64] = "";
        if (suppressed > 0) {
            snprintf(held_back, sizeof held_back, " (and %lu more since the last such line)",
                     suppressed);
        }
        halyard_log(HALYARD_LOG_WARNING, intake_subsystem,
                    "rejected a delivery for unknown msp '%.64s' from %s with 404%s", msp_name,
                    peer_address(request), held_back);
    }
    reply_json(request, 404, "{\"error\":\"no MSP has this name; check the webhook URL\"}");
}

/* Replies 413 to a batch of more events than HALYARD_INTAKE_MAX_BATCH_EVENTS and stores
 * nothing of it. */
static void reject_too_many_events(halyard_intake *intake, struct evhttp_request *request,
                                   const char *msp_name, size_t length)
{
    intake->stats.rejected_too_many_events++;
    unsigned long suppressed = 0;
    if (limiter_allow(&intake->too_many_events_log, &suppressed)) {
        char held_back[64] = "";
        if (suppressed > 0) {
            snprintf(held_back, sizeof held_back, " (and %lu more since the last such line)",
                     suppressed);
        }
        halyard_log(HALYARD_LOG_WARNING, intake_subsystem,
                    "rejected a delivery of %zu bytes for msp %s from %s with 413: its batch has "
                    "more than %d events; set the batch limit of halyard's webhook in HaloPSA to "
                    "%d or less%s",
                    length, msp_name, peer_address(request), HALYARD_INTAKE_MAX_BATCH_EVENTS,
                    HALYARD_INTAKE_MAX_BATCH_EVENTS, held_back);
    }
    char body[256];
    int body_length =
        snprintf(body, sizeof body,
                 "{\"error\":\"the batch has more than %d events, the most halyard accepts in "
                 "one request; nothing was stored. Set the batch limit of this webhook in "
                 "HaloPSA to %d or less and send the events again\",\"max_events\":%d}",
                 HALYARD_INTAKE_MAX_BATCH_EVENTS, HALYARD_INTAKE_MAX_BATCH_EVENTS,
                 HALYARD_INTAKE_MAX_BATCH_EVENTS);
    halyard_http_reply_send(request, 413, intake_json_type, body, (size_t)body_length);
}

static void handle_delivery(struct evhttp_request *request, const char *msp_name, void *argument)
{
    halyard_intake *intake = argument;

    /* Step 1: while stopping, HaloPSA should come back later. */
    if (intake->stopping) {
        intake->stats.rejected_stopping++;
        struct evkeyvalq *headers = evhttp_request_get_output_headers(request);
        evhttp_add_header(headers, "Retry-After", "5");
        evhttp_add_header(headers, "Connection", "close");
        reply_json(request, 503, "{\"error\":\"halyard is stopping; retry later\"}");
        return;
    }

    /* Step 2: the MSP, then its credentials. A miss rereads both once before rejecting. */
    const intake_msp *msp = find_msp_by_name(intake, msp_name);
    if (msp == NULL) {
        refresh_if_stale(intake);
        msp = find_msp_by_name(intake, msp_name);
    }
    if (msp == NULL) {
        reject_unknown_msp(intake, request, msp_name);
        return;
    }
    const char *rejection = check_credentials(msp, request);
    if (rejection != NULL) {
        refresh_if_stale(intake);
        msp = find_msp_by_name(intake, msp_name);
        if (msp == NULL) {
            reject_unknown_msp(intake, request, msp_name);
            return;
        }
        rejection = check_credentials(msp, request);
    }
    if (rejection != NULL) {
        reject_unauthorized(intake, request, msp_name, rejection);
        return;
    }

    /* Step 3: a batch over the limit would hold the database's write lock for too long. */
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    size_t length = evbuffer_get_length(input);
    const unsigned char *body = evbuffer_pullup(input, -1);
    if (halyard_intake_batch_count(body, length, HALYARD_INTAKE_MAX_BATCH_EVENTS) >
        HALYARD_INTAKE_MAX_BATCH_EVENTS) {
        reject_too_many_events(intake, request, msp->name, length);
        return;
    }

    /* Step 4: hand the body to the writer. The reply waits until the rows are on disk. */
    halyard_delivery *delivery = halyard_delivery_new(msp->id, body, length, NULL);
    if (delivery == NULL) {
        halyard_log(HALYARD_LOG_ERROR, intake_subsystem,
                    "out of memory copying a delivery of %zu bytes for msp %s; answered 503",
                    length, msp->name);
        reply_json(request, 503, "{\"error\":\"out of memory; retry later\"}");
        return;
    }
    delivery->context = halyard_http_server_defer(intake->server, request);
    if (delivery->context == NULL) {
        halyard_delivery_free(delivery);
        return;
    }
    halyard_delivery_writer_submit(intake->writer, delivery);
}

/* Sends the reply for a delivery the writer has finished, on the loop thread. */
static void on_delivery_done(halyard_delivery *delivery, void *argument)
{
    halyard_intake *intake = argument;
    halyard_http_deferred *deferred = delivery->context;
    const char *msp_name = msp_name_of(intake, delivery->msp_id);

    if (delivery->status != HALYARD_DELIVERY_STORED) {
        intake->stats.deliveries_failed++;
        evhttp_add_header(
            evhttp_request_get_output_headers(halyard_http_deferred_request(deferred)),
            "Retry-After", "5");
        static const char failed[] = "{\"error\":\"storing the delivery failed; retry later\"}";
        halyard_http_deferred_send(deferred, 503, intake_json_type, failed, sizeof failed - 1);
        halyard_delivery_free(delivery);
        return;
    }

    intake->stats.deliveries_stored++;
    if (delivery->rows_added > 0 && intake->stored != NULL) {
        intake->stored(intake->stored_argument);
    }
    intake->stats.events_added += delivery->rows_added;
    intake->stats.rows_flagged += delivery->rows_flagged;
    if (delivery->rows_flagged > 0) {
        halyard_log(HALYARD_LOG_INFO, intake_subsystem,
                    "msp %s: stored %u unreadable part(s) of a %zu-byte delivery with flag %s "
                    "(first row %lld) and answered 200",
                    msp_name, delivery->rows_flagged, delivery->body_length, delivery->flag,
                    (long long)delivery->first_row_id);
    }
    if (delivery->rows_truncated > 0) {
        halyard_log(HALYARD_LOG_INFO, intake_subsystem,
                    "msp %s: stored %u event(s) of a %zu-byte delivery with flag truncated, "
                    "keeping only their GUID, event and ticket id because an event is over the "
                    "stored limit; their tickets are read from HaloPSA as usual (first row %lld)",
                    msp_name, delivery->rows_truncated, delivery->body_length,
                    (long long)delivery->first_row_id);
    }
    if (delivery->rows_flagged == 0 && delivery->rows_truncated == 0) {
        halyard_log(HALYARD_LOG_DEBUG, intake_subsystem,
                    "msp %s: stored a delivery of %zu bytes, %u new event(s)", msp_name,
                    delivery->body_length, delivery->rows_added);
    }

    /* "truncated" appears only when some event was, so the usual answer keeps its form. */
    char body[96];
    int length =
        delivery->rows_truncated > 0
            ? snprintf(body, sizeof body, "{\"stored\":%u,\"flagged\":%u,\"truncated\":%u}",
                       delivery->rows_added, delivery->rows_flagged, delivery->rows_truncated)
            : snprintf(body, sizeof body, "{\"stored\":%u,\"flagged\":%u}", delivery->rows_added,
                       delivery->rows_flagged);
    halyard_http_deferred_send(deferred, 200, intake_json_type, body, (size_t)length);
    halyard_delivery_free(delivery);
}

void halyard_intake_set_stored_callback(halyard_intake *intake, void (*stored)(void *argument),
                                        void *argument)
{
    intake->stored = stored;
    intake->stored_argument = argument;
}

int halyard_intake_open(const halyard_intake_settings *settings, halyard_intake **out,
                        char *message, size_t message_size)
{
    *out = NULL;
    halyard_intake *intake = calloc(1, sizeof *intake);
    if (intake == NULL) {
        snprintf(message, message_size, "out of memory opening the webhook intake");
        return -1;
    }
    intake->base = settings->base;
    intake->server = settings->server;
    intake->store = settings->store;
    intake->key = settings->key;

    /* Step 1: the MSPs, and a timer that rereads them. */
    if (refresh_msps(intake, message, message_size) != 0) {
        goto fail;
    }
    intake->refresh_timer = event_new(settings->base, -1, EV_PERSIST, on_refresh_timer, intake);
    struct timeval interval = {INTAKE_REFRESH_SECONDS, 0};
    if (intake->refresh_timer == NULL || event_add(intake->refresh_timer, &interval) != 0) {
        snprintf(message, message_size, "starting the intake's refresh timer failed");
        goto fail;
    }

    /* Step 2: the writer, then the route that feeds it. */
    if (halyard_delivery_writer_start(settings->base, settings->database_path,
                                      settings->writer_options, on_delivery_done, intake,
                                      &intake->writer, message, message_size) != 0) {
        goto fail;
    }
    if (halyard_http_server_route(settings->server, EVHTTP_REQ_POST, "/hooks/halopsa/{msp}",
                                  handle_delivery, intake, message, message_size) != 0) {
        goto fail;
    }
    *out = intake;
    return 0;

fail:
    halyard_intake_close(intake);
    return -1;
}

void halyard_intake_stop(halyard_intake *intake)
{
    intake->stopping = true;
}

size_t halyard_intake_in_flight(const halyard_intake *intake)
{
    return halyard_delivery_writer_in_flight(intake->writer);
}

void halyard_intake_read_stats(halyard_intake *intake, halyard_intake_stats *stats)
{
    *stats = intake->stats;
    halyard_delivery_writer_read_stats(intake->writer, &stats->writer);
}

void halyard_intake_close(halyard_intake *intake)
{
    if (intake == NULL) {
        return;
    }
    halyard_delivery_writer_stop(intake->writer);
    if (intake->refresh_timer != NULL) {
        event_free(intake->refresh_timer);
    }
    sodium_memzero(intake->msps, intake->msp_count * sizeof *intake->msps);
    free(intake->msps);
    free(intake);
}
