#include "test_api.h"

#include "clock.h"
#include "json_reader.h"
#include "log.h"
#include "run_writes.h"
#include "store.h"

#include <event2/buffer.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest single advance: a year and a day, in ms. Larger jumps are more likely a unit
 * mistake (seconds sent as ms the other way round) than a test's intent. */
#define TEST_ADVANCE_MAX_MS (366LL * 24 * 3600 * 1000)
/* The largest POST body; {"advance_ms": N} is far shorter. */
#define TEST_BODY_MAX 1024
/* The largest body of a write queued through the test API. */
#define TEST_WRITE_BODY_MAX (64 * 1024)

struct halyard_test_api {
    halyard_admin_api *admin_api;
    halyard_pipeline *pipeline;
    halyard_store *store;
};

static void reply_json(struct evhttp_request *request, const char *body)
{
    halyard_http_reply_send(request, 200, "application/json", body, strlen(body));
}

static void reply_clock(struct evhttp_request *request)
{
    char body[96];
    snprintf(body, sizeof body, "{\"now_ms\":%lld,\"offset_ms\":%lld}", halyard_clock_now_ms(),
             halyard_clock_offset_ms());
    reply_json(request, body);
}

static void handle_read_clock(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_test_api *api = argument;
    char msp[64];
    if (halyard_admin_api_authenticate(api->admin_api, request, msp, sizeof msp) == 0) {
        reply_clock(request);
    }
}

/* Reads advance_ms from a body of at most TEST_BODY_MAX bytes. Returns 0, or -1 after replying
 * 400. */
static int read_advance(struct evhttp_request *request, long long *advance_ms)
{
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    size_t length = evbuffer_get_length(input);
    char body[TEST_BODY_MAX + 1];
    char raw_message[128];
    halyard_json_reader *json = NULL;
    char *raw = NULL;
    int status = -1;
    if (length == 0 || length > TEST_BODY_MAX) {
        goto invalid;
    }
    evbuffer_copyout(input, body, length);
    body[length] = '\0';
    if (halyard_json_reader_create(&json, raw_message, sizeof raw_message) != 0) {
        halyard_admin_api_reply_error(request, 500, raw_message);
        return -1;
    }

    /* A JSON number written as plain digits, like the import's ids. */
    halyard_json_read_json(json, body, length, "$.advance_ms", &raw);
    size_t digits = raw != NULL ? strspn(raw, "0123456789") : 0;
    if (digits > 0 && digits <= 15 && raw[digits] == '\0' &&
        halyard_json_read_integer(json, body, length, "$.advance_ms", advance_ms) ==
            HALYARD_JSON_FOUND &&
        *advance_ms >= 1 && *advance_ms <= TEST_ADVANCE_MAX_MS) {
        status = 0;
    }
    free(raw);
    halyard_json_reader_free(json);
    if (status == 0) {
        return 0;
    }

invalid:
    halyard_admin_api_reply_error(request, 400,
                                  "advance_ms is missing or invalid: send {\"advance_ms\": N} "
                                  "with N a whole number of milliseconds from 1 to 31622400000 "
                                  "(366 days)");
    return -1;
}

static void handle_advance_clock(struct evhttp_request *request, const char *parameter,
                                 void *argument)
{
    (void)parameter;
    halyard_test_api *api = argument;
    char msp[64];
    long long advance_ms = 0;
    if (halyard_admin_api_authenticate(api->admin_api, request, msp, sizeof msp) != 0 ||
        read_advance(request, &advance_ms) != 0) {
        return;
    }
    if (halyard_clock_advance(advance_ms) != 0) {
        halyard_admin_api_reply_error(request, 409, "the test clock is off");
        return;
    }
    halyard_log(HALYARD_LOG_INFO, "test",
                "msp=%s moved the test clock forward by %lld ms (offset %lld ms)", msp, advance_ms,
                halyard_clock_offset_ms());
    halyard_pipeline_wake(api->pipeline);
    reply_clock(request);
}

/* Runs a query that returns one integer or NULL, binding the business time to ?1 when the
 * query has it. Returns 0 with *value (0 for NULL) and *is_null, or -1. */
static int read_number(halyard_test_api *api, const char *sql, long long now_ms, long long *value,
                       bool *is_null)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(api->store), sql, -1, &statement, NULL) ==
        SQLITE_OK) {
        if (sqlite3_bind_parameter_count(statement) >= 1) {
            sqlite3_bind_int64(statement, 1, now_ms);
        }
        if (sqlite3_step(statement) == SQLITE_ROW) {
            *is_null = sqlite3_column_type(statement, 0) == SQLITE_NULL;
            *value = sqlite3_column_int64(statement, 0);
            status = 0;
        }
    }
    sqlite3_finalize(statement);
    return status;
}

/* Selects the business time at which the next follow-up job is due, or NULL. A follow-up job
 * never ran and continues work handed on with a delay, such as a screening that found its run
 * busy and looks again 2 s later. Retries (attempts above 0) are left out, because they wait
 * out a backoff after an error. So are the jobs that wait on a person or a timer: polls of a
 * waiting challenge, the challenge's and an approval request's deadlines, and the periodic
 * check of approval replies. */
#define ACTIVITY_NEXT_FOLLOW_UP_SQL                                                                \
    "SELECT min(run_after_ms) FROM jobs WHERE state = 'ready' AND run_after_ms > ?1"               \
    " AND attempts = 0"                                                                            \
    " AND kind NOT IN ('verify_poll', 'verify_deadline', 'expire_approval', 'approval_check')"

static void handle_activity(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_test_api *api = argument;
    char msp[64];
    if (halyard_admin_api_authenticate(api->admin_api, request, msp, sizeof msp) != 0) {
        return;
    }

    long long now_ms = halyard_clock_now_ms();
    long long deliveries_new = 0;
    long long jobs_due = 0;
    long long jobs_waiting = 0;
    long long jobs_dead = 0;
    long long next_due = 0;
    long long next_follow_up = 0;
    bool is_null = false;
    bool no_next_due = false;
    bool no_next_follow_up = false;
    if (read_number(api, "SELECT count(*) FROM deliveries WHERE state = 'new'", now_ms,
                    &deliveries_new, &is_null) != 0 ||
        read_number(api, "SELECT count(*) FROM jobs WHERE state = 'ready' AND run_after_ms <= ?1",
                    now_ms, &jobs_due, &is_null) != 0 ||
        read_number(api, "SELECT count(*) FROM jobs WHERE state = 'ready' AND run_after_ms > ?1",
                    now_ms, &jobs_waiting, &is_null) != 0 ||
        read_number(api, "SELECT count(*) FROM jobs WHERE state = 'dead'", now_ms, &jobs_dead,
                    &is_null) != 0 ||
        read_number(
            api, "SELECT min(run_after_ms) FROM jobs WHERE state = 'ready' AND run_after_ms > ?1",
            now_ms, &next_due, &no_next_due) != 0 ||
        read_number(api, ACTIVITY_NEXT_FOLLOW_UP_SQL, now_ms, &next_follow_up,
                    &no_next_follow_up) != 0) {
        halyard_admin_api_reply_error(request, 500,
                                      sqlite3_errmsg(halyard_store_database(api->store)));
        return;
    }
    size_t running = halyard_pipeline_in_flight(api->pipeline);

    char next_text[32];
    char follow_up_text[32];
    snprintf(next_text, sizeof next_text, "%lld", next_due);
    snprintf(follow_up_text, sizeof follow_up_text, "%lld", next_follow_up);
    char body[640];
    snprintf(body, sizeof body,
             "{\"idle\":%s,\"deliveries_new\":%lld,\"jobs_running\":%zu,\"jobs_due\":%lld,"
             "\"jobs_waiting\":%lld,\"jobs_dead\":%lld,\"next_job_due_ms\":%s,"
             "\"next_follow_up_due_ms\":%s,\"now_ms\":%lld}",
             deliveries_new == 0 && running == 0 && jobs_due == 0 ? "true" : "false",
             deliveries_new, running, jobs_due, jobs_waiting, jobs_dead,
             no_next_due ? "null" : next_text, no_next_follow_up ? "null" : follow_up_text, now_ms);
    reply_json(request, body);
}

/* Copies column of statement's row into *copy (NULL for SQL NULL). Returns false when out of
 * memory. */
static bool copy_column(sqlite3_stmt *statement, int column, char **copy)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    *copy = text != NULL ? strdup((const char *)text) : NULL;
    return text == NULL || *copy != NULL;
}

/*
 * POST /api/v1/test/writes {"run_id": N, "key": "...", "write": {...}}: queues a write for a run
 * of the caller's MSP through the outbox (run_writes.h), so tests can drive exactly-once writes
 * without a workflow that makes them. Answers 202, 400 for a bad body or write, 404 for a run
 * of another MSP or none.
 */
static void handle_add_write(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_test_api *api = argument;
    char msp[64];
    if (halyard_admin_api_authenticate(api->admin_api, request, msp, sizeof msp) != 0) {
        return;
    }
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    size_t length = evbuffer_get_length(input);
    if (length == 0 || length > TEST_WRITE_BODY_MAX) {
        halyard_admin_api_reply_error(request, 400,
                                      "send {\"run_id\": N, \"key\": \"...\", \"write\": {...}} "
                                      "of at most 64 KiB");
        return;
    }
    char *body = malloc(length + 1);
    if (body == NULL) {
        halyard_admin_api_reply_error(request, 500, "out of memory");
        return;
    }
    evbuffer_copyout(input, body, length);
    body[length] = '\0';

    /* Step 1: the run, read and finished before the write. A statement left on its row keeps
     * a read transaction open, and SQLite cannot wait for the write lock when it upgrades a
     * read transaction: the write would fail at once with "database is locked" whenever
     * another connection writes. */
    sqlite3_stmt *statement = NULL;
    char message[512];
    int step = SQLITE_ERROR;
    long long run_id = 0;
    long long msp_id = 0;
    long long ticket_id = 0;
    char *key = NULL;
    char *write = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(api->store),
                           "SELECT r.id, r.msp_id, r.ticket_id, json_extract(?1, '$.key'),"
                           " json(json_extract(?1, '$.write'))"
                           " FROM runs r JOIN msps m ON m.id = r.msp_id"
                           " WHERE json_valid(?1) AND r.id = json_extract(?1, '$.run_id')"
                           " AND m.name = ?2",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, body, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, msp, -1, SQLITE_STATIC);
        step = sqlite3_step(statement);
    }
    if (step == SQLITE_ROW) {
        run_id = sqlite3_column_int64(statement, 0);
        msp_id = sqlite3_column_int64(statement, 1);
        ticket_id = sqlite3_column_int64(statement, 2);
        if (!copy_column(statement, 3, &key) || !copy_column(statement, 4, &write)) {
            step = SQLITE_NOMEM;
        }
    }
    if (step == SQLITE_NOMEM) {
        snprintf(message, sizeof message, "out of memory reading the write");
    } else if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(message, sizeof message, "%s", sqlite3_errmsg(halyard_store_database(api->store)));
    }
    sqlite3_finalize(statement);
    free(body);

    /* Step 2: the write, in a transaction of its own. */
    if (step == SQLITE_DONE) {
        halyard_admin_api_reply_error(request, 404,
                                      "no run of this MSP has that run_id; read the runs with "
                                      "GET /api/v1/runs");
    } else if (step != SQLITE_ROW) {
        halyard_admin_api_reply_error(request, 500, message);
    } else if (halyard_run_writes_add(api->store, msp_id, run_id, ticket_id, key, write, NULL, NULL,
                                      message, sizeof message) != 0) {
        halyard_admin_api_reply_error(request, 400, message);
    } else {
        halyard_pipeline_wake(api->pipeline);
        /* The length once read 2 bytes past this literal's end (17 for 15 characters), which
         * AddressSanitizer reported in tests/integration/writes.lua. */
        static const char queued[] = "{\"queued\":true}";
        halyard_http_reply_send(request, 202, "application/json", queued, sizeof queued - 1);
    }
    free(key);
    free(write);
}

int halyard_test_api_open(halyard_http_server *server, halyard_admin_api *admin_api,
                          halyard_pipeline *pipeline, const char *data_dir, halyard_test_api **out,
                          char *message, size_t message_size)
{
    *out = NULL;
    halyard_test_api *api = calloc(1, sizeof *api);
    if (api == NULL) {
        snprintf(message, message_size, "out of memory opening the test API");
        return -1;
    }
    api->admin_api = admin_api;
    api->pipeline = pipeline;

    char database_path[4096];
    snprintf(database_path, sizeof database_path, "%s/halyard.db", data_dir);
    if (halyard_store_open(database_path, &api->store, message, message_size) != 0) {
        free(api);
        return -1;
    }

    static const struct {
        enum evhttp_cmd_type method;
        const char *pattern;
        halyard_http_handler handler;
    } routes[] = {
        {EVHTTP_REQ_GET, "/api/v1/test/clock", handle_read_clock},
        {EVHTTP_REQ_POST, "/api/v1/test/clock", handle_advance_clock},
        {EVHTTP_REQ_GET, "/api/v1/test/activity", handle_activity},
        {EVHTTP_REQ_POST, "/api/v1/test/writes", handle_add_write},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (halyard_http_server_route(server, routes[i].method, routes[i].pattern,
                                      routes[i].handler, api, message, message_size) != 0) {
            halyard_test_api_close(api);
            return -1;
        }
    }
    *out = api;
    return 0;
}

void halyard_test_api_close(halyard_test_api *api)
{
    if (api == NULL) {
        return;
    }
    halyard_store_close(api->store);
    free(api);
}
