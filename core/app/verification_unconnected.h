#ifndef HALYARD_VERIFICATION_UNCONNECTED_H
#define HALYARD_VERIFICATION_UNCONNECTED_H

/*
 * The log line for a sensitive run that goes on without identity verification because its MSP
 * has no verification provider connected. Every sensitive ticket of such an MSP would log the
 * same warning, so only the first run of each MSP logs it, with the fix. Each later run gets a
 * debug line with its ids and is counted. The first run HALYARD_UNCONNECTED_LOG_WINDOW_MS or
 * more after the last warning logs the warning again with that count. Thread-safe.
 */

/* The minimum time between two warnings of one MSP, in milliseconds (one hour). */
#define HALYARD_UNCONNECTED_LOG_WINDOW_MS (60LL * 60 * 1000)

/* Logs, or counts, one sensitive run of msp without a provider. reason is the screening's
 * reason code; now_ms is halyard_clock_now_ms() (tests pass their own). */
void halyard_verification_log_unconnected(const char *msp, long long ticket_id, long long run_id,
                                          const char *reason, long long now_ms);

/* Forgets every MSP's count, so the next run of each logs the first warning again. For tests. */
void halyard_verification_log_unconnected_reset(void);

#endif
