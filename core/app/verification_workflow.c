#include "verification_workflow.h"

#include "log.h"
#include "runs.h"
#include "verification.h"
#include "verification_coverage.h"
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

/* True when a plan of run is compared with the run's stored screening: a verified run, or a run
 * sensitive only for kinds its client exempts, which needed no check. */
static bool run_compared(const halyard_run *run)
{
    return strcmp(run->verification, "verified") == 0 ||
           (run->sensitive && strcmp(run->verification, "not_required") == 0);
}

/* Tells whether a plan that declares reason (valid) must wait for a screening of run. A run
 * screened not sensitive always waits. A compared run (run_compared) waits only when its
 * stored screening does not cover reason (verification_coverage.h): a passed check for a
 * password reset covers a later unlock but not an MFA reset, and a kind the client exempts
 * needs no check. Returns 1 when it waits, 0 when not, -1 with a message. */
static int reason_needs_screening(halyard_store *store, const halyard_run *run, const char *reason,
                                  char *message, size_t message_size)
{
    if (!run_compared(run)) {
        return 1;
    }
    char verdict[HALYARD_WORKFLOW_REASON_SIZE + 32];
    snprintf(verdict, sizeof verdict, "{\"reasons\":[\"%s\"]}", reason);
    halyard_verification_gap gap;
    if (halyard_verification_find_gap(store, run->id, verdict, &gap, message, message_size) != 0) {
        return -1;
    }
    return gap.reasons[0] != '\0' ? 1 : 0;
}

/* Finds the first step of the plan whose tool declares a valid sensitive reason that makes the
 * plan wait (reason_needs_screening). Writes the reason into reason (HALYARD_WORKFLOW_REASON_SIZE
 * bytes) and the tool's name into tool. Returns the step's number from 1, 0 when no step
 * declares one, or -1 with a message. */
static long long find_sensitive_step(halyard_store *store, halyard_json_reader *json,
                                     const halyard_run *run, const char *summary_json, char *reason,
                                     char *tool, size_t tool_size, char *message,
                                     size_t message_size)
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
                        run->id, i + 1);
            reason[0] = '\0';
            continue;
        }
        int needed = reason_needs_screening(store, run, reason, message, message_size);
        if (needed < 0) {
            return -1;
        }
        if (needed == 0) {
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
    /* A verified run's plans are compared with what its check covered. A run sensitive only
     * for kinds its client exempts has its plans compared with those kinds, so a plan under any
     * other declared kind is screened again. A run screened not sensitive is compared with
     * nothing. Any other sensitive run waits for its challenge or needs approval for every
     * write. */
    bool verified = strcmp(run.verification, "verified") == 0;
    bool exempt = !verified && run_compared(&run);
    bool not_sensitive = !run.sensitive && strcmp(run.verification, "not_required") == 0;
    if (!verified && !exempt && !not_sensitive) {
        return 0;
    }

    /* Step 1: the first matched workflow that declares a reason that makes the plan wait. */
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
            int needed = reason_needs_screening(store, &run, reason, message, message_size);
            if (needed < 0) {
                return -1;
            }
            if (needed == 0) {
                reason[0] = '\0';
            }
        }
        if (reason[0] != '\0') {
            snprintf(path, sizeof path, "$.workflows[%lld].name", i);
            read_text(json, summary_json, path, name, sizeof name);
            snprintf(path, sizeof path, "$.workflows[%lld].file", i);
            read_text(json, summary_json, path, file, sizeof file);
        }
    }

    /* Step 2: else the first step whose tool declares a reason that makes the plan wait. */
    const char *event_kind = "workflow_sensitive";
    const char *outcome = "so the run is treated as sensitive although the sensitive policy "
                          "found it not sensitive";
    if (verified) {
        outcome = "which the passed identity check did not cover, so the requester is checked "
                  "again before any step runs";
    } else if (exempt) {
        outcome = "which the client does not exempt from verification, so the requester is "
                  "checked before any step runs";
    }
    char detail[512];
    long long step = 0;
    if (reason[0] == '\0') {
        step = find_sensitive_step(store, json, &run, summary_json, reason, name, sizeof name,
                                   message, message_size);
    }
    if (step < 0) {
        return -1;
    }
    char source[192];
    if (step > 0) {
        event_kind = "tool_sensitive";
        snprintf(source, sizeof source, "the tool %s", name);
        snprintf(detail, sizeof detail,
                 "a step of the plan uses the tool %s, which handles sensitive requests (%s), %s",
                 name, reason, outcome);
    } else if (reason[0] != '\0') {
        snprintf(source, sizeof source, "the workflow '%s'", name);
        snprintf(detail, sizeof detail,
                 "the matching workflow '%s' (%s) handles sensitive requests (%s), %s", name, file,
                 reason, outcome);
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
                                                             source, message, message_size);
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

int halyard_verification_workflow_add_reason(halyard_store *store, const char *verdict,
                                             const char *reason, char **merged, char *message,
                                             size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    *merged = NULL;

    /* A verdict that is not JSON becomes one with only this reason, and a reasons list that is
     * missing or not an array becomes a new one. A reason the client exempts from verification
     * (exempt_reasons) is not added, so it needs no check, as for a kind the policy found. */
    static const char query[] =
        "WITH given(verdict) AS (SELECT CASE WHEN json_valid(?1) THEN ?1 ELSE '{}' END),"
        " listed(reasons) AS (SELECT CASE WHEN json_type(verdict, '$.reasons') = 'array'"
        "  THEN json_extract(verdict, '$.reasons') ELSE '[]' END FROM given)"
        " SELECT json_set(verdict, '$.reasons', json(CASE"
        "  WHEN EXISTS (SELECT 1 FROM json_each(reasons) item WHERE item.value = ?2) THEN reasons"
        "  WHEN EXISTS (SELECT 1 FROM json_each(verdict, '$.exempt_reasons') item"
        "   WHERE item.value = ?2) THEN reasons"
        "  ELSE json_insert(reasons, '$[#]', ?2) END))"
        " FROM given, listed";
    if (sqlite3_prepare_v2(database, query, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "adding the workflow's reason to the screening failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_text(statement, 1, verdict, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, reason, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_ROW || sqlite3_column_text(statement, 0) == NULL) {
        snprintf(message, message_size, "adding the workflow's reason to the screening failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    *merged = strdup((const char *)sqlite3_column_text(statement, 0));
    if (*merged == NULL) {
        snprintf(message, message_size, "out of memory adding the workflow's reason");
    }

cleanup:
    sqlite3_finalize(statement);
    return *merged != NULL ? 0 : -1;
}
