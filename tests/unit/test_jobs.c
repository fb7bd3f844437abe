/* Tests of durable jobs (core/app/jobs.c) on a real SQLite file: when a job asked for again
 * runs next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jobs.h"
#include "store.h"

typedef struct {
    char folder[64];
    halyard_store *store;
} fixture;

static int setup(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    strcpy(scratch->folder, "/tmp/halyard-jobs-XXXXXX");
    assert_non_null(mkdtemp(scratch->folder));
    char path[128];
    char message[256];
    snprintf(path, sizeof path, "%s/halyard.db", scratch->folder);
    assert_int_equal(halyard_store_open(path, &scratch->store, message, sizeof message), 0);
    *state = scratch;
    return 0;
}

static int teardown(void **state)
{
    fixture *scratch = *state;
    halyard_store_close(scratch->store);
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", scratch->folder);
    assert_int_equal(system(command), 0);
    free(scratch);
    return 0;
}

/* Claims the jobs due at now_ms; returns how many, clearing them. */
static size_t claim_at(halyard_store *store, long long now_ms, halyard_job *job)
{
    halyard_job jobs[4];
    size_t count = 0;
    char message[256];
    assert_int_equal(halyard_jobs_claim(store, now_ms, jobs, 4, &count, message, sizeof message),
                     0);
    for (size_t i = 0; i < count; i++) {
        if (i == 0 && job != NULL) {
            *job = jobs[i];
        } else {
            halyard_job_clear(&jobs[i]);
        }
    }
    return count;
}

/* A job that queues its own next run while it runs (a periodic check) runs again at the time
 * it asked for, not as soon as it finishes. */
static void running_job_reruns_at_requested_time(void **state)
{
    fixture *scratch = *state;
    char message[256];
    halyard_job job = {0};
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "check", "check:1", "{}", 1000,
                                          message, sizeof message),
                     0);
    assert_int_equal(claim_at(scratch->store, 1000, &job), 1);

    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "check", "check:1", "{}", 5000,
                                          message, sizeof message),
                     0);
    assert_int_equal(halyard_jobs_finish(scratch->store, job.id, message, sizeof message), 0);

    assert_int_equal(claim_at(scratch->store, 4999, NULL), 0);
    assert_int_equal(claim_at(scratch->store, 5000, NULL), 1);
    halyard_job_clear(&job);
}

/* Asked for twice while it runs, a job runs again at the earlier of the two times. */
static void earliest_rerun_request_wins(void **state)
{
    fixture *scratch = *state;
    char message[256];
    halyard_job job = {0};
    assert_int_equal(
        halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1", "{}", 0, message, sizeof message),
        0);
    assert_int_equal(claim_at(scratch->store, 100, &job), 1);

    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1", "{}", 200, message,
                                          sizeof message),
                     0);
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1", "{}", 9000, message,
                                          sizeof message),
                     0);
    assert_int_equal(halyard_jobs_finish(scratch->store, job.id, message, sizeof message), 0);

    assert_int_equal(claim_at(scratch->store, 200, NULL), 1);
    halyard_job_clear(&job);
}

/* A job that is ready keeps its time when it is asked for again. */
static void ready_job_keeps_its_time(void **state)
{
    fixture *scratch = *state;
    char message[256];
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "note", "note:1", "{}", 3000, message,
                                          sizeof message),
                     0);

    assert_int_equal(
        halyard_jobs_enqueue(scratch->store, 1, "note", "note:1", "{}", 0, message, sizeof message),
        0);

    assert_int_equal(claim_at(scratch->store, 2999, NULL), 0);
    assert_int_equal(claim_at(scratch->store, 3000, NULL), 1);
}

/* A job counts as active while it runs, and while it waits only when it is due by the time
 * given; a negative time counts a running job only. */
static void job_active_when_running_or_due(void **state)
{
    fixture *scratch = *state;
    char message[256];
    assert_int_equal(halyard_jobs_active(scratch->store, "sync:1:7", 0, message, sizeof message),
                     0);
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1:7", "{}", 1000,
                                          message, sizeof message),
                     0);

    assert_int_equal(halyard_jobs_active(scratch->store, "sync:1:7", 999, message, sizeof message),
                     0);
    assert_int_equal(halyard_jobs_active(scratch->store, "sync:1:7", 1000, message, sizeof message),
                     1);
    assert_int_equal(halyard_jobs_active(scratch->store, "sync:1:7", -1, message, sizeof message),
                     0);

    halyard_job job = {0};
    assert_int_equal(claim_at(scratch->store, 1000, &job), 1);
    assert_int_equal(halyard_jobs_active(scratch->store, "sync:1:7", -1, message, sizeof message),
                     1);
    assert_int_equal(halyard_jobs_active(scratch->store, "sync:1:8", -1, message, sizeof message),
                     0);
    halyard_job_clear(&job);
}

/* Makes every commit of a statement that fires trigger_event fail, through a test-only table
 * with a deferred foreign key, as a full disk fails a commit after the statement's rows were
 * read. */
static void fail_commits_of(halyard_store *store, const char *trigger_event)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE TABLE test_parent (id INTEGER PRIMARY KEY);"
             "CREATE TABLE test_child (parent_id INTEGER REFERENCES test_parent (id)"
             " DEFERRABLE INITIALLY DEFERRED);"
             "CREATE TRIGGER test_commit_fails AFTER %s BEGIN"
             " INSERT INTO test_child VALUES (999); END;",
             trigger_event);
    char message[256];
    assert_int_equal(
        halyard_store_execute(store, sql, "planting the failing commit", message, sizeof message),
        0);
}

/* Regression: a claim whose commit failed after its rows were read returned -1 but left the
 * jobs it had read filled in, payloads allocated, although the database never marked them
 * running. */
static void claim_failing_commit_returns_no_jobs(void **state)
{
    fixture *scratch = *state;
    char message[256];
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1:1", "{}", 0, message,
                                          sizeof message),
                     0);
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1:2", "{}", 0, message,
                                          sizeof message),
                     0);
    fail_commits_of(scratch->store, "UPDATE OF state ON jobs");

    halyard_job jobs[2];
    size_t count = 99;
    assert_int_equal(
        halyard_jobs_claim(scratch->store, 1000, jobs, 2, &count, message, sizeof message), -1);
    assert_int_equal(count, 0);
    assert_non_null(strstr(message, "claiming jobs failed: FOREIGN KEY constraint failed"));

    /* Both jobs are still ready, and are claimed once commits work again. */
    assert_int_equal(halyard_store_execute(scratch->store, "DROP TRIGGER test_commit_fails",
                                           "removing the failing commit", message, sizeof message),
                     0);
    assert_int_equal(claim_at(scratch->store, 1000, NULL), 2);
}

/* A claim of exactly as many jobs as are due still commits: the rows are marked running. */
static void claim_to_capacity_commits(void **state)
{
    fixture *scratch = *state;
    char message[256];
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1:1", "{}", 0, message,
                                          sizeof message),
                     0);
    halyard_job jobs[1];
    size_t count = 0;
    assert_int_equal(
        halyard_jobs_claim(scratch->store, 1000, jobs, 1, &count, message, sizeof message), 0);
    assert_int_equal(count, 1);
    halyard_job_clear(&jobs[0]);
    assert_int_equal(halyard_jobs_active(scratch->store, "sync:1:1", -1, message, sizeof message),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(running_job_reruns_at_requested_time, setup, teardown),
        cmocka_unit_test_setup_teardown(earliest_rerun_request_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(ready_job_keeps_its_time, setup, teardown),
        cmocka_unit_test_setup_teardown(job_active_when_running_or_due, setup, teardown),
        cmocka_unit_test_setup_teardown(claim_failing_commit_returns_no_jobs, setup, teardown),
        cmocka_unit_test_setup_teardown(claim_to_capacity_commits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
