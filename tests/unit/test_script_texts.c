#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "script_texts.h"
#include "store.h"

typedef struct {
    char folder[64];
    char path[128];
    halyard_store *store;
} fixture;

static int open_fixture(void **state)
{
    fixture *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    strcpy(scratch->folder, "/tmp/halyard-script-texts-XXXXXX");
    assert_non_null(mkdtemp(scratch->folder));
    snprintf(scratch->path, sizeof scratch->path, "%s/halyard.db", scratch->folder);
    char message[256] = "";
    assert_int_equal(halyard_store_open(scratch->path, &scratch->store, message, sizeof message),
                     0);
    assert_int_equal(halyard_store_execute(scratch->store,
                                           "INSERT INTO msps (name) VALUES ('acme')",
                                           "adding an MSP", message, sizeof message),
                     0);
    *state = scratch;
    return 0;
}

static int close_fixture(void **state)
{
    fixture *scratch = *state;
    halyard_store_close(scratch->store);
    char command[256];
    snprintf(command, sizeof command, "rm -rf '%s'", scratch->folder);
    assert_int_equal(system(command), 0);
    free(scratch);
    return 0;
}

/* Returns the stored text of kind and path in set, or NULL. */
static const halyard_script_text *find_text(const halyard_script_text_set *set, const char *kind,
                                            const char *path)
{
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->items[i].kind, kind) == 0 && strcmp(set->items[i].path, path) == 0) {
            return &set->items[i];
        }
    }
    return NULL;
}

static const char WORKFLOW_TEXT[] = "return {name = \"Quokka switch\"}\n";
static const char POLICY_TEXT[] = "return {classify = function() end}\n";

static void saved_texts_read_back(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    /* The policy text contains a NUL byte: the stored length counts it. */
    const halyard_script_text texts[] = {
        {"workflow", "/msp/workflows/quokka.lua", "/msp/workflows/quokka.lua", WORKFLOW_TEXT,
         sizeof WORKFLOW_TEXT - 1},
        {"policy", "/msp/policies/sensitive.lua", "/share/config/policies/sensitive.lua",
         POLICY_TEXT, sizeof POLICY_TEXT},
    };
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", texts, 2, message, sizeof message), 0);

    halyard_script_text_set set = {0};
    assert_int_equal(
        halyard_script_texts_load(scratch->store, "default", &set, message, sizeof message), 0);
    assert_int_equal(set.count, 2);

    const halyard_script_text *workflow = find_text(&set, "workflow", "/msp/workflows/quokka.lua");
    assert_non_null(workflow);
    assert_string_equal(workflow->serving_path, "/msp/workflows/quokka.lua");
    assert_int_equal(workflow->length, sizeof WORKFLOW_TEXT - 1);
    assert_string_equal(workflow->text, WORKFLOW_TEXT);

    const halyard_script_text *policy = find_text(&set, "policy", "/msp/policies/sensitive.lua");
    assert_non_null(policy);
    assert_string_equal(policy->serving_path, "/share/config/policies/sensitive.lua");
    assert_int_equal(policy->length, sizeof POLICY_TEXT);
    assert_memory_equal(policy->text, POLICY_TEXT, sizeof POLICY_TEXT);
    halyard_script_text_set_clear(&set);
    assert_int_equal(set.count, 0);
    assert_null(set.items);
}

static void save_replaces_whole_set(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    const halyard_script_text first[] = {
        {"workflow", "/msp/workflows/quokka.lua", "/msp/workflows/quokka.lua", "old", 3},
        {"workflow", "/msp/workflows/deleted.lua", "/msp/workflows/deleted.lua", "gone", 4},
    };
    const halyard_script_text second[] = {
        {"workflow", "/msp/workflows/quokka.lua", "/msp/workflows/quokka.lua", "new", 3},
    };
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", first, 2, message, sizeof message), 0);
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", second, 1, message, sizeof message),
        0);

    halyard_script_text_set set = {0};
    assert_int_equal(
        halyard_script_texts_load(scratch->store, "default", &set, message, sizeof message), 0);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].text, "new");
    assert_null(find_text(&set, "workflow", "/msp/workflows/deleted.lua"));
    halyard_script_text_set_clear(&set);

    /* An empty set clears the MSP's texts. */
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", NULL, 0, message, sizeof message), 0);
    assert_int_equal(
        halyard_script_texts_load(scratch->store, "default", &set, message, sizeof message), 0);
    assert_int_equal(set.count, 0);
}

static void msps_keep_own_texts(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    const halyard_script_text mine[] = {
        {"workflow", "/default/workflows/quokka.lua", "/default/workflows/quokka.lua", "mine", 4},
    };
    const halyard_script_text theirs[] = {
        {"workflow", "/acme/workflows/quokka.lua", "/acme/workflows/quokka.lua", "theirs", 6},
    };
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", mine, 1, message, sizeof message), 0);
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "acme", theirs, 1, message, sizeof message), 0);
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "acme", NULL, 0, message, sizeof message), 0);

    halyard_script_text_set set = {0};
    assert_int_equal(
        halyard_script_texts_load(scratch->store, "default", &set, message, sizeof message), 0);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].text, "mine");
    halyard_script_text_set_clear(&set);
}

static void unknown_msp_not_stored(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    const halyard_script_text texts[] = {
        {"workflow", "/ghost/workflows/quokka.lua", "/ghost/workflows/quokka.lua", "text", 4},
    };
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "ghost", texts, 1, message, sizeof message), -1);
    assert_non_null(strstr(message, "no MSP named 'ghost'"));

    halyard_script_text_set set = {0};
    assert_int_equal(
        halyard_script_texts_load(scratch->store, "ghost", &set, message, sizeof message), 0);
    assert_int_equal(set.count, 0);

    /* The failed save left no transaction open: the next one works. */
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", texts, 1, message, sizeof message), 0);
}

static void invalid_kind_keeps_old_set(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    const halyard_script_text good[] = {
        {"workflow", "/msp/workflows/quokka.lua", "/msp/workflows/quokka.lua", "good", 4},
    };
    const halyard_script_text bad[] = {
        {"workflow", "/msp/workflows/other.lua", "/msp/workflows/other.lua", "other", 5},
        {"macro", "/msp/macros/quokka.lua", "/msp/macros/quokka.lua", "bad", 3},
    };
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", good, 1, message, sizeof message), 0);
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", bad, 2, message, sizeof message), -1);
    assert_non_null(strstr(message, "/msp/macros/quokka.lua"));

    halyard_script_text_set set = {0};
    assert_int_equal(
        halyard_script_texts_load(scratch->store, "default", &set, message, sizeof message), 0);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].text, "good");
    halyard_script_text_set_clear(&set);
}

static void texts_survive_reopen(void **state)
{
    fixture *scratch = *state;
    char message[256] = "";
    const halyard_script_text texts[] = {
        {"tool", "/msp/tools/quokka.lua", "/msp/tools/quokka.lua", "tool text", 9},
    };
    assert_int_equal(
        halyard_script_texts_save(scratch->store, "default", texts, 1, message, sizeof message), 0);
    halyard_store_close(scratch->store);
    scratch->store = NULL;
    assert_int_equal(halyard_store_open(scratch->path, &scratch->store, message, sizeof message),
                     0);

    halyard_script_text_set set = {0};
    assert_int_equal(
        halyard_script_texts_load(scratch->store, "default", &set, message, sizeof message), 0);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].kind, "tool");
    assert_string_equal(set.items[0].text, "tool text");
    halyard_script_text_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(saved_texts_read_back, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(save_replaces_whole_set, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(msps_keep_own_texts, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(unknown_msp_not_stored, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(invalid_kind_keeps_old_set, open_fixture, close_fixture),
        cmocka_unit_test_setup_teardown(texts_survive_reopen, open_fixture, close_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
