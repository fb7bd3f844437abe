#ifndef HALYARD_BINDINGS_LUA_STORE_H
#define HALYARD_BINDINGS_LUA_STORE_H

#include <stddef.h>

#include <lua.h>

/*
 * The `store` module: key/value data that an MSP's scripts keep between runs, in halyard's
 * SQLite database (table script_store), one key space per MSP. A state reads and writes only
 * the keys of the MSP it was opened for.
 *
 *   store.get(key)                      the value, or nil when absent or expired
 *   store.set(key, value [, ttl])       true; a nil value deletes the key
 *   store.delete(key)                   true when a live key was deleted, else false
 *   store.keys([prefix])                the live keys starting with prefix, sorted by bytes
 *   store.increment(key [, by [, ttl]]) the new number; an absent key counts as 0
 *
 * A key is a string of 1 to HALYARD_LUA_STORE_MAX_KEY_BYTES bytes. A value is a string, a
 * number, a boolean or a table that JSON can hold (kept as JSON, so numbers in a table come
 * back as floats and JSON null as json.null). ttl is in seconds on halyard's business clock.
 * Misuse (a bad key, a value too large, a function value) raises with lauxlib's argument
 * wording; a full key quota or a failing database returns nil and a message. Without a
 * database every call raises, saying the store is not available in this context.
 *
 * The connection is opened at the first call, in WAL mode with a short busy timeout, because
 * the calls run on the event loop: a write that waits longer for another writer fails with a
 * message rather than stalling every ticket.
 */
typedef struct {
    /* halyard's database file; NULL when scripts run without one (`halyard workflows lint`). */
    const char *database_path;

    /* The MSP whose keys the state reads and writes (msps.id; 0 means the row named msp, looked
     * up when the database opens), and its short name for messages and that lookup. */
    long long msp_id;
    const char *msp;

    /* The largest value in bytes (a string's length, a table's JSON); 0 means
     * HALYARD_LUA_STORE_MAX_VALUE_BYTES_DEFAULT. */
    size_t max_value_bytes;

    /* The maximum number of live keys of the MSP; 0 means HALYARD_LUA_STORE_MAX_KEYS_DEFAULT. */
    size_t max_keys;
} halyard_lua_store_options;

#define HALYARD_LUA_STORE_MAX_KEY_BYTES           256
#define HALYARD_LUA_STORE_MAX_VALUE_BYTES_DEFAULT ((size_t)64 * 1024)
#define HALYARD_LUA_STORE_MAX_KEYS_DEFAULT        ((size_t)10000)

/* The maximum ttl, in seconds: ten years of 365 days. */
#define HALYARD_LUA_STORE_MAX_TTL_SECONDS 315360000

/* Opens the module for the options (copied) and pushes its table. Uses the `json` module's
 * codec. Raises on out-of-memory only; the database is not touched until the first call. */
void halyard_open_store(lua_State *L, const halyard_lua_store_options *options);

#endif
