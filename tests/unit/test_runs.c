#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_writes.h"
#include "runs.h"
#include "store.h"

typedef struct {
    char folder[64];
    halyard_store *store;
    long long run_id;
} fixture;

static int open_fixture(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    strcpy(scratch->folder, "/tmp/halyard-runs-XXXXXX");
    assert_non_null(mkdtemp(scratch->folder));
    char path[128];
    snprintf(path, sizeof path, "%s/halyard.db", scratch->folder);
    char message[256] = "";
    assert_int_equal(halyard_store_open(path, &scratch->store, message, sizeof message), 0);
    halyard_run run;
    assert_int_equal(halyard_runs_create(scratch->store, 1, 12, 5, "awaiting_approval", "execute",
                                         false, "ticket first seen", &run, message, sizeof message),
                     0);
    scratch->run_id = run.id;
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

/* Counts the run's events of kind. */
static int count_events(fixture *scratch, const char *kind)
{
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(halyard_store_database(scratch->store),
                                        "SELECT count(*) FROM run_events WHERE run_id = ?1"
                                        " AND kind = ?2",
                                        -1, &statement, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(statement, 1, scratch->run_id);
    sqlite3_bind_text(statement, 2, kind, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    int count = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    return count;
}

static void transition_from_expected_state_moves(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    bool moved = false;
    assert_int_equal(halyard_runs_transition_from(scratch->store, scratch->run_id,
                                                  "awaiting_approval", "awaiting_verification",
                                                  "rescreened", "now sensitive", &moved, message,
                                                  sizeof message),
                     0);
    assert_true(moved);

    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run_id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "awaiting_verification");
    assert_int_equal(count_events(scratch, "rescreened"), 1);
}

static void transition_from_other_state_changes_nothing(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    bool moved = true;
    assert_int_equal(halyard_runs_transition(scratch->store, scratch->run_id, "planning",
                                             "approval_approved", "approved", message,
                                             sizeof message),
                     0);

    /* The caller read awaiting_approval earlier; another job moved the run meanwhile. */
    assert_int_equal(halyard_runs_transition_from(scratch->store, scratch->run_id,
                                                  "awaiting_approval", "awaiting_verification",
                                                  "rescreened", "now sensitive", &moved, message,
                                                  sizeof message),
                     0);
    assert_false(moved);

    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run_id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "planning");
    assert_int_equal(count_events(scratch, "rescreened"), 0);
}

static void transition_from_unknown_run_changes_nothing(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    bool moved = true;
    assert_int_equal(halyard_runs_transition_from(scratch->store, scratch->run_id + 100,
                                                  "awaiting_approval", "awaiting_verification",
                                                  "rescreened", "now sensitive", &moved, message,
                                                  sizeof message),
                     0);
    assert_false(moved);
}

/* Regression: creating a run whose commit failed after its row was read returned the row's id,
 * and the first event then failed on the missing run with "FOREIGN KEY constraint failed",
 * which hid the cause. */
static void create_failing_commit_names_run(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(
        halyard_store_execute(scratch->store,
                              "CREATE TABLE test_parent (id INTEGER PRIMARY KEY);"
                              "CREATE TABLE test_child (parent_id INTEGER REFERENCES test_parent"
                              " (id) DEFERRABLE INITIALLY DEFERRED);"
                              "CREATE TRIGGER test_commit_fails AFTER INSERT ON runs BEGIN"
                              " INSERT INTO test_child VALUES (999); END;",
                              "planting the failing commit", message, sizeof message),
        0);

    halyard_run run;
    assert_int_equal(halyard_runs_create(scratch->store, 1, 12, 6, "planning", "plan", false,
                                         "ticket first seen", &run, message, sizeof message),
                     -1);
    assert_non_null(strstr(message, "creating a run failed"));
}

/* Regression: a write stored outside a transaction whose commit failed was reported stored. */
static void write_failing_commit_fails(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(
        halyard_store_execute(scratch->store,
                              "CREATE TABLE test_parent (id INTEGER PRIMARY KEY);"
                              "CREATE TABLE test_child (parent_id INTEGER REFERENCES test_parent"
                              " (id) DEFERRABLE INITIALLY DEFERRED);"
                              "CREATE TRIGGER test_commit_fails AFTER INSERT ON run_writes BEGIN"
                              " INSERT INTO test_child VALUES (999); END;",
                              "planting the failing commit", message, sizeof message),
        0);

    assert_int_equal(halyard_run_writes_add(scratch->store, 1, scratch->run_id, 5, "note-1",
                                            "{\"write\":\"action\",\"note_html\":\"hi\"}", NULL,
                                            NULL, message, sizeof message),
                     -1);
    assert_non_null(strstr(message, "committing a write failed"));
    assert_int_equal(sqlite3_get_autocommit(halyard_store_database(scratch->store)), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(transition_from_expected_state_moves, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(transition_from_other_state_changes_nothing, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(create_failing_commit_names_run, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(write_failing_commit_fails, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(transition_from_unknown_run_changes_nothing, open_fixture,
                                        close_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
