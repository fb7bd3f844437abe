/*
 * halytest: the runner for halyard's Lua-level and integration tests.
 *
 * The runner is independent of halyard: it links no library from core/ or bindings/, so a
 * bug in halyard's HTTP or JSON code cannot hide itself by also being in the test tool.
 */
#ifndef HALYTEST_H
#define HALYTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <lua.h>

/*
 * Resource registry. Every child process and receiver registers itself here so that the
 * runner can release what a test left behind when the test ends, and everything at exit.
 * Serials grow monotonically; a mark taken before a test releases exactly what the test added.
 */
typedef void (*halytest_release_fn)(void *object);

long halytest_registry_add(halytest_release_fn release, void *object);
/* Forgets an object without releasing it (its owner released it already). */
void halytest_registry_remove(void *object);
long halytest_registry_mark(void);
/* Releases, newest first, every object registered after mark. */
void halytest_registry_release_after(long mark);

/*
 * Child process ids, kept in a fixed table that the fatal-signal handler can read without
 * locks or allocation, so children die with the runner even when it crashes.
 */
void halytest_children_add(pid_t pid);
void halytest_children_remove(pid_t pid);
/* Sends SIGKILL to every known child's process group; async-signal-safe. */
void halytest_children_kill_all(void);

/* Temporary folders made by util.tmpdir(), removed by halytest_tmpdirs_remove_all(). */
void halytest_tmpdirs_remove_all(void);

/* The folder of the build: $HALYARD_BUILD_DIR, else the folder of the runner's executable. */
const char *halytest_build_dir(void);

/* Module openers, one per file; each pushes its module table. */
int halytest_open_http(lua_State *L);
int halytest_open_proc(lua_State *L);
int halytest_open_receiver(lua_State *L);
int halytest_open_util(lua_State *L);

/* Embedded Lua helper modules (generated at build time from tests/harness/lua/). */
struct halytest_lua_module {
    const char *name;
    const char *source;
    size_t length;
};
extern const struct halytest_lua_module halytest_lua_modules[];

#endif
