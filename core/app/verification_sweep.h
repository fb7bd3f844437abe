#ifndef HALYARD_VERIFICATION_SWEEP_H
#define HALYARD_VERIFICATION_SWEEP_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Ending identity checks that nothing else would end. A waiting check is ended by durable jobs:
 * its deadline job at the MSP's timeout, or the screen job that sends the challenge, and a
 * passed check moves its run on with a verify_resume job. When such a
 * job runs out of attempts (it is dead) or its row is gone, nothing ends the check. The ticket's
 * next update would, but an MSP expects the outcome note at the timeout even when nobody
 * touches the ticket again. The pipeline runs the sweep when it starts and then every
 * HALYARD_VERIFICATION_SWEEP_MS of the business clock.
 */

/* The time between two sweeps, in ms of the business clock. A check whose deadline job was
 * lost ends at most this long after its timeout. */
#define HALYARD_VERIFICATION_SWEEP_MS 30000

/* Queues the job that ends each waiting check left without one:
 *   - a pending verification with no ready or running deadline job gets its deadline job
 *     again, due at its deadline, so the check ends there unless a poll or callback ends it
 *     first;
 *   - a run whose verification is pending, in awaiting_verification or planning, with no
 *     pending verification record and no screen job, was being sent its challenge when that
 *     job was lost: it gets a screen job, which ends the check in the error outcome without
 *     sending the challenge again (halyard_verification_screen_job);
 *   - a run in awaiting_verification whose requester passed and whose "identity verified" note
 *     is written, with no verify_resume job, gets that job, which moves the run on.
 * Each job queued is logged with the ids involved. Reads every pending verification and
 * waiting run, with one look-up of the jobs table each. Returns the number of jobs queued, or
 * -1 with a message. */
int halyard_verification_sweep(halyard_store *store, char *message, size_t message_size);

/* Tells whether a dead job of kind on run_id leaves the run as it is instead of failing it:
 * the sweep ends its check. That holds for the screen, verify_poll, verify_callback and
 * verify_deadline jobs of a run in awaiting_verification. Returns 1 when it does, 0 when the
 * run fails as usual, or -1 with a message. */
int halyard_verification_keeps_waiting(halyard_store *store, const char *kind, long long run_id,
                                       char *message, size_t message_size);

#endif
