#ifndef HALYARD_VERIFICATION_NOTE_H
#define HALYARD_VERIFICATION_NOTE_H

#include "verification_record.h"

/* Writes the internal note that tells technicians a verification's outcome: who, when, which
 * provider and method, and for anything but verified what happened and what to do. A code
 * never appears because halyard never receives one. reason is the sensitive policy's reason
 * code, timeout_s the MSP's timeout and team the team the ticket was assigned to ("" for
 * none). Returns malloc'd HTML, or NULL when out of memory. */
char *halyard_verification_note_html(const halyard_verification *verification, const char *reason,
                                     long long timeout_s, const char *team);

#endif
