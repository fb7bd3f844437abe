#include "verification_coverage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool halyard_verification_gap_empty(const halyard_verification_gap *gap)
{
    return gap->reasons[0] == '\0' && gap->signals[0] == '\0' && !gap->other_account;
}

/* Copies column of statement's row into target, "" for NULL. */
static void copy_column(sqlite3_stmt *statement, int column, char *target, size_t size)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    snprintf(target, size, "%s", text != NULL ? (const char *)text : "");
}

int halyard_verification_find_gap(halyard_store *store, long long run_id, const char *verdict,
                                  halyard_verification_gap *gap, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    memset(gap, 0, sizeof *gap);

    /* A stored screening that is missing or not JSON covers nothing, so every kind counts as
     * new: the safe side. NOT IN over a list with a NULL matches nothing, so NULLs are left out
     * of the covered lists. A check for a password or MFA reset also covers an account unlock,
     * because all three get the same person back into the same account. An unlock check does
     * not cover a reset, which hands out a new credential. A kind the client exempts from
     * verification (exempt_reasons, host.screen) needs no check, so it counts as covered. */
    static const char query[] =
        "WITH covered(screening) AS ("
        "  SELECT CASE WHEN json_valid(screening_json) THEN screening_json ELSE '{}' END"
        "  FROM runs WHERE id = ?2"
        "  UNION ALL SELECT '{}' WHERE NOT EXISTS (SELECT 1 FROM runs WHERE id = ?2)),"
        " covered_reasons(reason) AS ("
        "  SELECT item.value FROM covered, json_each(covered.screening, '$.reasons') item"
        "  WHERE item.type = 'text'"
        "  UNION SELECT json_extract(screening, '$.reason') FROM covered"
        "  WHERE json_type(screening, '$.reason') = 'text'),"
        " covered_kinds(reason) AS ("
        "  SELECT reason FROM covered_reasons"
        "  UNION SELECT item.value FROM covered, json_each(covered.screening, '$.exempt_reasons')"
        "  item WHERE item.type = 'text'"
        "  UNION SELECT 'account_unlock' WHERE EXISTS (SELECT 1 FROM covered_reasons"
        "   WHERE reason IN ('password_reset', 'mfa_reset'))),"
        " covered_signals(code) AS ("
        "  SELECT json_extract(item.value, '$.code')"
        "  FROM covered, json_each(covered.screening, '$.risk.signals') item"
        "  WHERE json_type(item.value, '$.code') = 'text')"
        " SELECT"
        "  (SELECT group_concat(DISTINCT item.value) FROM json_each(?1, '$.reasons') item"
        "   WHERE item.type = 'text' AND item.value NOT IN (SELECT reason FROM covered_kinds)),"
        "  (SELECT group_concat(DISTINCT json_extract(item.value, '$.code'))"
        "   FROM json_each(?1, '$.risk.signals') item"
        "   WHERE json_type(item.value, '$.code') = 'text'"
        "   AND json_extract(item.value, '$.code') NOT IN (SELECT code FROM covered_signals)),"
        "  coalesce(json_extract(?1, '$.other_account'), 0) = 1"
        "  AND coalesce((SELECT json_extract(screening, '$.other_account') FROM covered), 0) = 0";
    if (sqlite3_prepare_v2(database, query, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "comparing the screening with the run's check failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_text(statement, 1, verdict, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 2, run_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        copy_column(statement, 0, gap->reasons, sizeof gap->reasons);
        copy_column(statement, 1, gap->signals, sizeof gap->signals);
        gap->other_account = sqlite3_column_int(statement, 2) == 1;
    } else {
        snprintf(message, message_size, "comparing the screening with the run's check failed: %s",
                 sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return step == SQLITE_ROW ? 0 : -1;
}

void halyard_verification_describe_gap(const halyard_verification_gap *gap, char *text, size_t size)
{
    text[0] = '\0';
    size_t used = 0;
    const char *separator = "";
    if (gap->reasons[0] != '\0' && used < size) {
        used += (size_t)snprintf(text + used, size - used, "%snew kinds of request: %s", separator,
                                 gap->reasons);
        separator = "; ";
    }
    if (gap->signals[0] != '\0' && used < size) {
        used += (size_t)snprintf(text + used, size - used, "%snew risk signals: %s", separator,
                                 gap->signals);
        separator = "; ";
    }
    if (gap->other_account && used < size) {
        snprintf(text + used, size - used, "%sthe request is now for another person's account",
                 separator);
    }
}

int halyard_verification_verdict_reasons(halyard_store *store, const char *verdict, char *reasons,
                                         size_t reasons_size, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    reasons[0] = '\0';
    if (sqlite3_prepare_v2(
            database,
            "SELECT coalesce((SELECT group_concat(item.value) FROM json_each(?1, '$.reasons') item"
            " WHERE item.type = 'text'), json_extract(?1, '$.reason'))"
            " WHERE json_valid(?1)",
            -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the screening's reasons failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_text(statement, 1, verdict, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW && sqlite3_column_type(statement, 0) == SQLITE_TEXT) {
        copy_column(statement, 0, reasons, reasons_size);
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the screening's reasons failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

int halyard_verification_screening_to_store(halyard_store *store, const char *verdict,
                                            const char *version, const char *challenge_reasons,
                                            char **stored, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    *stored = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT json_set(?1, '$.ticket_version', ?2, '$.challenge_reasons', ?3)",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "writing the run's screening failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_text(statement, 1, verdict, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, challenge_reasons, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW && sqlite3_column_type(statement, 0) == SQLITE_TEXT) {
        *stored = strdup((const char *)sqlite3_column_text(statement, 0));
    }
    if (*stored == NULL) {
        snprintf(message, message_size, "writing the run's screening failed: %s",
                 step == SQLITE_ROW ? "out of memory or not JSON" : sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return *stored != NULL ? 0 : -1;
}

/* Runs query, an UPDATE of the screening_json of run ?1 with the verdict ?2. On failure writes
 * "WHAT failed for run RUN_ID" into message, where what names the step ("marking the unlock as
 * covered"). Returns 0, or -1 with a message. */
static int update_screening(halyard_store *store, const char *query, long long run_id,
                            const char *verdict, const char *what, char *message,
                            size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int step = SQLITE_ERROR;
    if (sqlite3_prepare_v2(database, query, -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, run_id);
        sqlite3_bind_text(statement, 2, verdict, -1, SQLITE_STATIC);
        step = sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "%s failed for run %lld: %s", what, run_id,
                 sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

int halyard_verification_mark_unlock_covered(halyard_store *store, long long run_id,
                                             const char *verdict, char *message,
                                             size_t message_size)
{
    static const char query[] =
        "UPDATE runs SET screening_json = json_set(screening_json, '$.unlock_covered', "
        "json('true'))"
        " WHERE id = ?1 AND json_valid(screening_json)"
        " AND EXISTS (SELECT 1 FROM json_each(?2, '$.reasons') item"
        "  WHERE item.value = 'account_unlock')"
        " AND NOT EXISTS (SELECT 1 FROM json_each(screening_json, '$.reasons') item"
        "  WHERE item.value = 'account_unlock')"
        " AND coalesce(json_extract(screening_json, '$.reason'), '') <> 'account_unlock'";
    return update_screening(store, query, run_id, verdict, "marking the unlock as covered", message,
                            message_size);
}

int halyard_verification_mark_exempt(halyard_store *store, long long run_id, const char *verdict,
                                     char *message, size_t message_size)
{
    static const char query[] =
        "UPDATE runs SET screening_json = json_set(screening_json, '$.exempt_reasons',"
        " json_extract(?2, '$.exempt_reasons'))"
        " WHERE id = ?1 AND json_valid(screening_json) AND json_valid(?2)"
        " AND json_type(?2, '$.exempt_reasons') = 'array'";
    return update_screening(store, query, run_id, verdict, "storing the exempt kinds of request",
                            message, message_size);
}
