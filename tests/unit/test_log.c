#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static size_t format_line(char *buffer, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    size_t length = halyard_log_format(buffer, size, HALYARD_LOG_INFO, "intake", format, args);
    va_end(args);
    return length;
}

static void parse_level_accepts_names(void **state)
{
    (void)state;
    halyard_log_level level = HALYARD_LOG_ERROR;

    assert_int_equal(halyard_log_parse_level("debug", &level), 0);
    assert_int_equal(level, HALYARD_LOG_DEBUG);
    assert_int_equal(halyard_log_parse_level("WARNING", &level), 0);
    assert_int_equal(level, HALYARD_LOG_WARNING);
}

static void parse_level_rejects_unknown(void **state)
{
    (void)state;
    halyard_log_level level = HALYARD_LOG_INFO;

    assert_int_equal(halyard_log_parse_level("verbose", &level), -1);
    assert_int_equal(halyard_log_parse_level("", &level), -1);
    assert_int_equal(halyard_log_parse_level(NULL, &level), -1);
    assert_int_equal(level, HALYARD_LOG_INFO);
}

static void format_has_level_subsystem_message(void **state)
{
    (void)state;
    char line[256];

    size_t length = format_line(line, sizeof line, "msp=%s ticket=%d stored", "default", 4242);

    assert_int_equal(length, strlen(line));
    assert_non_null(strstr(line, " info intake: msp=default ticket=4242 stored\n"));
    assert_int_equal(line[length - 1], '\n');
}

static void format_flattens_control_characters(void **state)
{
    (void)state;
    char line[256];

    format_line(line, sizeof line, "subject=%s", "a\nb\rc\td");

    assert_non_null(strstr(line, "subject=a b c d\n"));
    assert_null(strchr(line, '\r'));
    assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
}

static void format_truncates_to_one_line(void **state)
{
    (void)state;
    char line[40];
    char long_text[200];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';

    size_t length = format_line(line, sizeof line, "%s", long_text);

    assert_int_equal(length, sizeof line - 1);
    assert_int_equal(strlen(line), sizeof line - 1);
    assert_int_equal(line[length - 1], '\n');
}

static void log_filters_by_level(void **state)
{
    (void)state;
    char *text = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&text, &size);
    assert_non_null(stream);

    halyard_log_configure(HALYARD_LOG_INFO, stream);
    halyard_log(HALYARD_LOG_DEBUG, "jobs", "hidden");
    halyard_log(HALYARD_LOG_ERROR, "jobs", "job=%d failed", 7);
    halyard_log_configure(HALYARD_LOG_INFO, NULL);
    fclose(stream);

    assert_null(strstr(text, "hidden"));
    assert_non_null(strstr(text, " error jobs: job=7 failed\n"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_level_accepts_names),
        cmocka_unit_test(parse_level_rejects_unknown),
        cmocka_unit_test(format_has_level_subsystem_message),
        cmocka_unit_test(format_flattens_control_characters),
        cmocka_unit_test(format_truncates_to_one_line),
        cmocka_unit_test(log_filters_by_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
