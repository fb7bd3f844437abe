#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verification_note.h"

/* Returns the note of an expired verification with the given timeout; the caller frees it. */
static char *expired_note(long long timeout_s)
{
    halyard_verification verification;
    memset(&verification, 0, sizeof verification);
    snprintf(verification.status, sizeof verification.status, "expired");
    snprintf(verification.provider, sizeof verification.provider, "traceless");
    snprintf(verification.requester_name, sizeof verification.requester_name, "Jane Doe");
    verification.run_id = 7;
    verification.started_at_ms = 1000;
    char *note = halyard_verification_note_html(&verification, "password_reset", timeout_s, "");
    assert_non_null(note);
    return note;
}

/* The expiry note read "within 1 minutes" for a timeout of 15 s: the minutes were rounded up
 * and "minutes" was used for one. */
static void test_expired_note_durations(void **state)
{
    (void)state;
    static const struct {
        long long timeout_s;
        const char *expected;
    } cases[] = {
        {1, "within 1 second."},
        {15, "within 15 seconds."},
        {60, "within 1 minute."},
        {61, "within 1 minute and 1 second."},
        {150, "within 2 minutes and 30 seconds."},
        {300, "within 5 minutes."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *note = expired_note(cases[i].timeout_s);
        if (strstr(note, cases[i].expected) == NULL) {
            fail_msg("timeout %lld s: expected \"%s\" in: %s", cases[i].timeout_s,
                     cases[i].expected, note);
        }
        free(note);
    }
}

static void test_expired_note_gives_reason(void **state)
{
    (void)state;
    char *note = expired_note(300);
    assert_non_null(strstr(note, "Why it was asked: the ticket was classified sensitive "
                                 "(password_reset)"));
    free(note);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expired_note_durations),
        cmocka_unit_test(test_expired_note_gives_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
