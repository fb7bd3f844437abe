/*
 * Tests of hot reload (core/app/script_reload.c): versions built on the build thread from real
 * script folders, swapped in on a real event loop, and kept alive while held.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "script_reload.h"

/* How long a test waits for a build before it fails. */
#define BUILD_TIMEOUT_MS 20000

#define WORKFLOW_TEMPLATE                                                                          \
    "return {\n"                                                                                   \
    "    name = \"%s\",\n"                                                                         \
    "    status = \"active\",\n"                                                                   \
    "    scope = \"all\",\n"                                                                       \
    "    trigger = \"The coffee machine is broken.\",\n"                                           \
    "    match = {any = {\"coffee machine\"}},\n"                                                  \
    "    instructions = \"Call the vendor.\",\n"                                                   \
    "    samples = {match = {{source = \"written\", summary = \"coffee machine\"}}},\n"            \
    "}\n"

static const char coffee_ticket[] = "{\"summary\":\"coffee machine broken\",\"details\":\"\"}";

typedef struct {
    struct event_base *base;
    char *root;
    halyard_config config;
    halyard_script_reload *reload;
    size_t builds_ended;
    bool last_serving;
    char last_message[1024];
} fixture;

/* ---- helpers ---------------------------------------------------------------------------- */

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int remove_entry(const char *path, const struct stat *info, int flag, struct FTW *ftw)
{
    (void)info;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void write_workflow(fixture *f, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/acme", f->root);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/acme/workflows", f->root);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/acme/workflows/coffee.lua", f->root);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    if (name != NULL) {
        fprintf(file, WORKFLOW_TEMPLATE, name);
    } else {
        fputs("return {\n  name = 'x',\n  status = \n}\n", file);
    }
    fclose(file);
}

static void on_build_ended(const char *msp, bool serving, const char *message, void *argument)
{
    fixture *f = argument;
    assert_string_equal(msp, "acme");
    f->builds_ended++;
    f->last_serving = serving;
    snprintf(f->last_message, sizeof f->last_message, "%s", message);
}

static void on_tick(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    event_base_loopbreak(argument);
}

static void run_for(fixture *f, long long milliseconds)
{
    struct event *tick = evtimer_new(f->base, on_tick, f->base);
    struct timeval delay = {(time_t)(milliseconds / 1000),
                            (suseconds_t)(milliseconds % 1000) * 1000};
    evtimer_add(tick, &delay);
    event_base_dispatch(f->base);
    event_free(tick);
}

/* Runs the loop until count builds ended; fails the test after BUILD_TIMEOUT_MS. */
static void wait_for_builds(fixture *f, size_t count)
{
    long long deadline = monotonic_ms() + BUILD_TIMEOUT_MS;
    while (f->builds_ended < count && monotonic_ms() < deadline) {
        run_for(f, 10);
    }
    if (f->builds_ended < count) {
        fail_msg("expected %zu builds within %d ms, got %zu", count, BUILD_TIMEOUT_MS,
                 f->builds_ended);
    }
}

static long long serving_number(fixture *f)
{
    halyard_script_version *version = halyard_script_reload_acquire(f->reload, "acme");
    long long number = version != NULL ? halyard_script_version_number(version) : 0;
    halyard_script_version_release(version);
    return number;
}

/* Returns the version's match result for the coffee ticket (malloc'd JSON). */
static char *match_coffee(halyard_script_version *version)
{
    char *matches = NULL;
    char message[1024] = "";
    if (halyard_lua_host_match(halyard_script_version_host(version), coffee_ticket, NULL, &matches,
                               message, sizeof message) != 0) {
        fail_msg("match failed: %s", message);
    }
    return matches;
}

static char *status(fixture *f)
{
    char *json = NULL;
    char message[256] = "";
    assert_int_equal(
        halyard_script_reload_status(f->reload, "acme", &json, message, sizeof message), 0);
    return json;
}

static void start(fixture *f, halyard_script_watch_method watch)
{
    f->config.script_reload.watch = watch;
    f->config.script_reload.debounce_ms = 20;
    char message[512] = "";
    if (halyard_script_reload_start(f->base, &f->config, &f->reload, message, sizeof message) !=
        0) {
        fail_msg("reload not started: %s", message);
    }
    halyard_script_reload_set_listener(f->reload, on_build_ended, f);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->base = event_base_new();
    assert_non_null(f->base);
    f->root = strdup("/tmp/halyard-reload-XXXXXX");
    assert_non_null(mkdtemp(f->root));
    char message[256];
    assert_int_equal(halyard_config_load(NULL, &f->config, message, sizeof message), 0);
    f->config.scripts_dir = strdup(f->root);
    write_workflow(f, "Coffee machine");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    halyard_script_reload_free(f->reload);
    event_base_free(f->base);
    halyard_config_free(&f->config);
    nftw(f->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f->root);
    free(f);
    return 0;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void first_load_serves_version_one(void **state)
{
    fixture *f = *state;
    start(f, HALYARD_SCRIPT_WATCH_OFF);
    assert_false(halyard_script_reload_serving(f->reload, "acme"));
    assert_null(halyard_script_reload_acquire(f->reload, "acme"));

    halyard_script_reload_load(f->reload, "acme");
    wait_for_builds(f, 1);

    assert_true(f->last_serving);
    assert_string_equal(f->last_message, "");
    assert_true(halyard_script_reload_serving(f->reload, "acme"));
    assert_int_equal(serving_number(f), 1);
}

/* A serving version's host is built without the workflows' samples, which only `halyard
 * workflows test` reads, so each MSP's state is smaller by them. It matches as before. */
static void serving_version_keeps_no_samples(void **state)
{
    fixture *f = *state;
    start(f, HALYARD_SCRIPT_WATCH_OFF);
    halyard_script_reload_load(f->reload, "acme");
    wait_for_builds(f, 1);
    halyard_script_version *version = halyard_script_reload_acquire(f->reload, "acme");
    assert_non_null(version);

    char *report = NULL;
    char message[1024] = "";
    assert_int_equal(halyard_lua_host_check_samples(halyard_script_version_host(version), &report,
                                                    message, sizeof message),
                     -1);
    assert_null(report);
    assert_non_null(strstr(message, "serving option"));

    char *matches = match_coffee(version);
    assert_non_null(strstr(matches, "Coffee machine"));
    free(matches);
    halyard_script_version_release(version);
}

static void held_version_outlives_swap(void **state)
{
    fixture *f = *state;
    start(f, HALYARD_SCRIPT_WATCH_OFF);
    halyard_script_reload_load(f->reload, "acme");
    wait_for_builds(f, 1);
    halyard_script_version *first = halyard_script_reload_acquire(f->reload, "acme");

    write_workflow(f, "Coffee machine v2");
    halyard_script_reload_request(f->reload, "acme", 0);
    wait_for_builds(f, 2);

    /* New runs get version 2. The first version, still held, runs on its own state. */
    halyard_script_version *current = halyard_script_reload_acquire(f->reload, "acme");
    assert_int_equal(halyard_script_version_number(current), 2);
    char *new_matches = match_coffee(current);
    char *old_matches = match_coffee(first);
    assert_non_null(strstr(new_matches, "Coffee machine v2"));
    assert_null(strstr(old_matches, "Coffee machine v2"));
    assert_non_null(strstr(old_matches, "Coffee machine"));
    char *json = status(f);
    assert_non_null(strstr(json, "\"retired_versions_in_use\":1"));
    free(json);

    halyard_script_version_release(first);
    json = status(f);
    assert_non_null(strstr(json, "\"retired_versions_in_use\":0"));
    free(json);
    halyard_script_version_release(current);
    free(new_matches);
    free(old_matches);
}

static void broken_edit_reported_with_line(void **state)
{
    fixture *f = *state;
    start(f, HALYARD_SCRIPT_WATCH_OFF);
    halyard_script_reload_load(f->reload, "acme");
    wait_for_builds(f, 1);

    write_workflow(f, NULL);
    halyard_script_reload_request(f->reload, "acme", 0);
    wait_for_builds(f, 2);

    char *json = status(f);
    char file[1200];
    snprintf(file, sizeof file, "\"file\":\"%s/acme/workflows/coffee.lua\"", f->root);
    assert_non_null(strstr(json, "\"version\":2"));
    assert_non_null(strstr(json, "\"serving\":\"previous\""));
    assert_non_null(strstr(json, "\"line\":4"));
    if (strstr(json, file) == NULL) {
        fail_msg("no problem of %s in %s", file, json);
    }
    free(json);
    halyard_script_version *version = halyard_script_reload_acquire(f->reload, "acme");
    char *matches = match_coffee(version);
    assert_non_null(strstr(matches, "\"workflow\":\"Coffee machine\""));
    free(matches);
    halyard_script_version_release(version);

    /* Fixed, the file serves its new text and the problem is gone. */
    write_workflow(f, "Coffee machine v3");
    halyard_script_reload_request(f->reload, "acme", 0);
    wait_for_builds(f, 3);
    json = status(f);
    assert_non_null(strstr(json, "\"problems\":[]"));
    free(json);
}

static void requests_during_build_coalesce(void **state)
{
    fixture *f = *state;
    start(f, HALYARD_SCRIPT_WATCH_OFF);
    halyard_script_reload_load(f->reload, "acme");
    wait_for_builds(f, 1);

    /* The first starts a build; the others, while it runs, ask for one more build only. */
    halyard_script_reload_request(f->reload, "acme", 0);
    halyard_script_reload_request(f->reload, "acme", 0);
    halyard_script_reload_request(f->reload, NULL, 0);
    wait_for_builds(f, 3);
    run_for(f, 200);

    assert_int_equal(f->builds_ended, 3);
    assert_int_equal(serving_number(f), 3);
}

static void file_change_reloads_through_watch(void **state)
{
    fixture *f = *state;
    start(f, HALYARD_SCRIPT_WATCH_POLLING);
    halyard_script_reload_load(f->reload, "acme");
    wait_for_builds(f, 1);

    write_workflow(f, "Coffee machine, watched");
    wait_for_builds(f, 2);

    halyard_script_version *version = halyard_script_reload_acquire(f->reload, "acme");
    char *matches = match_coffee(version);
    assert_non_null(strstr(matches, "Coffee machine, watched"));
    free(matches);
    halyard_script_version_release(version);
    char *json = status(f);
    assert_non_null(strstr(json, "\"watch\":\"polling\""));
    assert_null(strstr(json, "\"change_seen_at\":null"));
    free(json);
}

static void unknown_msp_not_loaded(void **state)
{
    fixture *f = *state;
    start(f, HALYARD_SCRIPT_WATCH_OFF);

    halyard_script_reload_request(f->reload, "acme", 0);
    run_for(f, 100);

    assert_int_equal(f->builds_ended, 0);
    char *json = status(f);
    assert_non_null(strstr(json, "\"state\":\"not_loaded\""));
    assert_non_null(strstr(json, "\"version\":null"));
    free(json);
}

static void missing_share_folder_fails_build(void **state)
{
    fixture *f = *state;
    setenv("HALYARD_SHARE_DIR", f->root, 1);
    start(f, HALYARD_SCRIPT_WATCH_OFF);

    halyard_script_reload_load(f->reload, "acme");
    wait_for_builds(f, 1);
    unsetenv("HALYARD_SHARE_DIR");

    assert_false(f->last_serving);
    assert_non_null(strstr(f->last_message, "HALYARD_SHARE_DIR"));
    char *json = status(f);
    assert_non_null(strstr(json, "\"state\":\"failed\""));
    assert_non_null(strstr(json, "HALYARD_SHARE_DIR"));
    free(json);
}

int main(void)
{
    halyard_log_configure(HALYARD_LOG_ERROR, stderr);
    assert_int_equal(evthread_use_pthreads(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_load_serves_version_one, setup, teardown),
        cmocka_unit_test_setup_teardown(serving_version_keeps_no_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(held_version_outlives_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_edit_reported_with_line, setup, teardown),
        cmocka_unit_test_setup_teardown(requests_during_build_coalesce, setup, teardown),
        cmocka_unit_test_setup_teardown(file_change_reloads_through_watch, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_msp_not_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_share_folder_fails_build, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
