#ifndef HALYARD_EXECUTE_STEPS_H
#define HALYARD_EXECUTE_STEPS_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* The steps an Execute-mode run carried out, one row per run, plan hash and step number.
 *
 * A step is recorded as started before it runs, so a step found started after a restart ran
 * partly or not at all. A read step is then run again. A write step is never run twice: when
 * its HaloPSA write was queued (state queued, with the run_writes key) the outbox sends it
 * exactly once, and otherwise it is recorded as interrupted and named in the closing note.
 *
 * States: started, queued (its write is in the outbox), done, rejected (by the tool policy or
 * the tool's parameters), failed (the tool raised or a call failed), interrupted. */

/* Records step number of the run's plan as started, unless it has a row already. state (at
 * least 16 bytes) receives the step's state afterwards, and *fresh whether this call made the
 * row. Returns 0, or -1 with a message. */
int halyard_execute_steps_start(halyard_store *store, long long run_id, const char *plan_hash,
                                long long number, const char *tool, const char *kind, char *state,
                                bool *fresh, char *message, size_t message_size);

/* Moves a step to state with its result (JSON text, may be NULL) and, for state queued, the
 * run_writes key of its write (else NULL). Returns 0, or -1 with a message. */
int halyard_execute_steps_finish(halyard_store *store, long long run_id, const char *plan_hash,
                                 long long number, const char *state, const char *result_json,
                                 const char *write_key, char *message, size_t message_size);

/* Builds the steps of a run's plan as a JSON array of {"number", "tool", "kind", "state",
 * "result"} in step order; *steps_json is the caller's to free. Returns 0, or -1 with a
 * message. */
int halyard_execute_steps_list(halyard_store *store, long long run_id, const char *plan_hash,
                               char **steps_json, char *message, size_t message_size);

#endif
