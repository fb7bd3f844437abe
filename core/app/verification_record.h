#ifndef HALYARD_VERIFICATION_RECORD_H
#define HALYARD_VERIFICATION_RECORD_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* One identity verification of a run's requester, as stored in the verifications table. Its
 * status starts pending and changes once, to verified, failed, expired, error or no_contact;
 * whichever of a poll, a callback or the deadline finishes it first wins. */
typedef struct {
    long long id;
    long long msp_id;
    long long run_id;
    long long ticket_id;
    char provider[64];
    char transaction_id[208];
    char method[48];
    char requester_name[256];
    /* The HaloPSA user the challenge was sent to, and the e-mail address or phone number it
     * went to: the check counts for this user only. 0 and "" for a verification that sent
     * no challenge, or was stored before halyard recorded them. */
    long long requester_user_id;
    char requester_contact[256];
    /* The e-mail address on file for that user at dispatch, "" when there was none.
     * requester_email_recorded is false for a verification stored before halyard kept it. */
    char requester_email[256];
    bool requester_email_recorded;
    char status[16];
    char detail[256];
    long long started_at_ms; /* business clock */
    long long deadline_ms;
    long long finished_at_ms; /* 0 while pending */
} halyard_verification;

/* Stores a verification in status ("pending", or a final status when the dispatch already
 * failed) and fills verification->id. A run keeps the records of its earlier checks (one that
 * failed before the run was screened again, one superseded by a change of user), each final,
 * and its latest record is its current check. Another record's transaction id is never taken
 * over: returns 1 with a message naming the run that has it, and stores nothing. Returns 0, or
 * -1 with a message. */
int halyard_verification_create(halyard_store *store, halyard_verification *verification,
                                char *message, size_t message_size);

/* Loads a verification by id, or the run's latest when id is 0 and run_id is given. Returns
 * 0, 1 when there is none, or -1 with a message. */
int halyard_verification_get(halyard_store *store, long long id, long long run_id,
                             halyard_verification *verification, char *message,
                             size_t message_size);

/* Moves a pending verification to a final status with its detail at now_ms. *changed is false
 * when it was no longer pending (another path finished it first). Returns 0, or -1. */
int halyard_verification_finish(halyard_store *store, long long id, const char *status,
                                const char *detail, long long now_ms, bool *changed, char *message,
                                size_t message_size);

/* Sets the detail of a pending verification (a problem seen while waiting, "" to clear it);
 * a verification that is no longer pending is left as it is. Returns 0, or -1 with a message. */
int halyard_verification_set_detail(halyard_store *store, long long id, const char *detail,
                                    char *message, size_t message_size);

/* Takes the callback body stored for a verification (NULL when there is none) and clears it;
 * *body is the caller's to free. Returns 0, or -1. */
int halyard_verification_take_callback(halyard_store *store, long long id, char **body,
                                       char *message, size_t message_size);

/* How long a callback for a transaction not stored yet is held, and how many an MSP may have
 * held at once. */
#define HALYARD_VERIFICATION_HOLD_SECONDS 600
#define HALYARD_VERIFICATION_HOLD_MAX     1000

/* Stores a signed callback whose transaction halyard has not stored yet, replacing one stored
 * for the same transaction. Callbacks older than HALYARD_VERIFICATION_HOLD_SECONDS are dropped
 * first. Returns 0, 1 with a message when the MSP has HALYARD_VERIFICATION_HOLD_MAX stored
 * already, or -1 with a message. */
int halyard_verification_hold_callback(halyard_store *store, long long msp_id, const char *provider,
                                       const char *transaction_id, const char *body, char *message,
                                       size_t message_size);

/* Moves a held callback for a stored verification (its MSP, provider and transaction) into it,
 * for a "verify_callback" job to read. *found is true when one was stored. Returns 0, or -1. */
int halyard_verification_claim_held_callback(halyard_store *store,
                                             const halyard_verification *verification, bool *found,
                                             char *message, size_t message_size);

#endif
