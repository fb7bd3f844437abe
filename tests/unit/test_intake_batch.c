/* Counting the events of a webhook batch before it is stored (core/app/intake_batch.c). */
#include "intake_batch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static size_t count_text(const char *body, size_t stop_after)
{
    return halyard_intake_batch_count((const unsigned char *)body, strlen(body), stop_after);
}

static void single_event_counts_one(void **state)
{
    (void)state;
    assert_int_equal(count_text("{\"id\":\"a\",\"list\":[1,2,3]}", 1000), 1);
    assert_int_equal(count_text("not json at all", 1000), 1);
    assert_int_equal(count_text("", 1000), 1);
    assert_int_equal(count_text("  \"[1,2,3]\"", 1000), 1);
}

static void batch_entries_counted(void **state)
{
    (void)state;
    assert_int_equal(count_text("[]", 1000), 0);
    assert_int_equal(count_text(" \n[ ]", 1000), 0);
    assert_int_equal(count_text("[{\"id\":\"a\"}]", 1000), 1);
    assert_int_equal(count_text("[{\"id\":\"a\"},{\"id\":\"b\"}, {\"id\":\"c\"}]", 1000), 3);
    assert_int_equal(count_text("[1, \"two\", null, [4, 5], {\"six\": [6]}]", 1000), 5);
}

/* Commas and brackets inside strings, escaped quotes included, are not entries. */
static void strings_hide_separators(void **state)
{
    (void)state;
    assert_int_equal(count_text("[{\"id\":\"a,b]\"},{\"text\":\"say \\\"x,]\\\" now\"}]", 1000), 2);
    assert_int_equal(count_text("[\"\\\\\",\"b\"]", 1000), 2);
}

/* A broken batch is counted the same way, and the writer flags it later. */
static void broken_batch_counted(void **state)
{
    (void)state;
    assert_int_equal(count_text("[1,]", 1000), 1);
    assert_int_equal(count_text("[1,2", 1000), 2);
    assert_int_equal(count_text("[{\"a\":1},{\"b\":", 1000), 2);
}

static void count_stops_past_limit(void **state)
{
    (void)state;
    size_t events = 5000;
    size_t size = events * 4 + 16;
    char *body = malloc(size);
    assert_non_null(body);
    size_t used = (size_t)snprintf(body, size, "[");
    for (size_t i = 0; i < events; i++) {
        used += (size_t)snprintf(body + used, size - used, "%s{}", i > 0 ? "," : "");
    }
    snprintf(body + used, size - used, "]");

    assert_int_equal(count_text(body, 10000), 5000);
    assert_int_equal(count_text(body, 5000), 5000);
    assert_int_equal(count_text(body, 4999), 5000);
    assert_int_equal(count_text(body, 1000), 1001);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_event_counts_one), cmocka_unit_test(batch_entries_counted),
        cmocka_unit_test(strings_hide_separators), cmocka_unit_test(broken_batch_counted),
        cmocka_unit_test(count_stops_past_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
