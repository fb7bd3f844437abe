#include "approvals_stop.h"

#include "approvals.h"
#include "note_text.h"
#include "run_writes.h"
#include "text_buffer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest note this module writes, in bytes: a title, a paragraph and a footer. */
#define STOP_NOTE_MAX (16 * 1024)
/* Waiting runs of one client stopped by one switch to Plan mode; a client has far fewer. */
#define STOP_CLIENT_RUNS_MAX 1000
/* The maximum length of a cancel reason that is kept, in bytes. */
#define STOP_REASON_MAX 500
/* The paragraph's maximum length, in bytes, for a plan's 200 steps at most. The note itself
 * cuts a longer paragraph than STOP_NOTE_MAX / 2 bytes, with "..." at the end. */
#define STOP_TEXT_AFTER_STEPS_MAX (32 * 1024)

/* Builds the hidden note's write: {"write": "action", "hidden": true, "note_html": ...}.
 * Returns a malloc'd string, or NULL when out of memory. */
static char *build_note_write(halyard_json_reader *json, const halyard_run *run,
                              const halyard_run_stop *stop)
{
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, STOP_NOTE_MAX);
    halyard_text_buffer_append_text(&note, "<div style=\"font-family:Segoe UI,Arial,sans-serif;"
                                           "font-size:13px;color:#1f2933;line-height:1.4\">\n"
                                           "<p style=\"margin:0 0 8px 0;font-size:14px\"><b>");
    halyard_note_append_text(&note, stop->title, 0);
    halyard_text_buffer_append_text(&note, "</b></p>\n<p style=\"margin:0 0 6px 0\">");
    halyard_note_append_text(&note, stop->text != NULL ? stop->text : "", STOP_NOTE_MAX / 2);
    halyard_text_buffer_printf(&note,
                               "</p>\n<p style=\"margin:8px 0 0 0;color:#52606d;font-size:12px\">"
                               "Run %lld, Execute mode.</p>\n</div>",
                               run->id);
    char *quoted = NULL;
    if (halyard_text_buffer_failed(&note) ||
        halyard_json_quote(json, halyard_text_buffer_text(&note), &quoted) != 0) {
        halyard_text_buffer_free(&note);
        return NULL;
    }
    halyard_text_buffer_free(&note);
    halyard_text_buffer write;
    halyard_text_buffer_init(&write, 2 * STOP_NOTE_MAX);
    halyard_text_buffer_printf(&write, "{\"write\":\"action\",\"hidden\":true,\"note_html\":%s}",
                               quoted);
    free(quoted);
    return halyard_text_buffer_take(&write);
}

int halyard_approvals_withdraw_request(halyard_store *store, long long run_id, char *message,
                                       size_t message_size)
{
    halyard_approval_request latest;
    int found = halyard_approvals_latest(store, run_id, &latest, message, message_size);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    int status = 0;
    if (strcmp(latest.state, "pending") == 0 &&
        halyard_approvals_decide(store, latest.id, "superseded", 0, 0, message, message_size) < 0) {
        status = -1;
    }
    halyard_approval_request_clear(&latest);
    return status;
}

int halyard_approvals_stop_run(halyard_store *store, halyard_json_reader *json,
                               const halyard_run *run, const char *expected_state,
                               const halyard_run_stop *stop, char *message, size_t message_size)
{
    char *write = NULL;
    if (stop->title != NULL) {
        write = build_note_write(json, run, stop);
        if (write == NULL) {
            snprintf(message, message_size, "out of memory building the note of run %lld", run->id);
            return -1;
        }
    }
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                              message_size) != 0) {
        free(write);
        return -1;
    }
    bool moved = false;
    int status = halyard_runs_transition_from(store, run->id, expected_state, "stopped", stop->kind,
                                              stop->detail, &moved, message, message_size);
    if (status == 0 && moved) {
        status = halyard_approvals_withdraw_request(store, run->id, message, message_size);
    }
    if (status == 0 && moved && write != NULL) {
        char key[48];
        snprintf(key, sizeof key, "stopped.%s", stop->kind);
        status = halyard_run_writes_add(store, run->msp_id, run->id, run->ticket_id, key, write,
                                        NULL, NULL, message, message_size);
    }
    free(write);
    if (status != 0 ||
        halyard_store_execute(store, "COMMIT", "committing", message, message_size) != 0) {
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return moved ? 0 : 1;
}

bool halyard_approvals_status_closed(const halyard_config *config, long long status_id)
{
    for (size_t i = 0; i < config->closed_status_count; i++) {
        if (config->closed_statuses[i] == status_id) {
            return true;
        }
    }
    return false;
}

int halyard_approvals_status_set_by_run(halyard_store *store, long long run_id, long long status_id,
                                        bool after_close, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(
            database,
            "SELECT json_extract(write_json, '$.fields.status_id') = ?2 AND (?3 = 0 OR"
            " updated_at >= coalesce((SELECT max(at) FROM run_events WHERE run_id = ?1 AND"
            " kind = 'ticket_synced' AND detail = 'ticket closed'), ''))"
            " FROM run_writes WHERE run_id = ?1 AND state = 'done'"
            " AND json_extract(write_json, '$.fields.status_id') IS NOT NULL"
            " ORDER BY updated_at DESC, id DESC LIMIT 1",
            -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the status writes of run %lld failed: %s", run_id,
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_int64(statement, 2, status_id);
    sqlite3_bind_int(statement, 3, after_close ? 1 : 0);
    int step = sqlite3_step(statement);
    int result = step == SQLITE_ROW ? sqlite3_column_int(statement, 0) != 0 : 0;
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the status writes of run %lld failed: %s", run_id,
                 sqlite3_errmsg(database));
        result = -1;
    }
    sqlite3_finalize(statement);
    return result;
}

/* Returns the words for a step's state (execute_steps.h) in the note. */
static const char *state_words(const char *state)
{
    if (state == NULL) {
        return "unknown";
    }
    if (strcmp(state, "queued") == 0) {
        return "write queued";
    }
    if (strcmp(state, "started") == 0) {
        return "started, outcome unknown";
    }
    return state; /* done, rejected, failed, interrupted */
}

/* Appends "step 1 (halo.get_user: done), step 2 (...)" for every step in steps_json. Returns
 * how many it appended. */
static long long append_steps(halyard_text_buffer *out, halyard_json_reader *json,
                              const char *steps_json)
{
    size_t length = strlen(steps_json);
    long long count = halyard_json_array_length(json, steps_json, length, "$");
    for (long long i = 0; i < count; i++) {
        char path[48];
        long long number = 0;
        char *tool = NULL;
        char *state = NULL;
        snprintf(path, sizeof path, "$[%lld].number", i);
        halyard_json_read_integer(json, steps_json, length, path, &number);
        snprintf(path, sizeof path, "$[%lld].tool", i);
        halyard_json_read_text(json, steps_json, length, path, &tool);
        snprintf(path, sizeof path, "$[%lld].state", i);
        halyard_json_read_text(json, steps_json, length, path, &state);
        halyard_text_buffer_printf(out, "%sstep %lld (%s: %s)",
                                   i == 0 ? "" : (i + 1 == count ? " and " : ", "), number,
                                   tool != NULL ? tool : "?", state_words(state));
        free(tool);
        free(state);
    }
    return count > 0 ? count : 0;
}

char *halyard_approvals_stop_text(halyard_json_reader *json, halyard_stop_reason reason,
                                  const char *steps_json)
{
    halyard_text_buffer out;
    halyard_text_buffer_init(&out, STOP_TEXT_AFTER_STEPS_MAX);
    long long ran = steps_json != NULL
                        ? halyard_json_array_length(json, steps_json, strlen(steps_json), "$")
                        : 0;

    /* When no step ran, the note keeps the texts of a stop before the first step. */
    if (ran <= 0) {
        switch (reason) {
        case HALYARD_STOP_MOVED:
            halyard_text_buffer_append_text(&out, HALYARD_RUN_STOP_MOVED_TEXT);
            break;
        case HALYARD_STOP_CLOSED:
            halyard_text_buffer_append_text(
                &out, "This ticket was closed before any step of this run ran, so halyard ran "
                      "none of them and changes nothing more on this ticket for this run. "
                      "Reopening the ticket starts a new run.");
            break;
        case HALYARD_STOP_PLAN_MODE:
        default:
            halyard_text_buffer_append_text(
                &out, "This client's agent was switched to Plan mode while this run waited, so "
                      "halyard ran none of the steps waiting to run, the approved ones included, "
                      "and changes nothing more on this ticket for this run.");
            break;
        }
        return halyard_text_buffer_take(&out);
    }

    switch (reason) {
    case HALYARD_STOP_MOVED:
        halyard_text_buffer_append_text(
            &out, "This ticket moved to another client while this run carried out its steps. ");
        break;
    case HALYARD_STOP_CLOSED:
        halyard_text_buffer_append_text(
            &out, "This ticket was closed while this run carried out its steps. ");
        break;
    case HALYARD_STOP_PLAN_MODE:
    default:
        halyard_text_buffer_append_text(&out, "This client's agent was switched to Plan mode "
                                              "while this run carried out its steps. ");
        break;
    }
    halyard_text_buffer_append_text(&out, "Before halyard found that, it had run ");
    long long appended = append_steps(&out, json, steps_json);
    halyard_text_buffer_printf(&out,
                               ". It ran none of the steps after %s and changes nothing more on "
                               "this ticket for this run.",
                               appended == 1 ? "it" : "them");
    if (reason == HALYARD_STOP_MOVED) {
        halyard_text_buffer_append_text(
            &out, " The run worked under the old client's settings. If the new client is "
                  "imported, its agent starts a run of its own under that client's settings.");
    } else if (reason == HALYARD_STOP_CLOSED) {
        halyard_text_buffer_append_text(&out, " Reopening the ticket starts a new run.");
    } else {
        halyard_text_buffer_append_text(
            &out, " Switching the client back to Execute mode does not take this run up again.");
    }
    return halyard_text_buffer_take(&out);
}

int halyard_approvals_cancel_run(halyard_store *store, long long msp_id, long long run_id,
                                 const char *who, const char *why, char *state, size_t state_size,
                                 char *message, size_t message_size)
{
    halyard_run run;
    int found = halyard_runs_get(store, run_id, &run, message, message_size);
    if (found < 0) {
        return -1;
    }
    if (found == 1 || run.msp_id != msp_id) {
        snprintf(message, message_size, "run %lld not found", run_id);
        return HALYARD_CANCEL_NOT_FOUND;
    }
    snprintf(state, state_size, "%s", run.state);
    if (strcmp(run.state, "stopped") == 0) {
        snprintf(message, message_size, "run %lld was stopped already; nothing changed", run_id);
        return HALYARD_CANCEL_ALREADY;
    }
    if (halyard_runs_state_ended(run.state)) {
        snprintf(message, message_size,
                 "run %lld has finished (state %s): there is nothing left to cancel", run_id,
                 run.state);
        return HALYARD_CANCEL_FINISHED;
    }

    /* A run that plans, executes or verifies has a job working on it, which would carry on
     * after the state changed under it. */
    // TODO: cancel runs in awaiting_verification too, once the verification jobs check the
    // run's state before they move it.
    if (strcmp(run.state, "awaiting_approval") != 0 && strcmp(run.state, "failed") != 0) {
        snprintf(message, message_size,
                 "run %lld is %s: only a run waiting for an approval or an assignment, or a "
                 "failed one, can be cancelled; read the run again (GET "
                 "/api/v1/runs?ticket_id=) and cancel it if it waits, as a run that finishes "
                 "needs no cancel",
                 run_id, run.state);
        return HALYARD_CANCEL_BUSY;
    }

    char reason[STOP_REASON_MAX + 1];
    snprintf(reason, sizeof reason, "%s", why != NULL ? why : "");
    char detail[STOP_REASON_MAX + 256];
    snprintf(detail, sizeof detail, "cancelled by %s%s%s", who, reason[0] != '\0' ? ": " : "",
             reason);
    char text[STOP_REASON_MAX + 512];
    snprintf(
        text, sizeof text,
        "Cancelled by %s%s%s. Any approval request of this run is withdrawn: an answer to it runs "
        "nothing, and halyard changes nothing more on this ticket for this run.",
        who, reason[0] != '\0' ? ", because: " : "", reason);
    halyard_run_stop stop = {
        .kind = "cancelled",
        .detail = detail,
        .title = "halyard stopped: the run was cancelled",
        .text = text,
    };
    halyard_json_reader *json = NULL;
    if (halyard_json_reader_create(&json, message, message_size) != 0) {
        return -1;
    }
    int stopped =
        halyard_approvals_stop_run(store, json, &run, run.state, &stop, message, message_size);
    halyard_json_reader_free(json);
    if (stopped == 1) {
        snprintf(message, message_size,
                 "run %lld changed state while it was being cancelled; read it and try again",
                 run_id);
        return HALYARD_CANCEL_BUSY;
    }
    return stopped < 0 ? -1 : HALYARD_CANCEL_STOPPED;
}

int halyard_approvals_stop_client_runs(halyard_store *store, long long msp_id,
                                       long long halo_client_id, size_t *stopped_count,
                                       char *message, size_t message_size)
{
    *stopped_count = 0;
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    long long run_ids[STOP_CLIENT_RUNS_MAX];
    size_t count = 0;

    /* Step 1: the client's runs that wait for an approval or an assignment. */
    if (sqlite3_prepare_v2(database,
                           "SELECT id FROM runs WHERE msp_id = ?1 AND halo_client_id = ?2"
                           " AND state = 'awaiting_approval' ORDER BY id LIMIT ?3",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the client's waiting runs failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, halo_client_id);
    sqlite3_bind_int(statement, 3, STOP_CLIENT_RUNS_MAX);
    while (sqlite3_step(statement) == SQLITE_ROW) {
        run_ids[count++] = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);

    /* Step 2: each stops with its note, unless it moved on meanwhile. */
    halyard_json_reader *json = NULL;
    if (count > 0 && halyard_json_reader_create(&json, message, message_size) != 0) {
        return -1;
    }
    halyard_run_stop stop = {
        .kind = "client_plan_mode",
        .detail = "the client was switched to Plan mode while the run waited",
        .title = "halyard stopped: the client is in Plan mode now",
        .text = "This client's agent was switched to Plan mode while this run waited, so its "
                "approval request is withdrawn: an answer to it runs nothing, and halyard changes "
                "nothing more on this ticket for this run, even if the client is switched back "
                "to Execute mode.",
    };
    int status = 0;
    for (size_t i = 0; i < count && status == 0; i++) {
        halyard_run run;
        int found = halyard_runs_get(store, run_ids[i], &run, message, message_size);
        if (found != 0) {
            status = found < 0 ? -1 : 0;
            continue;
        }
        int stopped = halyard_approvals_stop_run(store, json, &run, "awaiting_approval", &stop,
                                                 message, message_size);
        if (stopped < 0) {
            status = -1;
        } else if (stopped == 0) {
            (*stopped_count)++;
        }
    }
    halyard_json_reader_free(json);
    return status;
}
