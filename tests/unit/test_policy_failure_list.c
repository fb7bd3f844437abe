/* Tests of the own_words failure list that the plan's and the screening's notes share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy_failure_list.h"

static halyard_json_reader *create_reader(void)
{
    halyard_json_reader *json = NULL;
    char message[256];
    assert_int_equal(halyard_json_reader_create(&json, message, sizeof message), 0);
    return json;
}

/* Appends list to an empty buffer and returns the text, which the caller frees. */
static char *list_html(const halyard_policy_failure_list *list)
{
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 64 * 1024);
    halyard_policy_failure_list_append(&note, list);
    char *html = halyard_text_buffer_take(&note);
    halyard_text_buffer_free(&note);
    assert_non_null(html);
    return html;
}

static void read_skips_other_entries(void **state)
{
    (void)state;
    halyard_json_reader *json = create_reader();
    const char *result =
        "{\"policy_failures\": ["
        "{\"function\": \"classify\", \"failure\": \"raised\", \"replies\": 4},"
        "{\"function\": \"own_words\", \"failure\": \"\", \"replies\": 2},"
        "{\"function\": \"own_words\", \"failure\": \"raised\", \"position\": \"\","
        " \"replies\": 1},"
        "{\"function\": \"own_words\", \"failure\": \"returned an invalid result\","
        " \"position\": \"approval.lua:12\", \"problem\": \"not a string\", \"replies\": 2,"
        " \"details\": true}]}";
    halyard_policy_failure_list list;

    assert_int_equal(halyard_policy_failure_list_read(json, result, &list), 2);

    assert_string_equal(list.failures[0].failure, "raised");
    assert_null(list.failures[0].position);
    assert_null(list.failures[0].problem);
    assert_false(list.failures[0].details);
    assert_string_equal(list.failures[1].position, "approval.lua:12");
    assert_string_equal(list.failures[1].problem, "not a string");
    assert_int_equal(list.replies, 3);
    assert_true(list.details);
    halyard_policy_failure_list_clear(&list);
    assert_int_equal(list.count, 0);
    halyard_json_reader_free(json);
}

static void read_keeps_at_most_five(void **state)
{
    (void)state;
    halyard_json_reader *json = create_reader();
    char result[2048] = "{\"policy_failures\": [";
    for (int i = 0; i < 7; i++) {
        char entry[128];
        snprintf(entry, sizeof entry,
                 "%s{\"function\": \"own_words\", \"failure\": \"raised\", \"replies\": 1}",
                 i > 0 ? "," : "");
        strcat(result, entry);
    }
    strcat(result, "]}");
    halyard_policy_failure_list list;

    assert_int_equal(halyard_policy_failure_list_read(json, result, &list),
                     HALYARD_POLICY_FAILURE_LIST_MAX);
    assert_int_equal(list.replies, HALYARD_POLICY_FAILURE_LIST_MAX);
    halyard_policy_failure_list_clear(&list);
    halyard_json_reader_free(json);
}

static void read_without_failures_is_empty(void **state)
{
    (void)state;
    halyard_json_reader *json = create_reader();
    halyard_policy_failure_list list;

    assert_int_equal(halyard_policy_failure_list_read(json, NULL, &list), 0);
    assert_int_equal(halyard_policy_failure_list_read(json, "{}", &list), 0);
    assert_int_equal(halyard_policy_failure_list_read(json, "not json", &list), 0);
    assert_int_equal(halyard_policy_failure_list_read(json, "{\"policy_failures\": []}", &list), 0);
    halyard_json_reader_free(json);
}

static void append_writes_each_failure(void **state)
{
    (void)state;
    halyard_json_reader *json = create_reader();
    const char *result =
        "{\"policy_failures\": ["
        "{\"function\": \"own_words\", \"failure\": \"raised\", \"position\": \"approval.lua:7\","
        " \"replies\": 1, \"details\": true},"
        "{\"function\": \"own_words\", \"failure\": \"returned an invalid result\","
        " \"problem\": \"<b>not a string</b>\", \"replies\": 0, \"details\": true}]}";
    halyard_policy_failure_list list;
    assert_int_equal(halyard_policy_failure_list_read(json, result, &list), 2);

    char *html = list_html(&list);

    assert_string_equal(html, "<ul><li>It raised at <code>approval.lua:7</code> on 1 reply by "
                              "the requester and on the ticket's details.</li><li>It returned "
                              "an invalid result (&lt;b&gt;not a string&lt;/b&gt;) on the "
                              "ticket's details.</li></ul>");
    free(html);
    halyard_policy_failure_list_clear(&list);
    halyard_json_reader_free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_skips_other_entries),
        cmocka_unit_test(read_keeps_at_most_five),
        cmocka_unit_test(read_without_failures_is_empty),
        cmocka_unit_test(append_writes_each_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
