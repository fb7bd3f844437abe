#include "lua_store.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <sqlite3.h>

#include "clock.h"
#include "json.h"
#include "log.h"
#include "lua_meter.h"
#include "store.h"

/* How long a write waits for another connection's write lock, in ms. The calls run on the
 * event loop, so the wait stays far below a call's time limit. */
#define STORE_BUSY_TIMEOUT_MS 250

/* The cost of one statement against the instruction budget, in steps: an estimate of its
 * cost in Lua instructions, so a script cannot run thousands of statements in one call. */
#define STORE_STEPS_PER_STATEMENT 1000

#define STORE_MESSAGE_MAX 512

/* The state of the module, a userdata that is upvalue 1 of every function (upvalues 2 and 3
 * are json.encode and json.decode). Its __gc closes the connection. */
typedef struct {
    halyard_store *store; /* NULL until the first call opens it */

    /* The statement of the running call. A Lua error raised while it is stepped (out of memory
     * while a value is pushed) leaves it here, and the next call or __gc finalizes it. */
    sqlite3_stmt *statement;

    long long msp_id;
    size_t max_value_bytes;
    size_t max_keys;

    /* Set after a failure to open the database was logged, so a broken file logs once. */
    bool open_failure_logged;

    const char *database_path; /* points into text, or NULL when there is no database */
    const char *msp;           /* points into text */
    char text[];
} store_binding;

/* A value on its way to the database. */
typedef struct {
    const char *kind; /* "string", "integer", "number", "boolean" or "table" */
    int type;         /* SQLITE_BLOB, SQLITE_INTEGER or SQLITE_FLOAT */
    const char *bytes;
    size_t length;
    long long integer;
    double number;
} store_value;

#define STORE_METATABLE "halyard.store"

/* Finalizes the running statement and ends a transaction that an error left open. */
static void store_release(store_binding *binding)
{
    sqlite3_finalize(binding->statement);
    binding->statement = NULL;
    if (binding->store != NULL && !sqlite3_get_autocommit(halyard_store_database(binding->store))) {
        sqlite3_exec(halyard_store_database(binding->store), "ROLLBACK;", NULL, NULL, NULL);
    }
}

static int store_collect(lua_State *L)
{
    store_binding *binding = luaL_checkudata(L, 1, STORE_METATABLE);
    store_release(binding);
    halyard_store_close(binding->store);
    binding->store = NULL;
    return 0;
}

/*
 * Starts a call of store.<function>: returns the binding after releasing what a failed call
 * left, charges the call to the instruction budget, and raises when there is no database.
 */
static store_binding *store_begin(lua_State *L, const char *function)
{
    store_binding *binding = lua_touserdata(L, lua_upvalueindex(1));
    if (binding->database_path == NULL) {
        luaL_error(L,
                   "store.%s: the store is not available in this context: these scripts run "
                   "without halyard's database (as in `halyard workflows lint`)",
                   function);
    }
    store_release(binding);

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, function, 0);
    halyard_lua_meter_charge(&meter, STORE_STEPS_PER_STATEMENT);
    halyard_lua_meter_end(&meter);
    return binding;
}

/* Logs a failure and returns nil and "store.<function>: <message>" to the script. */
static int store_fail(lua_State *L, const store_binding *binding, const char *function,
                      const char *message)
{
    halyard_log(HALYARD_LOG_WARNING, "lua", "msp=%s store.%s failed: %s", binding->msp, function,
                message);
    luaL_pushfail(L);
    lua_pushfstring(L, "store.%s: %s", function, message);
    return 2;
}

/* Sets binding->msp_id from the msps row named binding->msp. Returns 0, or -1 with a message
 * when no MSP has that name. */
static int store_find_msp_id(store_binding *binding, sqlite3 *database, char *message,
                             size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int result = -1;

    if (sqlite3_prepare_v2(database, "SELECT id FROM msps WHERE name = ?1", -1, &statement, NULL) !=
        SQLITE_OK) {
        snprintf(message, message_size, "the store cannot look up MSP '%s': %s", binding->msp,
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_text(statement, 1, binding->msp, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_ROW) {
        snprintf(message, message_size, "the store found no MSP named '%s' in the database",
                 binding->msp);
        goto cleanup;
    }
    binding->msp_id = sqlite3_column_int64(statement, 0);
    result = 0;

cleanup:
    sqlite3_finalize(statement);
    return result;
}

/* Returns the connection, opening it at the first call. Returns NULL with a message. */
static sqlite3 *store_database(store_binding *binding, char *message, size_t message_size)
{
    if (binding->store != NULL) {
        return halyard_store_database(binding->store);
    }

    char open_message[STORE_MESSAGE_MAX - 64];
    if (halyard_store_open(binding->database_path, &binding->store, open_message,
                           sizeof open_message) != 0) {
        snprintf(message, message_size, "the store cannot open the database: %s", open_message);
        if (!binding->open_failure_logged) {
            halyard_log(HALYARD_LOG_ERROR, "lua", "msp=%s store not opened: %s", binding->msp,
                        open_message);
            binding->open_failure_logged = true;
        }
        return NULL;
    }
    binding->open_failure_logged = false;

    /* An MSP given by name only (hot reload builds states from names) gets its id here. */
    sqlite3 *opened = halyard_store_database(binding->store);
    if (binding->msp_id <= 0 && store_find_msp_id(binding, opened, message, message_size) != 0) {
        halyard_store_close(binding->store);
        binding->store = NULL;
        return NULL;
    }

    /* NORMAL keeps the database consistent in WAL mode and loses at most the last commits on
     * power loss. Script data can afford that, and each commit then skips an fsync. */
    sqlite3 *database = halyard_store_database(binding->store);
    sqlite3_busy_timeout(database, STORE_BUSY_TIMEOUT_MS);
    sqlite3_exec(database, "PRAGMA synchronous = NORMAL;", NULL, NULL, NULL);
    return database;
}

/* Prepares sql as the binding's statement. Returns it, or NULL with a message. */
static sqlite3_stmt *store_prepare(store_binding *binding, sqlite3 *database, const char *sql,
                                   char *message, size_t message_size)
{
    if (sqlite3_prepare_v2(database, sql, -1, &binding->statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "the database rejected a statement: %s",
                 sqlite3_errmsg(database));
        sqlite3_finalize(binding->statement);
        binding->statement = NULL;
        return NULL;
    }
    return binding->statement;
}

/* Reads argument index as a key. Raises with the argument's number when it is not a string of
 * 1 to HALYARD_LUA_STORE_MAX_KEY_BYTES bytes. */
static const char *store_check_key(lua_State *L, int index, size_t *length)
{
    luaL_checktype(L, index, LUA_TSTRING);
    const char *key = lua_tolstring(L, index, length);
    if (*length == 0) {
        luaL_argerror(L, index, "the key is empty; use a string of 1 to 256 bytes");
    }
    if (*length > HALYARD_LUA_STORE_MAX_KEY_BYTES) {
        luaL_argerror(L, index,
                      lua_pushfstring(L, "the key is %I bytes, more than the limit of %d",
                                      (lua_Integer)*length, HALYARD_LUA_STORE_MAX_KEY_BYTES));
    }
    return key;
}

/* Reads the optional ttl in seconds at index and returns the expiry in ms on the business
 * clock, or 0 for none. Raises for a ttl that is not a positive number up to the limit. */
static long long store_check_expiry(lua_State *L, int index)
{
    if (lua_isnoneornil(L, index)) {
        return 0;
    }
    lua_Number ttl = luaL_checknumber(L, index);
    if (!(ttl > 0) || ttl > HALYARD_LUA_STORE_MAX_TTL_SECONDS) {
        luaL_argerror(L, index,
                      lua_pushfstring(L, "ttl must be a number of seconds above 0 and up to %d",
                                      HALYARD_LUA_STORE_MAX_TTL_SECONDS));
    }
    long long ttl_ms = (long long)ceil(ttl * 1000.0);
    return halyard_clock_now_ms() + ttl_ms;
}

/*
 * Reads the value at index into *value. A table is encoded with json.encode (upvalue 2) and
 * its text pushed on the stack, which keeps it alive until the call returns. Raises for a
 * value the store cannot hold or one larger than the limit.
 */
static void store_check_value(lua_State *L, int index, const store_binding *binding,
                              store_value *value)
{
    memset(value, 0, sizeof *value);
    switch (lua_type(L, index)) {
    case LUA_TSTRING:
        value->kind = "string";
        value->type = SQLITE_BLOB;
        value->bytes = lua_tolstring(L, index, &value->length);
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, index)) {
            value->kind = "integer";
            value->type = SQLITE_INTEGER;
            value->integer = (long long)lua_tointeger(L, index);
        } else {
            value->kind = "number";
            value->type = SQLITE_FLOAT;
            value->number = (double)lua_tonumber(L, index);
            if (!isfinite(value->number)) {
                luaL_argerror(L, index, "the number is not finite; store a finite number");
            }
        }
        value->length = sizeof(double);
        break;
    case LUA_TBOOLEAN:
        value->kind = "boolean";
        value->type = SQLITE_INTEGER;
        value->integer = lua_toboolean(L, index);
        value->length = 1;
        break;
    case LUA_TTABLE:
        /* Stack: [...] -> [..., json text]. */
        lua_pushvalue(L, lua_upvalueindex(2));
        lua_pushvalue(L, index);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            luaL_argerror(
                L, index,
                lua_pushfstring(L, "the table cannot be stored as JSON: %s", lua_tostring(L, -1)));
        }
        value->kind = "table";
        value->type = SQLITE_BLOB;
        value->bytes = lua_tolstring(L, -1, &value->length);
        break;
    default:
        luaL_typeerror(L, index, "string, number, boolean, table or nil");
    }

    if (value->length > binding->max_value_bytes) {
        luaL_argerror(L, index,
                      lua_pushfstring(L,
                                      "the value is %I bytes, more than the limit of %I; "
                                      "store less or split it over several keys",
                                      (lua_Integer)value->length,
                                      (lua_Integer)binding->max_value_bytes));
    }
}

static int store_bind_value(sqlite3_stmt *statement, int index, const store_value *value)
{
    switch (value->type) {
    case SQLITE_INTEGER:
        return sqlite3_bind_int64(statement, index, value->integer);
    case SQLITE_FLOAT:
        return sqlite3_bind_double(statement, index, value->number);
    default:
        return sqlite3_bind_blob64(statement, index, value->bytes, value->length, SQLITE_TRANSIENT);
    }
}

/* Runs sql (no results, no parameters). Returns 0, or -1 with SQLite's message. */
static int store_execute(sqlite3 *database, const char *sql, char *message, size_t message_size)
{
    if (sqlite3_exec(database, sql, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "the database failed: %s", sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

/*
 * Inside the caller's transaction: makes room for one more key unless key is live already.
 * Deletes the MSP's expired keys first, then counts the live ones against the quota.
 * Returns 0, 1 when the quota is full (with a message), or -1 with a message.
 */
static int store_make_room(store_binding *binding, sqlite3 *database, const char *key,
                           size_t key_length, long long now_ms, char *message, size_t message_size)
{
    sqlite3_stmt *statement = store_prepare(
        binding, database, "DELETE FROM script_store WHERE msp_id = ?1 AND expires_at_ms <= ?2",
        message, message_size);
    if (statement == NULL) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, binding->msp_id);
    sqlite3_bind_int64(statement, 2, now_ms);
    int status = sqlite3_step(statement);
    sqlite3_finalize(statement);
    binding->statement = NULL;
    if (status != SQLITE_DONE) {
        snprintf(message, message_size, "the database failed: %s", sqlite3_errmsg(database));
        return -1;
    }

    statement = store_prepare(binding, database,
                              "SELECT count(*), sum(key = ?2) FROM script_store WHERE msp_id = ?1",
                              message, message_size);
    if (statement == NULL) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, binding->msp_id);
    sqlite3_bind_blob64(statement, 2, key, key_length, SQLITE_STATIC);
    status = sqlite3_step(statement);
    long long count = sqlite3_column_int64(statement, 0);
    long long present = sqlite3_column_int64(statement, 1);
    sqlite3_finalize(statement);
    binding->statement = NULL;
    if (status != SQLITE_ROW) {
        snprintf(message, message_size, "the database failed: %s", sqlite3_errmsg(database));
        return -1;
    }

    if (present == 0 && (size_t)count >= binding->max_keys) {
        snprintf(message, message_size,
                 "MSP '%s' already holds %lld keys, the limit; delete keys or give them a ttl",
                 binding->msp, count);
        return 1;
    }
    return 0;
}

/*
 * Inside the caller's transaction: writes key = value with the expiry (0 for none), keeping
 * the key quota. When keep_expiry is set and the key is live, its expiry stays as it is.
 * Returns 0, 1 when the quota is full, or -1; both with a message. Raises nothing, so no Lua
 * error can leave the write lock held.
 */
static int store_put(store_binding *binding, sqlite3 *database, const char *key, size_t key_length,
                     const store_value *value, long long expires_at_ms, bool keep_expiry,
                     char *message, size_t message_size)
{
    long long now_ms = halyard_clock_now_ms();
    int result = store_make_room(binding, database, key, key_length, now_ms, message, message_size);
    if (result != 0) {
        return result;
    }

    sqlite3_stmt *statement = store_prepare(
        binding, database,
        "INSERT INTO script_store (msp_id, key, kind, value, expires_at_ms, updated_at_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (msp_id, key) DO UPDATE SET "
        "kind = excluded.kind, value = excluded.value, updated_at_ms = excluded.updated_at_ms, "
        "expires_at_ms = CASE WHEN ?7 THEN expires_at_ms ELSE excluded.expires_at_ms END",
        message, message_size);
    if (statement == NULL) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, binding->msp_id);
    sqlite3_bind_blob64(statement, 2, key, key_length, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, value->kind, -1, SQLITE_STATIC);
    store_bind_value(statement, 4, value);
    if (expires_at_ms != 0) {
        sqlite3_bind_int64(statement, 5, expires_at_ms);
    }
    sqlite3_bind_int64(statement, 6, now_ms);
    sqlite3_bind_int(statement, 7, keep_expiry ? 1 : 0);
    int status = sqlite3_step(statement);
    sqlite3_finalize(statement);
    binding->statement = NULL;
    if (status != SQLITE_DONE) {
        snprintf(message, message_size, "the database failed: %s", sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

/* Ends the transaction: commits when result is 0, else rolls back. Returns result, or -1
 * with a message when the commit fails. */
static int store_finish(sqlite3 *database, int result, char *message, size_t message_size)
{
    if (result == 0 && store_execute(database, "COMMIT;", message, message_size) != 0) {
        result = -1;
    }
    if (result != 0) {
        sqlite3_exec(database, "ROLLBACK;", NULL, NULL, NULL);
    }
    return result;
}

/* Deletes key; sets *was_live when a live key was deleted. An expired row is left for
 * store_make_room to purge. Returns 0, or -1 with a message. */
static int store_remove(store_binding *binding, sqlite3 *database, const char *key,
                        size_t key_length, bool *was_live, char *message, size_t message_size)
{
    *was_live = false;
    sqlite3_stmt *statement =
        store_prepare(binding, database,
                      "DELETE FROM script_store WHERE msp_id = ?1 AND key = ?2 "
                      "AND (expires_at_ms IS NULL OR expires_at_ms > ?3)",
                      message, message_size);
    if (statement == NULL) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, binding->msp_id);
    sqlite3_bind_blob64(statement, 2, key, key_length, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, halyard_clock_now_ms());

    int status = sqlite3_step(statement);
    sqlite3_finalize(statement);
    binding->statement = NULL;
    if (status != SQLITE_DONE) {
        snprintf(message, message_size, "the database failed: %s", sqlite3_errmsg(database));
        return -1;
    }
    *was_live = sqlite3_changes(database) > 0;
    return 0;
}

/*
 * Pushes the value of the row the binding's statement is on (columns kind, value). A table is
 * decoded with json.decode (upvalue 3). Returns 0, or -1 with a message when the row contains
 * something the store never writes. Stack: [] -> [value] on success.
 */
static int store_push_row_value(lua_State *L, sqlite3_stmt *statement, char *message,
                                size_t message_size)
{
    const char *kind = (const char *)sqlite3_column_text(statement, 0);
    if (kind == NULL) {
        kind = "";
    }
    if (strcmp(kind, "integer") == 0) {
        lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(statement, 1));
    } else if (strcmp(kind, "number") == 0) {
        lua_pushnumber(L, (lua_Number)sqlite3_column_double(statement, 1));
    } else if (strcmp(kind, "boolean") == 0) {
        lua_pushboolean(L, sqlite3_column_int(statement, 1) != 0);
    } else if (strcmp(kind, "string") == 0 || strcmp(kind, "table") == 0) {
        const void *bytes = sqlite3_column_blob(statement, 1);
        size_t length = (size_t)sqlite3_column_bytes(statement, 1);
        lua_pushlstring(L, bytes != NULL ? bytes : "", length);
        if (kind[0] == 't') {
            /* Stack: [json] -> [decode, json] -> [value]. */
            lua_pushvalue(L, lua_upvalueindex(3));
            lua_insert(L, -2);
            if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
                snprintf(message, message_size, "the stored table is not valid JSON: %s",
                         lua_tostring(L, -1));
                lua_pop(L, 1);
                return -1;
            }
        }
    } else {
        snprintf(message, message_size, "the stored value has the unknown kind '%s'", kind);
        return -1;
    }
    return 0;
}

static int store_get(lua_State *L)
{
    store_binding *binding = store_begin(L, "get");
    size_t key_length = 0;
    const char *key = store_check_key(L, 1, &key_length);
    char message[STORE_MESSAGE_MAX];

    sqlite3 *database = store_database(binding, message, sizeof message);
    if (database == NULL) {
        return store_fail(L, binding, "get", message);
    }
    sqlite3_stmt *statement =
        store_prepare(binding, database,
                      "SELECT kind, value FROM script_store WHERE msp_id = ?1 AND key = ?2 "
                      "AND (expires_at_ms IS NULL OR expires_at_ms > ?3)",
                      message, sizeof message);
    if (statement == NULL) {
        return store_fail(L, binding, "get", message);
    }
    sqlite3_bind_int64(statement, 1, binding->msp_id);
    sqlite3_bind_blob64(statement, 2, key, key_length, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, halyard_clock_now_ms());

    int status = sqlite3_step(statement);
    if (status == SQLITE_DONE) {
        store_release(binding);
        lua_pushnil(L);
        return 1;
    }
    if (status != SQLITE_ROW) {
        snprintf(message, sizeof message, "the database failed: %s", sqlite3_errmsg(database));
        store_release(binding);
        return store_fail(L, binding, "get", message);
    }
    int pushed = store_push_row_value(L, statement, message, sizeof message);
    store_release(binding);
    if (pushed != 0) {
        return store_fail(L, binding, "get", message);
    }
    return 1;
}

static int store_set(lua_State *L)
{
    store_binding *binding = store_begin(L, "set");
    /* A table's JSON text is pushed above the arguments: fix their number first. */
    lua_settop(L, 3);
    size_t key_length = 0;
    const char *key = store_check_key(L, 1, &key_length);
    char message[STORE_MESSAGE_MAX];

    if (lua_isnoneornil(L, 2)) {
        sqlite3 *database = store_database(binding, message, sizeof message);
        bool was_live = false;
        if (database == NULL || store_remove(binding, database, key, key_length, &was_live, message,
                                             sizeof message) != 0) {
            return store_fail(L, binding, "set", message);
        }
        lua_pushboolean(L, 1);
        return 1;
    }

    store_value value;
    store_check_value(L, 2, binding, &value);
    long long expires_at_ms = store_check_expiry(L, 3);

    sqlite3 *database = store_database(binding, message, sizeof message);
    if (database == NULL ||
        store_execute(database, "BEGIN IMMEDIATE;", message, sizeof message) != 0) {
        return store_fail(L, binding, "set", message);
    }
    int written = store_put(binding, database, key, key_length, &value, expires_at_ms, false,
                            message, sizeof message);
    if (store_finish(database, written, message, sizeof message) != 0) {
        return store_fail(L, binding, "set", message);
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int store_delete(lua_State *L)
{
    store_binding *binding = store_begin(L, "delete");
    size_t key_length = 0;
    const char *key = store_check_key(L, 1, &key_length);
    char message[STORE_MESSAGE_MAX];

    sqlite3 *database = store_database(binding, message, sizeof message);
    bool was_live = false;
    if (database == NULL ||
        store_remove(binding, database, key, key_length, &was_live, message, sizeof message) != 0) {
        return store_fail(L, binding, "delete", message);
    }
    lua_pushboolean(L, was_live);
    return 1;
}

/* Sets upper to the smallest byte string above every string that starts with prefix, and
 * returns its length; 0 means there is none (prefix is empty or all 0xFF bytes). */
static size_t store_prefix_end(const char *prefix, size_t length, char *upper)
{
    while (length > 0 && (unsigned char)prefix[length - 1] == 0xFF) {
        length--;
    }
    if (length == 0) {
        return 0;
    }
    memcpy(upper, prefix, length);
    upper[length - 1] = (char)((unsigned char)upper[length - 1] + 1);
    return length;
}

static int store_keys(lua_State *L)
{
    store_binding *binding = store_begin(L, "keys");
    size_t prefix_length = 0;
    const char *prefix = "";
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TSTRING);
        prefix = lua_tolstring(L, 1, &prefix_length);
        if (prefix_length > HALYARD_LUA_STORE_MAX_KEY_BYTES) {
            luaL_argerror(L, 1, "the prefix is longer than any key can be");
        }
    }
    char upper[HALYARD_LUA_STORE_MAX_KEY_BYTES];
    size_t upper_length = store_prefix_end(prefix, prefix_length, upper);
    char message[STORE_MESSAGE_MAX];

    sqlite3 *database = store_database(binding, message, sizeof message);
    if (database == NULL) {
        return store_fail(L, binding, "keys", message);
    }
    sqlite3_stmt *statement = store_prepare(
        binding, database,
        "SELECT key FROM script_store WHERE msp_id = ?1 AND key >= ?2 "
        "AND (?3 IS NULL OR key < ?3) AND (expires_at_ms IS NULL OR expires_at_ms > ?4) "
        "ORDER BY key LIMIT ?5",
        message, sizeof message);
    if (statement == NULL) {
        return store_fail(L, binding, "keys", message);
    }
    sqlite3_bind_int64(statement, 1, binding->msp_id);
    sqlite3_bind_blob64(statement, 2, prefix, prefix_length, SQLITE_STATIC);
    if (upper_length > 0) {
        sqlite3_bind_blob64(statement, 3, upper, upper_length, SQLITE_STATIC);
    }
    sqlite3_bind_int64(statement, 4, halyard_clock_now_ms());
    sqlite3_bind_int64(statement, 5, (sqlite3_int64)binding->max_keys);

    /* Stack: [prefix] -> [prefix, keys]. */
    lua_newtable(L);
    lua_Integer count = 0;
    int status;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
        const void *key = sqlite3_column_blob(statement, 0);
        lua_pushlstring(L, key != NULL ? key : "", (size_t)sqlite3_column_bytes(statement, 0));
        lua_rawseti(L, -2, ++count);
    }
    if (status != SQLITE_DONE) {
        snprintf(message, sizeof message, "the database failed: %s", sqlite3_errmsg(database));
        store_release(binding);
        return store_fail(L, binding, "keys", message);
    }
    store_release(binding);
    return 1;
}

/*
 * Reads key's live value for store.increment inside the caller's transaction: sets *found and
 * the number in *current (an integer in *current_integer when *is_integer). Returns 0, 1 when
 * the key contains something other than a number (its kind in kind), or -1 with a message.
 */
static int store_read_number(store_binding *binding, sqlite3 *database, const char *key,
                             size_t key_length, bool *found, bool *is_integer,
                             long long *current_integer, double *current, char *kind,
                             size_t kind_size, char *message, size_t message_size)
{
    *found = false;
    sqlite3_stmt *statement =
        store_prepare(binding, database,
                      "SELECT kind, value FROM script_store WHERE msp_id = ?1 AND key = ?2 "
                      "AND (expires_at_ms IS NULL OR expires_at_ms > ?3)",
                      message, message_size);
    if (statement == NULL) {
        return -1;
    }
    sqlite3_bind_int64(statement, 1, binding->msp_id);
    sqlite3_bind_blob64(statement, 2, key, key_length, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, halyard_clock_now_ms());

    int result = 0;
    int status = sqlite3_step(statement);
    if (status == SQLITE_ROW) {
        const char *stored_kind = (const char *)sqlite3_column_text(statement, 0);
        snprintf(kind, kind_size, "%s", stored_kind != NULL ? stored_kind : "");
        *found = true;
        if (strcmp(kind, "integer") == 0) {
            *is_integer = true;
            *current_integer = sqlite3_column_int64(statement, 1);
        } else if (strcmp(kind, "number") == 0) {
            *is_integer = false;
            *current = sqlite3_column_double(statement, 1);
        } else {
            result = 1;
        }
    } else if (status != SQLITE_DONE) {
        snprintf(message, message_size, "the database failed: %s", sqlite3_errmsg(database));
        result = -1;
    }
    sqlite3_finalize(statement);
    binding->statement = NULL;
    return result;
}

static int store_increment(lua_State *L)
{
    store_binding *binding = store_begin(L, "increment");
    size_t key_length = 0;
    const char *key = store_check_key(L, 1, &key_length);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checknumber(L, 2);
    }
    bool by_integer = lua_isnoneornil(L, 2) || lua_isinteger(L, 2);
    long long by_whole = lua_isnoneornil(L, 2) ? 1 : (long long)lua_tointeger(L, 2);
    double by_number = lua_isnoneornil(L, 2) ? 1.0 : (double)lua_tonumber(L, 2);
    if (!isfinite(by_number)) {
        luaL_argerror(L, 2, "the amount is not finite");
    }
    long long expires_at_ms = store_check_expiry(L, 3);
    char message[STORE_MESSAGE_MAX];

    sqlite3 *database = store_database(binding, message, sizeof message);
    if (database == NULL ||
        store_execute(database, "BEGIN IMMEDIATE;", message, sizeof message) != 0) {
        return store_fail(L, binding, "increment", message);
    }

    /* Read and write in one transaction, so no other connection changes the key between. */
    bool found = false;
    bool is_integer = true;
    long long current_integer = 0;
    double current = 0;
    char kind[16] = "";
    int read =
        store_read_number(binding, database, key, key_length, &found, &is_integer, &current_integer,
                          &current, kind, sizeof kind, message, sizeof message);
    if (read != 0) {
        sqlite3_exec(database, "ROLLBACK;", NULL, NULL, NULL);
        if (read == 1) {
            return luaL_argerror(L, 1,
                                 lua_pushfstring(L, "the key holds a %s, not a number", kind));
        }
        return store_fail(L, binding, "increment", message);
    }

    store_value value = {.kind = "integer", .type = SQLITE_INTEGER, .length = sizeof(double)};
    long long sum = 0;
    if (is_integer && by_integer && !__builtin_add_overflow(current_integer, by_whole, &sum)) {
        value.integer = sum;
    } else {
        value.kind = "number";
        value.type = SQLITE_FLOAT;
        value.number = (is_integer ? (double)current_integer : current) + by_number;
    }

    int written = store_put(binding, database, key, key_length, &value, expires_at_ms, found,
                            message, sizeof message);
    if (store_finish(database, written, message, sizeof message) != 0) {
        return store_fail(L, binding, "increment", message);
    }
    if (value.type == SQLITE_INTEGER) {
        lua_pushinteger(L, (lua_Integer)value.integer);
    } else {
        lua_pushnumber(L, (lua_Number)value.number);
    }
    return 1;
}

void halyard_open_store(lua_State *L, const halyard_lua_store_options *options)
{
    static const luaL_Reg functions[] = {
        {"get", store_get},
        {"set", store_set},
        {"delete", store_delete},
        {"keys", store_keys},
        {"increment", store_increment},
        {NULL, NULL},
    };

    /* Stack: [] -> [module, binding]. */
    const char *path = options->database_path;
    const char *msp = options->msp != NULL ? options->msp : "?";
    size_t path_size = path != NULL ? strlen(path) + 1 : 0;
    size_t msp_size = strlen(msp) + 1;
    lua_createtable(L, 0, (int)(sizeof functions / sizeof functions[0]) - 1);
    store_binding *binding = lua_newuserdatauv(L, sizeof *binding + path_size + msp_size, 0);
    memset(binding, 0, sizeof *binding);
    binding->msp_id = options->msp_id;
    binding->max_value_bytes = options->max_value_bytes != 0
                                   ? options->max_value_bytes
                                   : HALYARD_LUA_STORE_MAX_VALUE_BYTES_DEFAULT;
    binding->max_keys =
        options->max_keys != 0 ? options->max_keys : HALYARD_LUA_STORE_MAX_KEYS_DEFAULT;
    memcpy(binding->text, msp, msp_size);
    binding->msp = binding->text;
    if (path != NULL) {
        memcpy(binding->text + msp_size, path, path_size);
        binding->database_path = binding->text + msp_size;
    }
    if (luaL_newmetatable(L, STORE_METATABLE)) {
        lua_pushcfunction(L, store_collect);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);

    /* Stack: [module, binding] -> [module, binding, json] -> [module, binding, encode,
     * decode] -> [module]. */
    halyard_open_json(L);
    lua_getfield(L, -1, "encode");
    lua_getfield(L, -2, "decode");
    lua_remove(L, -3);
    luaL_setfuncs(L, functions, 3);
}
