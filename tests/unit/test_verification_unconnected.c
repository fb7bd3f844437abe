/* Tests of the counted warning for sensitive runs of an MSP with no verification provider
 * (verification_unconnected.h). Regression: every sensitive ticket of such an MSP logged a
 * warning of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "verification_unconnected.h"

/* The log lines written while a test runs, read back with read_log. */
typedef struct {
    FILE *stream;
    char text[16384];
} captured_log;

static int setup(void **state)
{
    captured_log *log = calloc(1, sizeof *log);
    log->stream = tmpfile();
    if (log->stream == NULL) {
        free(log);
        return -1;
    }
    halyard_log_configure(HALYARD_LOG_INFO, log->stream);
    halyard_verification_log_unconnected_reset();
    *state = log;
    return 0;
}

static int teardown(void **state)
{
    captured_log *log = *state;
    halyard_log_configure(HALYARD_LOG_INFO, stderr);
    fclose(log->stream);
    free(log);
    return 0;
}

/* Returns the whole log so far as text. */
static const char *read_log(captured_log *log)
{
    fflush(log->stream);
    rewind(log->stream);
    size_t length = fread(log->text, 1, sizeof log->text - 1, log->stream);
    log->text[length] = '\0';
    fseek(log->stream, 0, SEEK_END);
    return log->text;
}

/* Returns how many times needle occurs in text. */
static int count_of(const char *text, const char *needle)
{
    int count = 0;
    for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle)) {
        count++;
    }
    return count;
}

static void first_run_warns_with_fix(void **state)
{
    captured_log *log = *state;

    halyard_verification_log_unconnected("acme-it", 41, 7, "password_reset", 1000);

    const char *text = read_log(log);
    assert_int_equal(count_of(text, " warning verify: "), 1);
    assert_non_null(strstr(text, "msp=acme-it ticket=41 run=7 sensitive (password_reset)"));
    assert_non_null(strstr(text, "halyard verify connect"));
}

static void repeats_counted_not_logged(void **state)
{
    captured_log *log = *state;

    for (long long run = 1; run <= 347; run++) {
        halyard_verification_log_unconnected("acme-it", 100 + run, run, "mfa_reset",
                                             1000 + run * 1000);
    }

    const char *text = read_log(log);
    assert_int_equal(count_of(text, "no verification provider is connected"), 1);
    assert_non_null(strstr(text, "ticket=101 run=1 "));
}

static void warning_again_after_window(void **state)
{
    captured_log *log = *state;
    long long start = 5000;

    halyard_verification_log_unconnected("acme-it", 1, 1, "mfa_reset", start);
    halyard_verification_log_unconnected("acme-it", 2, 2, "mfa_reset", start + 1000);
    halyard_verification_log_unconnected("acme-it", 3, 3, "mfa_reset", start + 2000);
    halyard_verification_log_unconnected("acme-it", 4, 4, "mfa_reset",
                                         start + HALYARD_UNCONNECTED_LOG_WINDOW_MS);

    const char *text = read_log(log);
    assert_int_equal(count_of(text, " warning verify: "), 2);
    assert_non_null(strstr(text, "ticket=4 run=4 "));
    assert_non_null(strstr(text, "(2 more such runs since the last warning)"));
    assert_null(strstr(text, "ticket=2 run=2 "));
}

static void each_msp_warned_once(void **state)
{
    captured_log *log = *state;

    halyard_verification_log_unconnected("acme-it", 1, 1, "mfa_reset", 1000);
    halyard_verification_log_unconnected("bravo-it", 2, 2, "mfa_reset", 2000);
    halyard_verification_log_unconnected("acme-it", 3, 3, "mfa_reset", 3000);
    halyard_verification_log_unconnected("bravo-it", 4, 4, "mfa_reset", 4000);

    const char *text = read_log(log);
    assert_int_equal(count_of(text, " warning verify: "), 2);
    assert_non_null(strstr(text, "msp=acme-it ticket=1 "));
    assert_non_null(strstr(text, "msp=bravo-it ticket=2 "));
}

static void repeats_logged_at_debug(void **state)
{
    captured_log *log = *state;
    halyard_log_configure(HALYARD_LOG_DEBUG, log->stream);

    halyard_verification_log_unconnected("acme-it", 1, 1, "mfa_reset", 1000);
    halyard_verification_log_unconnected("acme-it", 2, 2, "mfa_reset", 2000);

    const char *text = read_log(log);
    assert_int_equal(count_of(text, " warning verify: "), 1);
    assert_int_equal(count_of(text, " debug verify: msp=acme-it ticket=2 run=2 "), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_run_warns_with_fix, setup, teardown),
        cmocka_unit_test_setup_teardown(repeats_counted_not_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(warning_again_after_window, setup, teardown),
        cmocka_unit_test_setup_teardown(each_msp_warned_once, setup, teardown),
        cmocka_unit_test_setup_teardown(repeats_logged_at_debug, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
