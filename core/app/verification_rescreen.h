#ifndef HALYARD_VERIFICATION_RESCREEN_H
#define HALYARD_VERIFICATION_RESCREEN_H

#include "runs.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Screening a run again after its ticket changed ("rescreen"). A run screened not sensitive is
 * screened again at each update, while other jobs may be working on it: the execute job
 * running steps, the sync job planning or reading replies to an approval request, the note job
 * posting the plan. A rescreen that finds the ticket sensitive therefore changes only a run at
 * rest, and moves it to awaiting_verification with a compare-and-set on the state it read.
 */

/* When a rescreen may act on a run. */
typedef enum {
    HALYARD_RESCREEN_NOW,   /* at rest: done, awaiting_approval (or assignment), failed, and
                               planning unless a sync of its ticket runs */
    HALYARD_RESCREEN_LATER, /* a job works on it: posting, executing */
    HALYARD_RESCREEN_NEVER  /* not screened yet, waiting for a check, held after another end
                               user wrote, or ended */
} halyard_rescreen_timing;

/* Decides when a rescreen may act on run from its state and screening: only a run whose
 * verification is not_required (not sensitive, or sensitive with an exempt reason) or verified
 * is screened again. A verified run's check covers only the requests its screening found, so
 * a later request needs a check of its own (verification_coverage.h). A run whose check is
 * pending is screened again once the check passed. Runs that ended without their work (denied,
 * expired, stopped, skipped) are never screened again, because nothing more happens in them. */
halyard_rescreen_timing halyard_verification_rescreen_timing(const halyard_run *run);

/* Decides when a rescreen may act on run, as halyard_verification_rescreen_timing does, and
 * reads the run's stored screening for a run whose verification is other_requester. A run held
 * because its sensitive request was only in another end user's reply or in quoted mail was
 * sent no challenge. So it is screened again like a not_required run, and a request the
 * requester later makes in her own words still gets her challenge. A run that became
 * other_requester after its requester passed is not: every write on it needs a technician's
 * approval already.
 * NOTE: so a new kind of request the requester adds on such a run gets no challenge of its
 * own, only that approval. Sets *timing. Returns 0, or -1 with a message. */
int halyard_verification_rescreen_timing_stored(halyard_store *store, const halyard_run *run,
                                                halyard_rescreen_timing *timing, char *message,
                                                size_t message_size);

/* Tells whether a sync job of the run's ticket is running: it may be reading replies to the
 * run's approval request and act on them. Returns 1 when one runs, 0 when none, or -1 with a
 * message. */
int halyard_verification_sync_running(halyard_store *store, const halyard_run *run, char *message,
                                      size_t message_size);

/* Sets aside the run's pending approval request, if it has one, with an
 * "approval_superseded" event that gives reason, so an approval of it never runs a step.
 * *superseded_id is that request's id, or 0. Call it inside the caller's transaction.
 * Returns 0, or -1 with a message. */
int halyard_verification_supersede_request(halyard_store *store, const halyard_run *run,
                                           const char *reason, long long *superseded_id,
                                           char *message, size_t message_size);

/* Moves a run screened again and found sensitive to state, inside the caller's transaction:
 * only while its state is still run->state and no sync job of its ticket runs. It stores the
 * screening (sensitive, verification, screening_json may be NULL) with a "rescreened" event
 * whose text is detail, and sets aside a pending approval request as superseded.
 * *superseded_id is that request's id, or 0. *moved is false when the run was busy or moved
 * on, and then nothing changed. Returns 0, or -1 with a message (the caller rolls back). */
int halyard_verification_rescreen_move(halyard_store *store, const halyard_run *run,
                                       const char *state, const char *verification,
                                       const char *screening_json, const char *detail, bool *moved,
                                       long long *superseded_id, char *message,
                                       size_t message_size);

/* Moves a run screened again and found sensitive to awaiting_verification, in one transaction:
 * only while its state is still run->state and no sync job of its ticket runs. detail is the
 * text of the run's "rescreened" event, which says why the run is sensitive. It stores the
 * screening (verification pending, screening_json may be NULL) and sets aside a pending
 * approval request as superseded, so an approval of it never runs a step; *superseded_id is
 * that request's id, or 0. *moved is false when the run was busy or moved on, and then nothing
 * changed. Returns 0, or -1 with a message. */
int halyard_verification_rescreen_hold(halyard_store *store, const halyard_run *run,
                                       const char *screening_json, const char *detail, bool *moved,
                                       long long *superseded_id, char *message,
                                       size_t message_size);

/* Sets *changed to true when the run's ticket was screened again after a change since its
 * first screening (the run has a screened_again or rescreened event), so an event can say
 * whether a ticket changed or was found sensitive as it was first logged. Returns 0, or -1
 * with a message. */
int halyard_verification_changed_since_screened(halyard_store *store, long long run_id,
                                                bool *changed, char *message, size_t message_size);

#endif
