#ifndef HALYARD_RUNTIME_CLOCK_H
#define HALYARD_RUNTIME_CLOCK_H

#include <stdbool.h>

/*
 * halyard's business clock: the time that decides when a job is due, when a verification or an
 * approval expires and what `clock.now()` returns to scripts. It is the wall clock plus an
 * offset that starts at zero. Only a test clock moves the offset (`halyard serve --test-clock`,
 * driven by scenarios), so a scenario can let five minutes pass without waiting them out.
 *
 * Durations that guard halyard itself (HTTP timeouts, a script's deadline, the delivery
 * writer's fsync budget) stay on the monotonic clock and never see the offset.
 *
 * All functions are safe to call from any thread.
 */

/* Milliseconds since the Unix epoch on the business clock. */
long long halyard_clock_now_ms(void);

/* Turns the test clock on; until then halyard_clock_advance rejects every advance. Called once at start. */
void halyard_clock_enable_test(void);

/* Returns true when the test clock is on. */
bool halyard_clock_is_test(void);

/* Moves the business clock forward by delta_ms (> 0). Returns 0, or -1 when the test clock is
 * off or delta_ms is not positive. The clock never moves backwards. */
int halyard_clock_advance(long long delta_ms);

/* The offset added to the wall clock so far, in ms (0 unless the test clock moved it). */
long long halyard_clock_offset_ms(void);

#endif
