#include "pipeline_missing.h"
#include "pipeline_internal.h"

#include "clock.h"
#include "log.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

int halyard_pipeline_missing_record(halyard_pipeline *pipeline, long long msp_id,
                                    const char *msp_name, long long ticket_id, char *message,
                                    size_t message_size)
{
    long long now = halyard_clock_now_ms();

    /* Step 1: one line for the first miss after a quiet minute, a count for the others. */
    if (pipeline->missing_reported_ms == 0 ||
        now - pipeline->missing_reported_ms >= HALYARD_MISSING_REPORT_MS) {
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld not found in HaloPSA (HTTP 404); its events in the next "
                    "%lld s wait and then read it once, and further missing tickets are counted "
                    "in one line a minute",
                    msp_name, ticket_id, HALYARD_MISSING_TICKET_MS / 1000);
        pipeline->missing_reported_ms = now;
    } else {
        pipeline->missing_tickets++;
        pipeline->missing_last_ticket = ticket_id;
        snprintf(pipeline->missing_last_msp, sizeof pipeline->missing_last_msp, "%s", msp_name);
    }

    /* Step 2: remember it, so the deliveries scan defers its further events. */
    sqlite3 *database = halyard_store_database(pipeline->store);
    sqlite3_stmt *statement = NULL;
    int step = SQLITE_ERROR;
    if (sqlite3_prepare_v2(database,
                           "INSERT INTO missing_tickets (msp_id, ticket_id, found_at_ms)"
                           " VALUES (?1, ?2, ?3) ON CONFLICT (msp_id, ticket_id)"
                           " DO UPDATE SET found_at_ms = excluded.found_at_ms",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, msp_id);
        sqlite3_bind_int64(statement, 2, ticket_id);
        sqlite3_bind_int64(statement, 3, now);
        step = sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "storing missing ticket %lld failed: %s", ticket_id,
                 sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

void halyard_pipeline_missing_deferred(halyard_pipeline *pipeline, long long deliveries)
{
    pipeline->missing_deferred += deliveries;
}

void halyard_pipeline_missing_report(halyard_pipeline *pipeline)
{
    long long now = halyard_clock_now_ms();

    /* Step 1: the summary of the last period, when anything was counted. */
    bool counted = pipeline->missing_tickets > 0 || pipeline->missing_deferred > 0;
    if (counted && now - pipeline->missing_reported_ms >= HALYARD_MISSING_REPORT_MS) {
        if (pipeline->missing_tickets > 0) {
            halyard_log(HALYARD_LOG_INFO, "pipeline",
                        "%lld more ticket(s) not found in HaloPSA, the last msp=%s ticket=%lld, "
                        "and %lld webhook event(s) for missing tickets wait for their ticket's "
                        "next read",
                        pipeline->missing_tickets, pipeline->missing_last_msp,
                        pipeline->missing_last_ticket, pipeline->missing_deferred);
        } else {
            halyard_log(HALYARD_LOG_INFO, "pipeline",
                        "%lld webhook event(s) for missing tickets wait for their ticket's next "
                        "read",
                        pipeline->missing_deferred);
        }
        pipeline->missing_tickets = 0;
        pipeline->missing_deferred = 0;
        pipeline->missing_reported_ms = now;
    }

    /* Step 2: delete tickets past the window, which the scan no longer reads. The pipeline
     * calls this at every wake, so the delete waits a minute between runs. */
    if (pipeline->missing_pruned && now - pipeline->missing_pruned_ms < HALYARD_MISSING_REPORT_MS) {
        return;
    }
    pipeline->missing_pruned = true;
    pipeline->missing_pruned_ms = now;
    char *error = NULL;
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM missing_tickets WHERE found_at_ms < %lld",
             now - HALYARD_MISSING_TICKET_MS);
    if (sqlite3_exec(halyard_store_database(pipeline->store), sql, NULL, NULL, &error) !=
        SQLITE_OK) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "deleting old missing tickets failed: %s",
                    error != NULL ? error : "unknown error");
    }
    sqlite3_free(error);
}
