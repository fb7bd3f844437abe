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
    char *note =
        halyard_verification_note_html(&verification, "password_reset", timeout_s, "", false);
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

/* The verified note of a Plan-mode run whose plan note was posted read "the agent goes on with
 * this ticket", but no plan followed, because such a run writes one plan note. */
/* A check that expired because the requester passed after the deadline had a note saying
 * they did not answer. */
static void test_expired_note_late_pass(void **state)
{
    (void)state;
    halyard_verification verification;
    memset(&verification, 0, sizeof verification);
    snprintf(verification.status, sizeof verification.status, "expired");
    snprintf(verification.provider, sizeof verification.provider, "traceless");
    snprintf(verification.detail, sizeof verification.detail,
             "%s: at 2026-12-05 14:20:05 UTC by the provider's clock, 65 s after it",
             HALYARD_VERIFY_LATE_PASS_DETAIL);
    verification.run_id = 7;
    verification.started_at_ms = 1000;
    char *note = halyard_verification_note_html(&verification, "password_reset", 300, "", false);
    assert_non_null(note);
    assert_non_null(strstr(note, "identity verification expired"));
    assert_non_null(strstr(note, "passed the challenge only after the timeout of 5 minutes, so "
                                 "the pass does not count"));
    assert_non_null(strstr(note, "at 2026-12-05 14:20:05 UTC by the provider"));
    assert_null(strstr(note, "did not answer"));
    free(note);
}

static void test_verified_note_after_plan(void **state)
{
    (void)state;
    halyard_verification verification;
    memset(&verification, 0, sizeof verification);
    snprintf(verification.status, sizeof verification.status, "verified");
    snprintf(verification.provider, sizeof verification.provider, "traceless");
    snprintf(verification.requester_name, sizeof verification.requester_name, "Jane Doe");
    verification.run_id = 7;
    verification.started_at_ms = 1000;
    verification.finished_at_ms = 2000;

    char *after_plan =
        halyard_verification_note_html(&verification, "password_reset", 300, "", true);
    char *before_plan =
        halyard_verification_note_html(&verification, "password_reset", 300, "", false);

    assert_non_null(after_plan);
    assert_non_null(before_plan);
    assert_non_null(strstr(after_plan, "no plan covers that request"));
    assert_null(strstr(after_plan, "The agent goes on"));
    assert_non_null(strstr(before_plan, "The agent goes on with this ticket."));
    assert_null(strstr(before_plan, "no plan covers"));
    free(after_plan);
    free(before_plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expired_note_durations),
        cmocka_unit_test(test_expired_note_gives_reason),
        cmocka_unit_test(test_expired_note_late_pass),
        cmocka_unit_test(test_verified_note_after_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
