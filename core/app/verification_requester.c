#include "verification_requester.h"

#include "clock.h"
#include "log.h"
#include "note_text.h"
#include "pipeline_task.h"
#include "run_writes.h"
#include "sql_json_id.h"
#include "text_buffer.h"
#include "verification.h"
#include "verification_record.h"
#include "verification_rescreen.h"
#include "verification_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The maximum length of a user name quoted in a note, in bytes. */
#define REQUESTER_NAME_MAX 200

/* The ticket's user as a sync reads it: the id, the name and the e-mail address that workflows
 * act on as {requester.email} (context.ticket_requester: user_email, else emailaddress). */
typedef struct {
    long long id;
    char name[256];
    char email[256];
} ticket_user;

/* Reads the ticket's user into *user (0 and "" for missing fields). Returns 0, or -1 with a
 * message when ticket_json is not JSON. */
static int read_ticket_user(halyard_store *store, const char *ticket_json, ticket_user *user,
                            char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    memset(user, 0, sizeof *user);
    if (sqlite3_prepare_v2(
            database,
            "SELECT coalesce(" HALYARD_SQL_JSON_ID(
                "?1", "'$.user_id'") ", 0),"
                                     " coalesce(json_extract(?1, '$.user_name'), ''),"
                                     " coalesce(nullif(trim(json_extract(?1, '$.user_email')), ''),"
                                     "   nullif(trim(json_extract(?1, '$.emailaddress')), ''), '')",
            -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the ticket's user failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_text(statement, 1, ticket_json, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        user->id = sqlite3_column_int64(statement, 0);
        const unsigned char *name = sqlite3_column_text(statement, 1);
        snprintf(user->name, sizeof user->name, "%s", name != NULL ? (const char *)name : "");
        const unsigned char *email = sqlite3_column_text(statement, 2);
        snprintf(user->email, sizeof user->email, "%s", email != NULL ? (const char *)email : "");
    } else {
        snprintf(message, message_size, "reading the ticket's user failed: %s",
                 sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return step == SQLITE_ROW ? 0 : -1;
}

/* Writes the note that explains to technicians why the check no longer counts. Returns malloc'd
 * HTML, or NULL when out of memory. */
static char *changed_note_html(const halyard_verification *verification, bool passed,
                               long long new_user_id, const char *new_user_name)
{
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    const char *earlier =
        verification->requester_name[0] != '\0' ? verification->requester_name : "the earlier user";
    const char *later = new_user_name[0] != '\0' ? new_user_name : "the new user";
    halyard_text_buffer_printf(&note, "<p><b>halyard identity verification: the requester "
                                      "changed</b></p><p>The ticket's user changed from ");
    halyard_note_append_text(&note, earlier, REQUESTER_NAME_MAX);
    halyard_text_buffer_printf(&note, " (user %lld) to ", verification->requester_user_id);
    halyard_note_append_text(&note, later, REQUESTER_NAME_MAX);
    halyard_text_buffer_printf(&note, " (user %lld) %s.</p>", new_user_id,
                               passed ? "after the identity check passed"
                                      : "while the identity check was waiting for an answer");
    halyard_text_buffer_printf(&note, "<p>A check counts only for the user it was sent to, so "
                                      "halyard does not act on it for ");
    halyard_note_append_text(&note, later, REQUESTER_NAME_MAX);
    halyard_text_buffer_printf(
        &note, ". The ticket is screened again for the new user: when it is still sensitive, "
               "the new user is challenged, and the agent goes on only once they pass. If the "
               "change was not expected, confirm with both users what was asked.</p>");
    return halyard_text_buffer_take(&note);
}

/* Writes the note for a ticket whose e-mail address is no longer the challenged user's.
 * Returns malloc'd HTML, or NULL when out of memory. */
static char *address_note_html(const halyard_verification *verification, bool passed,
                               const char *ticket_email)
{
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    const char *name =
        verification->requester_name[0] != '\0' ? verification->requester_name : "the user";
    halyard_text_buffer_printf(&note, "<p><b>halyard identity verification: the ticket's e-mail "
                                      "address is not the challenged user's</b></p><p>");
    halyard_note_append_text(&note, name, REQUESTER_NAME_MAX);
    halyard_text_buffer_printf(&note,
                               " (user %lld) was challenged %s. The ticket's e-mail address "
                               "is now ",
                               verification->requester_user_id,
                               passed ? "and passed" : "and has not answered yet");
    halyard_note_append_text(&note, ticket_email, REQUESTER_NAME_MAX);
    halyard_text_buffer_append_text(&note, ", but the address on file for that user is ");
    halyard_note_append_text(
        &note, verification->requester_email[0] != '\0' ? verification->requester_email : "(none)",
        REQUESTER_NAME_MAX);
    halyard_text_buffer_append_text(
        &note, ".</p><p>The agent acts on the ticket's e-mail address, so the check does not "
               "count and no step runs on it. The ticket is screened again: while it is "
               "sensitive and the address still differs, halyard stops without a new challenge. "
               "Correct the ticket's e-mail address or its user, confirm with the user what was "
               "asked, and log the request again.</p>");
    return halyard_text_buffer_take(&note);
}

/* Queues the note through the run's outbox under key. Returns 0, or -1 with a message. */
static int add_note(halyard_store *store, const halyard_run *run, const char *key,
                    const char *note_html, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database,
                           "SELECT json_object('write', 'action', 'note_html', ?1, 'hidden',"
                           " json('true'), 'send_email', json('false'))",
                           -1, &statement, NULL) != SQLITE_OK ||
        (sqlite3_bind_text(statement, 1, note_html, -1, SQLITE_STATIC), sqlite3_step(statement)) !=
            SQLITE_ROW) {
        snprintf(message, message_size, "writing the requester note failed: %s",
                 sqlite3_errmsg(database));
        sqlite3_finalize(statement);
        return -1;
    }
    int status = halyard_run_writes_add(store, run->msp_id, run->id, run->ticket_id, key,
                                        (const char *)sqlite3_column_text(statement, 0), NULL, NULL,
                                        message, message_size);
    sqlite3_finalize(statement);
    return status;
}

/* Sends the run back to its first screening because the check no longer covers the ticket's
 * requester, in one transaction. detail goes into the run's events and why into a set-aside
 * approval request. *moved is
 * false when the run left run->state meanwhile. Returns 0, or -1 with a message. */
static int screen_for_new_user(halyard_store *store, const halyard_run *run,
                               const halyard_verification *verification, const char *detail,
                               const char *why, const char *note_html, bool *moved, char *message,
                               size_t message_size)
{
    *moved = false;
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                              message_size) != 0) {
        return -1;
    }

    int status =
        halyard_runs_transition_from(store, run->id, run->state, "planning", "requester_changed",
                                     detail, moved, message, message_size);
    if (status == 0 && *moved && strcmp(verification->status, "pending") == 0) {
        bool changed = false;
        status =
            halyard_verification_finish(store, verification->id, "superseded", detail,
                                        halyard_clock_now_ms(), &changed, message, message_size);
    }
    if (status == 0 && *moved) {
        status =
            halyard_runs_set_verification(store, run->id, "none", "verification_cleared",
                                          "the check was for another user", message, message_size);
    }
    long long superseded_id = 0;
    if (status == 0 && *moved) {
        status = halyard_verification_supersede_request(store, run, why, &superseded_id, message,
                                                        message_size);
    }
    if (status == 0 && *moved) {
        char key[64];
        snprintf(key, sizeof key, "verification-requester-%lld", verification->id);
        status = add_note(store, run, key, note_html, message, message_size);
    }
    if (status == 0 && *moved) {
        status = halyard_verification_queue_screen(store, run->msp_id, run->id, false, message,
                                                   message_size);
    }

    if (status == 0 &&
        halyard_store_execute(store, "COMMIT", "committing", message, message_size) == 0) {
        return 0;
    }
    sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
    *moved = false;
    return -1;
}

int halyard_verification_requester_check(halyard_store *store, const halyard_run *run,
                                         const char *ticket_json, char *message,
                                         size_t message_size)
{
    static const char *const checked_states[] = {HALYARD_RUN_AWAITING_VERIFICATION, "planning",
                                                 "awaiting_approval", "done", "failed"};
    bool pending = strcmp(run->verification, "pending") == 0;
    bool passed = strcmp(run->verification, "verified") == 0;
    bool checked = false;
    for (size_t i = 0; i < sizeof checked_states / sizeof checked_states[0]; i++) {
        checked = checked || strcmp(run->state, checked_states[i]) == 0;
    }
    if ((!pending && !passed) || !checked) {
        return 0;
    }

    halyard_verification verification;
    int found = halyard_verification_get(store, 0, run->id, &verification, message, message_size);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    if (verification.requester_user_id <= 0 || (strcmp(verification.status, "pending") != 0 &&
                                                strcmp(verification.status, "verified") != 0)) {
        return 0;
    }
    ticket_user user;
    if (read_ticket_user(store, ticket_json, &user, message, message_size) != 0) {
        return -1;
    }

    /* Step 1: the ticket's user, then the address the agent would act on. An empty ticket
     * address gives workflows no {requester.email}, so it acts on nobody's account. */
    bool user_changed = user.id != verification.requester_user_id;
    bool address_changed = !user_changed && verification.requester_email_recorded &&
                           user.email[0] != '\0' &&
                           strcasecmp(user.email, verification.requester_email) != 0;
    if (!user_changed && !address_changed) {
        return 0;
    }

    /* Step 2: the check does not count, so the run is screened again with a note. */
    char *note = user_changed ? changed_note_html(&verification, passed, user.id, user.name)
                              : address_note_html(&verification, passed, user.email);
    if (note == NULL) {
        snprintf(message, message_size, "out of memory writing the requester note");
        return -1;
    }
    char detail[256];
    if (user_changed) {
        snprintf(detail, sizeof detail,
                 "the ticket's user changed from user %lld, who was challenged, to user %lld; "
                 "the check does not count for the new user, so the ticket is screened again",
                 verification.requester_user_id, user.id);
    } else {
        snprintf(detail, sizeof detail,
                 "the ticket's e-mail address is no longer the one on file for user %lld, who "
                 "was challenged; the check does not count, so the ticket is screened again",
                 verification.requester_user_id);
    }
    bool moved = false;
    int status = screen_for_new_user(store, run, &verification, detail,
                                     user_changed ? "the ticket's user changed"
                                                  : "the ticket's e-mail address changed",
                                     note, &moved, message, message_size);
    free(note);
    if (status != 0) {
        return -1;
    }
    if (!moved) {
        /* Another job moved the run on since this sync read it: the next sync checks again. */
        return 0;
    }
    char msp[64];
    halyard_verification_msp_name(store, run->msp_id, msp, sizeof msp);
    if (user_changed) {
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld the ticket's user changed from user %lld to user "
                    "%lld %s: the check does not count for the new user, so the ticket is "
                    "screened again",
                    msp, run->ticket_id, run->id, verification.requester_user_id, user.id,
                    passed ? "after the identity check passed" : "while the identity check waited");
    } else {
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld the ticket's e-mail address is not the one on "
                    "file for user %lld %s: the check does not count, so the ticket is screened "
                    "again",
                    msp, run->ticket_id, run->id, verification.requester_user_id,
                    passed ? "after the identity check passed" : "while the identity check waited");
    }
    return 1;
}

/* Finds the first action an end user other than requester_name wrote (who_type 2, whose "who"
 * differs ignoring case and outer spaces). Fills *action_id and writer, or leaves writer ""
 * when there is none. Returns 0, or -1 with a message when actions_json is not JSON. */
static int find_other_writer(halyard_store *store, const char *actions_json,
                             const char *requester_name, long long *action_id, char *writer,
                             size_t writer_size, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    *action_id = 0;
    writer[0] = '\0';
    if (sqlite3_prepare_v2(
            database,
            "SELECT coalesce(" HALYARD_SQL_JSON_ID(
                "value",
                "'$.id'") ", 0),"
                          " json_extract(value, '$.who')"
                          " FROM json_each(?1, CASE WHEN json_type(?1, '$.actions') = 'array' THEN "
                          "'$.actions'"
                          "   ELSE '$' END)"
                          " WHERE json_type(value) = 'object'"
                          "   AND " HALYARD_SQL_JSON_ID(
                              "value",
                              "'$.who_type'") " = 2"
                                              "   AND lower(trim(coalesce(json_extract(value, "
                                              "'$.who'), ''))) NOT IN"
                                              "   ('', lower(trim(?2)))"
                                              " ORDER BY coalesce(" HALYARD_SQL_JSON_ID(
                                                  "value", "'$.id'") ", 0) LIMIT 1",
            -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the ticket's actions failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_text(statement, 1, actions_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, requester_name, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        *action_id = sqlite3_column_int64(statement, 0);
        const unsigned char *text = sqlite3_column_text(statement, 1);
        snprintf(writer, writer_size, "%s", text != NULL ? (const char *)text : "");
    } else if (step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the ticket's actions failed: %s",
                 sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
}

/* Writes the note that warns technicians that another end user wrote on a verified ticket. Returns
 * malloc'd HTML, or NULL when out of memory. */
static char *other_writer_note_html(const char *requester_name, const char *writer)
{
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    halyard_text_buffer_printf(&note, "<p><b>halyard identity verification: another end user "
                                      "wrote on this ticket</b></p><p>");
    halyard_note_append_text(&note, writer, REQUESTER_NAME_MAX);
    halyard_text_buffer_printf(&note, " wrote on this ticket, but the identity check that "
                                      "passed was ");
    halyard_note_append_text(&note, requester_name, REQUESTER_NAME_MAX);
    halyard_text_buffer_printf(
        &note, "'s. It does not cover what anyone else asks for, so from now on every step that "
               "writes needs a technician's approval. Before you approve a step for a request "
               "from another person, confirm who they are another way (a call back on the "
               "number on file).</p>");
    return halyard_text_buffer_take(&note);
}

/* Writes into *copy the text of the single column of query run with text bound to ?1 and ?2
 * (may be NULL). Returns 0, or -1 with a message naming what. */
static int select_text(halyard_store *store, const char *query, const char *first,
                       const char *second, const char *what, char **copy, char *message,
                       size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    *copy = NULL;
    if (sqlite3_prepare_v2(database, query, -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, first, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, second, -1, SQLITE_STATIC);
        if (sqlite3_step(statement) == SQLITE_ROW &&
            sqlite3_column_type(statement, 0) == SQLITE_TEXT) {
            *copy = strdup((const char *)sqlite3_column_text(statement, 0));
        }
    }
    if (*copy == NULL) {
        snprintf(message, message_size, "%s failed: %s", what, sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return *copy != NULL ? 0 : -1;
}

void halyard_verification_other_writers_clear(halyard_verification_other_writers *writers)
{
    free(writers->ticket_json);
    free(writers->actions_json);
    memset(writers, 0, sizeof *writers);
}

int halyard_verification_find_other_writers(halyard_store *store, const halyard_run *run,
                                            const char *ticket_json, const char *actions_json,
                                            halyard_verification_other_writers *writers,
                                            char *message, size_t message_size)
{
    static const char *const checked_states[] = {"planning", "awaiting_approval", "done", "failed"};
    memset(writers, 0, sizeof *writers);
    bool checked = false;
    for (size_t i = 0; i < sizeof checked_states / sizeof checked_states[0]; i++) {
        checked = checked || strcmp(run->state, checked_states[i]) == 0;
    }
    if (strcmp(run->verification, "verified") != 0 || !checked || ticket_json == NULL ||
        actions_json == NULL) {
        return 0;
    }
    halyard_verification verification;
    int found = halyard_verification_get(store, 0, run->id, &verification, message, message_size);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    if (verification.requester_name[0] == '\0' || strcmp(verification.status, "verified") != 0) {
        return 0;
    }

    /* Step 1: the first action another end user wrote. */
    if (find_other_writer(store, actions_json, verification.requester_name, &writers->action_id,
                          writers->writer, sizeof writers->writer, message, message_size) != 0) {
        return -1;
    }
    if (writers->writer[0] == '\0') {
        return 0;
    }
    snprintf(writers->requester, sizeof writers->requester, "%s", verification.requester_name);

    /* Step 2: the ticket without the requester's words, and only the other end users' actions,
     * so the sensitive policy reads those actions alone. */
    if (select_text(store,
                    "SELECT json_set(json_remove(?1, '$.details_html'), '$.summary', '',"
                    " '$.details', '')",
                    ticket_json, NULL, "reading the ticket for another end user's words",
                    &writers->ticket_json, message, message_size) != 0 ||
        select_text(store,
                    "SELECT json_object('actions', json_group_array(json(action))) FROM ("
                    " SELECT value AS action FROM json_each(?1, CASE WHEN json_type(?1,"
                    " '$.actions') = 'array' THEN '$.actions' ELSE '$' END)"
                    " WHERE json_type(value) = 'object'"
                    " AND " HALYARD_SQL_JSON_ID(
                        "value", "'$.who_type'") " = 2"
                                                 " AND lower(trim(coalesce(json_extract(value, "
                                                 "'$.who'), ''))) NOT IN"
                                                 " ('', lower(trim(?2)))"
                                                 " ORDER BY coalesce(" HALYARD_SQL_JSON_ID(
                                                     "value", "'$.id'") ", 0))",
                    actions_json, verification.requester_name, "reading another end user's actions",
                    &writers->actions_json, message, message_size) != 0) {
        halyard_verification_other_writers_clear(writers);
        return -1;
    }
    writers->verification_id = verification.id;
    return 1;
}

int halyard_verification_other_writer_hold(halyard_store *store, const halyard_run *run,
                                           const halyard_verification_other_writers *writers,
                                           const char *msp, char *message, size_t message_size)
{
    char *note = other_writer_note_html(writers->requester, writers->writer);
    if (note == NULL) {
        snprintf(message, message_size, "out of memory writing the other end user note");
        return -1;
    }
    /* A Plan-mode run posts one plan note, so one whose note is posted stays done. */
    bool noted = strcmp(run->mode, "execute") != 0 && run->note_action_id != 0;
    char detail[256];
    snprintf(detail, sizeof detail,
             "action %lld was written by an end user other than the verified requester, and the "
             "sensitive policy reads it as sensitive; every write needs approval from now on",
             writers->action_id);
    bool moved = false;
    long long superseded_id = 0;
    int status = halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                       message_size);
    if (status == 0) {
        status = halyard_runs_transition_from(store, run->id, run->state,
                                              noted ? run->state : "planning", "other_requester",
                                              detail, &moved, message, message_size);
    }
    if (status == 0 && moved) {
        status =
            halyard_runs_set_verification(store, run->id, HALYARD_VERIFICATION_OTHER_REQUESTER,
                                          "verification_narrowed", detail, message, message_size);
    }
    if (status == 0 && moved) {
        status = halyard_verification_supersede_request(store, run,
                                                        "another end user wrote on the ticket",
                                                        &superseded_id, message, message_size);
    }
    if (status == 0 && moved) {
        char key[64];
        snprintf(key, sizeof key, "verification-other-writer-%lld", writers->verification_id);
        status = add_note(store, run, key, note, message, message_size);
    }
    if (status == 0 && moved && !noted) {
        status = halyard_pipeline_enqueue_sync(store, run->msp_id, run->ticket_id, message,
                                               message_size);
    }
    if (status == 0) {
        status = halyard_store_execute(store, "COMMIT", "committing", message, message_size);
    }
    free(note);
    if (status != 0) {
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (!moved) {
        return 0;
    }
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld action %lld was written by an end user other than "
                "the verified requester, and the sensitive policy reads it as sensitive: every "
                "write needs approval from now on%s",
                msp, run->ticket_id, run->id, writers->action_id,
                superseded_id != 0 ? "; the pending approval request was set aside" : "");
    return 1;
}
