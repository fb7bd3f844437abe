#include "admin_runs.h"

#include "admin_api.h"
#include "approvals_stop.h"
#include "data_folder.h"
#include "json_reader.h"
#include "log.h"
#include "text_buffer.h"

#include <event2/buffer.h>

#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS_DEFAULT_LIMIT 100
/* The largest response body, in bytes; past it the reply is 500, asking for fewer runs. */
#define RUNS_BODY_MAX (64 * 1024 * 1024)
/* The maximum size of a cancel request's body, in bytes: {"reason": ...} and some room. */
#define CANCEL_BODY_MAX 4096

/* Reads query parameter name as a whole number from 1 to maximum written as plain digits
 * (halyard_admin_api_parse_id). Returns 1 when present and valid, 0 when absent, -1 when
 * invalid. */
static int read_parameter(struct evkeyvalq *query, const char *name, long long maximum,
                          long long *value)
{
    const char *text = evhttp_find_header(query, name);
    if (text == NULL) {
        return 0;
    }
    return halyard_admin_api_parse_id(text, maximum, value) == 0 ? 1 : -1;
}

/* Appends the events of run_id as a JSON array, oldest first. Returns 0, or -1. */
static int append_events(sqlite3 *database, halyard_text_buffer *body, long long run_id)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT json_object('at', at, 'kind', kind, 'detail', detail) FROM"
                           " (SELECT id, at, kind, detail FROM run_events WHERE run_id = ?1"
                           " ORDER BY id DESC LIMIT ?2) ORDER BY id",
                           -1, &statement, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_int(statement, 2, HALYARD_ADMIN_RUN_EVENTS_MAX);
    halyard_text_buffer_append_text(body, "[");
    bool first = true;
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        halyard_text_buffer_printf(body, "%s%s", first ? "" : ",",
                                   (const char *)sqlite3_column_text(statement, 0));
        first = false;
    }
    halyard_text_buffer_append_text(body, "]");
    sqlite3_finalize(statement);
    return step == SQLITE_DONE ? 0 : -1;
}

void halyard_admin_runs_reply(struct evhttp_request *request, halyard_store *store, const char *msp)
{
    /* Step 1: the query parameters. */
    long long ticket_id = 0;
    long long limit = RUNS_DEFAULT_LIMIT;
    struct evkeyvalq query;
    if (halyard_admin_api_read_query(request, &query) != 0) {
        return;
    }
    int ticket_given = read_parameter(&query, "ticket_id", 999999999999999LL, &ticket_id);
    int limit_given = read_parameter(&query, "limit", HALYARD_ADMIN_RUNS_MAX, &limit);
    evhttp_clear_headers(&query);
    if (ticket_given < 0) {
        halyard_admin_api_reply_error(request, 400,
                                      "ticket_id is not a ticket id: send a positive whole "
                                      "number in plain digits without leading zeros, like "
                                      "?ticket_id=4242");
        return;
    }
    if (limit_given < 0) {
        halyard_admin_api_reply_error(request, 400,
                                      "limit is invalid: send a whole number from 1 to 1000");
        return;
    }

    /* Step 2: the runs, each with its events. */
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(
            database,
            "SELECT r.id, json_object('id', r.id, 'ticket_id', r.ticket_id, 'client_id',"
            " r.halo_client_id, 'state', r.state, 'mode', r.mode, 'ticket_closed',"
            " json(CASE WHEN r.ticket_closed THEN 'true' ELSE 'false' END), 'note_action_id',"
            " r.note_action_id, 'created_at', r.created_at, 'updated_at', r.updated_at)"
            " FROM runs r JOIN msps m ON m.id = r.msp_id"
            " WHERE m.name = ?1 AND (?2 = 0 OR r.ticket_id = ?2) ORDER BY r.id DESC LIMIT ?3",
            -1, &statement, NULL) != SQLITE_OK) {
        halyard_admin_api_reply_error(request, 500, sqlite3_errmsg(database));
        return;
    }
    sqlite3_bind_text(statement, 1, msp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 2, ticket_id);
    sqlite3_bind_int64(statement, 3, limit);

    halyard_text_buffer body;
    halyard_text_buffer_init(&body, RUNS_BODY_MAX);
    halyard_text_buffer_append_text(&body, "{\"runs\":[");
    bool first = true;
    int step;
    int failed = 0;
    while (!failed && (step = sqlite3_step(statement)) == SQLITE_ROW) {
        /* The run's object without its closing brace, then its events. */
        const char *run = (const char *)sqlite3_column_text(statement, 1);
        halyard_text_buffer_append_text(&body, first ? "" : ",");
        halyard_text_buffer_append(&body, run, strlen(run) - 1);
        halyard_text_buffer_append_text(&body, ",\"events\":");
        failed = append_events(database, &body, sqlite3_column_int64(statement, 0));
        halyard_text_buffer_append_text(&body, "}");
        first = false;
    }
    if (!failed && step != SQLITE_DONE) {
        failed = -1;
    }
    sqlite3_finalize(statement);
    halyard_text_buffer_append_text(&body, "]}");

    char *text = halyard_text_buffer_take(&body);
    if (failed || text == NULL) {
        halyard_admin_api_reply_error(request, 500,
                                      failed ? sqlite3_errmsg(database)
                                             : "out of memory or the answer is too large: "
                                               "ask for fewer runs with ?limit=");
    } else {
        halyard_http_reply_send(request, 200, "application/json", text, strlen(text));
    }
    free(text);
}

/* Reads the optional "reason" of a cancel body into reason. Returns 0, or -1 after replying
 * 400. */
static int read_cancel_reason(struct evhttp_request *request, char *reason, size_t reason_size)
{
    reason[0] = '\0';
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    size_t length = evbuffer_get_length(input);
    if (length == 0) {
        return 0;
    }
    if (length > CANCEL_BODY_MAX) {
        halyard_admin_api_reply_error(request, 400, "the request body is larger than 4 KiB");
        return -1;
    }
    char body[CANCEL_BODY_MAX + 1];
    evbuffer_copyout(input, body, length);
    body[length] = '\0';
    if (halyard_admin_api_reject_duplicate_keys(request, body, length) != 0) {
        return -1;
    }

    char message[256];
    halyard_json_reader *json = NULL;
    if (halyard_json_reader_create(&json, message, sizeof message) != 0) {
        halyard_admin_api_reply_error(request, 500, message);
        return -1;
    }
    int status = 0;
    char *raw = NULL;
    char *text = NULL;
    if (!halyard_json_valid(json, body, length)) {
        halyard_admin_api_reply_error(request, 400, "the request body is not valid JSON");
        status = -1;
    } else if (halyard_json_read_json(json, body, length, "$.reason", &raw) == HALYARD_JSON_FOUND &&
               (raw[0] != '"' ||
                halyard_json_read_exact_text(json, body, length, "$.reason", &text) !=
                    HALYARD_JSON_FOUND ||
                strlen(text) >= reason_size)) {
        snprintf(message, sizeof message,
                 "reason is invalid: send text of at most %zu bytes, like {\"reason\": \"wrong "
                 "plan\"}",
                 reason_size - 1);
        halyard_admin_api_reply_error(request, 400, message);
        status = -1;
    } else if (text != NULL) {
        snprintf(reason, reason_size, "%s", text);
    }
    free(raw);
    free(text);
    halyard_json_reader_free(json);
    return status;
}

void halyard_admin_runs_cancel(struct evhttp_request *request, halyard_store *store,
                               const char *msp, const char *run_id_text)
{
    long long run_id = 0;
    if (halyard_admin_api_parse_id(run_id_text, 999999999999999LL, &run_id) != 0) {
        halyard_admin_api_reply_error(request, 400,
                                      "the run id in the path is invalid: use a positive whole "
                                      "number from GET /api/v1/runs, in plain digits");
        return;
    }
    char reason[HALYARD_ADMIN_CANCEL_REASON_MAX + 1];
    if (read_cancel_reason(request, reason, sizeof reason) != 0) {
        return;
    }

    char message[1024];
    long long msp_id = 0;
    int created = 0;
    int found = halyard_msp_find(store, msp, 0, &msp_id, &created, message, sizeof message);
    if (found == 1) {
        snprintf(message, sizeof message, "run %lld not found: list runs with GET /api/v1/runs",
                 run_id);
        halyard_admin_api_reply_error(request, 404, message);
        return;
    }
    if (found != 0) {
        halyard_admin_api_reply_error(request, 500, message);
        return;
    }
    char who[96];
    snprintf(who, sizeof who, "the admin API (a token of MSP %s)", msp);
    char previous[32] = "";
    int outcome = halyard_approvals_cancel_run(store, msp_id, run_id, who, reason, previous,
                                               sizeof previous, message, sizeof message);
    if (outcome < 0) {
        halyard_log(HALYARD_LOG_ERROR, "admin", "msp=%s run=%lld cancel failed: %s", msp, run_id,
                    message);
        halyard_admin_api_reply_error(request, 500, message);
        return;
    }
    if (outcome == HALYARD_CANCEL_NOT_FOUND) {
        char not_found[1100];
        snprintf(not_found, sizeof not_found, "%s: list runs with GET /api/v1/runs", message);
        halyard_admin_api_reply_error(request, 404, not_found);
        return;
    }
    if (outcome == HALYARD_CANCEL_FINISHED || outcome == HALYARD_CANCEL_BUSY) {
        halyard_admin_api_reply_error(request, 409, message);
        return;
    }
    if (outcome == HALYARD_CANCEL_STOPPED) {
        halyard_log(HALYARD_LOG_INFO, "admin",
                    "msp=%s run=%lld cancelled through the admin API (it was %s)", msp, run_id,
                    previous);
    }
    char answer[160];
    snprintf(answer, sizeof answer,
             "{\"id\":%lld,\"state\":\"stopped\",\"previous_state\":\"%s\",\"changed\":%s}", run_id,
             previous, outcome == HALYARD_CANCEL_STOPPED ? "true" : "false");
    halyard_http_reply_send(request, 200, "application/json", answer, strlen(answer));
}
