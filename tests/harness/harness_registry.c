/*
 * The registry of resources a test file owns (child processes, receivers) and the
 * signal-safe table of child process ids. See halytest.h for the contract.
 */
#include "halytest.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

struct registry_entry {
    long serial;
    halytest_release_fn release;
    void *object;
};

static struct registry_entry *registry_entries;
static size_t registry_count;
static size_t registry_capacity;
static long registry_last_serial;

long halytest_registry_add(halytest_release_fn release, void *object)
{
    if (registry_count == registry_capacity) {
        size_t capacity = registry_capacity ? registry_capacity * 2 : 16;
        struct registry_entry *grown = realloc(registry_entries, capacity * sizeof(*grown));

        if (grown == NULL) {
            fputs("halytest: out of memory in the resource registry\n", stderr);
            abort();
        }
        registry_entries = grown;
        registry_capacity = capacity;
    }

    registry_last_serial++;
    registry_entries[registry_count].serial = registry_last_serial;
    registry_entries[registry_count].release = release;
    registry_entries[registry_count].object = object;
    registry_count++;
    return registry_last_serial;
}

void halytest_registry_remove(void *object)
{
    for (size_t i = 0; i < registry_count; i++) {
        if (registry_entries[i].object == object) {
            for (size_t j = i + 1; j < registry_count; j++)
                registry_entries[j - 1] = registry_entries[j];
            registry_count--;
            return;
        }
    }
}

long halytest_registry_mark(void)
{
    return registry_last_serial;
}

void halytest_registry_release_after(long mark)
{
    /* A release function calls halytest_registry_remove, so take the entry off first and
     * look at the end of the array again on every round. */
    while (registry_count > 0 && registry_entries[registry_count - 1].serial > mark) {
        struct registry_entry entry = registry_entries[registry_count - 1];

        registry_count--;
        entry.release(entry.object);
    }
}

/* 0 marks a free slot; pids are positive. The table is small because a test file that runs
 * more than this many processes at once is a test that needs rethinking. */
#define CHILDREN_MAX 256
static volatile sig_atomic_t children_pids[CHILDREN_MAX];

void halytest_children_add(pid_t pid)
{
    for (int i = 0; i < CHILDREN_MAX; i++) {
        if (children_pids[i] == 0) {
            children_pids[i] = pid;
            return;
        }
    }
    /* NOTE: a child past the table still dies through PR_SET_PDEATHSIG, only later. */
}

void halytest_children_remove(pid_t pid)
{
    for (int i = 0; i < CHILDREN_MAX; i++) {
        if (children_pids[i] == pid)
            children_pids[i] = 0;
    }
}

void halytest_children_kill_all(void)
{
    for (int i = 0; i < CHILDREN_MAX; i++) {
        pid_t pid = (pid_t)children_pids[i];

        if (pid > 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
    }
}
