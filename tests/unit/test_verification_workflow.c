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
#include "json_reader.h"
#include "run_fixture.h"
#include "runs.h"
#include "store.h"
#include "verification.h"
#include "verification_workflow.h"

/* A plan whose second matched workflow declares itself sensitive. */
static const char sensitive_plan[] =
    "{\"ticket_id\":5,\"workflows\":[{\"name\":\"Teams problem\",\"file\":\"teams.lua\"},"
    "{\"name\":\"Folder access\",\"file\":\"folder_access.lua\",\"sensitive\":\"access_grant\"}],"
    "\"steps\":[]}";
/* A plan whose matched workflow declares nothing, but whose second step's tool does. */
static const char sensitive_tool_plan[] =
    "{\"ticket_id\":5,\"workflows\":[{\"name\":\"Sign-in trouble\",\"file\":\"sign_in.lua\"}],"
    "\"steps\":[{\"number\":1,\"tool\":\"halo.get_user\"},"
    "{\"number\":2,\"tool\":\"m365.reset_password\",\"sensitive\":\"password_reset\"}]}";
static const char plain_plan[] =
    "{\"ticket_id\":5,\"workflows\":[{\"name\":\"Teams problem\",\"file\":\"teams.lua\"}],"
    "\"steps\":[]}";

typedef struct {
    char folder[64];
    halyard_store *store;
    halyard_json_reader *json;
    halyard_run run;
} fixture;

/* Opens a store with run 1 of ticket 5 in planning, screened not sensitive. */
static int open_fixture(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    run_fixture_open_store("workflow", scratch->folder, sizeof scratch->folder, &scratch->store);
    char message[256] = "";
    assert_int_equal(halyard_json_reader_create(&scratch->json, message, sizeof message), 0);
    run_fixture_create_run(scratch->store, "planning", "execute", false, "not_required",
                           "{\"sensitive\":false,\"reason\":\"fault_report\"}", &scratch->run);
    *state = scratch;
    return 0;
}

static int close_fixture(void **state)
{
    fixture *scratch = *state;
    halyard_json_reader_free(scratch->json);
    run_fixture_remove(scratch->store, scratch->folder);
    free(scratch);
    return 0;
}

/* Returns the payload of the queued screen job, or NULL when none (caller frees). */
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

/* Returns the detail of the run's first event of kind, or NULL (caller frees). */
static char *run_event(fixture *scratch, const char *kind)
{
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(halyard_store_database(scratch->store),
                                        "SELECT detail FROM run_events WHERE run_id = ?1 AND"
                                        " kind = ?2 ORDER BY id",
                                        -1, &statement, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(statement, 1, scratch->run.id);
    sqlite3_bind_text(statement, 2, kind, -1, SQLITE_STATIC);
    char *detail = NULL;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        detail = strdup((const char *)sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return detail;
}

/* Returns the detail of the run's workflow_sensitive event, or NULL (caller frees). */
static char *workflow_event(fixture *scratch)
{
    return run_event(scratch, "workflow_sensitive");
}

static void reason_checked_for_form(void **state)
{
    (void)state;
    assert_true(halyard_verification_workflow_reason_valid("password_reset"));
    assert_true(halyard_verification_workflow_reason_valid("access_grant"));
    assert_false(halyard_verification_workflow_reason_valid(""));
    assert_false(halyard_verification_workflow_reason_valid("Password_reset"));
    assert_false(halyard_verification_workflow_reason_valid("reset\",\"rescreen\":0"));
    assert_false(halyard_verification_workflow_reason_valid("a_reason_code_far_longer_than_any"));
}

static void plan_with_sensitive_workflow_held(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_plan, message, sizeof message),
                     1);

    char *payload = screen_payload(scratch);
    assert_non_null(payload);
    assert_non_null(strstr(payload, "\"rescreen\":1"));
    assert_non_null(strstr(payload, "\"workflow_reason\":\"access_grant\""));
    free(payload);

    char *detail = workflow_event(scratch);
    assert_non_null(detail);
    assert_non_null(strstr(detail, "'Folder access' (folder_access.lua)"));
    assert_non_null(strstr(detail, "access_grant"));
    free(detail);
}

static void plan_without_sensitive_workflow_goes_on(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  plain_plan, message, sizeof message),
                     0);
    assert_null(screen_payload(scratch));
    assert_null(workflow_event(scratch));
}

static void sensitive_run_plan_goes_on(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true, "verified",
                                                "{\"reasons\":[\"access_grant\"]}", message,
                                                sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_plan, message, sizeof message),
                     0);
    assert_null(screen_payload(scratch));

    /* A kind the client exempts needs no check, so it counts as covered. */
    assert_int_equal(halyard_runs_set_screening(
                         scratch->store, scratch->run.id, true, "verified",
                         "{\"reasons\":[\"password_reset\"],\"exempt_reasons\":[\"access_grant\"]}",
                         message, sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_plan, message, sizeof message),
                     0);
    assert_null(screen_payload(scratch));

    /* A run sensitive only for kinds its client exempts goes on under an exempt kind. */
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true,
                                                "not_required",
                                                "{\"reasons\":[],\"reason\":\"access_grant\","
                                                "\"exempt_reasons\":[\"access_grant\"]}",
                                                message, sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_plan, message, sizeof message),
                     0);
    assert_null(screen_payload(scratch));

    /* A run not screened yet is screened anyway; the plan check leaves it alone. */
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, false, "none",
                                                NULL, message, sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_plan, message, sizeof message),
                     0);
}

/* Regression: a verified run's plans were never compared with what its check covered, so a
 * password reset check let a plan under the MFA reset workflow run with no new challenge. */
static void verified_run_uncovered_kind_held(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true, "verified",
                                                "{\"reasons\":[\"password_reset\"]}", message,
                                                sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_plan, message, sizeof message),
                     1);

    char *payload = screen_payload(scratch);
    assert_non_null(payload);
    assert_non_null(strstr(payload, "\"workflow_reason\":\"access_grant\""));
    free(payload);

    char *detail = workflow_event(scratch);
    assert_non_null(detail);
    assert_non_null(strstr(detail, "the passed identity check did not cover"));
    free(detail);
}

/* Regression: a run sensitive only for a kind its client exempts was never compared with its
 * plans, so a plan under another declared kind went on with no check. */
static void exempt_run_uncovered_kind_held(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true,
                                                "not_required",
                                                "{\"reasons\":[],\"reason\":\"physical_access\","
                                                "\"exempt_reasons\":[\"physical_access\"]}",
                                                message, sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_plan, message, sizeof message),
                     1);

    char *payload = screen_payload(scratch);
    assert_non_null(payload);
    assert_non_null(strstr(payload, "\"workflow_reason\":\"access_grant\""));
    free(payload);

    char *detail = workflow_event(scratch);
    assert_non_null(detail);
    assert_non_null(strstr(detail, "which the client does not exempt from verification"));
    free(detail);
}

/* A step's tool whose kind a verified run's check did not cover makes the plan wait too. */
static void verified_run_uncovered_tool_held(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true, "verified",
                                                "{\"reasons\":[\"payment_change\"]}", message,
                                                sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_tool_plan, message, sizeof message),
                     1);

    char *payload = screen_payload(scratch);
    assert_non_null(payload);
    assert_non_null(strstr(payload, "\"workflow_reason\":\"password_reset\""));
    free(payload);

    char *detail = run_event(scratch, "tool_sensitive");
    assert_non_null(detail);
    assert_non_null(strstr(detail, "m365.reset_password"));
    assert_non_null(strstr(detail, "the passed identity check did not cover"));
    free(detail);
}

static void invalid_declared_reason_ignored(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_verification_on_plan(
                         scratch->store, scratch->json, scratch->run.id,
                         "{\"workflows\":[{\"name\":\"Odd\",\"sensitive\":\"Bad Code\"}]}", message,
                         sizeof message),
                     0);
    assert_null(screen_payload(scratch));
}

static void plan_with_sensitive_tool_held(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_tool_plan, message, sizeof message),
                     1);

    char *payload = screen_payload(scratch);
    assert_non_null(payload);
    assert_non_null(strstr(payload, "\"rescreen\":1"));
    assert_non_null(strstr(payload, "\"workflow_reason\":\"password_reset\""));
    free(payload);

    char *detail = run_event(scratch, "tool_sensitive");
    assert_non_null(detail);
    assert_non_null(strstr(detail, "m365.reset_password"));
    assert_non_null(strstr(detail, "password_reset"));
    free(detail);
    assert_null(workflow_event(scratch));
}

static void sensitive_run_tool_plan_goes_on(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(halyard_runs_set_screening(scratch->store, scratch->run.id, true, "verified",
                                                "{\"reasons\":[\"password_reset\"]}", message,
                                                sizeof message),
                     0);
    assert_int_equal(halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                                  sensitive_tool_plan, message, sizeof message),
                     0);
    assert_null(screen_payload(scratch));
    assert_null(run_event(scratch, "tool_sensitive"));
}

static void invalid_tool_reason_ignored(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    assert_int_equal(
        halyard_verification_on_plan(scratch->store, scratch->json, scratch->run.id,
                                     "{\"workflows\":[],\"steps\":[{\"tool\":\"m365.odd\","
                                     "\"sensitive\":\"reset\\\",\\\"rescreen\\\":0\"}]}",
                                     message, sizeof message),
        0);
    assert_null(screen_payload(scratch));
    assert_null(run_event(scratch, "tool_sensitive"));
}

static void verdict_keeps_policy_reason(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    char *verdict = NULL;
    assert_int_equal(halyard_verification_workflow_verdict(
                         scratch->store,
                         "{\"sensitive\":false,\"verification_required\":false,"
                         "\"reason\":\"fault_report\",\"other_account\":true}",
                         "access_grant", &verdict, message, sizeof message),
                     0);
    assert_non_null(verdict);
    assert_non_null(strstr(verdict, "\"sensitive\":true"));
    assert_non_null(strstr(verdict, "\"verification_required\":true"));
    assert_non_null(strstr(verdict, "\"reason\":\"access_grant\""));
    assert_non_null(strstr(verdict, "\"policy_reason\":\"fault_report\""));
    assert_non_null(strstr(verdict, "\"other_account\":true"));
    assert_non_null(strstr(verdict, "\"sensitive_by_workflow\":true"));
    free(verdict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reason_checked_for_form),
        cmocka_unit_test_setup_teardown(plan_with_sensitive_workflow_held, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(plan_without_sensitive_workflow_goes_on, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(sensitive_run_plan_goes_on, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(verified_run_uncovered_kind_held, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(exempt_run_uncovered_kind_held, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(verified_run_uncovered_tool_held, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(invalid_declared_reason_ignored, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(plan_with_sensitive_tool_held, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(sensitive_run_tool_plan_goes_on, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(invalid_tool_reason_ignored, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(verdict_keeps_policy_reason, open_fixture, close_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
