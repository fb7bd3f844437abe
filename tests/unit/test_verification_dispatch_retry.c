/* halyard_verification_dispatch_retry_due: a dispatch that sent nothing may be sent again only
 * while its retry event is the run's newest screening or verification event. Sending a challenge
 * again after a newer attempt started could give the requester a second challenge. */
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

#include "run_fixture.h"
#include "runs.h"
#include "store.h"
#include "verification_store.h"

typedef struct {
    char folder[64];
    halyard_store *store;
    halyard_run run;
} fixture;

/* Opens a store with run 1 of ticket 5, waiting for its identity check. */
static int open_fixture(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    run_fixture_open_store("dispatch-retry", scratch->folder, sizeof scratch->folder,
                           &scratch->store);
    run_fixture_create_run(scratch->store, "awaiting_verification", "plan", false, NULL, NULL,
                           &scratch->run);
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

static void add_event(fixture *scratch, const char *kind)
{
    char message[256] = "";
    assert_int_equal(
        halyard_runs_add_event(scratch->store, scratch->run.id, kind, "", message, sizeof message),
        0);
}

static bool retry_due(fixture *scratch)
{
    char message[256] = "";
    bool due = true;
    assert_int_equal(halyard_verification_dispatch_retry_due(scratch->store, scratch->run.id, &due,
                                                             message, sizeof message),
                     0);
    return due;
}

static void test_retry_due_without_events(void **state)
{
    add_event(*state, "screened_sensitive");
    assert_false(retry_due(*state));
}

static void test_retry_due_after_retry_event(void **state)
{
    add_event(*state, "screened_sensitive");
    add_event(*state, HALYARD_VERIFY_EVENT_DISPATCH_RETRY);
    assert_true(retry_due(*state));
}

/* A sync of the ticket records its own events meanwhile; they do not start a dispatch. */
static void test_retry_due_after_other_event(void **state)
{
    add_event(*state, HALYARD_VERIFY_EVENT_DISPATCH_RETRY);
    add_event(*state, "ticket_synced");
    assert_true(retry_due(*state));
}

static void test_retry_not_due_after_redispatch(void **state)
{
    add_event(*state, HALYARD_VERIFY_EVENT_DISPATCH_RETRY);
    add_event(*state, HALYARD_VERIFY_EVENT_REDISPATCH);
    assert_false(retry_due(*state));
}

static void test_retry_not_due_after_new_screening(void **state)
{
    add_event(*state, HALYARD_VERIFY_EVENT_DISPATCH_RETRY);
    add_event(*state, "screened_again");
    assert_false(retry_due(*state));
}

static void test_retry_due_again_after_second_retry(void **state)
{
    add_event(*state, HALYARD_VERIFY_EVENT_DISPATCH_RETRY);
    add_event(*state, HALYARD_VERIFY_EVENT_REDISPATCH);
    add_event(*state, HALYARD_VERIFY_EVENT_DISPATCH_RETRY);
    assert_true(retry_due(*state));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_retry_due_without_events, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(test_retry_due_after_retry_event, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(test_retry_due_after_other_event, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(test_retry_not_due_after_redispatch, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(test_retry_not_due_after_new_screening, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(test_retry_due_again_after_second_retry, open_fixture,
                                        close_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
