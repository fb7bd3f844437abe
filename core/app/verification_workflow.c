#include "verification_workflow.h"

#include "log.h"
#include "runs.h"
#include "verification.h"
#include "verification_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKFLOW_MESSAGE_MAX 1024

bool halyard_verification_workflow_reason_valid(const char *reason)
{
    size_t length = strlen(reason);
    if (length == 0 || length >= HALYARD_WORKFLOW_REASON_SIZE) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        if (!((reason[i] >= 'a' && reason[i] <= 'z') || reason[i] == '_')) {
            return false;
        }
    }
    return true;
}

/* Reads the text at path of document into target ("" when missing). */
static void read_text(halyard_json_reader *json, const char *document, const char *path,
                      char *target, size_t size)
{
    char *text = NULL;
    target[0] = '\0';
    if (halyard_json_read_text(json, document, strlen(document), path, &text) ==
        HALYARD_JSON_FOUND) {
        snprintf(target, size, "%s", text);
    }
    free(text);
}

/* Finds the first step of the plan whose tool declares a valid sensitive reason. Writes the
 * reason into reason (HALYARD_WORKFLOW_REASON_SIZE bytes) and the tool's name into tool.
 * Returns the step's number from 1, or 0 when no step declares one. */
static long long find_sensitive_step(halyard_json_reader *json, long long run_id,
                                     const char *summary_json, char *reason, char *tool,
                                     size_t tool_size)
{
    long long count =
        halyard_json_array_length(json, summary_json, strlen(summary_json), "$.steps");
    for (long long i = 0; i < count; i++) {
        char path[64];
        snprintf(path, sizeof path, "$.steps[%lld].sensitive", i);
        read_text(json, summary_json, path, reason, HALYARD_WORKFLOW_REASON_SIZE);
        if (reason[0] == '\0') {
            continue;
        }
        if (!halyard_verification_workflow_reason_valid(reason)) {
            halyard_log(HALYARD_LOG_WARNING, "verify",
                        "run=%lld step %lld of the plan has a tool with an invalid sensitive "
                        "reason; it is ignored (halyard workflows lint names the tool file)",
                        run_id, i + 1);
            reason[0] = '\0';
            continue;
        }
        snprintf(path, sizeof path, "$.steps[%lld].tool", i);
        read_text(json, summary_json, path, tool, tool_size);
        return i + 1;
    }
    return 0;
}

int halyard_verification_on_plan(halyard_store *store, halyard_json_reader *json, long long run_id,
                                 const char *summary_json, char *message, size_t message_size)
{
    halyard_run run;
    if (halyard_runs_get(store, run_id, &run, message, message_size) != 0) {
        return -1;
    }
    if (run.sensitive || strcmp(run.verification, "not_required") != 0) {
        return 0;
    }

    /* Step 1: the first matched workflow that declares a reason. */
    long long count =
        halyard_json_array_length(json, summary_json, strlen(summary_json), "$.workflows");
    char reason[HALYARD_WORKFLOW_REASON_SIZE] = "";
    char name[128] = "";
    char file[128] = "";
    for (long long i = 0; i < count && reason[0] == '\0'; i++) {
        char path[64];
        snprintf(path, sizeof path, "$.workflows[%lld].sensitive", i);
        read_text(json, summary_json, path, reason, sizeof reason);
        if (reason[0] != '\0' && !halyard_verification_workflow_reason_valid(reason)) {
            halyard_log(HALYARD_LOG_WARNING, "verify",
                        "run=%lld workflow %lld of the plan declares an invalid sensitive reason; "
                        "it is ignored (halyard workflows lint names the file)",
                        run_id, i + 1);
            reason[0] = '\0';
        }
        if (reason[0] != '\0') {
            snprintf(path, sizeof path, "$.workflows[%lld].name", i);
            read_text(json, summary_json, path, name, sizeof name);
            snprintf(path, sizeof path, "$.workflows[%lld].file", i);
            read_text(json, summary_json, path, file, sizeof file);
        }
    }

    /* Step 2: else the first step whose tool declares a reason. */
    const char *event_kind = "workflow_sensitive";
    char detail[512];
    if (reason[0] != '\0') {
        snprintf(detail, sizeof detail,
                 "the matching workflow '%s' (%s) handles sensitive requests (%s), so the run is "
                 "treated as sensitive although the sensitive policy found it not sensitive",
                 name, file, reason);
    } else if (find_sensitive_step(json, run_id, summary_json, reason, name, sizeof name) > 0) {
        event_kind = "tool_sensitive";
        snprintf(detail, sizeof detail,
                 "a step of the plan uses the tool %s, which handles sensitive requests (%s), so "
                 "the run is treated as sensitive although the sensitive policy found it not "
                 "sensitive",
                 name, reason);
    } else {
        return 0;
    }

    /* Step 3: the event and the screening, together, so a restart keeps both or neither. */
    int status = halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                       message_size);
    if (status == 0) {
        status = halyard_runs_add_event(store, run.id, event_kind, detail, message, message_size);
    }
    if (status == 0) {
        status = halyard_verification_queue_sensitive_screen(store, run.msp_id, run.id, reason,
                                                             message, message_size);
    }
    if (status == 0) {
        status = halyard_store_execute(store, "COMMIT", "committing", message, message_size);
    }
    if (status != 0) {
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    char msp[64];
    halyard_verification_msp_name(store, run.msp_id, msp, sizeof msp);
    halyard_log(HALYARD_LOG_INFO, "verify",
                "msp=%s ticket=%lld run=%lld plan not used: %s; screening the run as sensitive "
                "first",
                msp, run.ticket_id, run.id, detail);
    return 1;
}

int halyard_verification_workflow_verdict(halyard_store *store, const char *policy_verdict,
                                          const char *reason, char **verdict, char *message,
                                          size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    *verdict = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT json_set(CASE WHEN json_valid(?1) THEN ?1 ELSE '{}' END,"
                           " '$.policy_reason', json_extract(CASE WHEN json_valid(?1) THEN ?1"
                           "   ELSE '{}' END, '$.reason'),"
                           " '$.sensitive', json('true'), '$.verification_required', json('true'),"
                           " '$.reason', ?2, '$.sensitive_by_workflow', json('true'))",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "writing the workflow's verdict failed: %s",
                 sqlite3_errmsg(halyard_store_database(store)));
        goto cleanup;
    }
    sqlite3_bind_text(statement, 1, policy_verdict, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, reason, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_ROW || sqlite3_column_text(statement, 0) == NULL) {
        snprintf(message, message_size, "writing the workflow's verdict failed: %s",
                 sqlite3_errmsg(halyard_store_database(store)));
        goto cleanup;
    }
    *verdict = strdup((const char *)sqlite3_column_text(statement, 0));
    if (*verdict == NULL) {
        snprintf(message, message_size, "out of memory writing the workflow's verdict");
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}
