/*
 * Tests of the `store` module (bindings/store.c) against a real SQLite file in a temporary
 * folder: each function, argument errors, quotas, expiry on the test clock, isolation between
 * MSPs, persistence across states, a locked database, and the module inside a Lua host.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>
#include <sqlite3.h>

#include "clock.h"
#include "json.h"
#include "log.h"
#include "lua_host.h"
#include "lua_store.h"
#include "store.h"
#include "test_folder.h"

#define SOURCE_DIR HALYARD_SOURCE_DIR

/* MSP ids the fixture creates: msps 1 is "default"; these are two more. */
#define ACME_ID 2
#define BETA_ID 3

typedef struct {
    char *dir;
    char database_path[512];
} store_fixture;

/* ---- helpers ---------------------------------------------------------------------------- */

/* Creates a temporary folder holding halyard.db with the schema and MSPs acme and beta. */
static int fixture_setup(void **state)
{
    store_fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    fixture->dir = strdup("/tmp/halyard-store-test-XXXXXX");
    assert_non_null(fixture->dir);
    assert_non_null(mkdtemp(fixture->dir));
    snprintf(fixture->database_path, sizeof fixture->database_path, "%s/halyard.db", fixture->dir);

    halyard_store *store = NULL;
    char message[512];
    if (halyard_store_open(fixture->database_path, &store, message, sizeof message) != 0) {
        fail_msg("database not created: %s", message);
    }
    assert_int_equal(halyard_store_execute(store,
                                           "INSERT INTO msps (id, name) VALUES (2, 'acme'), "
                                           "(3, 'beta');",
                                           "adding MSPs", message, sizeof message),
                     0);
    halyard_store_close(store);
    *state = fixture;
    return 0;
}

static int fixture_teardown(void **state)
{
    store_fixture *fixture = *state;
    test_folder_remove(fixture->dir);
    free(fixture->dir);
    free(fixture);
    return 0;
}

/* A bare state with the standard libraries, json and store (for msp_id, or for the MSP named
 * msp when msp_id is 0) as globals. */
static lua_State *new_named_store_state(const char *database_path, long long msp_id,
                                        const char *msp, size_t max_keys)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    luaL_requiref(L, "json", halyard_open_json, 1);
    lua_pop(L, 1);
    halyard_lua_store_options options = {
        .database_path = database_path,
        .msp_id = msp_id,
        .msp = msp,
        .max_keys = max_keys,
    };
    halyard_open_store(L, &options);
    lua_setglobal(L, "store");
    return L;
}

static lua_State *new_store_state(const char *database_path, long long msp_id, size_t max_keys)
{
    return new_named_store_state(database_path, msp_id, msp_id == ACME_ID ? "acme" : "beta",
                                 max_keys);
}

/* Runs code, which checks its own results with assert; fails with Lua's message. */
static void run_lua(lua_State *L, const char *code)
{
    if (luaL_dostring(L, code) != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_settop(L, 0);
}

static void assert_lua_error(lua_State *L, const char *code, const char *expected)
{
    if (luaL_dostring(L, code) == LUA_OK) {
        fail_msg("expected an error holding \"%s\" from: %s", expected, code);
    }
    const char *message = lua_tostring(L, -1);
    if (message == NULL || strstr(message, expected) == NULL) {
        fail_msg("expected \"%s\", got: %s", expected, message != NULL ? message : "(none)");
    }
    lua_settop(L, 0);
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Returns how many rows script_store holds for msp_id, read with a connection of its own. */
static int count_rows(const char *database_path, long long msp_id)
{
    sqlite3 *database = NULL;
    assert_int_equal(sqlite3_open(database_path, &database), SQLITE_OK);
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(database,
                                        "SELECT count(*) FROM script_store WHERE msp_id = ?1", -1,
                                        &statement, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(statement, 1, msp_id);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    int count = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(database);
    return count;
}

/* ---- each function ------------------------------------------------------------------------ */

static void values_round_trip(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(L,
            "assert(store.set('name', 'Acme\\0IT\\255') == true)\n"
            "assert(store.get('name') == 'Acme\\0IT\\255')\n"
            "assert(store.set('count', 42))\n"
            "assert(store.get('count') == 42)\n"
            "assert(math.type(store.get('count')) == 'integer')\n"
            "assert(store.set('ratio', 0.25))\n"
            "assert(store.get('ratio') == 0.25)\n"
            "assert(math.type(store.get('ratio')) == 'float')\n"
            "assert(store.set('on', true))\n"
            "assert(store.get('on') == true)\n"
            "assert(store.set('off', false))\n"
            "assert(store.get('off') == false)\n"
            "assert(store.set('seen', {tickets = {4242, 4243}, note = 'x', nothing = json.null}))\n"
            "local seen = store.get('seen')\n"
            "assert(seen.tickets[1] == 4242)\n"
            "assert(seen.tickets[2] == 4243)\n"
            "assert(seen.note == 'x')\n"
            "assert(seen.nothing == json.null)\n"
            "assert(store.get('missing') == nil)\n"
            "assert(store.set('name', 'replaced'))\n"
            "assert(store.get('name') == 'replaced')\n");
    lua_close(L);
}

static void nil_value_and_delete_remove(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(L, "assert(store.set('a', 1))\n"
               "assert(store.set('a', nil) == true)\n"
               "assert(store.get('a') == nil)\n"
               "assert(store.set('b', 2))\n"
               "assert(store.delete('b') == true)\n"
               "assert(store.delete('b') == false)\n"
               "assert(store.get('b') == nil)\n");
    assert_int_equal(count_rows(fixture->database_path, ACME_ID), 0);
    lua_close(L);
}

static void keys_list_by_prefix(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(L, "for _, key in ipairs({'user:2', 'user:10', 'team:1', 'user\\255', 'use'}) do\n"
               "    assert(store.set(key, true))\n"
               "end\n"
               "local users = store.keys('user:')\n"
               "assert(#users == 2)\n"
               "assert(users[1] == 'user:10')\n"
               "assert(users[2] == 'user:2')\n"
               "local all = store.keys()\n"
               "assert(#all == 5)\n"
               "assert(all[1] == 'team:1')\n"
               "assert(all[5] == 'user\\255')\n"
               "assert(#store.keys('user') == 3)\n"
               "assert(#store.keys('\\255') == 0)\n"
               "assert(#store.keys('nothing') == 0)\n");
    lua_close(L);
}

static void increment_counts(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(L, "assert(store.increment('n') == 1)\n"
               "assert(store.increment('n', 5) == 6)\n"
               "assert(math.type(store.get('n')) == 'integer')\n"
               "assert(store.increment('n', -10) == -4)\n"
               "assert(store.increment('n', 0.5) == -3.5)\n"
               "assert(store.get('n') == -3.5)\n"
               "assert(store.set('big', math.maxinteger))\n"
               "assert(math.type(store.increment('big')) == 'float')\n");
    assert_lua_error(L, "store.set('word', 'x')\nstore.increment('word')",
                     "bad argument #1 to 'increment' (the key holds a string, not a number)");
    run_lua(L, "assert(store.get('word') == 'x')\n");
    lua_close(L);
}

/* ---- argument errors ---------------------------------------------------------------------- */

static void bad_arguments_raise(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);
    assert_lua_error(L, "store.get(nil)", "bad argument #1 to 'get' (string expected, got nil)");
    assert_lua_error(L, "store.get(5)", "bad argument #1 to 'get' (string expected, got number)");
    assert_lua_error(L, "store.get('')", "bad argument #1 to 'get' (the key is empty");
    assert_lua_error(L, "store.get(string.rep('k', 257))",
                     "bad argument #1 to 'get' (the key is 257 bytes, more than the limit of 256)");
    assert_lua_error(L, "store.set('k', print)",
                     "bad argument #2 to 'set' (string, number, boolean, table or nil expected, "
                     "got function)");
    assert_lua_error(L, "store.set('k', {f = print})",
                     "bad argument #2 to 'set' (the table cannot be stored as JSON");
    assert_lua_error(L, "store.set('k', 0/0)",
                     "bad argument #2 to 'set' (the number is not finite");
    assert_lua_error(L, "store.set('k', 1, 0)",
                     "bad argument #3 to 'set' (ttl must be a number of seconds above 0");
    assert_lua_error(L, "store.set('k', 1, 'soon')",
                     "bad argument #3 to 'set' (number expected, got string)");
    assert_lua_error(L, "store.increment('k', 'x')",
                     "bad argument #2 to 'increment' (number expected, got string)");
    assert_lua_error(L, "store.keys(5)", "bad argument #1 to 'keys' (string expected, got number)");
    assert_lua_error(L, "store.delete()",
                     "bad argument #1 to 'delete' (string expected, got no value)");
    assert_int_equal(count_rows(fixture->database_path, ACME_ID), 0);
    lua_close(L);
}

/* ---- quotas ------------------------------------------------------------------------------- */

static void value_size_limited(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(L, "assert(store.set('fits', string.rep('x', 65536)))\n");
    assert_lua_error(L, "store.set('big', string.rep('x', 65537))",
                     "bad argument #2 to 'set' (the value is 65537 bytes, more than the limit of "
                     "65536; store less or split it over several keys)");
    assert_lua_error(L,
                     "local list = {}\nfor i = 1, 20000 do list[i] = i end\n"
                     "store.set('big', list)",
                     "more than the limit of 65536");
    run_lua(L, "assert(store.get('big') == nil)\n");
    lua_close(L);
}

static void key_count_limited(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 3);
    run_lua(L, "assert(store.set('a', 1))\n"
               "assert(store.set('b', 1))\n"
               "assert(store.increment('c') == 1)\n"
               "local ok, message = store.set('d', 1)\n"
               "assert(ok == nil)\n"
               "assert(message == \"store.set: MSP 'acme' already holds 3 keys, the limit; \" ..\n"
               "    'delete keys or give them a ttl', message)\n"
               "local count, increment_message = store.increment('e')\n"
               "assert(count == nil)\n"
               "assert(increment_message:find('already holds 3 keys', 1, true))\n"
               "assert(store.set('a', 2))\n"
               "assert(store.delete('b'))\n"
               "assert(store.set('d', 1))\n"
               "assert(#store.keys() == 3)\n");
    assert_int_equal(count_rows(fixture->database_path, ACME_ID), 3);
    lua_close(L);
}

/* ---- expiry ------------------------------------------------------------------------------- */

static void values_expire_on_business_clock(void **state)
{
    store_fixture *fixture = *state;
    halyard_clock_enable_test();
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 2);

    run_lua(L, "assert(store.set('session', 'open', 60))\n"
               "assert(store.set('forever', 'kept'))\n");
    assert_int_equal(halyard_clock_advance(59 * 1000), 0);
    run_lua(L, "assert(store.get('session') == 'open')\n");
    assert_int_equal(halyard_clock_advance(2 * 1000), 0);
    run_lua(L, "assert(store.get('session') == nil)\n"
               "assert(store.delete('session') == false)\n"
               "assert(store.get('forever') == 'kept')\n"
               "local keys = store.keys()\n"
               "assert(#keys == 1)\n"
               "assert(keys[1] == 'forever')\n");

    /* An expired key no longer counts against the quota of 2. */
    run_lua(L, "assert(store.set('short', 1, 0.5))\n");
    assert_int_equal(halyard_clock_advance(1000), 0);
    run_lua(L, "assert(store.set('next', 1))\n");
    assert_int_equal(count_rows(fixture->database_path, ACME_ID), 2);
    lua_close(L);
}

static void increment_keeps_first_expiry(void **state)
{
    store_fixture *fixture = *state;
    halyard_clock_enable_test();
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);

    run_lua(L, "assert(store.increment('per_hour', 1, 60) == 1)\n");
    assert_int_equal(halyard_clock_advance(30 * 1000), 0);
    run_lua(L, "assert(store.increment('per_hour', 1, 60) == 2)\n");
    assert_int_equal(halyard_clock_advance(31 * 1000), 0);
    run_lua(L, "assert(store.get('per_hour') == nil)\n"
               "assert(store.increment('per_hour', 1, 60) == 1)\n");

    /* set without a ttl makes the key permanent again. */
    run_lua(L, "assert(store.set('per_hour', 5))\n");
    assert_int_equal(halyard_clock_advance(120 * 1000), 0);
    run_lua(L, "assert(store.get('per_hour') == 5)\n");
    lua_close(L);
}

/* ---- isolation and persistence ------------------------------------------------------------ */

static void msps_isolated(void **state)
{
    store_fixture *fixture = *state;
    lua_State *acme = new_store_state(fixture->database_path, ACME_ID, 0);
    lua_State *beta = new_store_state(fixture->database_path, BETA_ID, 0);

    run_lua(acme, "assert(store.set('secret', 'acme only'))\n"
                  "assert(store.set('acme:token', 'x'))\n");
    run_lua(beta, "assert(store.get('secret') == nil)\n"
                  "assert(#store.keys() == 0)\n"
                  "assert(#store.keys('acme') == 0)\n"
                  "assert(store.delete('secret') == false)\n"
                  "assert(store.increment('secret') == 1)\n"
                  "assert(store.set('secret', 'beta own'))\n");
    run_lua(acme, "assert(store.get('secret') == 'acme only')\n"
                  "assert(#store.keys() == 2)\n");
    run_lua(beta, "assert(store.get('secret') == 'beta own')\n"
                  "assert(store.delete('secret') == true)\n");
    run_lua(acme, "assert(store.get('secret') == 'acme only')\n");
    assert_int_equal(count_rows(fixture->database_path, ACME_ID), 2);
    assert_int_equal(count_rows(fixture->database_path, BETA_ID), 0);

    lua_close(beta);
    lua_close(acme);
}

static void values_outlive_state(void **state)
{
    store_fixture *fixture = *state;
    lua_State *first = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(first, "assert(store.set('kept', {1, 2, 3}))\nassert(store.increment('runs') == 1)\n");
    lua_close(first);

    lua_State *second = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(second, "local kept = store.get('kept')\n"
                    "assert(#kept == 3)\n"
                    "assert(kept[3] == 3)\n"
                    "assert(store.increment('runs') == 2)\n");
    lua_close(second);
}

/* ---- failures ----------------------------------------------------------------------------- */

static void missing_database_raises(void **state)
{
    (void)state;
    lua_State *L = new_store_state(NULL, ACME_ID, 0);
    static const char *const calls[] = {"store.get('k')", "store.set('k', 1)", "store.delete('k')",
                                        "store.keys()", "store.increment('k')"};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        assert_lua_error(L, calls[i], "the store is not available in this context");
    }
    lua_close(L);
}

static void unopenable_database_fails_softly(void **state)
{
    store_fixture *fixture = *state;
    char path[600];
    snprintf(path, sizeof path, "%s/no-such-folder/halyard.db", fixture->dir);
    lua_State *L = new_store_state(path, ACME_ID, 0);
    run_lua(L, "local value, message = store.get('k')\n"
               "assert(value == nil)\n"
               "assert(message:find('store.get: the store cannot open the database', 1, true),\n"
               "    message)\n"
               "local ok, set_message = store.set('k', 1)\n"
               "assert(ok == nil)\n"
               "assert(set_message:find('cannot open the database', 1, true))\n");
    lua_close(L);
}

static void locked_database_fails_fast(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_store_state(fixture->database_path, ACME_ID, 0);
    run_lua(L, "assert(store.set('before', 1))\n");

    /* Another connection holds the write lock, as a long write elsewhere would. */
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(fixture->database_path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE;", NULL, NULL, NULL), SQLITE_OK);

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    run_lua(L, "local ok, message = store.set('during', 1)\n"
               "assert(ok == nil)\n"
               "assert(message:find('database is locked', 1, true), message)\n"
               "assert(store.get('before') == 1)\n");
    assert_true(elapsed_ms(&start) < 2000);

    assert_int_equal(sqlite3_exec(other, "ROLLBACK;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    run_lua(L, "assert(store.set('after', 1))\n"
               "assert(store.get('during') == nil)\n");
    lua_close(L);
}

/* ---- inside a host ------------------------------------------------------------------------ */

/* A workflow whose score function uses store, text and clock for a ticket about "printer". */
static const char host_workflow[] =
    "return {\n"
    "    name = \"Printer\",\n"
    "    status = \"active\",\n"
    "    scope = \"all\",\n"
    "    trigger = \"A printer ticket.\",\n"
    "    match = function(ticket)\n"
    "        if not text.contains_any(ticket.summary, {'printer'}) then return false end\n"
    "        local seen = store.increment('printer:seen')\n"
    "        store.set('printer:last', clock.format(clock.now()))\n"
    "        return 10, 'printer ticket number ' .. seen\n"
    "    end,\n"
    "    instructions = \"Check the printer.\",\n"
    "    samples = {match = {{source = \"written\", summary = \"printer\"}}},\n"
    "}\n";

static halyard_lua_host *create_host_with(const char *dir, const char *database_path)
{
    char folder[600];
    snprintf(folder, sizeof folder, "%s/scripts", dir);
    mkdir(folder, 0700);
    snprintf(folder, sizeof folder, "%s/scripts/workflows", dir);
    mkdir(folder, 0700);
    char path[700];
    snprintf(path, sizeof path, "%s/printer.lua", folder);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(host_workflow, file);
    fclose(file);

    snprintf(folder, sizeof folder, "%s/scripts", dir);
    halyard_lua_host_options options = {.msp = "acme",
                                        .share_dir = SOURCE_DIR,
                                        .msp_script_dir = folder,
                                        .store_database_path = database_path,
                                        .store_msp_id = ACME_ID};
    halyard_lua_host *host = NULL;
    char message[2048];
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fail_msg("host not created: %s", message);
    }
    return host;
}

/* Hot reload builds states from an MSP's name: the id comes from the msps row of that name. */
static void store_finds_msp_by_name(void **state)
{
    store_fixture *fixture = *state;
    lua_State *named = new_named_store_state(fixture->database_path, 0, "beta", 0);
    run_lua(named, "assert(store.set('shared', 'from beta by name'))");
    lua_close(named);

    lua_State *beta = new_store_state(fixture->database_path, BETA_ID, 0);
    run_lua(beta, "assert(store.get('shared') == 'from beta by name')");
    lua_close(beta);
    assert_int_equal(count_rows(fixture->database_path, BETA_ID), 1);
    assert_int_equal(count_rows(fixture->database_path, ACME_ID), 0);
}

static void store_unknown_msp_name_fails(void **state)
{
    store_fixture *fixture = *state;
    lua_State *L = new_named_store_state(fixture->database_path, 0, "nobody", 0);
    run_lua(L, "local value, message = store.get('key')\n"
               "assert(value == nil)\n"
               "assert(message:find(\"no MSP named 'nobody'\", 1, true), message)");
    lua_close(L);
}

static void host_scripts_use_store(void **state)
{
    store_fixture *fixture = *state;
    halyard_lua_host *host = create_host_with(fixture->dir, fixture->database_path);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);

    static const char ticket[] = "{\"id\": 7, \"summary\": \"Printer offline\"}";
    for (int run = 1; run <= 2; run++) {
        char *matches = NULL;
        char message[2048] = "";
        if (halyard_lua_host_match(host, ticket, NULL, &matches, message, sizeof message) != 0) {
            fail_msg("match failed: %s", message);
        }
        char expected[64];
        snprintf(expected, sizeof expected, "printer ticket number %d", run);
        if (strstr(matches, expected) == NULL) {
            fail_msg("expected \"%s\" in %s", expected, matches);
        }
        free(matches);
    }
    assert_int_equal(count_rows(fixture->database_path, ACME_ID), 2);
    halyard_lua_host_destroy(host);
}

static void host_without_database_reports_store(void **state)
{
    store_fixture *fixture = *state;
    halyard_lua_host *host = create_host_with(fixture->dir, NULL);

    /* The score function's error is logged, and the workflow does not match. */
    FILE *log = tmpfile();
    assert_non_null(log);
    halyard_log_configure(HALYARD_LOG_INFO, log);
    static const char ticket[] = "{\"id\": 7, \"summary\": \"Printer offline\"}";
    char *matches = NULL;
    char message[2048] = "";
    int status = halyard_lua_host_match(host, ticket, NULL, &matches, message, sizeof message);
    halyard_log_configure(HALYARD_LOG_INFO, stderr);

    assert_int_equal(status, 0);
    assert_null(strstr(matches, "printer ticket number"));
    char logged[8192] = "";
    rewind(log);
    size_t length = fread(logged, 1, sizeof logged - 1, log);
    logged[length] = '\0';
    fclose(log);
    if (strstr(logged, "printer.lua:8: store.increment: the store is not available in this "
                       "context") == NULL) {
        fail_msg("expected the store error in the log, got: %s", logged);
    }
    free(matches);
    halyard_lua_host_destroy(host);
}

static void policy_using_store_reported_without_database(void **state)
{
    store_fixture *fixture = *state;
    char folder[600];
    snprintf(folder, sizeof folder, "%s/lint", fixture->dir);
    mkdir(folder, 0700);
    char policies[700];
    snprintf(policies, sizeof policies, "%s/policies", folder);
    mkdir(policies, 0700);
    char path[800];
    snprintf(path, sizeof path, "%s/remember.lua", policies);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("local last = store.get('last_run')\nreturn {last = last}\n", file);
    fclose(file);

    /* As `halyard workflows lint` creates it: no database. */
    halyard_lua_host_options options = {
        .msp = "acme", .share_dir = SOURCE_DIR, .msp_script_dir = folder};
    halyard_lua_host *host = NULL;
    char message[2048];
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fail_msg("host not created: %s", message);
    }
    assert_int_equal(halyard_lua_host_problem_count(host), 1);
    const char *problem = halyard_lua_host_problem(host, 0);
    if (strstr(problem, "remember.lua:1: store.get: the store is not available in this "
                        "context") == NULL) {
        fail_msg("unexpected problem: %s", problem);
    }
    halyard_lua_host_destroy(host);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(values_round_trip, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(nil_value_and_delete_remove, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(keys_list_by_prefix, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(increment_counts, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(bad_arguments_raise, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(value_size_limited, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(key_count_limited, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(values_expire_on_business_clock, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(increment_keeps_first_expiry, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(msps_isolated, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(values_outlive_state, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(missing_database_raises, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(unopenable_database_fails_softly, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(locked_database_fails_fast, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(store_finds_msp_by_name, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(store_unknown_msp_name_fails, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(host_scripts_use_store, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(host_without_database_reports_store, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(policy_using_store_reported_without_database, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
