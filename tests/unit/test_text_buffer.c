#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text_buffer.h"

static void appends_and_formats(void **state)
{
    (void)state;
    halyard_text_buffer buffer;
    halyard_text_buffer_init(&buffer, 1024);

    halyard_text_buffer_append_text(&buffer, "ticket ");
    halyard_text_buffer_printf(&buffer, "%d of %s", 42, "acme");

    assert_false(halyard_text_buffer_failed(&buffer));
    assert_string_equal(halyard_text_buffer_text(&buffer), "ticket 42 of acme");
    halyard_text_buffer_free(&buffer);
}

static void empty_buffer_is_empty_text(void **state)
{
    (void)state;
    halyard_text_buffer buffer;
    halyard_text_buffer_init(&buffer, 16);

    assert_string_equal(halyard_text_buffer_text(&buffer), "");
    char *taken = halyard_text_buffer_take(&buffer);
    assert_string_equal(taken, "");
    free(taken);
}

static void grows_past_first_block(void **state)
{
    (void)state;
    halyard_text_buffer buffer;
    halyard_text_buffer_init(&buffer, 100000);

    for (int i = 0; i < 10000; i++) {
        halyard_text_buffer_append(&buffer, "0123456789", 10);
    }

    assert_int_equal(buffer.length, 100000);
    assert_int_equal(strlen(halyard_text_buffer_text(&buffer)), 100000);
    halyard_text_buffer_free(&buffer);
}

static void maximum_marks_failed(void **state)
{
    (void)state;
    halyard_text_buffer buffer;
    halyard_text_buffer_init(&buffer, 8);

    halyard_text_buffer_append_text(&buffer, "12345");
    halyard_text_buffer_append_text(&buffer, "6789");
    halyard_text_buffer_append_text(&buffer, "0");

    assert_true(halyard_text_buffer_failed(&buffer));
    assert_string_equal(halyard_text_buffer_text(&buffer), "12345");
    assert_null(halyard_text_buffer_take(&buffer));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_and_formats),
        cmocka_unit_test(empty_buffer_is_empty_text),
        cmocka_unit_test(grows_past_first_block),
        cmocka_unit_test(maximum_marks_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
