#ifndef HALYARD_RUNS_H
#define HALYARD_RUNS_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* A run is the agent's work on one ticket: one per ticket, except that a ticket reopened after
 * it was closed starts a new one. Every change of a run is stored with a timeline event.
 *
 * States: planning (the agent is writing its plan), posting (the plan note is being written to
 * HaloPSA), done (the note is in HaloPSA), skipped (the ticket's client is not imported),
 * failed (a job gave up), stopped (the ticket was deleted while its run was under way). The
 * verification and approval modules add their own waiting and
 * ending states (awaiting_verification, awaiting_approval, ...); a state fits in 31 bytes.
 *
 * Screening (the sensitive-ticket policy) sets sensitive and verification: none until
 * screened, then not_required, pending, verified, failed, expired, error or not_connected. */
typedef struct {
    long long id;
    long long msp_id;
    long long halo_client_id;
    long long ticket_id;
    char state[32];
    char mode[16];
    bool ticket_closed;
    bool sensitive;
    /* The screening found the request is about another person's account, not the requester's. */
    bool other_account;
    char verification[16];
    /* Where the screening found a sensitive request that is not the requester's own: "reply",
     * "quoted" or "forwarded" (the screening's request_by_other.kind), or "" for none. */
    char other_request[16];
    /* The kinds of request the run's stored screening found, reason codes joined by commas: for
     * a verified run, what its passed check covers (verification_coverage.h). */
    char screening_reasons[256];
    /* A later screening found an account unlock, which the passed check for a password or MFA
     * reset covers without a challenge of its own (verification_coverage.h). */
    bool unlock_covered;
    long long note_action_id; /* 0 until the note is in HaloPSA */
} halyard_run;

/* True when a run in state has ended: done, incomplete, skipped, denied, expired, stopped or
 * verification_failed. A cancel has nothing to stop in such a run, and a ticket that moves to
 * another client or is deleted leaves it as it is. A failed run is not among them: a ticket
 * update plans it again, and a cancel may stop it before that. */
bool halyard_runs_state_ended(const char *state);

/* The event that marks a run of an instance the MSP was moved away from (connect_replace.h).
 * Ticket ids are numbered per instance, so a ticket never joins a run that has it. */
#define HALYARD_RUN_EVENT_INSTANCE_REPLACED "instance_replaced"

/* Loads the newest run of a ticket, leaving out runs of an instance the MSP was moved away from.
 * Returns 0, 1 when the ticket has none, or -1 with a message. */
int halyard_runs_latest(halyard_store *store, long long msp_id, long long ticket_id,
                        halyard_run *run, char *message, size_t message_size);

/* Loads a run by id. Returns 0, 1 when there is none, or -1 with a message. */
int halyard_runs_get(halyard_store *store, long long id, halyard_run *run, char *message,
                     size_t message_size);

/* Creates a run in state with a first event saying why, and fills run. Returns 0, or -1. */
int halyard_runs_create(halyard_store *store, long long msp_id, long long halo_client_id,
                        long long ticket_id, const char *state, const char *mode,
                        bool ticket_closed, const char *why, halyard_run *run, char *message,
                        size_t message_size);

/* Moves a run to state and records the event kind with its detail. Returns 0, or -1. */
int halyard_runs_transition(halyard_store *store, long long run_id, const char *state,
                            const char *kind, const char *detail, char *message,
                            size_t message_size);

/* Moves a run to state only while it is still in expected_state, and then records the event
 * kind with its detail. *moved is true when the run was in expected_state. Otherwise nothing
 * changes, so a job that read the state earlier never overwrites what another job did
 * meanwhile. Returns 0, or -1 with a message. */
int halyard_runs_transition_from(halyard_store *store, long long run_id, const char *expected_state,
                                 const char *state, const char *kind, const char *detail,
                                 bool *moved, char *message, size_t message_size);

/* Records an event without changing the state. Returns 0, or -1. */
int halyard_runs_add_event(halyard_store *store, long long run_id, const char *kind,
                           const char *detail, char *message, size_t message_size);

/* The event a switch to Plan mode records on the client's runs under way: each stops before
 * its next step runs, whatever the client's mode is by then. */
#define HALYARD_RUN_EVENT_PLAN_MODE_SWITCH "plan_mode_switch"

/* Records an event on every run of the client that has not ended (halyard_runs_state_ended),
 * and sets *count to how many got it. Returns 0, or -1 with a message. */
int halyard_runs_add_client_event(halyard_store *store, long long msp_id, long long halo_client_id,
                                  const char *kind, const char *detail, size_t *count,
                                  char *message, size_t message_size);

/* Returns 1 when the run has an event of kind, 0 when it has none, or -1 with a message. */
int halyard_runs_has_event(halyard_store *store, long long run_id, const char *kind, char *message,
                           size_t message_size);

/* Stores the plan and its note and moves the run to posting. Returns 0, or -1. */
int halyard_runs_save_plan(halyard_store *store, long long run_id, const char *plan_json,
                           const char *note_html, char *message, size_t message_size);

/* Reads the note to post; *note_html is the caller's to free. Returns 0, 1 when the run has no
 * note, or -1. */
int halyard_runs_note(halyard_store *store, long long run_id, char **note_html, char *message,
                      size_t message_size);

/* Records the HaloPSA action that holds the note and moves the run to done. Returns 0, or -1. */
int halyard_runs_note_posted(halyard_store *store, long long run_id, long long action_id,
                             const char *how, char *message, size_t message_size);

/* Stores what screening found: whether the run is sensitive, its verification state and the
 * policy's verdict as JSON (may be NULL), with an event. Returns 0, or -1. */
int halyard_runs_set_screening(halyard_store *store, long long run_id, bool sensitive,
                               const char *verification, const char *screening_json, char *message,
                               size_t message_size);

/* Sets the run's verification state with an event of kind saying why. Returns 0, or -1. */
int halyard_runs_set_verification(halyard_store *store, long long run_id, const char *verification,
                                  const char *kind, const char *detail, char *message,
                                  size_t message_size);

/* Stores the ticket's version (verification_version.h) that the run's failed plan was made
 * from. Returns 0, or -1 with a message. */
int halyard_runs_set_plan_failed_version(halyard_store *store, long long run_id,
                                         const char *version, char *message, size_t message_size);

/* Reads into version the ticket's version that the run's last failed plan was made from, ""
 * when none was stored (a run that failed before halyard stored it). Returns 0, or -1 with a
 * message. */
int halyard_runs_plan_failed_version(halyard_store *store, long long run_id, char version[65],
                                     char *message, size_t message_size);

/* Stores whether the ticket was closed when last synced. Returns 0, or -1. */
int halyard_runs_set_closed(halyard_store *store, long long run_id, bool closed, char *message,
                            size_t message_size);

#endif
