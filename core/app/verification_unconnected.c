#include "verification_unconnected.h"

#include "log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* MSPs tracked at once. An MSP beyond this takes the slot of the one warned longest ago, which
 * then logs its first warning again: a few more lines, never a lost one. */
#define UNCONNECTED_SLOTS 64

typedef struct {
    char msp[128];
    long long warned_at_ms; /* 0: the slot is free */
    unsigned long left_out; /* runs since the last warning that got only a debug line */
} unconnected_slot;

static pthread_mutex_t unconnected_lock = PTHREAD_MUTEX_INITIALIZER;
static unconnected_slot unconnected_slots[UNCONNECTED_SLOTS];

/* Returns msp's slot, taking a free one or the one warned longest ago. Holds the lock. */
static unconnected_slot *slot_for(const char *msp, bool *fresh)
{
    unconnected_slot *oldest = &unconnected_slots[0];
    for (size_t i = 0; i < UNCONNECTED_SLOTS; i++) {
        unconnected_slot *slot = &unconnected_slots[i];
        if (slot->warned_at_ms != 0 && strcmp(slot->msp, msp) == 0) {
            *fresh = false;
            return slot;
        }
        if (slot->warned_at_ms < oldest->warned_at_ms) {
            oldest = slot;
        }
    }
    snprintf(oldest->msp, sizeof oldest->msp, "%s", msp);
    oldest->warned_at_ms = 0;
    oldest->left_out = 0;
    *fresh = true;
    return oldest;
}

void halyard_verification_log_unconnected(const char *msp, long long ticket_id, long long run_id,
                                          const char *reason, long long now_ms)
{
    pthread_mutex_lock(&unconnected_lock);
    bool fresh = false;
    unconnected_slot *slot = slot_for(msp, &fresh);

    /* Step 1: a run inside the window is counted and gets a debug line with its ids. */
    if (!fresh && now_ms - slot->warned_at_ms < HALYARD_UNCONNECTED_LOG_WINDOW_MS) {
        slot->left_out++;
        pthread_mutex_unlock(&unconnected_lock);
        halyard_log(HALYARD_LOG_DEBUG, "verify",
                    "msp=%s ticket=%lld run=%lld sensitive (%s) but no verification provider is "
                    "connected: going on with every write needing approval",
                    msp, ticket_id, run_id, reason);
        return;
    }

    /* Step 2: the first run, or the first after the window, logs the warning with the count. */
    unsigned long left_out = slot->left_out;
    slot->warned_at_ms = now_ms > 0 ? now_ms : 1;
    slot->left_out = 0;
    pthread_mutex_unlock(&unconnected_lock);
    if (fresh) {
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld sensitive (%s) but no verification provider is "
                    "connected: going on with every write needing approval. Connect one with "
                    "`halyard verify connect` (docs/verification.md). Later such runs of this "
                    "MSP are logged at debug level and counted in this warning once an hour",
                    msp, ticket_id, run_id, reason);
    } else {
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld sensitive (%s) but no verification provider is "
                    "connected: going on with every write needing approval (%lu more such runs "
                    "since the last warning). Connect one with `halyard verify connect`",
                    msp, ticket_id, run_id, reason, left_out);
    }
}

void halyard_verification_log_unconnected_reset(void)
{
    pthread_mutex_lock(&unconnected_lock);
    memset(unconnected_slots, 0, sizeof unconnected_slots);
    pthread_mutex_unlock(&unconnected_lock);
}
