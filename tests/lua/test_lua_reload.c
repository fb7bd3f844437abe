/*
 * Tests of a Lua host built to replace another (hot reload): a file whose new text fails keeps
 * the text that served before, and every host records what serves for each file.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "lua_host.h"
#include "test_folder.h"

#define SOURCE_DIR HALYARD_SOURCE_DIR

/* A valid workflow; tests format its name and the phrase it matches into it. */
#define WORKFLOW_TEMPLATE                                                                          \
    "return {\n"                                                                                   \
    "    name = \"%s\",\n"                                                                         \
    "    status = \"active\",\n"                                                                   \
    "    scope = \"all\",\n"                                                                       \
    "    trigger = \"A ticket mentions %s.\",\n"                                                   \
    "    match = {any = {\"%s\"}},\n"                                                              \
    "    instructions = \"Call the vendor.\",\n"                                                   \
    "    samples = {match = {{source = \"written\", summary = \"%s\", details = \"\"}}},\n"        \
    "}\n"

static const char coffee_ticket[] = "{\"summary\":\"coffee machine broken\",\"details\":\"\"}";

/* ---- helpers ---------------------------------------------------------------------------- */

static char *make_temp_dir(const char *pattern)
{
    return test_folder_make(pattern);
}

static void remove_tree(char *path)
{
    test_folder_remove(path);
    free(path);
}

/* Writes text to <dir>/<relative>, making the one folder level between them. */
static void write_text(const char *dir, const char *relative, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, relative);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fputs(text, file) >= 0, 1);
    fclose(file);
}

static void write_workflow(const char *dir, const char *file, const char *name, const char *phrase)
{
    char text[2048];
    snprintf(text, sizeof text, WORKFLOW_TEMPLATE, name, phrase, phrase, phrase);
    char relative[256];
    snprintf(relative, sizeof relative, "workflows/%s", file);
    write_text(dir, relative, text);
}

/* Creates a host of the shipped scripts and dir's, replacing previous (may be NULL). */
static halyard_lua_host *create_host(const char *dir, const halyard_lua_host *previous,
                                     unsigned long long instruction_limit)
{
    halyard_lua_host_options options = {.msp = "test",
                                        .share_dir = SOURCE_DIR,
                                        .msp_script_dir = dir,
                                        .previous = previous,
                                        .instruction_limit = instruction_limit};
    halyard_lua_host *host = NULL;
    char message[4096] = "";
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fail_msg("host not created: %s", message);
    }
    return host;
}

/* Returns the host's record of the file whose path ends with suffix; fails the test when none. */
static const halyard_lua_file *file_ending(const halyard_lua_host *host, const char *suffix)
{
    size_t suffix_length = strlen(suffix);
    for (size_t i = 0; i < halyard_lua_host_file_count(host); i++) {
        const halyard_lua_file *file = halyard_lua_host_file(host, i);
        size_t length = strlen(file->path);
        if (length >= suffix_length && strcmp(file->path + length - suffix_length, suffix) == 0) {
            return file;
        }
    }
    fail_msg("no file ending with %s", suffix);
    return NULL;
}

/* Returns the problems of a file joined by newlines, in a static buffer. */
static const char *problems_of(const halyard_lua_host *host, const halyard_lua_file *file)
{
    static char text[8192];
    text[0] = '\0';
    for (size_t i = 0; i < file->problem_count; i++) {
        const char *problem = halyard_lua_host_problem(host, file->first_problem + i);
        assert_non_null(problem);
        strncat(text, problem, sizeof text - strlen(text) - 2);
        strcat(text, "\n");
    }
    return text;
}

/* Returns the names of the workflows a ticket matches, joined by "|" (malloc'd). */
static char *matched(halyard_lua_host *host, const char *ticket_json)
{
    char *matches = NULL;
    char message[2048] = "";
    if (halyard_lua_host_match(host, ticket_json, NULL, &matches, message, sizeof message) != 0) {
        fail_msg("match failed: %s", message);
    }
    return matches;
}

static void assert_matches_workflow(halyard_lua_host *host, const char *ticket_json,
                                    const char *name)
{
    char *matches = matched(host, ticket_json);
    char quoted[256];
    snprintf(quoted, sizeof quoted, "\"workflow\":\"%s\"", name);
    if (strstr(matches, quoted) == NULL) {
        fail_msg("expected a match of %s, got %s", name, matches);
    }
    free(matches);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void every_file_recorded_as_loaded(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "coffee.lua", "Coffee machine", "coffee machine");

    halyard_lua_host *host = create_host(dir, NULL, 0);

    const halyard_lua_file *file = file_ending(host, "/coffee.lua");
    assert_int_equal(file->state, HALYARD_LUA_FILE_LOADED);
    assert_string_equal(file->kind, "workflow");
    assert_string_equal(file->serving_path, file->path);
    assert_int_equal(file->problem_count, 0);
    assert_true(halyard_lua_host_file_count(host) >= halyard_lua_host_workflow_count(host));
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void syntax_error_keeps_previous_text(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "coffee.lua", "Coffee machine", "coffee machine");
    halyard_lua_host *first = create_host(dir, NULL, 0);
    write_text(dir, "workflows/coffee.lua", "return {\n  name = 'x',\n  status = \n}\n");

    halyard_lua_host *second = create_host(dir, first, 0);

    const halyard_lua_file *file = file_ending(second, "/coffee.lua");
    assert_int_equal(file->state, HALYARD_LUA_FILE_PREVIOUS);
    assert_string_equal(file->serving_path, file->path);
    assert_int_equal(file->problem_count, 1);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s/workflows/coffee.lua:4:", dir);
    assert_non_null(strstr(problems_of(second, file), expected));
    assert_int_equal(halyard_lua_host_workflow_count(second),
                     halyard_lua_host_workflow_count(first));
    assert_matches_workflow(second, coffee_ticket, "Coffee machine");
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

static void invalid_field_keeps_previous_text(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "coffee.lua", "Coffee machine", "coffee machine");
    halyard_lua_host *first = create_host(dir, NULL, 0);
    write_text(dir, "workflows/coffee.lua",
               "return {\n  name = 'Coffee machine v2',\n  status = 'enabled',\n"
               "  scope = 'all', trigger = 'x', match = {any = {'coffee'}},\n"
               "  instructions = 'x',\n"
               "  samples = {match = {{source = 'written', summary = 'coffee'}}},\n}\n");

    halyard_lua_host *second = create_host(dir, first, 0);

    const halyard_lua_file *file = file_ending(second, "/coffee.lua");
    assert_int_equal(file->state, HALYARD_LUA_FILE_PREVIOUS);
    assert_non_null(strstr(problems_of(second, file), "coffee.lua:3: status is \"enabled\""));
    assert_matches_workflow(second, coffee_ticket, "Coffee machine");
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

static void runaway_top_level_keeps_previous_text(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "coffee.lua", "Coffee machine", "coffee machine");
    halyard_lua_host *first = create_host(dir, NULL, 1000000);
    write_text(dir, "workflows/coffee.lua", "local n = 0\n\nwhile true do\n  n = n + 1\nend\n");

    halyard_lua_host *second = create_host(dir, first, 1000000);

    const halyard_lua_file *file = file_ending(second, "/coffee.lua");
    assert_int_equal(file->state, HALYARD_LUA_FILE_PREVIOUS);
    const char *problems = problems_of(second, file);
    assert_non_null(strstr(problems, "timeout"));

    /* The line is the loop's, read from the traceback, not a stand-in line 1. */
    char loop_line_3[1024];
    char loop_line_4[1024];
    snprintf(loop_line_3, sizeof loop_line_3, "%s/workflows/coffee.lua:3:", dir);
    snprintf(loop_line_4, sizeof loop_line_4, "%s/workflows/coffee.lua:4:", dir);
    if (strstr(problems, loop_line_3) == NULL && strstr(problems, loop_line_4) == NULL) {
        fail_msg("the problem does not name the loop's line: %s", problems);
    }
    assert_matches_workflow(second, coffee_ticket, "Coffee machine");
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

static void valid_edit_replaces_text(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "coffee.lua", "Coffee machine", "coffee machine");
    halyard_lua_host *first = create_host(dir, NULL, 0);
    write_workflow(dir, "coffee.lua", "Coffee machine v2", "coffee machine");

    halyard_lua_host *second = create_host(dir, first, 0);

    assert_int_equal(file_ending(second, "/coffee.lua")->state, HALYARD_LUA_FILE_LOADED);
    assert_matches_workflow(second, coffee_ticket, "Coffee machine v2");
    assert_matches_workflow(first, coffee_ticket, "Coffee machine");
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

static void new_broken_file_skipped(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    halyard_lua_host *first = create_host(dir, NULL, 0);
    write_text(dir, "workflows/tea.lua", "return {\n  name = \n}\n");

    halyard_lua_host *second = create_host(dir, first, 0);

    const halyard_lua_file *file = file_ending(second, "/tea.lua");
    assert_int_equal(file->state, HALYARD_LUA_FILE_SKIPPED);
    assert_null(file->serving_path);
    assert_int_equal(file->problem_count, 1);
    assert_int_equal(halyard_lua_host_workflow_count(second),
                     halyard_lua_host_workflow_count(first));
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

static void broken_override_keeps_shipped_text(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    halyard_lua_host *first = create_host(dir, NULL, 0);
    write_text(dir, "workflows/password_reset.lua", "return {\n  name = 'Ours',\n  status = \n}\n");

    halyard_lua_host *second = create_host(dir, first, 0);

    const halyard_lua_file *file = file_ending(second, "/password_reset.lua");
    assert_int_equal(file->state, HALYARD_LUA_FILE_PREVIOUS);
    assert_string_equal(file->serving_path, SOURCE_DIR "/workflows/password_reset.lua");
    assert_non_null(strstr(file->path, dir));
    assert_int_equal(halyard_lua_host_workflow_count(second),
                     halyard_lua_host_workflow_count(first));
    assert_matches_workflow(second,
                            "{\"summary\":\"forgot my password\",\"details\":\"please reset it\"}",
                            "Password reset");
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

static void previous_text_survives_reloads(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "coffee.lua", "Coffee machine", "coffee machine");
    halyard_lua_host *first = create_host(dir, NULL, 0);
    write_text(dir, "workflows/coffee.lua", "return {\n  name = \n}\n");
    halyard_lua_host *second = create_host(dir, first, 0);
    halyard_lua_host_destroy(first);

    write_text(dir, "workflows/coffee.lua", "return {\n  status = \n}\n");
    halyard_lua_host *third = create_host(dir, second, 0);

    assert_int_equal(file_ending(third, "/coffee.lua")->state, HALYARD_LUA_FILE_PREVIOUS);
    assert_matches_workflow(third, coffee_ticket, "Coffee machine");
    halyard_lua_host_destroy(third);
    halyard_lua_host_destroy(second);
    remove_tree(dir);
}

static void unchanged_failing_file_reported_once(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "b_coffee.lua", "Coffee machine", "coffee machine");
    halyard_lua_host *first = create_host(dir, NULL, 0);

    /* A new file takes the name; the unchanged file now fails, for a reason outside it. */
    write_workflow(dir, "a_coffee.lua", "Coffee machine", "espresso");
    halyard_lua_host *second = create_host(dir, first, 0);

    const halyard_lua_file *file = file_ending(second, "/b_coffee.lua");
    assert_int_equal(file->state, HALYARD_LUA_FILE_SKIPPED);
    assert_int_equal(file->problem_count, 1);
    assert_non_null(strstr(problems_of(second, file), "is already used by"));
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

static void deleted_file_is_gone(void **state)
{
    (void)state;
    char *dir = make_temp_dir("/tmp/halyard-reload-XXXXXX");
    write_workflow(dir, "coffee.lua", "Coffee machine", "coffee machine");
    halyard_lua_host *first = create_host(dir, NULL, 0);
    char path[1024];
    snprintf(path, sizeof path, "%s/workflows/coffee.lua", dir);
    assert_int_equal(unlink(path), 0);

    halyard_lua_host *second = create_host(dir, first, 0);

    assert_int_equal(halyard_lua_host_workflow_count(second),
                     halyard_lua_host_workflow_count(first) - 1);
    char *matches = matched(second, coffee_ticket);
    assert_null(strstr(matches, "Coffee machine"));
    free(matches);
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
    remove_tree(dir);
}

/* Regression: Lua shortens chunk names longer than 59 characters to "..." and a tail, so a
 * syntax error in a file deep in a folder was reported without its path. */
static void long_path_problem_names_whole_path(void **state)
{
    (void)state;
    char *dir =
        make_temp_dir("/tmp/halyard-reload-a-folder-name-long-enough-to-be-shortened-XXXXXX");
    write_text(dir, "workflows/broken.lua", "return {\n  name = 'x',\n  status = \n}\n");

    halyard_lua_host *host = create_host(dir, NULL, 0);

    const halyard_lua_file *file = file_ending(host, "/broken.lua");
    char expected[1024];
    snprintf(expected, sizeof expected, "%s/workflows/broken.lua:4:", dir);
    const char *problems = problems_of(host, file);
    if (strncmp(problems, expected, strlen(expected)) != 0) {
        fail_msg("expected a problem starting with %s, got %s", expected, problems);
    }
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void cancelled_load_fails(void **state)
{
    (void)state;
    atomic_int cancel;
    atomic_init(&cancel, 1);
    halyard_lua_host_options options = {.msp = "test", .share_dir = SOURCE_DIR, .cancel = &cancel};
    halyard_lua_host *host = NULL;
    char message[1024] = "";

    assert_int_equal(halyard_lua_host_create(&options, &host, message, sizeof message), -1);

    assert_null(host);
    assert_non_null(strstr(message, "cancelled"));
}

int main(void)
{
    halyard_log_configure(HALYARD_LOG_ERROR, stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_file_recorded_as_loaded),
        cmocka_unit_test(syntax_error_keeps_previous_text),
        cmocka_unit_test(invalid_field_keeps_previous_text),
        cmocka_unit_test(runaway_top_level_keeps_previous_text),
        cmocka_unit_test(valid_edit_replaces_text),
        cmocka_unit_test(new_broken_file_skipped),
        cmocka_unit_test(broken_override_keeps_shipped_text),
        cmocka_unit_test(previous_text_survives_reloads),
        cmocka_unit_test(unchanged_failing_file_reported_once),
        cmocka_unit_test(deleted_file_is_gone),
        cmocka_unit_test(long_path_problem_names_whole_path),
        cmocka_unit_test(cancelled_load_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
