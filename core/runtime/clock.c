#include "clock.h"

#include <stdatomic.h>
#include <time.h>

static atomic_llong clock_offset_ms;
static atomic_bool clock_test_enabled;

long long halyard_clock_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long wall_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    return wall_ms + atomic_load(&clock_offset_ms);
}

void halyard_clock_enable_test(void)
{
    atomic_store(&clock_test_enabled, true);
}

bool halyard_clock_is_test(void)
{
    return atomic_load(&clock_test_enabled);
}

int halyard_clock_advance(long long delta_ms)
{
    if (!atomic_load(&clock_test_enabled) || delta_ms <= 0) {
        return -1;
    }
    atomic_fetch_add(&clock_offset_ms, delta_ms);
    return 0;
}

long long halyard_clock_offset_ms(void)
{
    return atomic_load(&clock_offset_ms);
}
