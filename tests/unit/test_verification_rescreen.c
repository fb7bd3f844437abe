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

#include "approvals.h"
#include "jobs.h"
#include "run_fixture.h"
#include "runs.h"
#include "store.h"
#include "verification.h"
#include "verification_rescreen.h"

typedef struct {
    char folder[64];
    halyard_store *store;
    halyard_run run;
} fixture;

/* Opens a store with run 1 of ticket 5, screened not sensitive and awaiting approval of a
 * pending request. */
static int open_fixture(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    run_fixture_open_store("rescreen", scratch->folder, sizeof scratch->folder, &scratch->store);
    halyard_store *store = scratch->store;
    char message[256] = "";
    halyard_run *run = &scratch->run;
    run_fixture_create_run(scratch->store, "awaiting_approval", "execute", false, "not_required",
                           NULL, &scratch->run);

    halyard_approval_request request;
    assert_int_equal(halyard_approvals_open(store, run->id, "aaaa", "[]", 1000, 3, &request,
                                            message, sizeof message),
                     0);
    halyard_approval_request_clear(&request);
    *state = scratch;
    return 0;
}

static int close_fixture(void **state)
{
    fixture *scratch = *state;
    run_fixture_remove(scratch->store, scratch->folder);
    free(scratch);
    return 0;
}

/* Copies the state of the run's newest approval request into state. */
static void latest_request_state(fixture *scratch, char *state, size_t size)
{
    char message[256] = "";
    halyard_approval_request request;
    assert_int_equal(halyard_approvals_latest(scratch->store, scratch->run.id, &request, message,
                                              sizeof message),
                     0);
    snprintf(state, size, "%s", request.state);
    halyard_approval_request_clear(&request);
}

static void timing_follows_run_state(void **state)
{
    static const struct {
        const char *state;
        halyard_rescreen_timing timing;
    } cases[] = {
        {"done", HALYARD_RESCREEN_NOW},
        {"awaiting_approval", HALYARD_RESCREEN_NOW},
        {"failed", HALYARD_RESCREEN_NOW},
        {"planning", HALYARD_RESCREEN_NOW},
        {"posting", HALYARD_RESCREEN_LATER},
        {"executing", HALYARD_RESCREEN_LATER},
        {"denied", HALYARD_RESCREEN_NEVER},
        {"expired", HALYARD_RESCREEN_NEVER},
        {"stopped", HALYARD_RESCREEN_NEVER},
        {"skipped", HALYARD_RESCREEN_NEVER},
        {"awaiting_verification", HALYARD_RESCREEN_NEVER},
        {"verification_failed", HALYARD_RESCREEN_NEVER},
    };
    fixture *scratch = *state;
    halyard_run run = scratch->run;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(run.state, sizeof run.state, "%s", cases[i].state);
        assert_int_equal(halyard_verification_rescreen_timing(&run), cases[i].timing);
    }
}

static void timing_never_for_unscreened_or_pending_run(void **state)
{
    fixture *scratch = *state;
    halyard_run run = scratch->run;
    run.sensitive = true;
    snprintf(run.verification, sizeof run.verification, "pending");
    assert_int_equal(halyard_verification_rescreen_timing(&run), HALYARD_RESCREEN_NEVER);

    run = scratch->run;
    snprintf(run.verification, sizeof run.verification, "none");
    assert_int_equal(halyard_verification_rescreen_timing(&run), HALYARD_RESCREEN_NEVER);
}

/* A verified run was never screened again, so a later reply asking for a kind of request its
 * check did not cover rode on the pass. */
static void timing_by_state_for_verified_run(void **state)
{
    fixture *scratch = *state;
    halyard_run run = scratch->run;
    run.sensitive = true;
    snprintf(run.verification, sizeof run.verification, "verified");
    snprintf(run.state, sizeof run.state, "done");
    assert_int_equal(halyard_verification_rescreen_timing(&run), HALYARD_RESCREEN_NOW);
    snprintf(run.state, sizeof run.state, "executing");
    assert_int_equal(halyard_verification_rescreen_timing(&run), HALYARD_RESCREEN_LATER);
    snprintf(run.state, sizeof run.state, "verification_failed");
    assert_int_equal(halyard_verification_rescreen_timing(&run), HALYARD_RESCREEN_NEVER);
}

/* A run screened sensitive with a reason its client exempts was never screened again, so a
 * later request that needs verification went unchecked. */
static void timing_now_for_exempt_sensitive_run(void **state)
{
    fixture *scratch = *state;
    halyard_run run = scratch->run;
    run.sensitive = true;
    snprintf(run.verification, sizeof run.verification, "not_required");
    snprintf(run.state, sizeof run.state, "done");
    assert_int_equal(halyard_verification_rescreen_timing(&run), HALYARD_RESCREEN_NOW);

    snprintf(run.verification, sizeof run.verification, "not_connected");
    assert_int_equal(halyard_verification_rescreen_timing(&run), HALYARD_RESCREEN_NEVER);
}

/* A run held without a challenge because only another person asked for something sensitive
 * was never screened again, so the requester's own later request went unchallenged. A run that
 * became other_requester after its requester passed is still not screened again. */
static void timing_stored_screens_held_run(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    halyard_rescreen_timing timing = HALYARD_RESCREEN_NOW;
    assert_int_equal(
        halyard_runs_set_screening(scratch->store, scratch->run.id, true, "other_requester",
                                   "{\"sensitive\":true,\"request_by_other\":{\"kind\":\"reply\"}}",
                                   message, sizeof message),
        0);
    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_int_equal(halyard_verification_rescreen_timing_stored(scratch->store, &run, &timing,
                                                                 message, sizeof message),
                     0);
    assert_int_equal(timing, HALYARD_RESCREEN_NOW);

    snprintf(run.state, sizeof run.state, "executing");
    assert_int_equal(halyard_verification_rescreen_timing_stored(scratch->store, &run, &timing,
                                                                 message, sizeof message),
                     0);
    assert_int_equal(timing, HALYARD_RESCREEN_LATER);

    /* The same verification after a passed check: its screening names no other person. */
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true,
                                                "other_requester", "{\"sensitive\":true}", message,
                                                sizeof message),
                     0);
    snprintf(run.state, sizeof run.state, "done");
    assert_int_equal(halyard_verification_rescreen_timing_stored(scratch->store, &run, &timing,
                                                                 message, sizeof message),
                     0);
    assert_int_equal(timing, HALYARD_RESCREEN_NEVER);

    /* A run with no stored screening at all is not screened again either. */
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true,
                                                "other_requester", NULL, message, sizeof message),
                     0);
    assert_int_equal(halyard_verification_rescreen_timing_stored(scratch->store, &run, &timing,
                                                                 message, sizeof message),
                     0);
    assert_int_equal(timing, HALYARD_RESCREEN_NEVER);
}

static void hold_moves_run_and_supersedes(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    bool moved = false;
    long long superseded_id = 0;
    assert_int_equal(halyard_verification_rescreen_hold(scratch->store, &scratch->run, NULL,
                                                        "password_reset", &moved, &superseded_id,
                                                        message, sizeof message),
                     0);
    assert_true(moved);
    assert_true(superseded_id > 0);

    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, HALYARD_RUN_AWAITING_VERIFICATION);
    assert_true(run.sensitive);
    assert_string_equal(run.verification, "pending");
    char request_state[16];
    latest_request_state(scratch, request_state, sizeof request_state);
    assert_string_equal(request_state, "superseded");

    /* An approval of the set-aside request changes nothing. */
    assert_int_equal(halyard_approvals_decide(scratch->store, superseded_id, "approved", 3, 9,
                                              message, sizeof message),
                     1);
}

static void hold_skips_run_that_moved_on(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_runs_transition(scratch->store, scratch->run.id, "planning",
                                             "approval_approved", "approved", message,
                                             sizeof message),
                     0);

    bool moved = true;
    long long superseded_id = -1;
    assert_int_equal(halyard_verification_rescreen_hold(scratch->store, &scratch->run, NULL,
                                                        "password_reset", &moved, &superseded_id,
                                                        message, sizeof message),
                     0);
    assert_false(moved);
    assert_int_equal(superseded_id, 0);

    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "planning");
    assert_false(run.sensitive);
    assert_string_equal(run.verification, "not_required");
    char request_state[16];
    latest_request_state(scratch, request_state, sizeof request_state);
    assert_string_equal(request_state, "pending");
}

static void hold_waits_for_running_sync(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1:5",
                                          "{\"ticket_id\":5}", 0, message, sizeof message),
                     0);
    halyard_job jobs[4];
    size_t count = 0;
    assert_int_equal(
        halyard_jobs_claim(scratch->store, 0, jobs, 4, &count, message, sizeof message), 0);
    assert_int_equal(count, 1);
    assert_int_equal(
        halyard_verification_sync_running(scratch->store, &scratch->run, message, sizeof message),
        1);

    bool moved = true;
    long long superseded_id = -1;
    assert_int_equal(halyard_verification_rescreen_hold(scratch->store, &scratch->run, NULL,
                                                        "password_reset", &moved, &superseded_id,
                                                        message, sizeof message),
                     0);
    assert_false(moved);
    char request_state[16];
    latest_request_state(scratch, request_state, sizeof request_state);
    assert_string_equal(request_state, "pending");

    /* Once the sync finished, the run is held. */
    assert_int_equal(halyard_jobs_finish(scratch->store, jobs[0].id, message, sizeof message), 0);
    halyard_job_clear(&jobs[0]);
    assert_int_equal(
        halyard_verification_sync_running(scratch->store, &scratch->run, message, sizeof message),
        0);
    assert_int_equal(halyard_verification_rescreen_hold(scratch->store, &scratch->run, NULL,
                                                        "password_reset", &moved, &superseded_id,
                                                        message, sizeof message),
                     0);
    assert_true(moved);
}

static void sync_of_other_ticket_ignored(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_jobs_enqueue(scratch->store, 1, "sync", "sync:1:6",
                                          "{\"ticket_id\":6}", 0, message, sizeof message),
                     0);
    halyard_job jobs[4];
    size_t count = 0;
    assert_int_equal(
        halyard_jobs_claim(scratch->store, 0, jobs, 4, &count, message, sizeof message), 0);
    assert_int_equal(count, 1);
    halyard_job_clear(&jobs[0]);
    assert_int_equal(
        halyard_verification_sync_running(scratch->store, &scratch->run, message, sizeof message),
        0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(timing_follows_run_state, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(timing_never_for_unscreened_or_pending_run, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(timing_by_state_for_verified_run, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(timing_stored_screens_held_run, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(timing_now_for_exempt_sensitive_run, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(hold_moves_run_and_supersedes, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(hold_skips_run_that_moved_on, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(hold_waits_for_running_sync, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(sync_of_other_ticket_ignored, open_fixture, close_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
