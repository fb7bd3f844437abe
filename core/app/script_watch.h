#ifndef HALYARD_SCRIPT_WATCH_H
#define HALYARD_SCRIPT_WATCH_H

#include "config.h"

#include <event2/event.h>
#include <stddef.h>

/*
 * Watches the script folders for hot reload, on the event loop:
 *
 *   <share_dir>/workflows, <share_dir>/config/policies      the shipped scripts
 *   <scripts_root>/<msp>/workflows, <scripts_root>/<msp>/policies
 *                                                           each MSP's own, for every <msp>
 *                                                           folder, also those made later
 *
 * With inotify, events on "*.lua" files and on the folders themselves mark the folder's owner
 * changed. Hidden files are ignored, because the Lua host skips them. The set of folders is
 * read again after every folder event and every poll_ms, so a folder made later is watched.
 * With polling, every poll_ms a scan compares each folder's "*.lua" names, sizes, inode
 * numbers, modes and modification and change times with the scan before.
 *
 * Changes are debounced: an editor's save is several events (truncate, write, rename), so a
 * change is reported once no further change came for debounce_ms, or debounce_ms * 5 after
 * the first one when files keep changing.
 */
typedef struct halyard_script_watch halyard_script_watch;

/* Called on the loop for each owner whose files changed: msp is the MSP's folder name, or
 * NULL for the shipped scripts (which every MSP loads). changed_at_ms is when the watch saw the
 * first of the changes reported, in milliseconds since the epoch. */
typedef void (*halyard_script_watch_callback)(const char *msp, long long changed_at_ms,
                                              void *argument);

typedef struct {
    struct event_base *base;
    const char *share_dir;    /* contains workflows/ and config/policies/ */
    const char *scripts_root; /* contains one folder per MSP; need not exist yet */
    halyard_script_watch_method method;
    long long poll_ms;     /* > 0 */
    long long debounce_ms; /* > 0 */
    halyard_script_watch_callback callback;
    void *argument;
} halyard_script_watch_options;

/* Starts watching. HALYARD_SCRIPT_WATCH_INOTIFY falls back to polling, with a warning, where
 * inotify is unavailable or runs out of watches. HALYARD_SCRIPT_WATCH_OFF starts nothing and
 * reports nothing. Returns 0, or -1 with a message (out of memory, timers not created). */
int halyard_script_watch_start(const halyard_script_watch_options *options,
                               halyard_script_watch **watch, char *message, size_t message_size);

/* Returns the method in use: "inotify", "polling" or "off". */
const char *halyard_script_watch_method_name(const halyard_script_watch *watch);

/* Stops watching and frees the watch; NULL is ignored. No callback runs afterwards. */
void halyard_script_watch_free(halyard_script_watch *watch);

#endif
