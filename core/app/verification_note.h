#ifndef HALYARD_VERIFICATION_NOTE_H
#define HALYARD_VERIFICATION_NOTE_H

#include "verification_record.h"

#include <stdbool.h>

/* The start of the detail of a check that expired although the requester passed, because the
 * pass came after the deadline. The expired note then reports the late pass instead of "did not
 * answer". */
#define HALYARD_VERIFY_LATE_PASS_DETAIL "the requester passed the challenge after the deadline"

/* The start of the detail of a callback provider's check that expired: halyard cannot ask such
 * a provider, so it knows only that no result arrived, not that the requester did not answer. */
#define HALYARD_VERIFY_NO_CALLBACK_DETAIL "no callback with a result arrived from the provider"

/* Writes the internal note that tells technicians a verification's outcome: who, when, which
 * provider and method, and for anything but verified what happened and what to do. A code
 * never appears because halyard never receives one. reasons are the reason codes the check
 * was for, joined by commas ("password_reset,payment_change"), timeout_s the MSP's timeout and team
 * the team the ticket was assigned to ("" for none). planned_before is true for a Plan-mode run
 * whose plan note was posted before the check: a verified note then says that no plan covers the
 * request, because such a run writes one plan note only. Returns malloc'd HTML, or NULL when out of
 * memory. */
char *halyard_verification_note_html(const halyard_verification *verification, const char *reasons,
                                     long long timeout_s, const char *team, bool planned_before);

/* Writes the internal note for a sensitive request that is not in the requester's own words.
 * kind is "reply" for another end user's reply, and author is its writer. kind is "quoted"
 * for mail quoted in the requester's reply, and "forwarded" for mail forwarded or quoted in
 * the ticket's details, most often a ticket opened by a forward. For both, author is the sender the
 * quote names ("" when it names none). requester is the ticket's user name and reason the
 * screening's reason code. The note says the requester was not challenged, that every step that
 * writes needs a technician's approval, and whose request it appears to be. Returns malloc'd HTML,
 * or NULL when out of memory. */
char *halyard_verification_other_request_note_html(const char *kind, const char *author,
                                                   const char *requester, const char *reason);

/* True when author, a reply's writer or the sender a quote names, looks like a person's name
 * that a note, the run's stored screening or a log line may repeat. Whoever sent the mail wrote
 * the sender line, so it may contain a sentence or a password after the name
 * ("Bob (old password Winter2026!)"), and then it is not repeated. */
bool halyard_verification_sender_name_plain(const char *author);

/* Returns where a request of kind (as above) is, for a run event or a log line: "mail quoted
 * in the requester's reply", "mail forwarded or quoted in the ticket's details" or "another end
 * user's reply" for any other kind. The string is static. */
const char *halyard_verification_other_request_place(const char *kind);

#endif
