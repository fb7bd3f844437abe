#ifndef HALYARD_SCRIPT_RELOAD_H
#define HALYARD_SCRIPT_RELOAD_H

#include "config.h"
#include "lua_host.h"

#include <event2/event.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Hot reload of each MSP's scripts, for `halyard serve`.
 *
 * A version is one Lua host built from an MSP's script files at one moment, numbered from 1
 * per MSP. Versions are built on a thread of their own, so loading a thousand files never
 * stalls the event loop, and swapped in on the loop. A build is given the version it replaces,
 * so a file whose new text fails to load or validate keeps its previous text (see
 * halyard_lua_host_options.previous), and the file's problems are logged and shown by
 * halyard_script_reload_status.
 *
 * Versions are reference-counted. Code that runs Lua acquires the serving version and releases
 * it when the run no longer needs the state, which may be several loop turns later. A swap
 * retires the old version, and a retired version is destroyed, on the build thread, after its
 * last release. So runs in flight finish on the version they started with, and new runs get
 * the new one.
 *
 * Everything here runs on the loop thread, except the build itself. The loop's event base must
 * allow other threads to activate events (evthread_use_pthreads before it was created).
 */
typedef struct halyard_script_reload halyard_script_reload;
typedef struct halyard_script_version halyard_script_version;

/* Called on the loop after a build of an MSP's scripts ended. serving is true when a version
 * serves the MSP now: the new one, or the one before when the build failed as a whole.
 * message is the reason the build failed, or "" when it did not. */
typedef void (*halyard_script_reload_listener)(const char *msp, bool serving, const char *message,
                                               void *argument);

/* Starts the build thread and the file watch that config->script_reload describes. config must
 * outlive the reload. Returns 0, or -1 with a message. */
int halyard_script_reload_start(struct event_base *base, const halyard_config *config,
                                halyard_script_reload **reload, char *message, size_t message_size);

/* Stops the watch and the build thread (a build running is cancelled before its next file) and
 * frees every version. Every acquired version must have been released. NULL is ignored. */
void halyard_script_reload_free(halyard_script_reload *reload);

/* Sets the one listener called after each build; NULL removes it. */
void halyard_script_reload_set_listener(halyard_script_reload *reload,
                                        halyard_script_reload_listener listener, void *argument);

/* Sets halyard's database file, which the scripts' store module of every later build uses;
 * NULL or "" leaves the store unavailable to scripts. Call it before the first load. */
void halyard_script_reload_set_database(halyard_script_reload *reload, const char *path);

/* Starts the first load of an MSP's scripts unless a version serves or a build is running. */
void halyard_script_reload_load(halyard_script_reload *reload, const char *msp);

/* Starts a reload of an MSP's scripts from the files now on disk; msp NULL reloads every MSP
 * known here. changed_at_ms (milliseconds since the epoch, 0 when unknown) is when the change
 * was seen, for the log and the status. A reload asked for while one runs starts when it ends.
 * An MSP whose scripts were never loaded is left alone: they load on first use. */
void halyard_script_reload_request(halyard_script_reload *reload, const char *msp,
                                   long long changed_at_ms);

/* True when a version serves the MSP. */
bool halyard_script_reload_serving(const halyard_script_reload *reload, const char *msp);

/* Returns the version serving the MSP, held for the caller until
 * halyard_script_version_release, or NULL when none serves yet. */
halyard_script_version *halyard_script_reload_acquire(halyard_script_reload *reload,
                                                      const char *msp);

/* Lets go of an acquired version; NULL is ignored. */
void halyard_script_version_release(halyard_script_version *version);

/* The version's Lua host, for the one thread (the loop) that runs Lua. */
halyard_lua_host *halyard_script_version_host(const halyard_script_version *version);

/* The version's number: 1 for an MSP's first load, one more for each reload. */
long long halyard_script_version_number(const halyard_script_version *version);

/* Writes an id of the version into id: its number and the wall-clock millisecond it began to
 * serve, "3.1764955200123". The numbers start at 1 again when halyard restarts, so the time
 * keeps the id of each version of an MSP's scripts apart from every other. */
void halyard_script_version_id(const halyard_script_version *version, char *id, size_t id_size);

/*
 * Writes the state of an MSP's scripts as a malloc'd JSON object into *json. It names the
 * serving version, when and how fast it was built and swapped in, and each current problem
 * with file, line and what serves instead. docs/http-api.md describes the fields. Returns 0,
 * or -1 with a message when out of memory.
 */
int halyard_script_reload_status(halyard_script_reload *reload, const char *msp, char **json,
                                 char *message, size_t message_size);

#endif
