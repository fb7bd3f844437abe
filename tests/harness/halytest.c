/*
 * halytest FILE.lua [--filter TEXT] [--timeout SECONDS]
 *
 * Runs one Lua test file. The file registers tests with the `testing` module, and the runner
 * runs them after the file's main chunk returns. It prints `ok NAME` or `FAIL NAME: WHY` per
 * test and closes with the line `N passed, N failed`. The exit status is 0 only when no test
 * failed and at least one ran.
 *
 * Child processes and receivers that a test starts are released when that test ends. Whatever
 * is left is released when the runner exits. A fatal signal or the file's time limit also kills
 * every child, and then the closing line counts the running test as failed.
 */
#include "halytest.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

int luaopen_cjson(lua_State *L);

#define DEFAULT_TIMEOUT_SECONDS 600
#define TEST_NAME_MAX           512

/* State the fatal-signal handler reads: plain counters and a fixed buffer, no locks. */
static volatile sig_atomic_t runner_passed;
static volatile sig_atomic_t runner_failed;
static volatile sig_atomic_t runner_in_test;
static volatile sig_atomic_t runner_timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
static char runner_test_name[TEST_NAME_MAX];

static const char *runner_file;
static const char *runner_filter;
static char runner_build_dir[PATH_MAX];

static void write_text(const char *text)
{
    size_t length = strlen(text);

    while (length > 0) {
        ssize_t written = write(STDOUT_FILENO, text, length);

        if (written <= 0)
            return;
        text += written;
        length -= (size_t)written;
    }
}

static void write_number(long value)
{
    char digits[24];
    int position = (int)sizeof(digits) - 1;

    digits[position] = '\0';
    if (value < 0)
        value = 0;
    do {
        digits[--position] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0 && position > 0);
    write_text(digits + position);
}

/* Prints the running test as failed and the closing line, kills every child and exits.
 * Uses only async-signal-safe calls because it runs inside a signal handler. */
static void on_fatal_signal(int signal_number)
{
    const char *name = runner_in_test ? runner_test_name : runner_file;

    write_text("\nFAIL ");
    write_text(name ? name : "(test file)");
    if (signal_number == SIGALRM) {
        write_text(": the test file timed out after ");
        write_number(runner_timeout_seconds);
        write_text(" s (use --timeout to allow longer)\n");
    } else {
        write_text(": the runner received signal ");
        write_number(signal_number);
        write_text("\n");
    }

    halytest_children_kill_all();

    write_number(runner_passed);
    write_text(" passed, ");
    write_number(runner_failed + 1);
    write_text(" failed\n");
    _exit(1);
}

static void install_signal_handlers(void)
{
    const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGALRM, SIGSEGV,
                                 SIGBUS, SIGFPE,  SIGILL, SIGABRT};
    struct sigaction action;

    memset(&action, 0, sizeof(action));
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
        sigaction(fatal_signals[i], &action, NULL);

    /* A peer that closes a connection early must give an error, not end the runner. */
    signal(SIGPIPE, SIG_IGN);
}

const char *halytest_build_dir(void)
{
    return runner_build_dir;
}

static void find_build_dir(void)
{
    const char *from_environment = getenv("HALYARD_BUILD_DIR");
    char executable[PATH_MAX];
    ssize_t length;
    char *slash;

    if (from_environment != NULL && from_environment[0] != '\0') {
        snprintf(runner_build_dir, sizeof(runner_build_dir), "%s", from_environment);
        return;
    }

    length = readlink("/proc/self/exe", executable, sizeof(executable) - 1);
    if (length <= 0) {
        snprintf(runner_build_dir, sizeof(runner_build_dir), ".");
        return;
    }
    executable[length] = '\0';
    slash = strrchr(executable, '/');
    if (slash != NULL)
        *slash = '\0';
    snprintf(runner_build_dir, sizeof(runner_build_dir), "%s", executable);
}

/* runner.test_started(name): records the running test for the fatal-signal handler. */
static int runner_test_started(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);

    runner_in_test = 0;
    snprintf(runner_test_name, sizeof(runner_test_name), "%s", name);
    runner_in_test = 1;
    return 0;
}

/* runner.test_finished(passed): counts one result. */
static int runner_test_finished(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TBOOLEAN);
    if (lua_toboolean(L, 1))
        runner_passed++;
    else
        runner_failed++;
    runner_in_test = 0;
    return 0;
}

static int runner_get_filter(lua_State *L)
{
    if (runner_filter == NULL)
        lua_pushnil(L);
    else
        lua_pushstring(L, runner_filter);
    return 1;
}

static int runner_get_test_file(lua_State *L)
{
    lua_pushstring(L, runner_file);
    return 1;
}

static int runner_get_build_dir(lua_State *L)
{
    lua_pushstring(L, runner_build_dir);
    return 1;
}

static int runner_resource_mark(lua_State *L)
{
    lua_pushinteger(L, halytest_registry_mark());
    return 1;
}

/* runner.release_resources(mark): stops children and receivers started after mark. */
static int runner_release_resources(lua_State *L)
{
    halytest_registry_release_after((long)luaL_checkinteger(L, 1));
    return 0;
}

static int open_runner(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"test_started", runner_test_started},
        {"test_finished", runner_test_finished},
        {"filter", runner_get_filter},
        {"test_file", runner_get_test_file},
        {"build_dir", runner_get_build_dir},
        {"resource_mark", runner_resource_mark},
        {"release_resources", runner_release_resources},
        {NULL, NULL},
    };

    luaL_newlib(L, functions);
    return 1;
}

/* package.searchers entry for the embedded helper modules (testing, sim, json). */
static int search_embedded(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);

    for (const struct halytest_lua_module *module = halytest_lua_modules; module->name != NULL;
         module++) {
        char chunk_name[256];

        if (strcmp(module->name, name) != 0)
            continue;
        snprintf(chunk_name, sizeof(chunk_name), "=[halytest]/%s.lua", module->name);
        if (luaL_loadbuffer(L, module->source, module->length, chunk_name) != LUA_OK)
            return lua_error(L);
        lua_pushstring(L, chunk_name + 1);
        return 2;
    }
    lua_pushfstring(L, "\n\tno embedded halytest module '%s'", name);
    return 1;
}

/* Message handler: appends a traceback to any error value. */
static int add_traceback(lua_State *L)
{
    const char *message = lua_tostring(L, 1);

    if (message == NULL)
        message = luaL_tolstring(L, 1, NULL);
    luaL_traceback(L, L, message, 1);
    return 1;
}

/* Sets up package.preload, the embedded searcher and package.path. Runs inside lua_pcall. */
static int prepare_state(lua_State *L)
{
    const luaL_Reg preloads[] = {
        {"cjson", luaopen_cjson},
        {"http", halytest_open_http},
        {"proc", halytest_open_proc},
        {"receiver", halytest_open_receiver},
        {"util", halytest_open_util},
        {"halytest.runner", open_runner},
        {NULL, NULL},
    };
    const char *slash = strrchr(runner_file, '/');

    luaL_openlibs(L);

    lua_getglobal(L, "package");
    lua_getfield(L, -1, "preload");
    for (const luaL_Reg *entry = preloads; entry->name != NULL; entry++) {
        lua_pushcfunction(L, entry->func);
        lua_setfield(L, -2, entry->name);
    }
    lua_pop(L, 1);

    /* Embedded modules come right after preload, before any file on package.path. */
    lua_getfield(L, -1, "searchers");
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "insert");
    lua_pushvalue(L, -3);
    lua_pushinteger(L, 2);
    lua_pushcfunction(L, search_embedded);
    lua_call(L, 3, 0);
    lua_pop(L, 2);

    /* A test file may require helper files that sit beside it. */
    if (slash != NULL)
        lua_pushlstring(L, runner_file, (size_t)(slash - runner_file));
    else
        lua_pushstring(L, ".");
    lua_pushstring(L, "/?.lua;");
    lua_getfield(L, -3, "path");
    lua_concat(L, 3);
    lua_setfield(L, -2, "path");

    lua_pop(L, 1);
    return 0;
}

static void print_error_lines(const char *label, const char *message)
{
    const char *newline = strchr(message, '\n');

    if (newline == NULL) {
        printf("FAIL %s: %s\n", label, message);
        return;
    }
    printf("FAIL %s: %.*s\n", label, (int)(newline - message), message);
    for (const char *line = newline + 1; *line != '\0';) {
        const char *end = strchr(line, '\n');
        int length = end ? (int)(end - line) : (int)strlen(line);

        printf("    %.*s\n", length, line);
        line = end ? end + 1 : line + length;
    }
}

/* Runs the test file's main chunk, then testing.run(); counts an error of either as a failure. */
static void run_file(lua_State *L)
{
    int base;

    lua_pushcfunction(L, add_traceback);
    base = lua_gettop(L);

    if (luaL_loadfile(L, runner_file) != LUA_OK) {
        runner_failed++;
        print_error_lines(runner_file, lua_tostring(L, -1));
        lua_settop(L, base - 1);
        return;
    }
    if (lua_pcall(L, 0, 0, base) != LUA_OK) {
        runner_failed++;
        print_error_lines(runner_file, lua_tostring(L, -1));
        lua_settop(L, base - 1);
        return;
    }

    lua_getglobal(L, "package");
    lua_getfield(L, -1, "loaded");
    lua_getfield(L, -1, "testing");
    if (!lua_istable(L, -1)) {
        printf("FAIL %s: the file registered no tests (it never required 'testing')\n",
               runner_file);
        runner_failed++;
        lua_settop(L, base - 1);
        return;
    }
    lua_getfield(L, -1, "run");
    if (lua_pcall(L, 0, 0, base) != LUA_OK) {
        runner_failed++;
        print_error_lines(runner_file, lua_tostring(L, -1));
    }
    lua_settop(L, base - 1);
}

static void print_usage(FILE *stream)
{
    fputs("usage: halytest FILE.lua [--filter TEXT] [--timeout SECONDS]\n"
          "Runs the tests a Lua file registers with require \"testing\".\n"
          "  --filter TEXT      run only tests whose name contains TEXT (plain text, not a "
          "pattern)\n"
          "  --timeout SECONDS  stop the whole file after this many seconds and count the\n"
          "                     running test as failed (default 600)\n"
          "Environment: HALYARD_BUILD_DIR is the build folder holding halosim and test-certs/\n"
          "(default: the folder of this executable).\n",
          stream);
}

/* Returns 0 when the arguments are valid, 2 (the usage exit status) otherwise. */
static int parse_arguments(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *argument = argv[i];

        if (strcmp(argument, "--help") == 0 || strcmp(argument, "-h") == 0) {
            print_usage(stdout);
            exit(0);
        } else if (strcmp(argument, "--filter") == 0) {
            if (i + 1 >= argc) {
                fputs("halytest: --filter needs a value: the text a test name must contain\n",
                      stderr);
                return 2;
            }
            runner_filter = argv[++i];
        } else if (strcmp(argument, "--timeout") == 0) {
            char *end = NULL;
            long seconds;

            if (i + 1 >= argc) {
                fputs("halytest: --timeout needs a value in seconds, e.g. --timeout 300\n", stderr);
                return 2;
            }
            errno = 0;
            seconds = strtol(argv[++i], &end, 10);
            if (errno != 0 || end == argv[i] || *end != '\0' || seconds < 1 || seconds > 86400) {
                fprintf(stderr,
                        "halytest: invalid --timeout value '%s': use a whole number of seconds "
                        "from 1 to 86400\n",
                        argv[i]);
                return 2;
            }
            runner_timeout_seconds = (sig_atomic_t)seconds;
        } else if (argument[0] == '-' && argument[1] != '\0') {
            fprintf(stderr, "halytest: unknown option '%s'; see halytest --help\n", argument);
            return 2;
        } else if (runner_file != NULL) {
            fprintf(stderr, "halytest: one test file at a time; got '%s' and '%s'\n", runner_file,
                    argument);
            return 2;
        } else {
            runner_file = argument;
        }
    }

    if (runner_file == NULL) {
        print_usage(stderr);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    lua_State *L;
    int status = parse_arguments(argc, argv);

    if (status != 0)
        return status;

    /* Line-buffered so results interleave correctly with children's output under ctest. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    install_signal_handlers();
    find_build_dir();
    alarm((unsigned)runner_timeout_seconds);

    L = luaL_newstate();
    if (L == NULL) {
        fputs("halytest: cannot create a Lua state (out of memory)\n", stderr);
        return 1;
    }

    lua_pushcfunction(L, prepare_state);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        printf("FAIL %s: runner setup failed: %s\n", runner_file, lua_tostring(L, -1));
        runner_failed++;
    } else {
        run_file(L);
    }

    halytest_registry_release_after(0);
    lua_close(L);
    halytest_tmpdirs_remove_all();
    alarm(0);

    if (runner_passed + runner_failed == 0)
        printf("no test ran%s%s%s\n", runner_filter ? " (no test name contains '" : "",
               runner_filter ? runner_filter : "", runner_filter ? "')" : "");
    printf("%ld passed, %ld failed\n", (long)runner_passed, (long)runner_failed);
    return runner_failed == 0 && runner_passed > 0 ? 0 : 1;
}
