#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approvals.h"
#include "approvals_stop.h"
#include "run_writes.h"
#include "runs.h"
#include "store.h"

#define MSP_ID 1

typedef struct {
    char folder[64];
    halyard_store *store;
} fixture;

static int open_fixture(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    strcpy(scratch->folder, "/tmp/halyard-approvals-stop-XXXXXX");
    assert_non_null(mkdtemp(scratch->folder));
    char path[128];
    snprintf(path, sizeof path, "%s/halyard.db", scratch->folder);
    char message[256] = "";
    assert_int_equal(halyard_store_open(path, &scratch->store, message, sizeof message), 0);
    *state = scratch;
    return 0;
}

static int close_fixture(void **state)
{
    fixture *scratch = *state;
    halyard_store_close(scratch->store);
    char command[256];
    snprintf(command, sizeof command, "rm -rf '%s'", scratch->folder);
    assert_int_equal(system(command), 0);
    free(scratch);
    return 0;
}

/* Creates an Execute-mode run of ticket_id in state. Returns its id. */
static long long create_run(fixture *scratch, long long ticket_id, const char *state)
{
    char message[256] = "";
    halyard_run run;
    assert_int_equal(halyard_runs_create(scratch->store, MSP_ID, 12, ticket_id, "planning",
                                         "execute", false, "ticket first seen", &run, message,
                                         sizeof message),
                     0);
    if (strcmp(state, "planning") != 0) {
        assert_int_equal(halyard_runs_transition(scratch->store, run.id, state, "test", "set up",
                                                 message, sizeof message),
                         0);
    }
    return run.id;
}

/* Returns the newest event kind of run_id, or "" (static storage). */
static const char *last_event_kind(fixture *scratch, long long run_id, char *detail,
                                   size_t detail_size)
{
    static char kind[64];
    kind[0] = '\0';
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(halyard_store_database(scratch->store),
                                        "SELECT kind, detail FROM run_events WHERE run_id = ?1"
                                        " ORDER BY id DESC LIMIT 1",
                                        -1, &statement, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(statement, 1, run_id);
    if (sqlite3_step(statement) == SQLITE_ROW) {
        snprintf(kind, sizeof kind, "%s", (const char *)sqlite3_column_text(statement, 0));
        if (detail != NULL) {
            snprintf(detail, detail_size, "%s", (const char *)sqlite3_column_text(statement, 1));
        }
    }
    sqlite3_finalize(statement);
    return kind;
}

static void cancel_outcome_by_state(void **state)
{
    fixture *scratch = *state;
    static const struct {
        const char *state;
        int outcome;
    } cases[] = {
        {"awaiting_approval", HALYARD_CANCEL_STOPPED},
        {"failed", HALYARD_CANCEL_STOPPED},
        {"stopped", HALYARD_CANCEL_ALREADY},
        {"done", HALYARD_CANCEL_FINISHED},
        {"incomplete", HALYARD_CANCEL_FINISHED},
        {"denied", HALYARD_CANCEL_FINISHED},
        {"expired", HALYARD_CANCEL_FINISHED},
        {"skipped", HALYARD_CANCEL_FINISHED},
        {"verification_failed", HALYARD_CANCEL_FINISHED},
        {"planning", HALYARD_CANCEL_BUSY},
        {"executing", HALYARD_CANCEL_BUSY},
        {"posting", HALYARD_CANCEL_BUSY},
        {"awaiting_verification", HALYARD_CANCEL_BUSY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long long run_id = create_run(scratch, 100 + (long long)i, cases[i].state);
        char previous[32] = "";
        char message[256] = "";
        int outcome =
            halyard_approvals_cancel_run(scratch->store, MSP_ID, run_id, "the test", "", previous,
                                         sizeof previous, message, sizeof message);
        if (outcome != cases[i].outcome) {
            fail_msg("state %s: outcome %d, expected %d (%s)", cases[i].state, outcome,
                     cases[i].outcome, message);
        }
        assert_string_equal(previous, cases[i].state);

        halyard_run run;
        assert_int_equal(halyard_runs_get(scratch->store, run_id, &run, message, sizeof message),
                         0);
        const char *expected =
            cases[i].outcome == HALYARD_CANCEL_STOPPED ? "stopped" : cases[i].state;
        if (strcmp(run.state, expected) != 0) {
            fail_msg("state %s: the run is %s after the cancel, expected %s", cases[i].state,
                     run.state, expected);
        }
    }
}

static void cancel_of_another_msp_not_found(void **state)
{
    fixture *scratch = *state;
    long long run_id = create_run(scratch, 5, "awaiting_approval");
    char previous[32] = "";
    char message[256] = "";

    assert_int_equal(halyard_approvals_cancel_run(scratch->store, MSP_ID + 1, run_id, "the test",
                                                  "", previous, sizeof previous, message,
                                                  sizeof message),
                     HALYARD_CANCEL_NOT_FOUND);
    assert_non_null(strstr(message, "not found"));
    assert_int_equal(halyard_approvals_cancel_run(scratch->store, MSP_ID, run_id + 1000, "the test",
                                                  "", previous, sizeof previous, message,
                                                  sizeof message),
                     HALYARD_CANCEL_NOT_FOUND);

    halyard_run run;
    assert_int_equal(halyard_runs_get(scratch->store, run_id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "awaiting_approval");
}

static void cancel_withdraws_request_once(void **state)
{
    fixture *scratch = *state;
    long long run_id = create_run(scratch, 5, "awaiting_approval");
    char message[256] = "";
    halyard_approval_request request;
    assert_int_equal(halyard_approvals_open(scratch->store, run_id, "aaaa", "[]", 1000, 3, &request,
                                            message, sizeof message),
                     0);
    halyard_approval_request_clear(&request);
    char previous[32] = "";

    assert_int_equal(halyard_approvals_cancel_run(scratch->store, MSP_ID, run_id,
                                                  "the CLI (user ops)", "wrong kiosk", previous,
                                                  sizeof previous, message, sizeof message),
                     HALYARD_CANCEL_STOPPED);

    halyard_approval_request latest;
    assert_int_equal(
        halyard_approvals_latest(scratch->store, run_id, &latest, message, sizeof message), 0);
    assert_string_equal(latest.state, "superseded");
    halyard_approval_request_clear(&latest);
    char detail[256] = "";
    assert_string_equal(last_event_kind(scratch, run_id, detail, sizeof detail), "cancelled");
    assert_non_null(strstr(detail, "the CLI (user ops)"));
    assert_non_null(strstr(detail, "wrong kiosk"));
    halyard_run_write write;
    assert_int_equal(halyard_run_writes_get(scratch->store, run_id, "stopped.cancelled", &write,
                                            message, sizeof message),
                     0);
    assert_string_equal(write.state, "pending");

    /* A second cancel changes nothing: no second event. */
    assert_int_equal(halyard_approvals_cancel_run(scratch->store, MSP_ID, run_id, "the test", "",
                                                  previous, sizeof previous, message,
                                                  sizeof message),
                     HALYARD_CANCEL_ALREADY);
    assert_string_equal(last_event_kind(scratch, run_id, NULL, 0), "cancelled");
    assert_non_null(strstr(message, "stopped already"));
}

static void stop_only_from_expected_state(void **state)
{
    fixture *scratch = *state;
    long long run_id = create_run(scratch, 5, "executing");
    char message[256] = "";
    halyard_run run;
    assert_int_equal(halyard_runs_get(scratch->store, run_id, &run, message, sizeof message), 0);
    halyard_json_reader *json = NULL;
    assert_int_equal(halyard_json_reader_create(&json, message, sizeof message), 0);
    halyard_run_stop stop = {
        .kind = "ticket_closed",
        .detail = "the test closed it",
        .title = "halyard stopped: the ticket was closed",
        .text = "<b>not bold</b>",
    };

    assert_int_equal(halyard_approvals_stop_run(scratch->store, json, &run, "awaiting_approval",
                                                &stop, message, sizeof message),
                     1);
    assert_int_equal(halyard_runs_get(scratch->store, run_id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "executing");
    halyard_run_write write;
    assert_int_equal(halyard_run_writes_get(scratch->store, run_id, "stopped.ticket_closed", &write,
                                            message, sizeof message),
                     1);

    assert_int_equal(halyard_approvals_stop_run(scratch->store, json, &run, "executing", &stop,
                                                message, sizeof message),
                     0);
    assert_int_equal(halyard_runs_get(scratch->store, run_id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "stopped");
    assert_string_equal(last_event_kind(scratch, run_id, NULL, 0), "ticket_closed");
    assert_int_equal(halyard_run_writes_get(scratch->store, run_id, "stopped.ticket_closed", &write,
                                            message, sizeof message),
                     0);

    /* The note's text is escaped: it is written by people (a cancel's reason). */
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(halyard_store_database(scratch->store),
                                        "SELECT write_json FROM run_writes WHERE run_id = ?1", -1,
                                        &statement, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(statement, 1, run_id);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    const char *written = (const char *)sqlite3_column_text(statement, 0);
    assert_null(strstr(written, "<b>not bold</b>"));
    assert_non_null(strstr(written, "&lt;b&gt;not bold"));
    sqlite3_finalize(statement);
    halyard_json_reader_free(json);
}

/* Adds a done ticket write of run_id that set status_id. */
static void add_status_write(fixture *scratch, long long run_id, const char *key,
                             long long status_id)
{
    char message[256] = "";
    char write[96];
    snprintf(write, sizeof write, "{\"write\":\"ticket\",\"fields\":{\"status_id\":%lld}}",
             status_id);
    assert_int_equal(halyard_run_writes_add(scratch->store, MSP_ID, run_id, 5, key, write, NULL,
                                            NULL, message, sizeof message),
                     0);
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE run_writes SET state = 'done', updated_at ="
             " strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now') WHERE run_id = %lld AND key = '%s'",
             run_id, key);
    assert_int_equal(sqlite3_exec(halyard_store_database(scratch->store), sql, NULL, NULL, NULL),
                     SQLITE_OK);
}

static void status_set_by_run_newest_write(void **state)
{
    fixture *scratch = *state;
    long long run_id = create_run(scratch, 5, "executing");
    char message[256] = "";

    assert_int_equal(halyard_approvals_status_set_by_run(scratch->store, run_id, 9, false, message,
                                                         sizeof message),
                     0);
    add_status_write(scratch, run_id, "step.a.2", 9);
    assert_int_equal(halyard_approvals_status_set_by_run(scratch->store, run_id, 9, false, message,
                                                         sizeof message),
                     1);
    assert_int_equal(halyard_approvals_status_set_by_run(scratch->store, run_id, 4, false, message,
                                                         sizeof message),
                     0);

    /* Only the newest status write counts. */
    usleep(2000);
    add_status_write(scratch, run_id, "step.a.3", 4);
    assert_int_equal(halyard_approvals_status_set_by_run(scratch->store, run_id, 9, false, message,
                                                         sizeof message),
                     0);
    assert_int_equal(halyard_approvals_status_set_by_run(scratch->store, run_id, 4, false, message,
                                                         sizeof message),
                     1);

    /* A person closed the ticket after that write: a reopen to status 4 is theirs. */
    usleep(2000);
    assert_int_equal(halyard_runs_add_event(scratch->store, run_id, "ticket_synced",
                                            "ticket closed", message, sizeof message),
                     0);
    assert_int_equal(halyard_approvals_status_set_by_run(scratch->store, run_id, 4, true, message,
                                                         sizeof message),
                     0);
    usleep(2000);
    add_status_write(scratch, run_id, "step.a.4", 4);
    assert_int_equal(halyard_approvals_status_set_by_run(scratch->store, run_id, 4, true, message,
                                                         sizeof message),
                     1);
}

static void status_closed_reads_config(void **state)
{
    (void)state;
    halyard_config config;
    memset(&config, 0, sizeof config);
    config.closed_statuses[0] = 9;
    config.closed_statuses[1] = 21;
    config.closed_status_count = 2;

    assert_true(halyard_approvals_status_closed(&config, 9));
    assert_true(halyard_approvals_status_closed(&config, 21));
    assert_false(halyard_approvals_status_closed(&config, 1));
    assert_false(halyard_approvals_status_closed(&config, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cancel_outcome_by_state, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(cancel_of_another_msp_not_found, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(cancel_withdraws_request_once, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(stop_only_from_expected_state, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(status_set_by_run_newest_write, open_fixture,
                                        close_fixture),
        cmocka_unit_test(status_closed_reads_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
