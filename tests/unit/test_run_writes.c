/* Tests of the outbox's marker search (core/app/run_writes.c): only halyard's own action with
 * exactly the write's label counts. Sending and retrying are tested end to end in
 * tests/integration/writes.lua. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "run_writes.h"

static const char *const ACTIONS =
    "{\"actions\":["
    "{\"id\":1,\"who_agentid\":3,\"note_html\":\"<p>ok</p>halyard run 12.closing\"},"
    "{\"id\":2,\"who_agentid\":1,\"note_html\":\"<span>halyard run 120</span>\"},"
    "{\"id\":3,\"who_agentid\":1,\"note_html\":\"<span>halyard run 12.request-2</span>\"},"
    "{\"id\":4,\"actionby_agent_id\":1,\"note\":\"Plan ... halyard run 12\"}"
    "]}";

static int setup(void **state)
{
    halyard_json_reader *json = NULL;
    char message[256];
    if (halyard_json_reader_create(&json, message, sizeof message) != 0) {
        return -1;
    }
    *state = json;
    return 0;
}

static int teardown(void **state)
{
    halyard_json_reader_free(*state);
    return 0;
}

/* The plan note's label "12" is found in action 4, not in run 120's or in 12's other writes. */
static void label_must_end_where_the_marker_ends(void **state)
{
    long long action_id = 0;

    assert_true(halyard_run_writes_find_marker(*state, ACTIONS, "12", 1, &action_id));

    assert_int_equal(action_id, 4);
}

static void write_label_is_found_in_its_own_action(void **state)
{
    long long action_id = 0;

    assert_true(halyard_run_writes_find_marker(*state, ACTIONS, "12.request-2", 1, &action_id));

    assert_int_equal(action_id, 3);
    assert_false(halyard_run_writes_find_marker(*state, ACTIONS, "12.request", 1, &action_id));
}

/* Action 1 carries the marker but was written by technician 3, who could have typed it. */
static void marker_by_someone_else_does_not_count(void **state)
{
    long long action_id = 0;

    assert_false(halyard_run_writes_find_marker(*state, ACTIONS, "12.closing", 1, &action_id));
    assert_false(halyard_run_writes_find_marker(*state, ACTIONS, "12", 0, &action_id));
}

static void bare_array_of_actions_is_read(void **state)
{
    long long action_id = 0;

    assert_true(halyard_run_writes_find_marker(
        *state, "[{\"id\":9,\"who_agentid\":1,\"note\":\"x halyard run 5.a\"}]", "5.a", 1,
        &action_id));

    assert_int_equal(action_id, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(label_must_end_where_the_marker_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(write_label_is_found_in_its_own_action, setup, teardown),
        cmocka_unit_test_setup_teardown(marker_by_someone_else_does_not_count, setup, teardown),
        cmocka_unit_test_setup_teardown(bare_array_of_actions_is_read, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
