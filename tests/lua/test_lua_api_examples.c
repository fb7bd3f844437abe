/*
 * Runs the examples of docs/lua-api.md. Every ```lua block under the sections of the json,
 * log, store, text, redact and clock modules becomes a policy file of its own, loaded by a real host
 * with a real database. An example that no longer runs fails here with its file and line.
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

#include "lua_host.h"
#include "store.h"
#include "test_folder.h"

#define SOURCE_DIR HALYARD_SOURCE_DIR

/* The sections whose examples this test runs; other sections may need a live HaloPSA. */
static const char *const tested_sections[] = {"## json", "## log",    "## store",
                                              "## text", "## redact", "## clock"};

static char *read_document(const char *path)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    assert_int_equal(fseek(file, 0, SEEK_END), 0);
    long size = ftell(file);
    assert_true(size > 0);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, file), (size_t)size);
    text[size] = '\0';
    fclose(file);
    return text;
}

/* Returns the index in tested_sections of the heading line, or -1 for another section. */
static int tested_section_of(const char *line)
{
    for (size_t i = 0; i < sizeof tested_sections / sizeof tested_sections[0]; i++) {
        size_t length = strlen(tested_sections[i]);
        if (strncmp(line, tested_sections[i], length) == 0 &&
            (line[length] == '\n' || line[length] == ' ')) {
            return (int)i;
        }
    }
    return -1;
}

/* Writes each tested ```lua block of document as <dir>/policies/example_NN.lua, ending it with
 * "return {}", and counts the blocks of each tested section in counts. */
static void write_examples(const char *document, const char *dir, int *counts)
{
    char folder[600];
    snprintf(folder, sizeof folder, "%s/policies", dir);
    assert_int_equal(mkdir(folder, 0700), 0);

    int written = 0;
    int section = -1;
    const char *line = document;
    while (*line != '\0') {
        if (strncmp(line, "## ", 3) == 0) {
            section = tested_section_of(line);
        }
        if (section >= 0 && strncmp(line, "```lua\n", 7) == 0) {
            const char *start = line + 7;
            const char *end = strstr(start, "\n```");
            assert_non_null(end);
            char path[700];
            snprintf(path, sizeof path, "%s/example_%02d.lua", folder, ++written);
            FILE *file = fopen(path, "w");
            assert_non_null(file);
            fwrite(start, 1, (size_t)(end - start) + 1, file);
            fputs("return {}\n", file);
            fclose(file);
            counts[section]++;
            line = end + 4;
        }
        const char *next = strchr(line, '\n');
        if (next == NULL) {
            break;
        }
        line = next + 1;
    }
}

static void documented_examples_run(void **state)
{
    (void)state;
    char dir[] = "/tmp/halyard-api-examples-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *document = read_document(SOURCE_DIR "/docs/lua-api.md");
    int counts[sizeof tested_sections / sizeof tested_sections[0]] = {0};
    write_examples(document, dir, counts);
    free(document);

    /* Every module's section has examples; a section without any means the extraction broke. */
    for (size_t i = 0; i < sizeof tested_sections / sizeof tested_sections[0]; i++) {
        if (counts[i] == 0) {
            fail_msg("no ```lua example found under \"%s\"", tested_sections[i]);
        }
    }

    char database_path[600];
    snprintf(database_path, sizeof database_path, "%s/halyard.db", dir);
    halyard_store *store = NULL;
    char message[2048];
    if (halyard_store_open(database_path, &store, message, sizeof message) != 0) {
        fail_msg("database not created: %s", message);
    }
    halyard_store_close(store);

    halyard_lua_host_options options = {.msp = "default",
                                        .share_dir = SOURCE_DIR,
                                        .msp_script_dir = dir,
                                        .store_database_path = database_path,
                                        .store_msp_id = 1};
    halyard_lua_host *host = NULL;
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fail_msg("host not created: %s", message);
    }
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        print_message("example failed: %s\n", halyard_lua_host_problem(host, i));
    }
    assert_int_equal(halyard_lua_host_problem_count(host), 0);

    halyard_lua_host_destroy(host);
    test_folder_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documented_examples_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
