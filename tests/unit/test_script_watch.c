/*
 * Tests of the script watch (core/app/script_watch.c) with inotify and with polling, on real
 * folders and a real event loop. Waits poll until a condition is true or a deadline passes.
 * Only the tests of ignored files and of debouncing wait a fixed while, to see that no further
 * report comes.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/event.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "script_watch.h"

/* How long a test waits for a report before it fails. */
#define REPORT_TIMEOUT_MS 10000

#define MAX_REPORTS 64

typedef struct {
    struct event_base *base;
    char *share;
    char *root;
    halyard_script_watch *watch;
    char reports[MAX_REPORTS][64]; /* "<shipped>" for the shipped scripts */
    long long changed_at[MAX_REPORTS];
    size_t report_count;
} fixture;

/* ---- helpers ---------------------------------------------------------------------------- */

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static char *make_temp_dir(void)
{
    char *path = strdup("/tmp/halyard-watch-XXXXXX");
    assert_non_null(path);
    assert_non_null(mkdtemp(path));
    return path;
}

static int remove_entry(const char *path, const struct stat *info, int flag, struct FTW *ftw)
{
    (void)info;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void make_folder(const char *base, const char *relative)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", base, relative);
    for (char *slash = strchr(path + strlen(base) + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    mkdir(path, 0700);
}

static void write_text(const char *base, const char *relative, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", base, relative);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

static void on_report(const char *msp, long long changed_at_ms, void *argument)
{
    fixture *f = argument;
    if (f->report_count < MAX_REPORTS) {
        snprintf(f->reports[f->report_count], sizeof f->reports[0], "%s",
                 msp != NULL ? msp : "<shipped>");
        f->changed_at[f->report_count] = changed_at_ms;
    }
    f->report_count++;
}

static void start_watch(fixture *f, halyard_script_watch_method method, long long debounce_ms)
{
    halyard_script_watch_options options = {
        .base = f->base,
        .share_dir = f->share,
        .scripts_root = f->root,
        .method = method,
        .poll_ms = 100,
        .debounce_ms = debounce_ms,
        .callback = on_report,
        .argument = f,
    };
    char message[512] = "";
    if (halyard_script_watch_start(&options, &f->watch, message, sizeof message) != 0) {
        fail_msg("watch not started: %s", message);
    }
}

static void on_tick(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    event_base_loopbreak(argument);
}

/* Runs the loop for about milliseconds. */
static void run_for(fixture *f, long long milliseconds)
{
    struct event *tick = evtimer_new(f->base, on_tick, f->base);
    struct timeval delay = {(time_t)(milliseconds / 1000),
                            (suseconds_t)(milliseconds % 1000) * 1000};
    evtimer_add(tick, &delay);
    event_base_dispatch(f->base);
    event_free(tick);
}

/* Runs the loop until count reports came; fails the test after REPORT_TIMEOUT_MS. */
static void wait_for_reports(fixture *f, size_t count)
{
    long long deadline = monotonic_ms() + REPORT_TIMEOUT_MS;
    while (f->report_count < count && monotonic_ms() < deadline) {
        run_for(f, 20);
    }
    if (f->report_count < count) {
        fail_msg("expected %zu reports within %d ms, got %zu", count, REPORT_TIMEOUT_MS,
                 f->report_count);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->base = event_base_new();
    f->share = make_temp_dir();
    f->root = make_temp_dir();
    make_folder(f->share, "workflows");
    make_folder(f->share, "config/policies");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    halyard_script_watch_free(f->watch);
    event_base_free(f->base);
    nftw(f->share, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    nftw(f->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f->share);
    free(f->root);
    free(f);
    return 0;
}

/* ---- tests, run once with inotify and once with polling --------------------------------- */

static void msp_file_written_reported(void **state, halyard_script_watch_method method)
{
    fixture *f = *state;
    make_folder(f->root, "acme/workflows");
    start_watch(f, method, 50);
    long long before = (long long)time(NULL) * 1000 - 1000;

    write_text(f->root, "acme/workflows/coffee.lua", "return {}\n");

    wait_for_reports(f, 1);
    assert_string_equal(f->reports[0], "acme");
    assert_true(f->changed_at[0] >= before);
}

static void shipped_file_reported_as_shipped(void **state, halyard_script_watch_method method)
{
    fixture *f = *state;
    start_watch(f, method, 50);

    write_text(f->share, "config/policies/tools.lua", "return {}\n");

    wait_for_reports(f, 1);
    assert_string_equal(f->reports[0], "<shipped>");
}

static void folder_made_later_reported(void **state, halyard_script_watch_method method)
{
    fixture *f = *state;
    char *top = f->root;
    char root[1100];
    snprintf(root, sizeof root, "%s/later", top);
    f->root = root; /* the root itself does not exist yet */
    start_watch(f, method, 50);

    make_folder(top, "later/globex/policies");
    write_text(root, "globex/policies/approval.lua", "return {}\n");

    wait_for_reports(f, 1);
    assert_string_equal(f->reports[0], "globex");

    /* The new folder is watched from now on. */
    size_t seen = f->report_count;
    write_text(root, "globex/policies/tools.lua", "return {}\n");
    wait_for_reports(f, seen + 1);
    assert_string_equal(f->reports[seen], "globex");
    f->root = top;
}

static void renamed_and_deleted_reported(void **state, halyard_script_watch_method method)
{
    fixture *f = *state;
    make_folder(f->root, "acme/workflows");
    write_text(f->root, "acme/workflows/a.lua", "return {}\n");
    start_watch(f, method, 50);
    char from[1200];
    char to[1200];
    snprintf(from, sizeof from, "%s/acme/workflows/a.lua", f->root);
    snprintf(to, sizeof to, "%s/acme/workflows/b.lua", f->root);

    assert_int_equal(rename(from, to), 0);
    wait_for_reports(f, 1);
    assert_int_equal(unlink(to), 0);
    wait_for_reports(f, 2);

    assert_string_equal(f->reports[0], "acme");
    assert_string_equal(f->reports[1], "acme");
}

static void other_files_ignored(void **state, halyard_script_watch_method method)
{
    fixture *f = *state;
    make_folder(f->root, "acme/workflows");
    start_watch(f, method, 50);

    write_text(f->root, "acme/workflows/.coffee.lua.swp", "x");
    write_text(f->root, "acme/workflows/notes.txt", "x");
    run_for(f, 600);
    assert_int_equal(f->report_count, 0);

    /* The watch works: a script file is reported. */
    write_text(f->root, "acme/workflows/coffee.lua", "return {}\n");
    wait_for_reports(f, 1);
    assert_string_equal(f->reports[0], "acme");
}

static void burst_reported_once(void **state, halyard_script_watch_method method)
{
    fixture *f = *state;
    make_folder(f->root, "acme/workflows");
    start_watch(f, method, 300);

    /* An editor's save: several writes and a rename, well inside the debounce time. */
    for (int i = 0; i < 10; i++) {
        char text[64];
        snprintf(text, sizeof text, "return {} -- %d\n", i);
        write_text(f->root, "acme/workflows/coffee.lua.tmp", text);
        char from[1200];
        char to[1200];
        snprintf(from, sizeof from, "%s/acme/workflows/coffee.lua.tmp", f->root);
        snprintf(to, sizeof to, "%s/acme/workflows/coffee.lua", f->root);
        assert_int_equal(rename(from, to), 0);
    }

    wait_for_reports(f, 1);
    run_for(f, 1000);
    assert_int_equal(f->report_count, 1);
}

#define BOTH_METHODS(name)                                                                         \
    static void name##_inotify(void **state)                                                       \
    {                                                                                              \
        name(state, HALYARD_SCRIPT_WATCH_INOTIFY);                                                 \
        assert_string_equal(halyard_script_watch_method_name(((fixture *)*state)->watch),          \
                            "inotify");                                                            \
    }                                                                                              \
    static void name##_polling(void **state)                                                       \
    {                                                                                              \
        name(state, HALYARD_SCRIPT_WATCH_POLLING);                                                 \
        assert_string_equal(halyard_script_watch_method_name(((fixture *)*state)->watch),          \
                            "polling");                                                            \
    }

BOTH_METHODS(msp_file_written_reported)
BOTH_METHODS(shipped_file_reported_as_shipped)
BOTH_METHODS(folder_made_later_reported)
BOTH_METHODS(renamed_and_deleted_reported)
BOTH_METHODS(other_files_ignored)
BOTH_METHODS(burst_reported_once)

static void off_reports_nothing(void **state)
{
    fixture *f = *state;
    make_folder(f->root, "acme/workflows");
    start_watch(f, HALYARD_SCRIPT_WATCH_OFF, 50);

    write_text(f->root, "acme/workflows/coffee.lua", "return {}\n");
    run_for(f, 400);

    assert_int_equal(f->report_count, 0);
    assert_string_equal(halyard_script_watch_method_name(f->watch), "off");
}

#define BOTH(name)                                                                                 \
    cmocka_unit_test_setup_teardown(name##_inotify, setup, teardown),                              \
        cmocka_unit_test_setup_teardown(name##_polling, setup, teardown)

int main(void)
{
    halyard_log_configure(HALYARD_LOG_ERROR, stderr);
    const struct CMUnitTest tests[] = {
        BOTH(msp_file_written_reported),
        BOTH(shipped_file_reported_as_shipped),
        BOTH(folder_made_later_reported),
        BOTH(renamed_and_deleted_reported),
        BOTH(other_files_ignored),
        BOTH(burst_reported_once),
        cmocka_unit_test_setup_teardown(off_reports_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
