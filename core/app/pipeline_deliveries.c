#include "pipeline_deliveries.h"
#include "pipeline_internal.h"
#include "pipeline_missing.h"

#include "clock.h"

#include "log.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* The maximum number of deliveries one scan reads. */
#define PIPELINE_SCAN_BATCH 500

/* A ticket named by deliveries, for queueing one sync per ticket per scan. */
typedef struct {
    long long msp_id;
    long long ticket_id;
    long long delivery_id;  /* of its first delivery in the scan */
    long long run_after_ms; /* when its sync may start on the business clock, 0 for now */
} ticket_reference;

static int compare_tickets(const ticket_reference *a, const ticket_reference *b)
{
    if (a->msp_id != b->msp_id) {
        return a->msp_id < b->msp_id ? -1 : 1;
    }
    return a->ticket_id < b->ticket_id ? -1 : (a->ticket_id > b->ticket_id ? 1 : 0);
}

/* Orders by ticket, then by delivery, so a ticket's first delivery comes first. */
static int compare_references(const void *left, const void *right)
{
    const ticket_reference *a = left;
    const ticket_reference *b = right;
    int by_ticket = compare_tickets(a, b);
    if (by_ticket != 0) {
        return by_ticket;
    }
    return a->delivery_id < b->delivery_id ? -1 : (a->delivery_id > b->delivery_id ? 1 : 0);
}

static int compare_first_deliveries(const void *left, const void *right)
{
    const ticket_reference *a = left;
    const ticket_reference *b = right;
    return a->delivery_id < b->delivery_id ? -1 : (a->delivery_id > b->delivery_id ? 1 : 0);
}

/* Reads up to PIPELINE_SCAN_BATCH deliveries in state new: the tickets they name (each once,
 * in the order of their first delivery, so tickets are queued in the order HaloPSA's deliveries
 * arrived) into references, the highest delivery id into *last_id, whether the batch was full
 * into *full and how many deliveries named a ticket found missing into *deferred. Such a
 * ticket's sync may start only when its window ends (pipeline_missing.h). Returns how many
 * tickets, or -1. */
static long read_new_deliveries(halyard_pipeline *pipeline, ticket_reference *references,
                                long long *last_id, bool *full, long long *deferred)
{
    sqlite3 *database = halyard_store_database(pipeline->store);
    sqlite3_stmt *statement = NULL;
    long count = 0;
    long rows = 0;
    *last_id = 0;
    *full = false;
    *deferred = 0;
    if (sqlite3_prepare_v2(database,
                           "SELECT d.id, d.msp_id, d.ticket_id, m.found_at_ms"
                           " FROM deliveries d LEFT JOIN missing_tickets m"
                           " ON m.msp_id = d.msp_id AND m.ticket_id = d.ticket_id"
                           " AND m.found_at_ms >= ?2"
                           " WHERE d.state = 'new' ORDER BY d.id LIMIT ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_int(statement, 1, PIPELINE_SCAN_BATCH);
    sqlite3_bind_int64(statement, 2, halyard_clock_now_ms() - HALYARD_MISSING_TICKET_MS);
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        rows++;
        *last_id = sqlite3_column_int64(statement, 0);
        if (sqlite3_column_type(statement, 2) == SQLITE_NULL ||
            sqlite3_column_int64(statement, 2) <= 0) {
            continue; /* an event about no ticket: nothing to sync */
        }
        references[count].msp_id = sqlite3_column_int64(statement, 1);
        references[count].ticket_id = sqlite3_column_int64(statement, 2);
        references[count].delivery_id = *last_id;
        references[count].run_after_ms = 0;
        if (sqlite3_column_type(statement, 3) != SQLITE_NULL) {
            references[count].run_after_ms =
                sqlite3_column_int64(statement, 3) + HALYARD_MISSING_TICKET_MS;
            (*deferred)++;
        }
        count++;
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        return -1;
    }
    *full = rows == PIPELINE_SCAN_BATCH;

    qsort(references, (size_t)count, sizeof references[0], compare_references);
    long unique = 0;
    for (long i = 0; i < count; i++) {
        if (unique == 0 || compare_tickets(&references[unique - 1], &references[i]) != 0) {
            references[unique++] = references[i];
        }
    }
    qsort(references, (size_t)unique, sizeof references[0], compare_first_deliveries);
    return unique;
}

/* Turns deliveries in state new into sync jobs, one per ticket, and marks them queued. A
 * ticket found missing gets a sync that starts when its window ends, so its deliveries are
 * queued, not lost. The deliveries are read outside the write transaction, which stays short
 * because the intake's writer thread needs the same lock. When the batch was full, more
 * deliveries wait: the pipeline is woken again at once rather than after its poll interval, so
 * a backlog of many deliveries does not hold a new ticket back by a second per batch. */
void halyard_pipeline_deliveries_scan(halyard_pipeline *pipeline)
{
    char message[PIPELINE_MESSAGE_MAX];
    sqlite3 *database = halyard_store_database(pipeline->store);
    static ticket_reference references[PIPELINE_SCAN_BATCH];
    long long last_id = 0;
    bool full = false;
    long long deferred = 0;
    long tickets = read_new_deliveries(pipeline, references, &last_id, &full, &deferred);
    if (tickets < 0) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "reading new deliveries failed: %s",
                    sqlite3_errmsg(database));
        return;
    }
    if (last_id == 0) {
        return;
    }

    sqlite3_stmt *statement = NULL;
    if (halyard_store_execute(pipeline->store, "BEGIN IMMEDIATE", "queueing deliveries", message,
                              sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "%s", message);
        return;
    }
    for (long i = 0; i < tickets; i++) {
        if (halyard_pipeline_enqueue_sync_after(pipeline->store, references[i].msp_id,
                                                references[i].ticket_id, references[i].run_after_ms,
                                                message, sizeof message) != 0) {
            goto fail;
        }
    }
    if (sqlite3_prepare_v2(database,
                           "UPDATE deliveries SET state = 'queued' WHERE state = 'new'"
                           " AND id <= ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        goto fail;
    }
    sqlite3_bind_int64(statement, 1, last_id);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto fail;
    }
    sqlite3_finalize(statement);
    statement = NULL;
    if (halyard_store_execute(pipeline->store, "COMMIT", "queueing deliveries", message,
                              sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "%s", message);
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
        return;
    }
    halyard_log(HALYARD_LOG_DEBUG, "pipeline",
                "queued %ld tickets from deliveries up to id %lld, %lld deliveries of them for "
                "missing tickets whose syncs wait",
                tickets, last_id, deferred);
    halyard_pipeline_missing_deferred(pipeline, deferred);
    pipeline->deliveries_waiting = pipeline->deliveries_waiting || full;
    return;

fail:
    halyard_log(HALYARD_LOG_ERROR, "pipeline", "queueing deliveries failed: %s",
                sqlite3_errmsg(database));
    sqlite3_finalize(statement);
    sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
}
