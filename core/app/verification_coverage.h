#ifndef HALYARD_VERIFICATION_COVERAGE_H
#define HALYARD_VERIFICATION_COVERAGE_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * What a passed identity check covers. A check covers the kinds of request its screening found
 * (the verdict's reasons, host.screen), the risk signals that screening saw and whether the
 * request was about another person's account. A later screening of the same run that finds
 * more than that needs a new check: the earlier pass does not carry over to a request the
 * requester was never challenged for. A check for a password or MFA reset also covers an
 * account unlock of the same account. The run's stored screening (runs.screening_json) is the
 * screening of the check that passed last, and it lists every kind found by then.
 * An unlock covered that way is not added to the stored screening's reasons, which name what
 * the challenge was sent for. It is marked in the stored screening as "unlock_covered"
 * instead, so the approval request and closing note made later state that the check covered
 * the unlock too.
 */

/* What a screening found that the run's stored screening did not. Lists are reason codes or
 * signal codes joined by commas, "" for none. */
typedef struct {
    char reasons[256];  /* kinds of request the check was not for */
    char signals[256];  /* risk signals the check did not see */
    bool other_account; /* the request is now about another person's account */
} halyard_verification_gap;

/* True when the gap is empty: the screening found nothing the check did not cover. */
bool halyard_verification_gap_empty(const halyard_verification_gap *gap);

/* Marks the stored screening of run_id as covering an account unlock (runs.h unlock_covered)
 * when verdict's reasons ask for one that the stored reasons do not name, which the passed
 * check covers through a reset. Call it only when the gap is empty. Returns 0, or -1 with a
 * message. */
int halyard_verification_mark_unlock_covered(halyard_store *store, long long run_id,
                                             const char *verdict, char *message,
                                             size_t message_size);

/* Copies the kinds of request the client exempts from verification (verdict's
 * exempt_reasons, host.screen) into the stored screening of run_id, which then counts them as
 * covered. A screening stored before halyard listed them gets them this way. Call it only
 * when the gap is empty. Returns 0, or -1 with a message. */
int halyard_verification_mark_exempt(halyard_store *store, long long run_id, const char *verdict,
                                     char *message, size_t message_size);

/* Compares verdict (host.screen's JSON) with the screening stored for run_id and writes what
 * verdict adds into *gap. Only the kinds verdict's reasons list count (the client's exempt
 * ones are left out by host.screen). A stored screening without reasons covers its reason, and
 * the kinds its exempt_reasons list count as covered.
 * A signal counts by its code. Returns 0, or -1 with a message when a read fails. */
int halyard_verification_find_gap(halyard_store *store, long long run_id, const char *verdict,
                                  halyard_verification_gap *gap, char *message,
                                  size_t message_size);

/* Writes gap in words for a run event, such as "new kinds of request: payment_change; new risk
 * signals: pressure; the request is now for another person's account". */
void halyard_verification_describe_gap(const halyard_verification_gap *gap, char *text,
                                       size_t size);

/* Writes the reasons verdict lists, joined by commas, into reasons, or its reason when it
 * lists none ("" when it has neither). Returns 0, or -1 with a message. */
int halyard_verification_verdict_reasons(halyard_store *store, const char *verdict, char *reasons,
                                         size_t reasons_size, char *message, size_t message_size);

/* Writes a copy of verdict, with the ticket version it screened (version, may be "") and the
 * kinds its challenge asks about (challenge_reasons, joined by commas, may be ""), into
 * *stored: the screening_json a run keeps while its check waits and after it passed. The
 * caller frees *stored. Returns 0, or -1 with a message. */
int halyard_verification_screening_to_store(halyard_store *store, const char *verdict,
                                            const char *version, const char *challenge_reasons,
                                            char **stored, char *message, size_t message_size);

#endif
