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
#include "run_writes.h"
#include "run_fixture.h"
#include "runs.h"
#include "store.h"
#include "verification.h"
#include "verification_record.h"
#include "verification_requester.h"

#define MSP_ID 1

typedef struct {
    char folder[64];
    halyard_store *store;
    halyard_run run;
    halyard_verification verification;
} fixture;

/* Opens a store with run 1 of ticket 5 in state with verification (pending or verified), and a
 * verification of the same status whose challenge went to Jane Doe, user 77. */
static fixture *open_store(const char *state, const char *status)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    run_fixture_open_store("requester", scratch->folder, sizeof scratch->folder, &scratch->store);
    char message[256] = "";
    halyard_run *run = &scratch->run;
    run_fixture_create_run(scratch->store, state, "execute", true, status, NULL, run);

    halyard_verification *verification = &scratch->verification;
    verification->msp_id = MSP_ID;
    verification->run_id = run->id;
    verification->ticket_id = 5;
    snprintf(verification->provider, sizeof verification->provider, "traceless");
    snprintf(verification->transaction_id, sizeof verification->transaction_id, "tx-1");
    snprintf(verification->requester_name, sizeof verification->requester_name, "Jane Doe");
    snprintf(verification->status, sizeof verification->status, "%s", status);
    verification->requester_user_id = 77;
    snprintf(verification->requester_contact, sizeof verification->requester_contact,
             "jane.doe@acme.example");
    verification->started_at_ms = 1000;
    verification->deadline_ms = 301000;
    verification->finished_at_ms = strcmp(status, "pending") == 0 ? 0 : 2000;
    assert_int_equal(
        halyard_verification_create(scratch->store, verification, message, sizeof message), 0);
    return scratch;
}

static void close_store(fixture *scratch)
{
    run_fixture_remove(scratch->store, scratch->folder);
    free(scratch);
}

static void record_keeps_requester(void **state)
{
    (void)state;
    fixture *scratch = open_store(HALYARD_RUN_AWAITING_VERIFICATION, "pending");
    char message[256] = "";
    halyard_verification read;
    assert_int_equal(halyard_verification_get(scratch->store, 0, scratch->run.id, &read, message,
                                              sizeof message),
                     0);
    assert_int_equal(read.requester_user_id, 77);
    assert_string_equal(read.requester_contact, "jane.doe@acme.example");
    close_store(scratch);
}

static void same_user_keeps_check(void **state)
{
    (void)state;
    fixture *scratch = open_store(HALYARD_RUN_AWAITING_VERIFICATION, "pending");
    char message[256] = "";
    assert_int_equal(
        halyard_verification_requester_check(scratch->store, &scratch->run,
                                             "{\"id\":5,\"user_id\":77,\"user_name\":\"Jane Doe\"}",
                                             message, sizeof message),
        0);
    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, HALYARD_RUN_AWAITING_VERIFICATION);
    assert_string_equal(run.verification, "pending");
    close_store(scratch);
}

/* A check passed by Jane let the plan act for John once the ticket's user changed. */
static void changed_user_screens_again(void **state)
{
    (void)state;
    fixture *scratch = open_store(HALYARD_RUN_AWAITING_VERIFICATION, "pending");
    char message[256] = "";
    assert_int_equal(halyard_verification_requester_check(
                         scratch->store, &scratch->run,
                         "{\"id\":5,\"user_id\":78,\"user_name\":\"John Smith\"}", message,
                         sizeof message),
                     1);

    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "planning");
    assert_string_equal(run.verification, "none");
    halyard_verification read;
    assert_int_equal(halyard_verification_get(scratch->store, 0, scratch->run.id, &read, message,
                                              sizeof message),
                     0);
    assert_string_equal(read.status, "superseded");
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     1);
    halyard_run_write write;
    char key[64];
    snprintf(key, sizeof key, "verification-requester-%lld", read.id);
    assert_int_equal(
        halyard_run_writes_get(scratch->store, run.id, key, &write, message, sizeof message), 0);
    close_store(scratch);
}

static void changed_user_supersedes_request(void **state)
{
    (void)state;
    fixture *scratch = open_store("awaiting_approval", "verified");
    char message[256] = "";
    halyard_approval_request request;
    assert_int_equal(halyard_approvals_open(scratch->store, scratch->run.id, "aaaa", "[]", 1000, 3,
                                            &request, message, sizeof message),
                     0);
    halyard_approval_request_clear(&request);

    assert_int_equal(halyard_verification_requester_check(
                         scratch->store, &scratch->run,
                         "{\"id\":5,\"user_id\":78,\"user_name\":\"John Smith\"}", message,
                         sizeof message),
                     1);
    assert_int_equal(halyard_approvals_latest(scratch->store, scratch->run.id, &request, message,
                                              sizeof message),
                     0);
    assert_string_equal(request.state, "superseded");
    halyard_approval_request_clear(&request);
    close_store(scratch);
}

static void invalid_ticket_json_fails(void **state)
{
    (void)state;
    fixture *scratch = open_store(HALYARD_RUN_AWAITING_VERIFICATION, "pending");
    char message[256] = "";
    assert_int_equal(halyard_verification_requester_check(scratch->store, &scratch->run,
                                                          "{not json", message, sizeof message),
                     -1);
    assert_non_null(strstr(message, "reading the ticket's user failed"));
    close_store(scratch);
}

/* After Jane passed, Bob's sensitive request on her ticket was neither screened nor noted. Bob's
 * actions are now found and handed to the screening alone, without Jane's words. */
static void other_writer_found_alone(void **state)
{
    (void)state;
    fixture *scratch = open_store("awaiting_approval", "verified");
    char message[256] = "";
    static const char ticket[] = "{\"id\":5,\"summary\":\"Password reset\",\"details\":\"reset "
                                 "it\",\"details_html\":\"<p>reset it</p>\",\"user_id\":77}";
    halyard_verification_other_writers writers;
    static const char jane_only[] =
        "{\"actions\":[{\"id\":1,\"who\":\"Jane Doe\",\"who_type\":2,\"note\":\"reset it\"},"
        "{\"id\":2,\"who\":\"Sam Lead\",\"who_type\":1,\"who_agentid\":3}]}";
    assert_int_equal(halyard_verification_find_other_writers(scratch->store, &scratch->run, ticket,
                                                             jane_only, &writers, message,
                                                             sizeof message),
                     0);

    static const char with_bob[] =
        "{\"actions\":[{\"id\":1,\"who\":\"Jane Doe\",\"who_type\":2,\"note\":\"reset it\"},"
        "{\"id\":3,\"who\":\"Bob Stone\",\"who_type\":2,\"note\":\"reset my MFA\"}]}";
    assert_int_equal(halyard_verification_find_other_writers(scratch->store, &scratch->run, ticket,
                                                             with_bob, &writers, message,
                                                             sizeof message),
                     1);
    assert_string_equal(writers.writer, "Bob Stone");
    assert_int_equal(writers.action_id, 3);
    assert_string_equal(writers.requester, "Jane Doe");
    assert_non_null(strstr(writers.actions_json, "reset my MFA"));
    assert_null(strstr(writers.actions_json, "Jane Doe"));
    assert_non_null(strstr(writers.ticket_json, "\"summary\":\"\""));
    assert_null(strstr(writers.ticket_json, "reset it"));
    halyard_verification_other_writers_clear(&writers);
    close_store(scratch);
}

/* A run held for another end user's sensitive request needs approval for every write, and the
 * hold happens once. */
static void other_writer_hold_needs_approval(void **state)
{
    (void)state;
    fixture *scratch = open_store("awaiting_approval", "verified");
    char message[256] = "";
    halyard_verification_other_writers writers = {.action_id = 3,
                                                  .verification_id = scratch->verification.id};
    snprintf(writers.writer, sizeof writers.writer, "Bob Stone");
    snprintf(writers.requester, sizeof writers.requester, "Jane Doe");
    assert_int_equal(halyard_verification_other_writer_hold(scratch->store, &scratch->run, &writers,
                                                            "default", message, sizeof message),
                     1);
    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_string_equal(run.state, "planning");
    assert_string_equal(run.verification, HALYARD_VERIFICATION_OTHER_REQUESTER);

    /* The run is verified no more, so Bob's actions are not looked for again. */
    halyard_verification_other_writers again;
    static const char with_bob[] =
        "{\"actions\":[{\"id\":3,\"who\":\"Bob Stone\",\"who_type\":2,\"note\":\"reset my "
        "MFA\"}]}";
    assert_int_equal(halyard_verification_find_other_writers(scratch->store, &run, "{}", with_bob,
                                                             &again, message, sizeof message),
                     0);

    /* A run that left the state read before does not move. */
    assert_int_equal(halyard_verification_other_writer_hold(scratch->store, &scratch->run, &writers,
                                                            "default", message, sizeof message),
                     0);
    close_store(scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(record_keeps_requester),
        cmocka_unit_test(same_user_keeps_check),
        cmocka_unit_test(changed_user_screens_again),
        cmocka_unit_test(changed_user_supersedes_request),
        cmocka_unit_test(invalid_ticket_json_fails),
        cmocka_unit_test(other_writer_found_alone),
        cmocka_unit_test(other_writer_hold_needs_approval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
