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

#include "jobs.h"
#include "run_fixture.h"
#include "runs.h"
#include "store.h"
#include "verification.h"
#include "verification_record.h"

#define MSP_ID 1

typedef struct {
    char folder[64];
    halyard_store *store;
    halyard_run run;
} fixture;

/* Opens a store with run 1 of ticket 5 in state, screened sensitive with the run verification
 * given, and no verification record. */
static fixture *open_store(const char *state, const char *verification)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    run_fixture_open_store("on-update", scratch->folder, sizeof scratch->folder, &scratch->store);
    halyard_run *run = &scratch->run;
    run_fixture_create_run(scratch->store, state, "execute", true, verification, NULL, run);
    return scratch;
}

static void close_store(fixture *scratch)
{
    run_fixture_remove(scratch->store, scratch->folder);
    free(scratch);
}

static int on_update(fixture *scratch)
{
    char message[256] = "";
    halyard_ticket_read read = {
        .ticket_json = "{\"id\":5,\"user_id\":77,\"summary\":\"Password reset\"}",
        .actions_json = "{\"actions\":[]}",
        .login_agent_id = 1,
    };
    return halyard_verification_on_update(scratch->store, &scratch->run, &read, message,
                                          sizeof message);
}

/* A run in planning whose verification was pending was planned by the sync of an update that
 * came while its challenge was being sent. */
static void pending_planning_run_is_held(void **state)
{
    (void)state;
    fixture *scratch = open_store("planning", "pending");
    assert_int_equal(on_update(scratch), 1);
    close_store(scratch);
}

/* A screen job that gave up while sending the challenge left the run waiting for good. */
static void unrecorded_challenge_queues_screen(void **state)
{
    (void)state;
    fixture *scratch = open_store("awaiting_verification", "pending");
    char message[256] = "";
    assert_int_equal(on_update(scratch), 1);
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     1);
    close_store(scratch);
}

static void running_screen_is_left_alone(void **state)
{
    (void)state;
    fixture *scratch = open_store("awaiting_verification", "pending");
    char message[256] = "";
    assert_int_equal(halyard_verification_queue_screen(scratch->store, MSP_ID, scratch->run.id,
                                                       false, message, sizeof message),
                     0);
    halyard_job jobs[4];
    size_t count = 0;
    assert_int_equal(
        halyard_jobs_claim(scratch->store, 0, jobs, 4, &count, message, sizeof message), 0);
    assert_int_equal(count, 1);

    /* The running job may be sending the challenge: no second one is asked for. */
    assert_int_equal(on_update(scratch), 1);
    assert_int_equal(halyard_jobs_finish(scratch->store, jobs[0].id, message, sizeof message), 0);
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     0);
    halyard_job_clear(&jobs[0]);
    close_store(scratch);
}

/* Stores a check of the scratch run with status. Returns its id. */
static long long add_check(fixture *scratch, const char *status)
{
    halyard_verification check;
    memset(&check, 0, sizeof check);
    check.msp_id = MSP_ID;
    check.run_id = scratch->run.id;
    check.ticket_id = 5;
    snprintf(check.provider, sizeof check.provider, "traceless");
    snprintf(check.status, sizeof check.status, "%s", status);
    check.started_at_ms = 1000;
    check.deadline_ms = 301000;
    check.finished_at_ms = strcmp(status, "pending") == 0 ? 0 : 2000;
    char message[256] = "";
    assert_int_equal(halyard_verification_create(scratch->store, &check, message, sizeof message),
                     0);
    return check.id;
}

/* A run waiting for a challenge never recorded was left waiting when an earlier check of the
 * run (superseded by a change of user) was on record. */
static void unrecorded_challenge_after_earlier_check(void **state)
{
    (void)state;
    fixture *scratch = open_store("awaiting_verification", "pending");
    add_check(scratch, "superseded");
    char message[256] = "";
    assert_int_equal(on_update(scratch), 1);
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     1);
    close_store(scratch);
}

static void recorded_challenge_queues_nothing(void **state)
{
    (void)state;
    fixture *scratch = open_store("awaiting_verification", "pending");
    add_check(scratch, "pending");
    char message[256] = "";
    assert_int_equal(on_update(scratch), 1);
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     0);
    close_store(scratch);
}

/* A failed run screened again kept its earlier check pending, whose deadline then stopped the
 * new wait with an "expired" outcome. */
static void failed_run_sets_pending_check_aside(void **state)
{
    (void)state;
    fixture *scratch = open_store("failed", "pending");
    long long id = add_check(scratch, "pending");
    char message[256] = "";
    assert_int_equal(on_update(scratch), 1);

    halyard_verification check;
    assert_int_equal(
        halyard_verification_get(scratch->store, id, 0, &check, message, sizeof message), 0);
    assert_string_equal(check.status, "superseded");
    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "planning");
    assert_string_equal(run.verification, "none");
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     1);
    close_store(scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pending_planning_run_is_held),
        cmocka_unit_test(unrecorded_challenge_queues_screen),
        cmocka_unit_test(running_screen_is_left_alone),
        cmocka_unit_test(unrecorded_challenge_after_earlier_check),
        cmocka_unit_test(recorded_challenge_queues_nothing),
        cmocka_unit_test(failed_run_sets_pending_check_aside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
