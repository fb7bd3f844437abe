#include "clients.h"

#include "approvals_stop.h"
#include "halo_client.h"
#include "json_reader.h"
#include "log.h"
#include "runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HaloPSA caps a page at 100 rows whatever page_size asks for. */
#define CLIENTS_PAGE_SIZE 100
/* A stop for a server that keeps returning full pages: 1,000 pages is 100,000 clients. */
#define CLIENTS_MAX_PAGES 1000

static int fail_status(const char *what, long status, const char *body, char *message,
                       size_t message_size)
{
    if (status == 403) {
        snprintf(message, message_size,
                 "HaloPSA refused %s (HTTP 403): enable all:standard on the API application's "
                 "Permissions tab",
                 what);
    } else {
        snprintf(message, message_size, "HaloPSA answered HTTP %ld while %s: %.200s", status, what,
                 body);
    }
    return -1;
}

/* Fills in imported and mode from the clients table. */
static int mark_imported(halyard_msp_context *context, halyard_client_list *list, char *message,
                         size_t message_size)
{
    sqlite3 *database = halyard_store_database(context->store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT mode FROM clients WHERE msp_id = ?1 AND halo_client_id = ?2", -1,
                           &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading imported clients failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    for (size_t i = 0; i < list->count; i++) {
        sqlite3_bind_int64(statement, 1, context->msp_id);
        sqlite3_bind_int64(statement, 2, list->rows[i].id);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            list->rows[i].imported = true;
            snprintf(list->rows[i].mode, sizeof list->rows[i].mode, "%s",
                     (const char *)sqlite3_column_text(statement, 0));
        }
        sqlite3_reset(statement);
    }
    sqlite3_finalize(statement);
    return 0;
}

/* The client ids listed so far: an open-addressing hash set, so a page's rows are checked
 * against every earlier page in constant time each. */
typedef struct {
    long long *slots; /* 0 marks a free slot: HaloPSA's ids start at 1 */
    size_t capacity;  /* a power of two */
    size_t count;
} client_id_set;

static size_t id_slot(const client_id_set *set, long long id)
{
    unsigned long long hash = (unsigned long long)id * 0x9E3779B97F4A7C15ULL;
    return (size_t)(hash >> 32) & (set->capacity - 1);
}

/* Adds id; returns 1 when it is new, 0 when it was there, -1 when out of memory. */
static int id_set_add(client_id_set *set, long long id)
{
    if ((set->count + 1) * 2 > set->capacity) {
        client_id_set grown = {NULL, set->capacity > 0 ? set->capacity * 2 : 256, 0};
        grown.slots = calloc(grown.capacity, sizeof grown.slots[0]);
        if (grown.slots == NULL) {
            return -1;
        }
        for (size_t i = 0; i < set->capacity; i++) {
            if (set->slots[i] != 0) {
                size_t slot = id_slot(&grown, set->slots[i]);
                while (grown.slots[slot] != 0) {
                    slot = (slot + 1) & (grown.capacity - 1);
                }
                grown.slots[slot] = set->slots[i];
                grown.count++;
            }
        }
        free(set->slots);
        *set = grown;
    }
    size_t slot = id_slot(set, id);
    while (set->slots[slot] != 0) {
        if (set->slots[slot] == id) {
            return 0;
        }
        slot = (slot + 1) & (set->capacity - 1);
    }
    set->slots[slot] = id;
    set->count++;
    return 1;
}

/* Appends the rows of one page whose ids are not listed yet, counting them in *added. Returns
 * how many rows the page had, or -1 with a message. */
static long long append_page(halyard_json_reader *json, const char *body, halyard_client_list *list,
                             client_id_set *listed, size_t *added, char *message,
                             size_t message_size)
{
    *added = 0;
    size_t length = strlen(body);
    long long count = halyard_json_array_length(json, body, length, "$.clients");
    if (count < 0) {
        snprintf(message, message_size, "HaloPSA's client list has no 'clients' array");
        return -1;
    }
    halyard_client_row *grown =
        realloc(list->rows, (list->count + (size_t)count + 1) * sizeof list->rows[0]);
    if (grown == NULL) {
        snprintf(message, message_size, "out of memory listing clients");
        return -1;
    }
    list->rows = grown;
    for (long long i = 0; i < count; i++) {
        char path[64];
        halyard_client_row *row = &list->rows[list->count];
        memset(row, 0, sizeof *row);
        snprintf(path, sizeof path, "$.clients[%lld].id", i);
        if (halyard_json_read_integer(json, body, length, path, &row->id) != HALYARD_JSON_FOUND ||
            row->id <= 0) {
            continue; /* a row without an id cannot be imported; skip it */
        }
        int fresh = id_set_add(listed, row->id);
        if (fresh < 0) {
            snprintf(message, message_size, "out of memory listing clients");
            return -1;
        }
        if (fresh == 0) {
            continue; /* listed on an earlier page */
        }
        snprintf(path, sizeof path, "$.clients[%lld].name", i);
        if (halyard_json_read_text(json, body, length, path, &row->name) != HALYARD_JSON_FOUND) {
            row->name = strdup("");
        }
        list->count++;
        (*added)++;
    }
    return count;
}

int halyard_clients_list(halyard_msp_context *context, const char *search,
                         halyard_client_list *list, char *message, size_t message_size)
{
    memset(list, 0, sizeof *list);
    halyard_json_reader *json = NULL;
    char *encoded_search = NULL;
    client_id_set listed = {NULL, 0, 0};
    int result = -1;
    if (halyard_json_reader_create(&json, message, message_size) != 0) {
        return -1;
    }
    if (search != NULL && halyard_halo_url_encode(search, &encoded_search) != 0) {
        snprintf(message, message_size, "out of memory listing clients");
        goto cleanup;
    }

    /* Every page until the total is reached, a page comes back short or adds no new client. */
    long long total = -1;
    int page = 1;
    for (; page <= CLIENTS_MAX_PAGES; page++) {
        char path[1024];
        snprintf(path, sizeof path,
                 "/api/Client?pageinate=true&page_size=%d&page_no=%d&order=name%s%s",
                 CLIENTS_PAGE_SIZE, page, encoded_search != NULL ? "&search=" : "",
                 encoded_search != NULL ? encoded_search : "");
        long status = 0;
        char *body = NULL;
        if (halyard_halo_session_call(context->session, "GET", path, NULL, &status, &body, message,
                                      message_size) != HALYARD_HALO_OK) {
            goto cleanup;
        }
        if (status != 200) {
            fail_status("listing clients (GET /api/Client)", status, body, message, message_size);
            free(body);
            goto cleanup;
        }
        halyard_json_read_integer(json, body, strlen(body), "$.record_count", &total);
        size_t added = 0;
        long long read = append_page(json, body, list, &listed, &added, message, message_size);
        free(body);
        if (read < 0) {
            goto cleanup;
        }
        if (read < CLIENTS_PAGE_SIZE || (total >= 0 && (long long)list->count >= total)) {
            break; /* a short page is the last one, whatever record_count claims */
        }
        if (added == 0) {
            snprintf(list->warning, sizeof list->warning,
                     "HaloPSA sent page %d with only clients listed on earlier pages, so the "
                     "listing stopped there (%zu clients; record_count %lld); HaloPSA may have "
                     "more",
                     page, list->count, total);
            break;
        }
    }
    if (page > CLIENTS_MAX_PAGES) {
        snprintf(list->warning, sizeof list->warning,
                 "the listing stopped after %d pages (%zu clients); HaloPSA may have more: "
                 "narrow it with a search",
                 CLIENTS_MAX_PAGES, list->count);
    }
    if (list->warning[0] != '\0') {
        halyard_log(HALYARD_LOG_WARNING, "clients", "msp=%s %s", context->msp_name, list->warning);
    }
    result = mark_imported(context, list, message, message_size);

cleanup:
    if (result != 0) {
        halyard_client_list_free(list);
    }
    free(listed.slots);
    free(encoded_search);
    halyard_json_reader_free(json);
    return result;
}

void halyard_client_list_free(halyard_client_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->rows[i].name);
    }
    free(list->rows);
    memset(list, 0, sizeof *list);
}

int halyard_clients_import(halyard_msp_context *context, long long id, char **name, bool *already,
                           char *message, size_t message_size)
{
    *name = NULL;
    *already = false;

    /* Step 1: the client as HaloPSA has it. */
    char path[64];
    snprintf(path, sizeof path, "/api/Client/%lld", id);
    long status = 0;
    char *body = NULL;
    if (halyard_halo_session_call(context->session, "GET", path, NULL, &status, &body, message,
                                  message_size) != HALYARD_HALO_OK) {
        return -1;
    }
    if (status == 404) {
        free(body);
        return 1;
    }
    if (status != 200) {
        int failed = fail_status("reading a client", status, body, message, message_size);
        free(body);
        return failed;
    }
    halyard_json_reader *json = NULL;
    if (halyard_json_reader_create(&json, message, message_size) != 0) {
        free(body);
        return -1;
    }
    halyard_json_read_text(json, body, strlen(body), "$.name", name);
    halyard_json_reader_free(json);
    free(body);
    if (*name == NULL && (*name = strdup("")) == NULL) {
        snprintf(message, message_size, "out of memory importing a client");
        return -1;
    }

    /* Step 2: the client's agent, in Plan mode unless it was imported before. */
    sqlite3 *database = halyard_store_database(context->store);
    sqlite3_stmt *statement = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(database,
                           "INSERT INTO clients (msp_id, halo_client_id, name, imported_at) "
                           "VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
                           "ON CONFLICT (msp_id, halo_client_id) DO UPDATE SET name = ?3",
                           -1, &statement, NULL) != SQLITE_OK) {
        goto database_error;
    }
    sqlite3_stmt *exists = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT 1 FROM clients WHERE msp_id = ?1 AND halo_client_id = ?2", -1,
                           &exists, NULL) != SQLITE_OK) {
        goto database_error;
    }
    sqlite3_bind_int64(exists, 1, context->msp_id);
    sqlite3_bind_int64(exists, 2, id);
    *already = sqlite3_step(exists) == SQLITE_ROW;
    sqlite3_finalize(exists);

    sqlite3_bind_int64(statement, 1, context->msp_id);
    sqlite3_bind_int64(statement, 2, id);
    sqlite3_bind_text(statement, 3, *name, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto database_error;
    }
    halyard_log(HALYARD_LOG_INFO, "clients", "msp=%s client=%lld imported%s", context->msp_name, id,
                *already ? " again" : "");
    result = 0;
    goto cleanup;

database_error:
    snprintf(message, message_size, "storing the client failed: %s", sqlite3_errmsg(database));
cleanup:
    sqlite3_finalize(statement);
    return result;
}

int halyard_clients_set_mode(halyard_store *store, long long msp_id, const char *msp_name,
                             long long id, const char *mode, char previous[16], char *message,
                             size_t message_size)
{
    if (strcmp(mode, "plan") != 0 && strcmp(mode, "execute") != 0) {
        snprintf(message, message_size, "mode '%.40s' is invalid: use plan or execute", mode);
        return 2;
    }
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int result = -1;
    char old_mode[16] = "";

    /* Step 1: the current mode. No row means the client is not imported. */
    if (sqlite3_prepare_v2(database,
                           "SELECT mode FROM clients WHERE msp_id = ?1 AND halo_client_id = ?2", -1,
                           &statement, NULL) != SQLITE_OK) {
        goto database_error;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_DONE) {
        result = 1;
        goto cleanup;
    }
    if (step != SQLITE_ROW) {
        goto database_error;
    }
    snprintf(old_mode, sizeof old_mode, "%s", (const char *)sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    statement = NULL;

    /* Step 2: the new mode, for the runs that start from now on. */
    if (sqlite3_prepare_v2(database,
                           "UPDATE clients SET mode = ?3 WHERE msp_id = ?1 AND halo_client_id = ?2",
                           -1, &statement, NULL) != SQLITE_OK) {
        goto database_error;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, id);
    sqlite3_bind_text(statement, 3, mode, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto database_error;
    }
    if (previous != NULL) {
        snprintf(previous, 16, "%s", old_mode);
    }
    halyard_log(HALYARD_LOG_INFO, "clients", "msp=%s client=%lld mode %s -> %s", msp_name, id,
                old_mode, mode);

    /* Step 3: back in Plan mode, the client's runs waiting for an approval stop, so an answer
     * to their requests never runs steps, even after a switch back to Execute mode. */
    if (strcmp(mode, "plan") == 0 && strcmp(old_mode, "plan") != 0) {
        sqlite3_finalize(statement);
        statement = NULL;
        size_t stopped = 0;
        if (halyard_approvals_stop_client_runs(store, msp_id, id, &stopped, message,
                                               message_size) != 0) {
            halyard_log(HALYARD_LOG_ERROR, "clients",
                        "msp=%s client=%lld stopping the runs waiting for approval failed: %s",
                        msp_name, id, message);
            return -1;
        }
        if (stopped > 0) {
            halyard_log(HALYARD_LOG_INFO, "clients",
                        "msp=%s client=%lld Plan mode: stopped %zu run%s waiting for approval",
                        msp_name, id, stopped, stopped == 1 ? "" : "s");
        }

        /* A run under way that does not wait (planning after an approval, waiting for a
         * verification, carrying out its steps) stops in its own job, before its next step
         * runs: the event tells it to, even when the client is back in Execute mode by then. */
        size_t marked = 0;
        if (halyard_runs_add_client_event(store, msp_id, id, HALYARD_RUN_EVENT_PLAN_MODE_SWITCH,
                                          "the client was switched to Plan mode", &marked, message,
                                          message_size) != 0) {
            halyard_log(HALYARD_LOG_ERROR, "clients",
                        "msp=%s client=%lld telling the runs under way to stop failed: %s",
                        msp_name, id, message);
            return -1;
        }
        if (marked > 0) {
            halyard_log(HALYARD_LOG_INFO, "clients",
                        "msp=%s client=%lld Plan mode: %zu run%s under way stop before the next "
                        "step",
                        msp_name, id, marked, marked == 1 ? "" : "s");
        }
    }
    result = 0;
    goto cleanup;

database_error:
    snprintf(message, message_size, "changing the client's mode failed: %s",
             sqlite3_errmsg(database));
cleanup:
    sqlite3_finalize(statement);
    return result;
}
