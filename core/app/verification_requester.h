#ifndef HALYARD_VERIFICATION_REQUESTER_H
#define HALYARD_VERIFICATION_REQUESTER_H

#include "runs.h"
#include "store.h"

#include <stddef.h>

/*
 * An identity check belongs to the HaloPSA user it was sent to. When a ticket's user changes
 * while the check waits or after it passed, the check does not count for the new user.
 * Otherwise a ticket moved to another account after one person passed would let the agent act
 * on that account. The run is then screened from the start for the new user, who is
 * challenged in turn when the ticket is still sensitive. The same holds when the ticket's
 * e-mail address, which workflows act on, stops being the challenged user's address: that
 * screening then stops the run without a challenge (host.verify_start).
 */

/* Checks the user of a synced ticket (ticket_json, GET /api/Tickets/{id}) against the user the
 * run's verification was sent to, and the ticket's e-mail address ({requester.email}) against
 * that user's address on file at dispatch. Only a run whose verification is pending or
 * verified, in awaiting_verification, planning, awaiting_approval, done or failed, is checked.
 * When the user or a non-empty address differs, one transaction ends a pending verification
 * as "superseded", sets aside a pending approval request, moves the run to planning with
 * verification none, queues a note that explains why and queues the run's first screening.
 * A verification stored without its user or address (before halyard recorded them) is not
 * checked for it. Returns 1 when the run was sent back to
 * screening, 0 when the check still counts, or -1 with a message. */
int halyard_verification_requester_check(halyard_store *store, const halyard_run *run,
                                         const char *ticket_json, char *message,
                                         size_t message_size);

/* The run verification of a run whose requester passed the check, but on whose ticket another
 * end user wrote, and of a run whose sensitive request is only in another end user's reply or
 * in mail quoted in a reply, so no challenge was sent. Every write needs a technician's
 * approval from then on. */
#define HALYARD_VERIFICATION_OTHER_REQUESTER "other_requester"

/* An end user other than the verified requester who wrote on the ticket, and the inputs
 * that let the sensitive policy read their actions alone. */
typedef struct {
    char writer[256];          /* the first such action's "who" */
    long long action_id;       /* that action's id */
    char requester[256];       /* the name the passed check was sent to */
    long long verification_id; /* the passed check */
    char *ticket_json;         /* the ticket with its summary and details emptied */
    char *actions_json;        /* {"actions": [...]}: only the other end users' actions */
} halyard_verification_other_writers;

/* Looks for actions on a verified run's ticket that an end user other than the user whose
 * check passed wrote (HaloPSA names them in the action's "who"). A check covers only the
 * user it was sent to, but a harmless reply from a colleague ("same problem here") asks for
 * nothing, so the caller screens those actions alone (host.screen with the inputs in
 * *writers) and holds the run only when the policy reads them as sensitive. Only a run whose
 * verification is verified, in planning, awaiting_approval, done or failed, is checked.
 * Returns 1 and fills *writers (free it with halyard_verification_other_writers_clear), 0 when
 * there are no such actions, or -1 with a message. */
int halyard_verification_find_other_writers(halyard_store *store, const halyard_run *run,
                                            const char *ticket_json, const char *actions_json,
                                            halyard_verification_other_writers *writers,
                                            char *message, size_t message_size);

/* Frees the inputs of writers and clears it. */
void halyard_verification_other_writers_clear(halyard_verification_other_writers *writers);

/* Holds a verified run because another end user asked for something sensitive on its ticket
 * (writers, from halyard_verification_find_other_writers). One transaction sets the run's
 * verification to other_requester, sets aside a pending approval request, queues a note naming
 * the writer, and sends an Execute-mode run, or a Plan-mode run whose plan note is not posted
 * yet, back to planning. A Plan-mode run whose note is posted stays done. msp is the MSP's name
 * for the log line. Returns 1 when the run changed, 0 when it left run->state meanwhile, or -1
 * with a message. */
int halyard_verification_other_writer_hold(halyard_store *store, const halyard_run *run,
                                           const halyard_verification_other_writers *writers,
                                           const char *msp, char *message, size_t message_size);

#endif
