#include "admin_api.h"

#include "admin_runs.h"
#include "clients.h"
#include "connect.h"
#include "data_folder.h"
#include "json_reader.h"
#include "log.h"
#include "msp_context.h"
#include "text_buffer.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/queue.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char admin_subsystem[] = "api";
static const char json_type[] = "application/json";

/* Largest JSON body an admin request may send, in bytes. */
#define ADMIN_BODY_MAX    (64 * 1024)
#define ADMIN_MESSAGE_MAX 1024
/* Calls that may wait on HaloPSA at once; more are answered 503, since each holds a thread. */
#define ADMIN_MAX_WORKS 8

typedef struct admin_work admin_work;

struct halyard_admin_api {
    struct event_base *base;
    halyard_http_server *server;
    halyard_config config;          /* a copy whose data_dir is the server's */
    halyard_store *store;           /* the loop thread's connection, for tokens */
    admin_work *works;              /* running in threads */
    halyard_script_reload *scripts; /* for the workflows' status; NULL until attached */
};

/* What a request needs done in a thread. */
typedef enum { WORK_CONNECT, WORK_LIST_CLIENTS, WORK_IMPORT_CLIENTS } work_kind;

struct admin_work {
    halyard_admin_api *api;
    work_kind kind;
    char msp[64];
    char *instance_url;
    char *client_id;
    char *client_secret;
    char *search;
    long long ids[100];
    size_t id_count;

    halyard_http_deferred *deferred;
    struct event *done; /* activated by the thread, runs on the loop */
    pthread_t thread;
    int status;   /* set by the thread */
    char *answer; /* set by the thread: the JSON body */
    admin_work *next;
};

/* --- Replies -------------------------------------------------------------------------------- */

/* Builds {"error": message} into a heap string; NULL when out of memory. */
static char *error_body(const char *message)
{
    halyard_json_reader *json = NULL;
    char note[64];
    char *quoted = NULL;
    if (halyard_json_reader_create(&json, note, sizeof note) != 0 ||
        halyard_json_quote(json, message, &quoted) != 0) {
        halyard_json_reader_free(json);
        return NULL;
    }
    halyard_json_reader_free(json);
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 8192);
    halyard_text_buffer_printf(&body, "{\"error\":%s}", quoted);
    free(quoted);
    return halyard_text_buffer_take(&body);
}

static void reply_error(struct evhttp_request *request, int status, const char *message)
{
    char *body = error_body(message);
    if (body == NULL) {
        halyard_http_reply_send(request, 500, NULL, NULL, 0);
        return;
    }
    halyard_http_reply_send(request, status, json_type, body, strlen(body));
    free(body);
}

/* --- Authentication ----------------------------------------------------------------------------
 */

/* Finds the MSP of the request's bearer token and writes its name into msp. Returns 0, or -1
 * after answering 401. */
static int authenticate(halyard_admin_api *api, struct evhttp_request *request, char *msp,
                        size_t msp_size)
{
    const char *header =
        evhttp_find_header(evhttp_request_get_input_headers(request), "Authorization");
    if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0 || header[7] == '\0' ||
        strlen(header) > 512) {
        evhttp_add_header(evhttp_request_get_output_headers(request), "WWW-Authenticate",
                          "Bearer realm=\"halyard\"");
        reply_error(request, 401,
                    "missing admin token: send 'Authorization: Bearer <token>' with a token "
                    "from 'halyard token create'");
        return -1;
    }
    const char *token = header + 7;
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));

    sqlite3 *database = halyard_store_database(api->store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    long long token_id = 0;
    if (sqlite3_prepare_v2(database,
                           "SELECT m.name, t.id FROM api_tokens t JOIN msps m ON m.id = t.msp_id"
                           " WHERE t.token_hash = ?1",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_blob(statement, 1, hash, sizeof hash, SQLITE_STATIC);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            snprintf(msp, msp_size, "%s", sqlite3_column_text(statement, 0));
            token_id = sqlite3_column_int64(statement, 1);
            status = 0;
        }
    }
    sqlite3_finalize(statement);

    /* The update runs after the look-up is finalized: a statement still on its row keeps a
     * read transaction open, and SQLite does not wait for the write lock when it upgrades one. */
    if (status == 0) {
        char update[160];
        snprintf(update, sizeof update,
                 "UPDATE api_tokens SET last_used_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ',"
                 " 'now') WHERE id = %lld",
                 token_id);
        if (sqlite3_exec(database, update, NULL, NULL, NULL) != SQLITE_OK) {
            halyard_log(HALYARD_LOG_WARNING, admin_subsystem,
                        "msp=%s token=%lld recording when the admin token was used failed: %s", msp,
                        token_id, sqlite3_errmsg(database));
        }
    }
    if (status != 0) {
        evhttp_add_header(evhttp_request_get_output_headers(request), "WWW-Authenticate",
                          "Bearer realm=\"halyard\", error=\"invalid_token\"");
        reply_error(request, 401,
                    "the admin token is not valid: create one with 'halyard token "
                    "create'");
        halyard_log(HALYARD_LOG_WARNING, admin_subsystem, "rejected a request to %s: invalid token",
                    evhttp_request_get_uri(request));
    }
    return status;
}

/* --- Threads -------------------------------------------------------------------------------- */

static void free_work(admin_work *work)
{
    if (work->client_secret != NULL) {
        sodium_memzero(work->client_secret, strlen(work->client_secret));
    }
    free(work->instance_url);
    free(work->client_id);
    free(work->client_secret);
    free(work->search);
    free(work->answer);
    if (work->done != NULL) {
        event_free(work->done);
    }
    free(work);
}

static void unlink_work(admin_work *work)
{
    admin_work **link = &work->api->works;
    while (*link != NULL && *link != work) {
        link = &(*link)->next;
    }
    if (*link == work) {
        *link = work->next;
    }
}

/* Runs on the loop once the thread finished: sends its response. */
static void on_work_done(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    admin_work *work = argument;
    pthread_join(work->thread, NULL);
    unlink_work(work);
    const char *body = work->answer != NULL ? work->answer : "{\"error\":\"out of memory\"}";
    halyard_http_deferred_send(work->deferred, work->answer != NULL ? work->status : 500, json_type,
                               body, strlen(body));
    free_work(work);
}

/* Sets the thread's answer to {"error": message} with status. */
static void fail_work(admin_work *work, int status, const char *message)
{
    work->status = status;
    work->answer = error_body(message);
}

static void run_connect(admin_work *work)
{
    char *report = NULL;
    size_t report_size = 0;
    FILE *out = open_memstream(&report, &report_size);
    if (out == NULL) {
        fail_work(work, 500, "out of memory");
        return;
    }
    char message[ADMIN_MESSAGE_MAX];
    halyard_connect_input input = {
        .msp = work->msp,
        .instance_url = work->instance_url,
        .client_id = work->client_id,
        .client_secret = work->client_secret,
    };
    int status = halyard_connect(&work->api->config, &input, out, message, sizeof message);
    fclose(out);

    /* The answer lists each step connect reported, one string per line. */
    halyard_json_reader *json = NULL;
    char note[64];
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 256 * 1024);
    if (halyard_json_reader_create(&json, note, sizeof note) == 0) {
        char *quoted = NULL;
        halyard_text_buffer_printf(&body, "{\"connected\":%s,", status == 0 ? "true" : "false");
        if (status != 0 && halyard_json_quote(json, message, &quoted) == 0) {
            halyard_text_buffer_printf(&body, "\"error\":%s,", quoted);
            free(quoted);
        }
        halyard_text_buffer_append_text(&body, "\"steps\":[");
        bool first = true;
        for (char *line = strtok(report, "\n"); line != NULL; line = strtok(NULL, "\n")) {
            if (halyard_json_quote(json, line, &quoted) == 0) {
                halyard_text_buffer_printf(&body, "%s%s", first ? "" : ",", quoted);
                free(quoted);
                first = false;
            }
        }
        halyard_text_buffer_append_text(&body, "]}");
        halyard_json_reader_free(json);
    }
    free(report);
    work->status = status == 0 ? 200 : 422;
    work->answer = halyard_text_buffer_take(&body);
}

static void append_client(halyard_text_buffer *body, halyard_json_reader *json,
                          const halyard_client_row *row, bool first)
{
    char *quoted = NULL;
    if (halyard_json_quote(json, row->name, &quoted) != 0) {
        return;
    }
    halyard_text_buffer_printf(body, "%s{\"id\":%lld,\"name\":%s,\"imported\":%s", first ? "" : ",",
                               row->id, quoted, row->imported ? "true" : "false");
    if (row->imported) {
        halyard_text_buffer_printf(body, ",\"mode\":\"%s\"", row->mode);
    }
    halyard_text_buffer_append_text(body, "}");
    free(quoted);
}

static void run_list_clients(admin_work *work, halyard_msp_context *msp, halyard_json_reader *json)
{
    char message[ADMIN_MESSAGE_MAX];
    halyard_client_list list;
    if (halyard_clients_list(msp, work->search, &list, message, sizeof message) != 0) {
        fail_work(work, 502, message);
        return;
    }
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 64 * 1024 * 1024);
    halyard_text_buffer_printf(&body, "{\"count\":%zu,\"clients\":[", list.count);
    for (size_t i = 0; i < list.count; i++) {
        append_client(&body, json, &list.rows[i], i == 0);
    }
    halyard_text_buffer_append_text(&body, "]");
    char *warning = NULL;
    if (list.warning[0] != '\0' && halyard_json_quote(json, list.warning, &warning) == 0) {
        halyard_text_buffer_printf(&body, ",\"warning\":%s", warning);
    }
    free(warning);
    halyard_text_buffer_append_text(&body, "}");
    halyard_client_list_free(&list);
    work->status = 200;
    work->answer = halyard_text_buffer_take(&body);
}

static void run_import_clients(admin_work *work, halyard_msp_context *msp,
                               halyard_json_reader *json)
{
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 1024 * 1024);
    bool all_imported = true;
    halyard_text_buffer_append_text(&body, "{\"results\":[");
    for (size_t i = 0; i < work->id_count; i++) {
        char message[ADMIN_MESSAGE_MAX];
        char *name = NULL;
        bool already = false;
        int status =
            halyard_clients_import(msp, work->ids[i], &name, &already, message, sizeof message);
        const char *outcome = status == 0 ? (already ? "already_imported" : "imported")
                                          : (status == 1 ? "not_found" : "failed");
        all_imported = all_imported && status == 0;
        halyard_text_buffer_printf(&body, "%s{\"id\":%lld,\"status\":\"%s\"", i > 0 ? "," : "",
                                   work->ids[i], outcome);
        char *quoted = NULL;
        if (status == 0 && halyard_json_quote(json, name, &quoted) == 0) {
            halyard_text_buffer_printf(&body, ",\"name\":%s,\"mode\":\"plan\"", quoted);
        } else if (status < 0 && halyard_json_quote(json, message, &quoted) == 0) {
            halyard_text_buffer_printf(&body, ",\"error\":%s", quoted);
        }
        free(quoted);
        free(name);
        halyard_text_buffer_append_text(&body, "}");
    }
    halyard_text_buffer_printf(&body, "],\"all_imported\":%s}", all_imported ? "true" : "false");
    work->status = 200;
    work->answer = halyard_text_buffer_take(&body);
}

static void *run_work(void *argument)
{
    admin_work *work = argument;
    if (work->kind == WORK_CONNECT) {
        run_connect(work);
    } else {
        char message[ADMIN_MESSAGE_MAX];
        halyard_msp_context msp;
        halyard_json_reader *json = NULL;
        if (halyard_msp_context_open(&work->api->config, work->msp, true, &msp, message,
                                     sizeof message) != 0) {
            fail_work(work, 409, message);
        } else if (halyard_json_reader_create(&json, message, sizeof message) != 0) {
            fail_work(work, 500, message);
            halyard_msp_context_close(&msp);
        } else {
            if (work->kind == WORK_LIST_CLIENTS) {
                run_list_clients(work, &msp, json);
            } else {
                run_import_clients(work, &msp, json);
            }
            halyard_json_reader_free(json);
            halyard_msp_context_close(&msp);
        }
    }
    event_active(work->done, 0, 0);
    return NULL;
}

/* Starts work in a thread and defers the request's reply to it; answers 500 when it cannot. */
static void start_work(halyard_admin_api *api, struct evhttp_request *request, admin_work *work)
{
    size_t running = 0;
    for (admin_work *other = api->works; other != NULL; other = other->next) {
        running++;
    }
    if (running >= ADMIN_MAX_WORKS) {
        evhttp_add_header(evhttp_request_get_output_headers(request), "Retry-After", "5");
        reply_error(request, 503,
                    "busy: too many calls to HaloPSA are running; send this one again shortly");
        free_work(work);
        return;
    }
    work->api = api;
    work->done = event_new(api->base, -1, 0, on_work_done, work);
    work->deferred = work->done != NULL ? halyard_http_server_defer(api->server, request) : NULL;
    if (work->deferred == NULL) {
        if (work->done != NULL) {
            free_work(work); /* defer answered 503 itself */
            return;
        }
        free_work(work);
        reply_error(request, 500, "out of memory");
        return;
    }
    if (pthread_create(&work->thread, NULL, run_work, work) != 0) {
        static const char failed[] = "{\"error\":\"cannot start a worker thread\"}";
        halyard_http_deferred_send(work->deferred, 503, json_type, failed, sizeof failed - 1);
        free_work(work);
        return;
    }
    work->next = api->works;
    api->works = work;
}

/* --- Handlers ------------------------------------------------------------------------------- */

int halyard_admin_api_reject_duplicate_keys(struct evhttp_request *request, const char *body,
                                            size_t length)
{
    halyard_json_reader *json = NULL;
    char note[64];
    if (halyard_json_reader_create(&json, note, sizeof note) != 0) {
        reply_error(request, 500, "out of memory");
        return -1;
    }
    char *path = NULL;
    int found = halyard_json_find_duplicate_key(json, body, length, &path);
    halyard_json_reader_free(json);
    if (found != HALYARD_JSON_FOUND) {
        return 0;
    }

    /* The path comes from the request: only its first 100 bytes are echoed. */
    char message[256];
    snprintf(message, sizeof message,
             "the request body has the key %.100s%s twice: send each key once", path,
             strlen(path) > 100 ? "..." : "");
    free(path);
    reply_error(request, 400, message);
    return -1;
}

/* Copies the request body into a NUL-terminated heap string; answers 400 or 413 and returns NULL
 * when there is none, it is too long or a key appears twice in one object. */
static char *read_body(struct evhttp_request *request)
{
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    size_t length = evbuffer_get_length(input);
    if (length == 0) {
        reply_error(request, 400, "the request body is empty: send a JSON object");
        return NULL;
    }
    if (length > ADMIN_BODY_MAX) {
        reply_error(request, 413, "the request body is larger than 64 KiB");
        return NULL;
    }
    char *body = malloc(length + 1);
    if (body == NULL) {
        reply_error(request, 500, "out of memory");
        return NULL;
    }
    evbuffer_copyout(input, body, length);
    body[length] = '\0';
    if (halyard_admin_api_reject_duplicate_keys(request, body, length) != 0) {
        sodium_memzero(body, length);
        free(body);
        return NULL;
    }
    return body;
}

/* Reads a required string field; answers 400 and returns NULL when it is missing. */
static char *required_text(struct evhttp_request *request, halyard_json_reader *json,
                           const char *body, const char *field)
{
    char path[64];
    snprintf(path, sizeof path, "$.%s", field);
    char *raw = NULL;
    char *text = NULL;
    halyard_json_read_json(json, body, strlen(body), path, &raw);
    bool is_string = raw != NULL && raw[0] == '"';
    free(raw);
    if (!is_string ||
        halyard_json_read_exact_text(json, body, strlen(body), path, &text) != HALYARD_JSON_FOUND ||
        text[0] == '\0') {
        free(text);
        char message[160];
        snprintf(message, sizeof message,
                 "%s is missing or not a string: send it as a non-empty JSON string without NUL "
                 "characters",
                 field);
        reply_error(request, 400, message);
        return NULL;
    }
    return text;
}

/* Makes the work of a request whose token names an MSP. Returns NULL after answering (401, or
 * 500 when out of memory). */
static admin_work *new_authenticated_work(halyard_admin_api *api, struct evhttp_request *request)
{
    admin_work *work = calloc(1, sizeof *work);
    if (work == NULL) {
        reply_error(request, 500, "out of memory");
        return NULL;
    }
    if (authenticate(api, request, work->msp, sizeof work->msp) != 0) {
        free(work);
        return NULL;
    }
    return work;
}

static void handle_connect(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_admin_api *api = argument;
    admin_work *work = new_authenticated_work(api, request);
    if (work == NULL) {
        return;
    }
    char *body = read_body(request);
    halyard_json_reader *json = NULL;
    char message[64];
    if (body == NULL || halyard_json_reader_create(&json, message, sizeof message) != 0) {
        if (body != NULL) {
            reply_error(request, 500, "out of memory");
        }
        free(body);
        free(work);
        return;
    }
    if (!halyard_json_valid(json, body, strlen(body))) {
        reply_error(request, 400, "the request body is not valid JSON");
    } else if ((work->instance_url = required_text(request, json, body, "instance_url")) != NULL &&
               (work->client_id = required_text(request, json, body, "client_id")) != NULL &&
               (work->client_secret = required_text(request, json, body, "client_secret")) !=
                   NULL) {
        work->kind = WORK_CONNECT;
        sodium_memzero(body, strlen(body));
        free(body);
        halyard_json_reader_free(json);
        start_work(api, request, work);
        return;
    }
    sodium_memzero(body, strlen(body));
    free(body);
    halyard_json_reader_free(json);
    free_work(work);
}

static void handle_list_clients(struct evhttp_request *request, const char *parameter,
                                void *argument)
{
    (void)parameter;
    halyard_admin_api *api = argument;
    admin_work *work = new_authenticated_work(api, request);
    if (work == NULL) {
        return;
    }
    struct evkeyvalq query;
    if (halyard_admin_api_read_query(request, &query) != 0) {
        free_work(work);
        return;
    }
    const char *search = evhttp_find_header(&query, "search");
    if (search != NULL && search[0] != '\0') {
        work->search = strdup(search);
    }
    evhttp_clear_headers(&query);
    work->kind = WORK_LIST_CLIENTS;
    start_work(api, request, work);
}

static void handle_import_clients(struct evhttp_request *request, const char *parameter,
                                  void *argument)
{
    (void)parameter;
    halyard_admin_api *api = argument;
    admin_work *work = new_authenticated_work(api, request);
    if (work == NULL) {
        return;
    }
    char *body = read_body(request);
    halyard_json_reader *json = NULL;
    char message[160];
    if (body == NULL || halyard_json_reader_create(&json, message, sizeof message) != 0) {
        free(body);
        free(work);
        return;
    }

    if (!halyard_json_valid(json, body, strlen(body))) {
        reply_error(request, 400, "the request body is not valid JSON");
        free(body);
        halyard_json_reader_free(json);
        free(work);
        return;
    }

    /* ids: 1 to 100 positive integers. */
    long long count = halyard_json_array_length(json, body, strlen(body), "$.ids");
    bool valid = count >= 1 && count <= (long long)(sizeof work->ids / sizeof work->ids[0]);
    for (long long i = 0; valid && i < count; i++) {
        char path[32];
        snprintf(path, sizeof path, "$.ids[%lld]", i);
        /* Our own API takes JSON numbers only, unlike HaloPSA's answers, which may quote them. */
        char *raw = NULL;
        halyard_json_read_json(json, body, strlen(body), path, &raw);
        size_t digits = raw != NULL ? strspn(raw, "0123456789") : 0;
        valid = raw != NULL && digits > 0 && digits <= 15 && raw[digits] == '\0' &&
                halyard_json_read_integer(json, body, strlen(body), path, &work->ids[i]) ==
                    HALYARD_JSON_FOUND &&
                work->ids[i] > 0;
        free(raw);
        if (!valid) {
            snprintf(message, sizeof message,
                     "ids[%lld] is not a client id: send positive integers from GET "
                     "/api/v1/clients",
                     i);
        }
    }
    if (count < 1 || count > 100) {
        snprintf(message, sizeof message,
                 "ids is missing or empty: send {\"ids\": [12, 14]} with 1 to 100 client ids");
    }
    free(body);
    halyard_json_reader_free(json);
    if (!valid) {
        reply_error(request, 400, message);
        free(work);
        return;
    }
    work->id_count = (size_t)count;
    work->kind = WORK_IMPORT_CLIENTS;
    start_work(api, request, work);
}

/* PATCH /api/v1/clients/{id} with {"mode": "plan" | "execute"}: sets the mode of an imported
 * client's agent, on the loop from the database (HaloPSA is not called). */
static void handle_update_client(struct evhttp_request *request, const char *parameter,
                                 void *argument)
{
    halyard_admin_api *api = argument;
    char msp[64];
    if (authenticate(api, request, msp, sizeof msp) != 0) {
        return;
    }
    long long id = 0;
    if (halyard_admin_api_parse_id(parameter, 999999999999999LL, &id) != 0) {
        reply_error(request, 400,
                    "the client id in the path is invalid: use a positive integer from GET "
                    "/api/v1/clients, in plain digits without a sign or leading zeros");
        return;
    }
    char *body = read_body(request);
    if (body == NULL) {
        return;
    }
    char message[ADMIN_MESSAGE_MAX];
    halyard_json_reader *json = NULL;
    if (halyard_json_reader_create(&json, message, sizeof message) != 0) {
        free(body);
        reply_error(request, 500, message);
        return;
    }
    char *mode = NULL;
    char *unknown = NULL;
    if (!halyard_json_valid(json, body, strlen(body))) {
        reply_error(request, 400, "the request body is not valid JSON");
    } else if (halyard_json_find_unknown_key(json, body, strlen(body), "[\"mode\"]", &unknown) ==
               HALYARD_JSON_FOUND) {
        snprintf(message, sizeof message,
                 "the field '%.64s' is unknown: send only {\"mode\": \"plan\"} or "
                 "{\"mode\": \"execute\"}",
                 unknown);
        reply_error(request, 400, message);
    } else {
        mode = required_text(request, json, body, "mode");
    }
    free(unknown);
    halyard_json_reader_free(json);
    free(body);
    if (mode == NULL) {
        return;
    }

    long long msp_id = 0;
    int created = 0;
    char previous[16] = "";
    int status = halyard_msp_find(api->store, msp, 0, &msp_id, &created, message, sizeof message);
    if (status == 0) {
        status = halyard_clients_set_mode(api->store, msp_id, msp, id, mode, previous, message,
                                          sizeof message);
    }
    if (status == 0) {
        char answer[160];
        snprintf(answer, sizeof answer, "{\"id\":%lld,\"mode\":\"%s\",\"previous_mode\":\"%s\"}",
                 id, mode, previous);
        halyard_http_reply_send(request, 200, json_type, answer, strlen(answer));
    } else if (status == 1) {
        snprintf(message, sizeof message,
                 "client %lld is not imported: import it first with POST /api/v1/clients/import",
                 id);
        reply_error(request, 404, message);
    } else if (status == 2) {
        reply_error(request, 400, message);
    } else {
        reply_error(request, 500, message);
    }
    free(mode);
}

/* GET /api/v1/integrations/halopsa: answered on the loop from the database; no secret leaves. */
static void handle_show_integration(struct evhttp_request *request, const char *parameter,
                                    void *argument)
{
    (void)parameter;
    halyard_admin_api *api = argument;
    char msp[64];
    if (authenticate(api, request, msp, sizeof msp) != 0) {
        return;
    }
    sqlite3 *database = halyard_store_database(api->store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(
            database,
            "SELECT json_object('msp', m.name, 'connected', json(CASE WHEN i.instance_url <> ''"
            " THEN 'true' ELSE 'false' END), 'instance_url', nullif(i.instance_url, ''), "
            "'client_id',"
            " nullif(i.client_id, ''), 'token_url', nullif(i.token_url, ''), 'scope', i.scope,"
            " 'login_agent_id', i.login_agent_id, 'login_agent_name', i.login_agent_name,"
            " 'public_url', i.public_url, 'webhook_id', i.webhook_id, 'updated_at', i.updated_at)"
            " FROM msps m LEFT JOIN integrations i ON i.msp_id = m.id WHERE m.name = ?1",
            -1, &statement, NULL) != SQLITE_OK) {
        reply_error(request, 500, sqlite3_errmsg(database));
        return;
    }
    sqlite3_bind_text(statement, 1, msp, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) == SQLITE_ROW) {
        const char *body = (const char *)sqlite3_column_text(statement, 0);
        halyard_http_reply_send(request, 200, json_type, body, strlen(body));
    } else {
        reply_error(request, 500, sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
}

/* GET /api/v1/workflows/status: the MSP's serving scripts and their problems, from the loop. */
static void handle_workflows_status(struct evhttp_request *request, const char *parameter,
                                    void *argument)
{
    (void)parameter;
    halyard_admin_api *api = argument;
    char msp[64];
    if (authenticate(api, request, msp, sizeof msp) != 0) {
        return;
    }
    if (api->scripts == NULL) {
        reply_error(request, 503, "hot reload is not running in this process");
        return;
    }
    char message[ADMIN_MESSAGE_MAX];
    char *body = NULL;
    if (halyard_script_reload_status(api->scripts, msp, &body, message, sizeof message) != 0) {
        reply_error(request, 500, message);
        return;
    }
    halyard_http_reply_send(request, 200, json_type, body, strlen(body));
    free(body);
}

void halyard_admin_api_attach_scripts(halyard_admin_api *api, halyard_script_reload *scripts)
{
    api->scripts = scripts;
}

/* GET /api/v1/runs: replied to on the loop from the database. */
static void handle_list_runs(struct evhttp_request *request, const char *parameter, void *argument)
{
    (void)parameter;
    halyard_admin_api *api = argument;
    char msp[64];
    if (authenticate(api, request, msp, sizeof msp) == 0) {
        halyard_admin_runs_reply(request, api->store, msp);
    }
}

/* POST /api/v1/runs/{id}/cancel: replied to on the loop from the database. */
static void handle_cancel_run(struct evhttp_request *request, const char *parameter, void *argument)
{
    halyard_admin_api *api = argument;
    char msp[64];
    if (authenticate(api, request, msp, sizeof msp) == 0) {
        halyard_admin_runs_cancel(request, api->store, msp, parameter);
    }
}

int halyard_admin_api_authenticate(halyard_admin_api *api, struct evhttp_request *request,
                                   char *msp, size_t msp_size)
{
    return authenticate(api, request, msp, msp_size);
}

void halyard_admin_api_reply_error(struct evhttp_request *request, int status, const char *message)
{
    reply_error(request, status, message);
}

int halyard_admin_api_parse_id(const char *text, long long maximum, long long *id)
{
    size_t digits = strspn(text, "0123456789");
    if (digits == 0 || digits > 15 || text[digits] != '\0' || text[0] == '0') {
        return -1;
    }
    long long value = strtoll(text, NULL, 10);
    if (value < 1 || value > maximum) {
        return -1;
    }
    *id = value;
    return 0;
}

int halyard_admin_api_read_query(struct evhttp_request *request, struct evkeyvalq *query)
{
    TAILQ_INIT(query);
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(request);
    const char *query_text = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
    if (query_text == NULL) {
        return 0;
    }
    if (evhttp_parse_query_str(query_text, query) != 0) {
        evhttp_clear_headers(query);
        reply_error(request, 400,
                    "the query string is not valid: send name=value pairs "
                    "joined by &, percent-encoded");
        return -1;
    }

    /* Each name may appear once. */
    for (struct evkeyval *entry = TAILQ_FIRST(query); entry != NULL;
         entry = TAILQ_NEXT(entry, next)) {
        for (struct evkeyval *later = TAILQ_NEXT(entry, next); later != NULL;
             later = TAILQ_NEXT(later, next)) {
            if (strcmp(entry->key, later->key) != 0) {
                continue;
            }
            char message[ADMIN_MESSAGE_MAX];
            snprintf(message, sizeof message,
                     "the query parameter '%.64s' is given more than once: send it once",
                     entry->key);
            evhttp_clear_headers(query);
            reply_error(request, 400, message);
            return -1;
        }
    }
    return 0;
}

int halyard_admin_api_open(struct event_base *base, halyard_http_server *server,
                           const halyard_config *config, const char *data_dir,
                           halyard_admin_api **out, char *message, size_t message_size)
{
    *out = NULL;
    halyard_admin_api *api = calloc(1, sizeof *api);
    if (api == NULL) {
        snprintf(message, message_size, "out of memory opening the admin API");
        return -1;
    }
    api->base = base;
    api->server = server;
    api->config = *config;
    api->config.data_dir = (char *)data_dir;

    halyard_secret_key key;
    int opened = halyard_data_folder_open(data_dir, &api->store, &key, message, message_size);
    sodium_memzero(&key, sizeof key);
    if (opened != 0) {
        free(api);
        return -1;
    }

    static const struct {
        enum evhttp_cmd_type method;
        const char *pattern;
        halyard_http_handler handler;
    } routes[] = {
        {EVHTTP_REQ_GET, "/api/v1/integrations/halopsa", handle_show_integration},
        {EVHTTP_REQ_POST, "/api/v1/integrations/halopsa", handle_connect},
        {EVHTTP_REQ_GET, "/api/v1/clients", handle_list_clients},
        {EVHTTP_REQ_POST, "/api/v1/clients/import", handle_import_clients},
        {EVHTTP_REQ_PATCH, "/api/v1/clients/{id}", handle_update_client},
        {EVHTTP_REQ_GET, "/api/v1/workflows/status", handle_workflows_status},
        {EVHTTP_REQ_GET, "/api/v1/runs", handle_list_runs},
        {EVHTTP_REQ_POST, "/api/v1/runs/{id}/cancel", handle_cancel_run},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (halyard_http_server_route(server, routes[i].method, routes[i].pattern,
                                      routes[i].handler, api, message, message_size) != 0) {
            halyard_admin_api_close(api);
            return -1;
        }
    }
    *out = api;
    return 0;
}

void halyard_admin_api_close(halyard_admin_api *api)
{
    if (api == NULL) {
        return;
    }
    while (api->works != NULL) {
        admin_work *work = api->works;
        api->works = work->next;
        pthread_join(work->thread, NULL);
        free_work(work);
    }
    halyard_store_close(api->store);
    free(api);
}
