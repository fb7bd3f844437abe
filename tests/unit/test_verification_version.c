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
#include "verification_version.h"

/* halyard's API agent in these tests: its actions are its own notes. */
#define LOGIN_AGENT_ID 9

static const char ticket_json[] =
    "{\"id\":5,\"summary\":\"Kiosk offline\",\"details\":\"The kiosk is blank.\","
    "\"client_id\":12,\"user_email\":\"jane@acme.example\",\"agent_id\":3}";
static const char actions_json[] =
    "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard plan\"},"
    "{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"It is the one by the door.\"}]}";

typedef struct {
    char folder[64];
    halyard_store *store;
    halyard_run run;
} fixture;

/* Opens a store with run 1 of ticket 5, screened not sensitive and awaiting approval. */
static int open_fixture(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    run_fixture_open_store("version", scratch->folder, sizeof scratch->folder, &scratch->store);
    run_fixture_create_run(scratch->store, "awaiting_approval", "execute", false, "not_required",
                           "{\"sensitive\":false,\"other_account\":true}", &scratch->run);
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

/* Writes the version of ticket and actions into version. */
static void version_of(fixture *scratch, const char *ticket, const char *actions,
                       char version[HALYARD_TICKET_VERSION_SIZE])
{
    char message[256] = "";
    assert_int_equal(halyard_verification_ticket_version(scratch->store, ticket, actions,
                                                         LOGIN_AGENT_ID, version, message,
                                                         sizeof message),
                     0);
    assert_int_equal(strlen(version), HALYARD_TICKET_VERSION_SIZE - 1);
}

static void version_same_for_same_ticket(void **state)
{
    fixture *scratch = *state;
    char first[HALYARD_TICKET_VERSION_SIZE];
    char second[HALYARD_TICKET_VERSION_SIZE];
    version_of(scratch, ticket_json, actions_json, first);
    version_of(scratch, ticket_json, actions_json, second);
    assert_string_equal(first, second);

    /* Fields the policy does not read, and the order actions are listed in, change nothing. */
    version_of(scratch,
               "{\"id\":5,\"summary\":\"Kiosk offline\",\"details\":\"The kiosk is blank.\","
               "\"client_id\":12,\"user_email\":\"jane@acme.example\",\"agent_id\":4,"
               "\"status_id\":2}",
               "[{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"It is the one by the "
               "door.\"},{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard plan\"}]",
               second);
    assert_string_equal(first, second);
}

static void version_changes_with_screened_text(void **state)
{
    fixture *scratch = *state;
    char first[HALYARD_TICKET_VERSION_SIZE];
    char changed[HALYARD_TICKET_VERSION_SIZE];
    version_of(scratch, ticket_json, actions_json, first);

    version_of(scratch,
               "{\"id\":5,\"summary\":\"Kiosk offline\",\"details\":\"Also reset my password.\","
               "\"client_id\":12,\"user_email\":\"jane@acme.example\",\"agent_id\":3}",
               actions_json, changed);
    assert_string_not_equal(first, changed);

    version_of(scratch, ticket_json,
               "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard "
               "plan\"},{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"It is the one by "
               "the door.\"},{\"id\":3,\"who_type\":2,\"who_agentid\":0,\"note\":\"Also reset my "
               "password.\"}]}",
               changed);
    assert_string_not_equal(first, changed);

    /* An edited reply changes it as a new one does. */
    version_of(scratch, ticket_json,
               "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard "
               "plan\"},{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"Reset my "
               "password.\"}]}",
               changed);
    assert_string_not_equal(first, changed);
}

static void version_ignores_own_notes(void **state)
{
    fixture *scratch = *state;
    char first[HALYARD_TICKET_VERSION_SIZE];
    char with_note[HALYARD_TICKET_VERSION_SIZE];
    version_of(scratch, ticket_json, actions_json, first);
    version_of(scratch, ticket_json,
               "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard "
               "plan\"},{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"It is the one by "
               "the door.\"},{\"id\":3,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard asks "
               "for approval\"}]}",
               with_note);
    assert_string_equal(first, with_note);

    /* A technician's note counts: only halyard's own are left out. */
    version_of(scratch, ticket_json,
               "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard "
               "plan\"},{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"It is the one by "
               "the door.\"},{\"id\":3,\"who_type\":1,\"who_agentid\":3,\"note\":\"Approved.\"}]}",
               with_note);
    assert_string_not_equal(first, with_note);
}

/* Regression: halyard's own note with who_agentid written as a string ("9") counted as a change,
 * because the SQL compared it to the number 9. */
static void version_ignores_own_notes_with_string_ids(void **state)
{
    fixture *scratch = *state;
    char first[HALYARD_TICKET_VERSION_SIZE];
    char with_note[HALYARD_TICKET_VERSION_SIZE];
    version_of(scratch, ticket_json, actions_json, first);
    version_of(scratch, ticket_json,
               "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard "
               "plan\"},{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"It is the one by "
               "the door.\"},{\"id\":\"3\",\"who_type\":\"1\",\"who_agentid\":\"9\",\"note\":"
               "\"halyard asks for approval\"}]}",
               with_note);
    assert_string_equal(first, with_note);

    /* An end user's action counts even with halyard's agent id, as who_type "2" says. */
    version_of(scratch, ticket_json,
               "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":\"halyard "
               "plan\"},{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":\"It is the one by "
               "the door.\"},{\"id\":3,\"who_type\":\"2\",\"who_agentid\":\"9\",\"note\":"
               "\"Reset it.\"}]}",
               with_note);
    assert_string_not_equal(first, with_note);
}

static void version_rejects_invalid_json(void **state)
{
    fixture *scratch = *state;
    char version[HALYARD_TICKET_VERSION_SIZE];
    char message[256] = "";
    assert_int_equal(halyard_verification_ticket_version(scratch->store, ticket_json,
                                                         "{\"actions\":", LOGIN_AGENT_ID, version,
                                                         message, sizeof message),
                     -1);
    assert_non_null(strstr(message, "actions"));
    assert_int_equal(halyard_verification_ticket_version(scratch->store, "not json", actions_json,
                                                         LOGIN_AGENT_ID, version, message,
                                                         sizeof message),
                     -1);
}

static void screened_version_keeps_verdict(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    char stored[HALYARD_TICKET_VERSION_SIZE];
    assert_int_equal(halyard_verification_screened_version(scratch->store, scratch->run.id, stored,
                                                           message, sizeof message),
                     0);
    assert_string_equal(stored, "");

    char version[HALYARD_TICKET_VERSION_SIZE];
    version_of(scratch, ticket_json, actions_json, version);
    assert_int_equal(halyard_verification_set_screened_version(scratch->store, scratch->run.id,
                                                               version, message, sizeof message),
                     0);
    assert_int_equal(halyard_verification_screened_version(scratch->store, scratch->run.id, stored,
                                                           message, sizeof message),
                     0);
    assert_string_equal(stored, version);

    /* The verdict stored with it stays. */
    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    assert_true(run.other_account);
    assert_string_equal(run.verification, "not_required");
}

/* Returns the payload of the run's screen job, or NULL when none was queued (caller frees). */
static char *screen_payload(fixture *scratch)
{
    char message[256] = "";
    halyard_job jobs[4];
    size_t count = 0;
    assert_int_equal(
        halyard_jobs_claim(scratch->store, 0, jobs, 4, &count, message, sizeof message), 0);
    char *payload = NULL;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(jobs[i].kind, "screen") == 0) {
            payload = strdup(jobs[i].payload);
        }
        halyard_job_clear(&jobs[i]);
    }
    return payload;
}

static void update_held_until_screened(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    halyard_ticket_read read = {
        .ticket_json = ticket_json, .actions_json = actions_json, .login_agent_id = LOGIN_AGENT_ID};

    /* A run with no screened version waits for a screen of this one. */
    assert_int_equal(halyard_verification_on_update(scratch->store, &scratch->run, &read, message,
                                                    sizeof message),
                     1);
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     1);
    char *payload = screen_payload(scratch);
    assert_non_null(payload);
    assert_non_null(strstr(payload, "\"rescreen\":1"));
    free(payload);
}

static void screened_update_goes_on(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    char version[HALYARD_TICKET_VERSION_SIZE];
    version_of(scratch, ticket_json, actions_json, version);
    assert_int_equal(halyard_verification_set_screened_version(scratch->store, scratch->run.id,
                                                               version, message, sizeof message),
                     0);
    halyard_ticket_read read = {
        .ticket_json = ticket_json, .actions_json = actions_json, .login_agent_id = LOGIN_AGENT_ID};
    assert_int_equal(halyard_verification_on_update(scratch->store, &scratch->run, &read, message,
                                                    sizeof message),
                     0);
    assert_int_equal(halyard_verification_screen_queued(scratch->store, scratch->run.id, message,
                                                        sizeof message),
                     0);
    assert_null(screen_payload(scratch));

    /* A reply written since is held back again. */
    read.actions_json = "{\"actions\":[{\"id\":1,\"who_type\":1,\"who_agentid\":9,\"note\":"
                        "\"halyard plan\"},{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":"
                        "\"It is the one by the door.\"},{\"id\":3,\"who_type\":2,"
                        "\"who_agentid\":0,\"note\":\"Also reset my password.\"}]}";
    assert_int_equal(halyard_verification_on_update(scratch->store, &scratch->run, &read, message,
                                                    sizeof message),
                     1);
}

/* A verified run was never screened again, so a reply asking for more than its check covered
 * rode on the pass. Its updates are now screened like those of a run that needs no check. */
static void verified_run_held_until_screened(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true, "verified",
                                                NULL, message, sizeof message),
                     0);
    halyard_run run;
    assert_int_equal(
        halyard_runs_get(scratch->store, scratch->run.id, &run, message, sizeof message), 0);
    halyard_ticket_read read = {
        .ticket_json = ticket_json, .actions_json = actions_json, .login_agent_id = LOGIN_AGENT_ID};

    /* The version the check screened is handled at once. */
    char version[HALYARD_TICKET_VERSION_SIZE];
    assert_int_equal(halyard_verification_ticket_version(scratch->store, ticket_json, actions_json,
                                                         LOGIN_AGENT_ID, version, message,
                                                         sizeof message),
                     0);
    assert_int_equal(halyard_verification_set_screened_version(scratch->store, run.id, version,
                                                               message, sizeof message),
                     0);
    assert_int_equal(
        halyard_verification_on_update(scratch->store, &run, &read, message, sizeof message), 0);
    assert_null(screen_payload(scratch));

    /* A reply written since is held back until it is screened. */
    read.actions_json = "{\"actions\":[{\"id\":2,\"who_type\":2,\"who_agentid\":0,\"note\":"
                        "\"Also forward my mail to my home address.\"}]}";
    assert_int_equal(
        halyard_verification_on_update(scratch->store, &run, &read, message, sizeof message), 1);
    char *payload = screen_payload(scratch);
    assert_non_null(payload);
    assert_non_null(strstr(payload, "\"rescreen\":1"));
    free(payload);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(version_same_for_same_ticket, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(version_changes_with_screened_text, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(version_ignores_own_notes, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(version_ignores_own_notes_with_string_ids, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(version_rejects_invalid_json, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(screened_version_keeps_verdict, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(update_held_until_screened, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(screened_update_goes_on, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(verified_run_held_until_screened, open_fixture,
                                        close_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
