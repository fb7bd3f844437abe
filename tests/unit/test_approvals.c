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
#include "execute_notes.h"
#include "execute_steps.h"
#include "json_reader.h"
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
    strcpy(scratch->folder, "/tmp/halyard-approvals-XXXXXX");
    assert_non_null(mkdtemp(scratch->folder));
    char path[128];
    snprintf(path, sizeof path, "%s/halyard.db", scratch->folder);
    char message[256] = "";
    assert_int_equal(halyard_store_open(path, &scratch->store, message, sizeof message), 0);
    halyard_run run;
    assert_int_equal(halyard_runs_create(scratch->store, 1, 12, 5, "planning", "execute", false,
                                         "ticket first seen", &run, message, sizeof message),
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

static void new_request_supersedes_pending(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    halyard_approval_request first;
    halyard_approval_request second;
    halyard_approval_request latest;

    assert_int_equal(halyard_approvals_open(scratch->store, scratch->run_id, "aaaa", "[]", 1000, 3,
                                            &first, message, sizeof message),
                     0);
    assert_int_equal(halyard_approvals_open(scratch->store, scratch->run_id, "bbbb", "[1]", 2000, 3,
                                            &second, message, sizeof message),
                     0);

    /* Deciding the superseded request changes nothing. */
    assert_int_equal(halyard_approvals_decide(scratch->store, first.id, "approved", 3, 9, message,
                                              sizeof message),
                     1);
    assert_int_equal(
        halyard_approvals_latest(scratch->store, scratch->run_id, &latest, message, sizeof message),
        0);
    assert_int_equal(latest.id, second.id);
    assert_string_equal(latest.state, "pending");
    assert_string_equal(latest.plan_hash, "bbbb");
    assert_string_equal(latest.steps_json, "[1]");
    assert_int_equal(latest.expires_at_ms, 2000);

    halyard_approval_request_clear(&first);
    halyard_approval_request_clear(&second);
    halyard_approval_request_clear(&latest);
}

static void request_decided_once(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    halyard_approval_request request;
    assert_int_equal(halyard_approvals_open(scratch->store, scratch->run_id, "cccc", "[]", 1000, 3,
                                            &request, message, sizeof message),
                     0);

    assert_int_equal(halyard_approvals_decide(scratch->store, request.id, "denied", 3, 7, message,
                                              sizeof message),
                     0);
    assert_int_equal(halyard_approvals_decide(scratch->store, request.id, "approved", 3, 8, message,
                                              sizeof message),
                     1);
    assert_int_equal(halyard_approvals_decide(scratch->store, request.id, "maybe", 3, 8, message,
                                              sizeof message),
                     -1);
    assert_non_null(strstr(message, "'maybe' is invalid"));

    halyard_approval_request latest;
    assert_int_equal(
        halyard_approvals_latest(scratch->store, scratch->run_id, &latest, message, sizeof message),
        0);
    assert_string_equal(latest.state, "denied");
    halyard_approval_request_clear(&latest);
    halyard_approval_request_clear(&request);
}

static void request_readdressed_once(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    halyard_approval_request request;
    halyard_approval_request latest;
    long long change = 0;
    assert_int_equal(halyard_approvals_open(scratch->store, scratch->run_id, "ffff", "[]", 1000, 3,
                                            &request, message, sizeof message),
                     0);
    assert_int_equal(request.addressed_agent_id, 3);
    assert_int_equal(request.addressed_changes, 0);

    /* Sam (3) to Alex (4): changed once, however often the same reassignment is read. */
    assert_int_equal(halyard_approvals_readdress(scratch->store, request.id, 3, 4, &change, message,
                                                 sizeof message),
                     0);
    assert_int_equal(change, 1);
    assert_int_equal(halyard_approvals_readdress(scratch->store, request.id, 3, 4, &change, message,
                                                 sizeof message),
                     1);
    assert_int_equal(change, 0);

    /* Alex to nobody, then back to Sam: each change gets its own number. */
    assert_int_equal(halyard_approvals_readdress(scratch->store, request.id, 4, 0, &change, message,
                                                 sizeof message),
                     0);
    assert_int_equal(change, 2);
    assert_int_equal(halyard_approvals_readdress(scratch->store, request.id, 0, 3, &change, message,
                                                 sizeof message),
                     0);
    assert_int_equal(change, 3);
    assert_int_equal(
        halyard_approvals_latest(scratch->store, scratch->run_id, &latest, message, sizeof message),
        0);
    assert_int_equal(latest.addressed_agent_id, 3);
    assert_int_equal(latest.addressed_changes, 3);
    halyard_approval_request_clear(&latest);

    /* A decided request is not readdressed. */
    assert_int_equal(halyard_approvals_decide(scratch->store, request.id, "approved", 3, 9, message,
                                              sizeof message),
                     0);
    assert_int_equal(halyard_approvals_readdress(scratch->store, request.id, 3, 4, &change, message,
                                                 sizeof message),
                     1);
    halyard_approval_request_clear(&request);
}

static void request_addressee_unknown_before_migration(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    halyard_approval_request request;
    halyard_approval_request latest;
    long long change = 0;
    assert_int_equal(halyard_approvals_open(scratch->store, scratch->run_id, "ffff", "[]", 1000, 3,
                                            &request, message, sizeof message),
                     0);

    /* A request stored before the addressee column existed has NULL there. */
    assert_int_equal(halyard_store_execute(scratch->store,
                                           "UPDATE approval_requests SET addressed_agent_id = NULL",
                                           "clearing the addressee", message, sizeof message),
                     0);
    assert_int_equal(
        halyard_approvals_latest(scratch->store, scratch->run_id, &latest, message, sizeof message),
        0);
    assert_int_equal(latest.addressed_agent_id, -1);
    halyard_approval_request_clear(&latest);

    assert_int_equal(halyard_approvals_readdress(scratch->store, request.id, 3, 4, &change, message,
                                                 sizeof message),
                     1);
    assert_int_equal(halyard_approvals_readdress(scratch->store, request.id, -1, 4, &change,
                                                 message, sizeof message),
                     0);
    assert_int_equal(
        halyard_approvals_latest(scratch->store, scratch->run_id, &latest, message, sizeof message),
        0);
    assert_int_equal(latest.addressed_agent_id, 4);
    halyard_approval_request_clear(&latest);
    halyard_approval_request_clear(&request);
}

static void reply_recorded_once(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    halyard_approval_reply reply = {
        .run_id = scratch->run_id,
        .action_id = 4,
        .author_agent_id = 4,
        .author = "Alex Rivera (agent 4)",
        .assigned_agent_id = 3,
        .decision = "neutral",
        .counted = false,
        .reason = "question",
        .text = "can we wait until Monday?",
    };

    assert_int_equal(
        halyard_approvals_reply_read(scratch->store, scratch->run_id, 4, message, sizeof message),
        0);
    assert_int_equal(
        halyard_approvals_record_reply(scratch->store, &reply, message, sizeof message), 0);
    reply.decision = "approve";
    assert_int_equal(
        halyard_approvals_record_reply(scratch->store, &reply, message, sizeof message), 1);
    assert_int_equal(
        halyard_approvals_reply_read(scratch->store, scratch->run_id, 4, message, sizeof message),
        1);
}

static void step_started_once(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    char step_state[16] = "";
    bool fresh = false;

    assert_int_equal(halyard_execute_steps_start(scratch->store, scratch->run_id, "dddd", 2,
                                                 "halo.set_status", "write", step_state, &fresh,
                                                 message, sizeof message),
                     0);
    assert_string_equal(step_state, "started");
    assert_true(fresh);
    assert_int_equal(halyard_execute_steps_finish(scratch->store, scratch->run_id, "dddd", 2,
                                                  "queued", NULL, "step:1:dddd:2", message,
                                                  sizeof message),
                     0);

    /* A second start, after a restart or a repeated delivery, finds the step where it is. */
    assert_int_equal(halyard_execute_steps_start(scratch->store, scratch->run_id, "dddd", 2,
                                                 "halo.set_status", "write", step_state, &fresh,
                                                 message, sizeof message),
                     0);
    assert_string_equal(step_state, "queued");
    assert_false(fresh);
    assert_int_equal(halyard_execute_steps_finish(scratch->store, scratch->run_id, "dddd", 2,
                                                  "done", "{\"action_id\":12}", NULL, message,
                                                  sizeof message),
                     0);

    char *steps = NULL;
    assert_int_equal(halyard_execute_steps_list(scratch->store, scratch->run_id, "dddd", &steps,
                                                message, sizeof message),
                     0);
    assert_string_equal(steps, "[{\"number\":2,\"tool\":\"halo.set_status\",\"kind\":\"write\","
                               "\"state\":\"done\",\"result\":{\"action_id\":12}}]");
    free(steps);

    assert_int_equal(halyard_execute_steps_finish(scratch->store, scratch->run_id, "eeee", 1,
                                                  "done", NULL, NULL, message, sizeof message),
                     -1);
    assert_non_null(strstr(message, "has no step 1"));
}

static void request_note_escapes_and_lists(void **state)
{
    (void)state;
    char message[128];
    halyard_json_reader *json = NULL;
    assert_int_equal(halyard_json_reader_create(&json, message, sizeof message), 0);
    halyard_execute_request_note note = {
        .run_id = 7,
        .ticket_id = 5,
        .plan_hash = "0123456789abcdef",
        .diagnosis = "Jane <script> wrote",
        .steps_json = "[{\"number\":3,\"tool\":\"halo.set_status\",\"arguments\":"
                      "{\"status_id\":4},\"purpose\":\"Wait for the user\"}]",
        .results_json = "[{\"number\":1,\"tool\":\"halo.get_user\",\"state\":\"done\","
                        "\"result\":{\"name\":\"Jane\"}}]",
        .expires_at = "2026-12-06 02:00",
        .assignee = "Sam Lead",
    };

    char *html = halyard_execute_note_request(json, &note);
    assert_non_null(html);
    assert_non_null(strstr(html, "plan 01234567"));
    assert_null(strstr(html, "<script>"));
    assert_non_null(strstr(html, "Jane &lt;script&gt; wrote"));
    assert_non_null(strstr(html, "halo.set_status"));
    assert_non_null(strstr(html, "{&quot;status_id&quot;:4}"));
    assert_non_null(strstr(html, "Sam Lead"));
    assert_non_null(strstr(html, "2026-12-06 02:00"));
    assert_non_null(strstr(html, "halo.get_user"));
    assert_non_null(strstr(html, "run 7, ticket #5"));
    free(html);

    note.steps_json = "not json";
    assert_null(halyard_execute_note_request(json, &note));
    halyard_json_reader_free(json);
}

/* The request used to edit "no technician assigned" in the stored diagnosis text. It writes the
 * ticket's state from the plan's ticket_state and the assignee now, and leaves the diagnosis as
 * the agent wrote it. */
static void request_note_ticket_state_names_assignee(void **state)
{
    (void)state;
    char message[128];
    halyard_json_reader *json = NULL;
    assert_int_equal(halyard_json_reader_create(&json, message, sizeof message), 0);
    halyard_execute_request_note note = {
        .run_id = 7,
        .ticket_id = 5,
        .plan_hash = "0123456789abcdef",
        .diagnosis = "Jane wrote: \"Kiosk offline\", no technician assigned.",
        .ticket_state_json = "{\"status\":\"New\",\"priority\":\"P3\","
                             "\"technician\":\"Sam Lead\",\"team\":\"<Desk>\"}",
        .steps_json = "[{\"number\":1,\"tool\":\"halo.set_status\"}]",
        .expires_at = "2026-12-06 02:00",
        .assignee = "Alex Rivera",
    };

    char *html = halyard_execute_note_request(json, &note);
    assert_non_null(html);
    assert_non_null(strstr(
        html, "Ticket: status New, priority P3, assigned to Alex Rivera, team &lt;Desk&gt;."));
    assert_null(strstr(html, "Sam Lead"));
    assert_non_null(strstr(html, "&quot;Kiosk offline&quot;, no technician assigned."));
    free(html);

    /* A team-less state leaves the team out, and a plan without ticket_state has no line. */
    note.ticket_state_json = "{\"status\":\"New\",\"priority\":\"P3\"}";
    html = halyard_execute_note_request(json, &note);
    assert_non_null(html);
    assert_non_null(strstr(html, "Ticket: status New, priority P3, assigned to Alex Rivera.</p>"));
    free(html);
    note.ticket_state_json = NULL;
    html = halyard_execute_note_request(json, &note);
    assert_non_null(html);
    assert_null(strstr(html, "Ticket: status"));
    free(html);
    halyard_json_reader_free(json);
}

static void request_note_marks_auto_steps(void **state)
{
    (void)state;
    char message[128];
    halyard_json_reader *json = NULL;
    assert_int_equal(halyard_json_reader_create(&json, message, sizeof message), 0);
    halyard_execute_request_note note = {
        .run_id = 7,
        .ticket_id = 5,
        .plan_hash = "0123456789abcdef",
        .steps_json = "[{\"number\":2,\"tool\":\"halo.set_status\",\"policy\":"
                      "\"approval_needed\"},{\"number\":3,\"tool\":\"halo.reply\","
                      "\"policy\":\"auto\"}]",
        .expires_at = "2026-12-06 02:00",
        .assignee = "Sam Lead",
    };
    char *html = halyard_execute_note_request(json, &note);
    assert_non_null(html);
    const char *approval_step = strstr(html, "halo.set_status");
    const char *auto_step = strstr(html, "halo.reply");
    const char *mark = strstr(html, "runs automatically after the approval");
    assert_non_null(approval_step);
    assert_non_null(auto_step);
    assert_non_null(mark);
    assert_true(approval_step < auto_step);
    assert_true(mark > auto_step);
    assert_null(strstr(mark + 1, "runs automatically after the approval"));
    free(html);

    /* The assignment note counts only the steps that need the approval. */
    html = halyard_execute_note_assignment(json, 7, note.steps_json);
    assert_non_null(html);
    assert_non_null(strstr(html, "1 step that needs approval"));
    free(html);
    halyard_json_reader_free(json);
}

static void readdressed_note_names_assignee(void **state)
{
    (void)state;
    char *html = halyard_execute_note_readdressed(7, "0123456789abcdef", "Alex <b>Rivera</b>");
    assert_non_null(html);
    assert_non_null(strstr(html, "plan 01234567"));
    assert_non_null(strstr(html, "Alex &lt;b&gt;Rivera&lt;/b&gt;, the technician now assigned"));
    assert_non_null(strstr(html, "do not count"));
    assert_non_null(strstr(html, "Run 7"));
    free(html);

    html = halyard_execute_note_readdressed(7, "0123456789abcdef", NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "no assigned technician any more"));
    assert_non_null(strstr(html, "Assign a technician"));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(new_request_supersedes_pending, open_fixture,
                                        close_fixture),
        cmocka_unit_test_setup_teardown(request_decided_once, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(reply_recorded_once, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(step_started_once, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(request_readdressed_once, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(request_addressee_unknown_before_migration, open_fixture,
                                        close_fixture),
        cmocka_unit_test(request_note_escapes_and_lists),
        cmocka_unit_test(request_note_ticket_state_names_assignee),
        cmocka_unit_test(request_note_marks_auto_steps),
        cmocka_unit_test(readdressed_note_names_assignee),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
