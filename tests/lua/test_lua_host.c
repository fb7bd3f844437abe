/*
 * Tests of the Lua host (bindings/lua_host.c), halyard's Lua modules (bindings/lua/) and the
 * shipped workflows (workflows/), each through a real host built from the source tree.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "log.h"
#include "lua_host.h"
#include "test_folder.h"

int luaopen_cjson(lua_State *L);

#define SOURCE_DIR HALYARD_SOURCE_DIR

/* A minimal valid workflow body; tests format the name, status, scope and phrase into it. */
#define WORKFLOW_TEMPLATE                                                                          \
    "return {\n"                                                                                   \
    "    name = \"%s\",\n"                                                                         \
    "    status = \"%s\",\n"                                                                       \
    "    scope = %s,\n"                                                                            \
    "    trigger = \"A test ticket mentions %s.\",\n"                                              \
    "    match = {any = {\"%s\"}},\n"                                                              \
    "    instructions = \"Do nothing; this is a test.\",\n"                                        \
    "    samples = {match = {{source = \"written\", summary = \"%s\", details = \"\"}}},\n"        \
    "}\n"

/* ---- helpers ---------------------------------------------------------------------------- */

static char *make_temp_dir(void)
{
    return test_folder_make("/tmp/halyard-lua-test-XXXXXX");
}

static void remove_tree(char *path)
{
    test_folder_remove(path);
    free(path);
}

/* Writes text to <dir>/<relative>, making the one folder level between them. */
static void write_file(const char *dir, const char *relative, const char *text, size_t length)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, relative);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';

    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(text, 1, length, file), length);
    fclose(file);
}

static void write_text(const char *dir, const char *relative, const char *text)
{
    write_file(dir, relative, text, strlen(text));
}

static void write_workflow(const char *dir, const char *file, const char *name, const char *status,
                           const char *scope, const char *phrase)
{
    char text[2048];
    snprintf(text, sizeof text, WORKFLOW_TEMPLATE, name, status, scope, phrase, phrase, phrase);
    char relative[256];
    snprintf(relative, sizeof relative, "workflows/%s", file);
    write_text(dir, relative, text);
}

static halyard_lua_host *create_host(const char *msp_script_dir)
{
    halyard_lua_host_options options = {
        .msp = "test", .share_dir = SOURCE_DIR, .msp_script_dir = msp_script_dir};
    halyard_lua_host *host = NULL;
    char message[4096] = "";
    int status = halyard_lua_host_create(&options, &host, message, sizeof message);
    if (status != 0) {
        fail_msg("host not created: %s", message);
    }
    return host;
}

/* Returns the number of shipped workflow files. */
static size_t count_shipped_workflows(void)
{
    DIR *directory = opendir(SOURCE_DIR "/workflows");
    assert_non_null(directory);
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (entry->d_name[0] != '.' && length > 4 &&
            strcmp(entry->d_name + length - 4, ".lua") == 0) {
            count++;
        }
    }
    closedir(directory);
    return count;
}

/* Returns the problem that contains every one of the NULL-terminated fragments, or NULL. */
static const char *find_problem(const halyard_lua_host *host, ...)
{
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        const char *problem = halyard_lua_host_problem(host, i);
        int all = 1;
        va_list fragments;
        va_start(fragments, host);
        const char *fragment;
        while ((fragment = va_arg(fragments, const char *)) != NULL) {
            if (strstr(problem, fragment) == NULL) {
                all = 0;
            }
        }
        va_end(fragments);
        if (all) {
            return problem;
        }
    }
    return NULL;
}

static void print_problems(const halyard_lua_host *host)
{
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        print_message("problem: %s\n", halyard_lua_host_problem(host, i));
    }
}

/*
 * Evaluates a Lua chunk in a plain state where `doc` is json_text decoded by lua-cjson, and
 * returns its result as a malloc'd string. Used to read the host's JSON results.
 */
static char *json_eval(const char *json_text, const char *chunk)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    luaL_requiref(L, "cjson", luaopen_cjson, 1);
    lua_getfield(L, -1, "decode");
    lua_pushstring(L, json_text);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        fail_msg("JSON not decoded: %s in %s", lua_tostring(L, -1), json_text);
    }
    lua_setglobal(L, "doc");
    if (luaL_loadstring(L, chunk) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fail_msg("chunk failed: %s", lua_tostring(L, -1));
    }
    char *result = strdup(luaL_tolstring(L, -1, NULL));
    lua_close(L);
    assert_non_null(result);
    return result;
}

static char *match_ticket(halyard_lua_host *host, const char *ticket_json, const char *client_json)
{
    char *matches = NULL;
    char message[2048] = "";
    if (halyard_lua_host_match(host, ticket_json, client_json, &matches, message, sizeof message) !=
        0) {
        fail_msg("match failed: %s", message);
    }
    return matches;
}

/* Returns the matched workflow names of a match result, joined by "|". */
static char *matched_names(halyard_lua_host *host, const char *ticket_json, const char *client_json)
{
    char *matches = match_ticket(host, ticket_json, client_json);
    char *names =
        json_eval(matches, "local names = {}\n"
                           "for _, m in ipairs(doc) do names[#names + 1] = m.workflow end\n"
                           "return table.concat(names, '|')");
    free(matches);
    return names;
}

/* ---- the shipped library ---------------------------------------------------------------- */

static void shipped_workflows_load_cleanly(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);

    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());
    assert_true(halyard_lua_host_workflow_count(host) >= 10);
    halyard_lua_host_destroy(host);
}

static void shipped_samples_match_as_labelled(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    char *report = NULL;
    char message[2048] = "";

    assert_int_equal(halyard_lua_host_check_samples(host, &report, message, sizeof message), 0);
    char *failures = json_eval(report, "local lines = {}\n"
                                       "for _, f in ipairs(doc.failures) do\n"
                                       "  lines[#lines + 1] = string.format('%s: sample %s: "
                                       "expected %s; %s', f.file, f.sample, f.expected,\n"
                                       "    table.concat(f.reasons, '; '))\n"
                                       "end\n"
                                       "return table.concat(lines, '\\n')");
    if (failures[0] != '\0') {
        fail_msg("samples that do not behave as labelled:\n%s", failures);
    }
    char *checked = json_eval(report, "return doc.checked");
    assert_true(atoi(checked) >= 5 * (int)count_shipped_workflows());

    free(checked);
    free(failures);
    free(report);
    halyard_lua_host_destroy(host);
}

/*
 * Checks each shipped workflow's samples in a plain state: at least two copied tickets under
 * match and under no_match, each identical to its line in the real dataset, and at least one
 * written sample. The dataset lost acronyms (MFA, 2FA), so the MFA workflow has no real
 * ticket to match and needs three written match samples instead. The dataset has no request to
 * change bank details or contact details either, so those two workflows need the same.
 */
static const char sample_audit_script[] =
    "local cjson = require 'cjson'\n"
    "local dataset_path, workflow_dir, files = ...\n"
    "local dataset = {}\n"
    "for line in io.lines(dataset_path) do\n"
    "  local row = cjson.decode(line)\n"
    "  dataset[row.id] = row\n"
    "end\n"
    "local without_dataset_match = {['mfa_reset.lua'] = true, ['payment_change.lua'] = true,\n"
    "  ['contact_change.lua'] = true}\n"
    "local problems = {}\n"
    "for file in files:gmatch('[^|]+') do\n"
    "  local workflow = dofile(workflow_dir .. '/' .. file)\n"
    "  local counts = {match = 0, no_match = 0, written = 0, written_match = 0}\n"
    "  for _, label in ipairs({'match', 'no_match'}) do\n"
    "    for _, sample in ipairs(workflow.samples[label] or {}) do\n"
    "      if sample.source == 'written' then\n"
    "        counts.written = counts.written + 1\n"
    "        if label == 'match' then counts.written_match = counts.written_match + 1 end\n"
    "      else\n"
    "        local row = dataset[sample.id]\n"
    "        if row == nil then\n"
    "          problems[#problems + 1] = file .. ': unknown id ' .. tostring(sample.id)\n"
    "        elseif row.subject ~= sample.summary or row.body ~= sample.details then\n"
    "          problems[#problems + 1] = file .. ': ' .. sample.id .. ' differs from the dataset'\n"
    "        end\n"
    "        counts[label] = counts[label] + 1\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "  if without_dataset_match[file] then\n"
    "    if counts.written_match < 3 then\n"
    "      problems[#problems + 1] = file .. ': needs 3 written match samples'\n"
    "    end\n"
    "  elseif counts.match < 2 then\n"
    "    problems[#problems + 1] = file .. ': fewer than 2 dataset match samples'\n"
    "  end\n"
    "  if counts.no_match < 2 then\n"
    "    problems[#problems + 1] = file .. ': fewer than 2 dataset no_match samples'\n"
    "  end\n"
    "  if counts.written < 1 then\n"
    "    problems[#problems + 1] = file .. ': no written sample'\n"
    "  end\n"
    "end\n"
    "return table.concat(problems, '\\n')\n";

static void shipped_samples_copied_from_dataset(void **state)
{
    (void)state;
    char files[8192] = "";
    DIR *directory = opendir(SOURCE_DIR "/workflows");
    assert_non_null(directory);
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (entry->d_name[0] != '.' && length > 4 &&
            strcmp(entry->d_name + length - 4, ".lua") == 0) {
            strncat(files, entry->d_name, sizeof files - strlen(files) - 2);
            strcat(files, "|");
        }
    }
    closedir(directory);

    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    luaL_requiref(L, "cjson", luaopen_cjson, 0);
    lua_pop(L, 1);
    assert_int_equal(luaL_loadstring(L, sample_audit_script), LUA_OK);
    lua_pushstring(L, SOURCE_DIR "/tests/data/endava_tickets.jsonl");
    lua_pushstring(L, SOURCE_DIR "/workflows");
    lua_pushstring(L, files);
    if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
        fail_msg("sample audit failed: %s", lua_tostring(L, -1));
    }
    const char *problems = lua_tostring(L, -1);
    if (problems[0] != '\0') {
        fail_msg("sample problems:\n%s", problems);
    }
    lua_close(L);
}

static void shipped_rules_read_normal_text(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);

    /* Capitals, punctuation and acronyms that the dataset never contains. */
    char *names = matched_names(host,
                                "{\"id\": 1, \"summary\": \"URGENT: MFA reset!!\", \"details\": "
                                "\"<p>New phone, the Authenticator app is gone.</p>\"}",
                                NULL);
    assert_non_null(strstr(names, "MFA reset or re-registration"));
    free(names);

    names = matched_names(host,
                          "{\"id\": 2, \"summary\": \"VPN down\", \"details\": \"Can't "
                          "connect to the VPN from home\"}",
                          NULL);
    assert_non_null(strstr(names, "VPN or remote access problem"));
    free(names);

    names = matched_names(host,
                          "{\"id\": 3, \"summary\": \"Coffee machine\", \"details\": "
                          "\"The kitchen coffee machine is empty.\"}",
                          NULL);
    assert_string_equal(names, "");
    free(names);
    halyard_lua_host_destroy(host);
}

/* ---- the loader ------------------------------------------------------------------------- */

static void broken_workflows_reported_others_load(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/syntax_error.lua",
               "return {\n    name = \"Broken\",\n"
               "    status = = \"active\",\n}\n");
    write_text(dir, "workflows/missing_trigger.lua",
               "return {\n    name = \"No trigger\",\n    status = \"active\",\n"
               "    scope = \"all\",\n    match = {any = {\"zebra\"}},\n"
               "    instructions = \"x\",\n"
               "    samples = {match = {{source = \"written\", summary = \"zebra\"}}},\n}\n");
    write_text(dir, "workflows/bad_status.lua",
               "return {\n    name = \"Bad status\",\n    status = \"enabled\",\n"
               "    scope = \"all\",\n    trigger = \"x\",\n    match = {any = {\"zebra\"}},\n"
               "    instructions = \"x\",\n"
               "    samples = {match = {{source = \"written\", summary = \"zebra\"}}},\n}\n");
    write_workflow(dir, "good_one.lua", "Good one", "active", "\"all\"", "okapi");

    halyard_lua_host *host = create_host(dir);

    assert_non_null(find_problem(host, "syntax_error.lua:3:", NULL));
    assert_non_null(find_problem(host, "missing_trigger.lua:", "trigger is missing", NULL));
    assert_non_null(find_problem(host, "bad_status.lua:3:", "\"enabled\"", "\"active\"", NULL));
    assert_int_equal(halyard_lua_host_problem_count(host), 3);
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows() + 1);

    char *names = matched_names(host, "{\"id\": 5, \"summary\": \"okapi\"}", NULL);
    assert_string_equal(names, "Good one");
    free(names);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void bad_rules_and_steps_reported(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/bad_rules.lua",
               "return {\n    name = \"Bad rules\",\n    status = \"active\",\n"
               "    scope = {clients = {\"twelve\"}},\n    trigger = \"x\",\n"
               "    match = {any = {\"pri*nt\"}, fields = {\"subject\"}},\n"
               "    instructions = \"x\",\n"
               "    steps = {{tool = \"halo.get_user\", kind = \"write\"}},\n"
               "    samples = {match = {{source = \"written\", summary = \"x\"}}},\n}\n");

    halyard_lua_host *host = create_host(dir);

    assert_non_null(find_problem(host, "bad_rules.lua:4:", "scope.clients[1]", NULL));
    assert_non_null(find_problem(host, "bad_rules.lua:6:", "'*' inside a word", NULL));
    assert_non_null(find_problem(host, "bad_rules.lua:6:", "\"subject\"", NULL));
    assert_non_null(find_problem(host, "bad_rules.lua:8:", "needs the argument user_id", NULL));
    /* A step's kind that differs from the registry's is only a warning, and a skipped file
     * gets none, because a warning says that the file serves. */
    assert_null(find_problem(host, "bad_rules.lua:", "warning:", NULL));
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void msp_file_overrides_shipped(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_workflow(dir, "password_reset.lua", "Password reset (MSP)", "active", "\"all\"", "zebra");

    halyard_lua_host *host = create_host(dir);

    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());
    char *names = matched_names(host, "{\"id\": 1, \"summary\": \"zebra\"}", NULL);
    assert_string_equal(names, "Password reset (MSP)");
    free(names);
    names = matched_names(host, "{\"id\": 2, \"summary\": \"Please reset my password\"}", NULL);
    assert_null(strstr(names, "Password reset"));
    free(names);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void draft_and_archived_never_match(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_workflow(dir, "quokka_draft.lua", "Quokka draft", "draft", "\"all\"", "quokka");
    write_workflow(dir, "quokka_archived.lua", "Quokka archived", "archived", "\"all\"", "quokka");
    write_workflow(dir, "quokka_active.lua", "Quokka active", "active", "\"all\"", "quokka");

    halyard_lua_host *host = create_host(dir);

    char *names = matched_names(host, "{\"id\": 1, \"summary\": \"A quokka ate my mouse\"}", NULL);
    assert_string_equal(names, "Quokka active");
    free(names);

    /* Samples of drafts are still checked, so a draft can be tested before it goes live. */
    char *report = NULL;
    char message[1024];
    assert_int_equal(halyard_lua_host_check_samples(host, &report, message, sizeof message), 0);
    char *failures = json_eval(report, "return #doc.failures");
    assert_string_equal(failures, "0");
    free(failures);
    free(report);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void client_scope_limits_matching(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_workflow(dir, "wombat.lua", "Wombat for client 12", "active", "{clients = {12}}",
                   "wombat");

    halyard_lua_host *host = create_host(dir);

    char *names =
        matched_names(host, "{\"id\": 1, \"summary\": \"wombat\", \"client_id\": 12}", NULL);
    assert_string_equal(names, "Wombat for client 12");
    free(names);
    names = matched_names(host, "{\"id\": 1, \"summary\": \"wombat\", \"client_id\": 13}", NULL);
    assert_string_equal(names, "");
    free(names);
    names = matched_names(host, "{\"id\": 1, \"summary\": \"wombat\"}", "{\"id\": 12}");
    assert_string_equal(names, "Wombat for client 12");
    free(names);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* Writes a workflow whose match field is the Lua source rules. */
static void write_rules_workflow(const char *dir, const char *file, const char *name,
                                 const char *rules)
{
    char text[2048];
    snprintf(text, sizeof text,
             "return {\n"
             "    name = \"%s\",\n"
             "    status = \"active\",\n"
             "    scope = \"all\",\n"
             "    trigger = \"A test of the phrase index.\",\n"
             "    match = %s,\n"
             "    instructions = \"Do nothing; this is a test.\",\n"
             "    samples = {match = {{source = \"written\", summary = \"x\"}}},\n"
             "}\n",
             name, rules);
    char relative[256];
    snprintf(relative, sizeof relative, "workflows/%s", file);
    write_text(dir, relative, text);
}

/* Each way the index files a phrase (by two words, by first word, by a prefix shorter or
 * longer than three letters) finds it where it occurs and only there. */
static void index_phrase_shapes_match(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_rules_workflow(dir, "a_pair.lua", "Pair", "{any = {\"zorb blick\"}}");
    write_rules_workflow(dir, "b_pair_wildcard.lua", "Pair wildcard", "{any = {\"zorb flan*\"}}");
    write_rules_workflow(dir, "c_short_prefix.lua", "Short prefix",
                         "{all = {{\"qu*\"}, {\"wombat\"}}}");
    write_rules_workflow(dir, "d_long_prefix.lua", "Long prefix", "{any = {\"kangar*\"}}");
    write_rules_workflow(dir, "e_exclusion.lua", "Exclusion",
                         "{any = {\"blick\"}, none = {\"zorb blick\"}}");
    write_rules_workflow(dir, "f_three_words.lua", "Three words", "{any = {\"zorb blick quoll\"}}");
    static const struct {
        const char *ticket_json;
        const char *expected;
    } cases[] = {
        {"{\"id\": 1, \"summary\": \"the zorb blick again\"}", "Pair"},
        {"{\"id\": 2, \"summary\": \"blick then zorb\"}", "Exclusion"},
        {"{\"id\": 3, \"summary\": \"zorb flanges\"}", "Pair wildcard"},
        {"{\"id\": 4, \"summary\": \"my zorb\"}", ""},
        {"{\"id\": 5, \"summary\": \"quiet wombat\"}", "Short prefix"},
        {"{\"id\": 6, \"summary\": \"wombat\"}", ""},
        {"{\"id\": 7, \"summary\": \"Kangaroos!\"}", "Long prefix"},
        {"{\"id\": 8, \"summary\": \"kanga\"}", ""},
        {"{\"id\": 9, \"summary\": \"zorb blick quoll\"}", "Pair|Three words"},
        {"{\"id\": 10, \"summary\": \"hello\", \"details\": \"Zorb-blick\"}", "Pair"},
        {"{\"id\": 11, \"summary\": \"kangaroo\", \"details\": \"zorb blick\"}",
         "Long prefix|Pair"},
    };

    halyard_lua_host *host = create_host(dir);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *names = matched_names(host, cases[i].ticket_json, NULL);
        if (strcmp(names, cases[i].expected) != 0) {
            fail_msg("%s matched \"%s\", expected \"%s\"", cases[i].ticket_json, names,
                     cases[i].expected);
        }
        free(names);
    }

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* The memory count covers what the scripts keep: a workflow that keeps a 512 KiB string adds
 * at least that much, and the count stays under the limit. */
static void memory_used_counts_scripts(void **state)
{
    (void)state;
    halyard_lua_host *shipped = create_host(NULL);
    size_t shipped_bytes = halyard_lua_host_memory_used(shipped);
    assert_true(shipped_bytes > 0);
    assert_true(shipped_bytes < HALYARD_LUA_MEMORY_LIMIT_DEFAULT);
    halyard_lua_host_destroy(shipped);

    char *dir = make_temp_dir();
    write_text(dir, "workflows/large.lua",
               "local text = string.rep('x', 8 * 1024 * 1024)\n"
               "return {name = 'Large', status = 'draft', scope = 'all', trigger = 'x',\n"
               "    match = {any = {'zorb'}}, instructions = text,\n"
               "    samples = {match = {{source = 'written', summary = 'zorb'}}}}\n");
    halyard_lua_host *host = create_host(dir);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    /* The counts include garbage not yet collected, which varies by a few hundred KiB, so the
     * workflow's 8 MiB text is checked with room for it. */
    assert_true(halyard_lua_host_memory_used(host) >= shipped_bytes + 4 * 1024 * 1024);
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* Bug: every workflow kept its compiled phrases (a Lua table for each phrase and each of its
 * words) after the match index had copied them, about 0.45 MiB of the shipped scripts' 1.89
 * MiB. A phrase now costs the index's copy alone: about 350 bytes of a 3,000-phrase workflow,
 * against about 930 with the compiled tables kept. */
static void compiled_phrases_dropped_after_loading(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/quokka.lua",
               "local any = {}\n"
               "for i = 1, 3000 do any[i] = 'quokka' .. i .. ' marsupial*' end\n"
               "return {name = 'Quokka', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = {any = any}, instructions = 'x',\n"
               "    samples = {match = {{source = 'written', summary = 'quokka7 marsupials'}},\n"
               "        no_match = {{source = 'written', summary = 'quokka7 wombat'}}}}\n");
    halyard_lua_host *host = create_host(dir);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    size_t with_phrases = halyard_lua_host_memory_used(host);
    halyard_lua_host_destroy(host);

    /* The same workflow with one phrase: the difference is what loading keeps of the other
     * 2,999. */
    write_text(dir, "workflows/quokka.lua",
               "return {name = 'Quokka', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = {any = {'quokka7 marsupial*'}}, instructions = 'x',\n"
               "    samples = {match = {{source = 'written', summary = 'quokka7 marsupials'}},\n"
               "        no_match = {{source = 'written', summary = 'quokka7 wombat'}}}}\n");
    host = create_host(dir);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    size_t without_phrases = halyard_lua_host_memory_used(host);
    halyard_lua_host_destroy(host);
    assert_true(with_phrases > without_phrases);
    size_t per_phrase = (with_phrases - without_phrases) / 2999;
    if (per_phrase >= 600) {
        fail_msg("the state keeps %zu bytes a phrase after loading", per_phrase);
    }
    remove_tree(dir);
}

/* Samples are checked against rules that loading released: an active workflow's through the
 * shared index (one limited to a client included), a draft's compiled again. A wrong label is
 * still reported, so the check does run. */
static void samples_checked_after_release(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_workflow(dir, "wombat.lua", "Wombat for client 12", "active", "{clients = {12}}",
                   "wombat");
    write_workflow(dir, "numbat.lua", "Numbat draft", "draft", "\"all\"", "numbat");
    write_text(dir, "workflows/bilby.lua",
               "return {name = 'Bilby', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = {all = {{'bilby*'}, {'burrow'}}, none = {'zoo'}},\n"
               "    instructions = 'x',\n"
               "    samples = {match = {{source = 'written', summary = 'bilbys burrow'},\n"
               "                        {source = 'written', summary = 'bilby at the zoo "
               "burrow'}},\n"
               "        no_match = {{source = 'written', summary = 'a bilby'}}}}\n");
    halyard_lua_host *host = create_host(dir);
    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);

    char *report = NULL;
    char message[1024] = "";
    assert_int_equal(halyard_lua_host_check_samples(host, &report, message, sizeof message), 0);
    char *failures = json_eval(report, "local lines = {}\n"
                                       "for _, f in ipairs(doc.failures) do\n"
                                       "  lines[#lines + 1] = f.file .. ' ' .. f.sample .. ' ' "
                                       ".. table.concat(f.reasons, '; ')\n"
                                       "end\n"
                                       "return table.concat(lines, '|')");
    assert_string_equal(failures,
                        "bilby.lua bilby at the zoo burrow excluded because summary contains "
                        "\"zoo\"");
    free(failures);
    free(report);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* Creates a host of the share folder's scripts and the MSP folder, with the serving option or
 * not. */
static halyard_lua_host *create_host_serving(const char *share_dir, const char *msp_script_dir,
                                             int serving)
{
    halyard_lua_host_options options = {.msp = "test",
                                        .share_dir = share_dir,
                                        .msp_script_dir = msp_script_dir,
                                        .serving = serving};
    halyard_lua_host *host = NULL;
    char message[4096] = "";
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fail_msg("host not created: %s", message);
    }
    return host;
}

/* A serving host keeps no samples: its state is smaller by them, and a sample check fails with
 * a message instead of checking nothing. A host without the option checks them all. */
static void serving_host_drops_samples(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/quokka.lua",
               "local match = {}\n"
               "for i = 1, 500 do\n"
               "    match[i] = {source = 'written', summary = 'a quokka in row ' .. i,\n"
               "        details = 'seen near the marsupial enclosure, count ' .. i}\n"
               "end\n"
               "return {name = 'Quokka', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = {any = {'quokka'}}, instructions = 'x',\n"
               "    samples = {match = match,\n"
               "        no_match = {{source = 'written', summary = 'a wombat'}}}}\n");
    write_text(dir, "workflows/wombat.lua",
               "return {name = 'Wombat', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = {any = {'wombat'}}, instructions = 'x',\n"
               "    samples = {match = {{source = 'written', summary = 'a wombat'}}}}\n");
    char *report = NULL;
    char message[1024] = "";

    halyard_lua_host *serving = create_host_serving(SOURCE_DIR, dir, 1);
    print_problems(serving);
    assert_int_equal(halyard_lua_host_problem_count(serving), 0);
    size_t serving_bytes = halyard_lua_host_memory_used(serving);
    assert_int_equal(halyard_lua_host_check_samples(serving, &report, message, sizeof message), -1);
    assert_null(report);
    assert_non_null(strstr(message, "serving option"));
    halyard_lua_host_destroy(serving);

    /* The same files without the quokka's 500 samples, in a serving host. */
    write_text(dir, "workflows/quokka.lua",
               "return {name = 'Quokka', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = {any = {'quokka'}}, instructions = 'x',\n"
               "    samples = {match = {{source = 'written', summary = 'a quokka'}},\n"
               "        no_match = {{source = 'written', summary = 'a wombat'}}}}\n");
    serving = create_host_serving(SOURCE_DIR, dir, 1);
    size_t one_sample_bytes = halyard_lua_host_memory_used(serving);
    halyard_lua_host_destroy(serving);

    halyard_lua_host *checking = create_host_serving(SOURCE_DIR, dir, 0);
    assert_int_equal(halyard_lua_host_problem_count(checking), 0);
    assert_int_equal(halyard_lua_host_check_samples(checking, &report, message, sizeof message), 0);
    /* The shipped workflows' samples are checked too. */
    char *summary = json_eval(report, "return tostring(doc.checked >= 3) .. ' ' .. #doc.failures");
    assert_string_equal(summary, "true 0");
    free(summary);
    free(report);
    halyard_lua_host_destroy(checking);

    /* Loading 500 samples more leaves a serving state as large as before, give or take the
     * string table and the loader's temporaries, well under 10 bytes a sample. Kept, each
     * sample is a table and two strings: over 100 bytes. */
    size_t extra = serving_bytes > one_sample_bytes ? serving_bytes - one_sample_bytes
                                                    : one_sample_bytes - serving_bytes;
    if (extra > 5000) {
        fail_msg("500 samples change a serving state by %zu bytes", extra);
    }
    remove_tree(dir);
}

/* A serving host also drops the functions that load and check files, which a state that
 * serves never calls again, because a reload builds a new state. Without workflows (so without
 * samples), the loader's and the tool registry's checks alone make the difference: about
 * 0.08 MiB with the shipped modules. */
static void serving_host_drops_loading_code(void **state)
{
    (void)state;
    char *share = make_temp_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s/bindings", share);
    assert_int_equal(symlink(SOURCE_DIR "/bindings", path), 0);
    snprintf(path, sizeof path, "%s/config", share);
    assert_int_equal(symlink(SOURCE_DIR "/config", path), 0);
    snprintf(path, sizeof path, "%s/workflows", share);
    assert_int_equal(mkdir(path, 0700), 0);

    halyard_lua_host *loading = create_host_serving(share, NULL, 0);
    assert_int_equal(halyard_lua_host_workflow_count(loading), 0);
    size_t loading_bytes = halyard_lua_host_memory_used(loading);
    halyard_lua_host_destroy(loading);
    halyard_lua_host *serving = create_host_serving(share, NULL, 1);
    assert_int_equal(halyard_lua_host_problem_count(serving), 0);
    size_t serving_bytes = halyard_lua_host_memory_used(serving);
    halyard_lua_host_destroy(serving);

    assert_true(loading_bytes > serving_bytes);
    if (loading_bytes - serving_bytes < 48 * 1024) {
        fail_msg("a serving host keeps %zu bytes less than one that loads, expected over 48 KiB",
                 loading_bytes - serving_bytes);
    }
    remove_tree(share);
}

/* Makes a share folder whose Lua modules are the source folder's, except that loader.lua has no
 * release_loading, as in a share folder from before the serving option. Returns its path. */
static char *make_share_without_release(void)
{
    char *share = make_temp_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s/bindings", share);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/bindings/lua", share);
    assert_int_equal(mkdir(path, 0700), 0);
    static const char *const modules[] = {"canonical", "redact", "match",  "note", "context",
                                          "tools",     "agent",  "gather", "host"};
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        char target[1024];
        snprintf(target, sizeof target, SOURCE_DIR "/bindings/lua/%s.lua", modules[i]);
        snprintf(path, sizeof path, "%s/bindings/lua/%s.lua", share, modules[i]);
        assert_int_equal(symlink(target, path), 0);
    }
    snprintf(path, sizeof path, "%s/config", share);
    assert_int_equal(symlink(SOURCE_DIR "/config", path), 0);
    snprintf(path, sizeof path, "%s/workflows", share);
    assert_int_equal(symlink(SOURCE_DIR "/workflows", path), 0);

    /* Copy loader.lua with release_loading renamed to a local function nothing calls. */
    FILE *file = fopen(SOURCE_DIR "/bindings/lua/loader.lua", "rb");
    assert_non_null(file);
    static char text[256 * 1024];
    size_t length = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    assert_true(length < sizeof text - 1);
    text[length] = '\0';
    static const char declared[] = "function loader.release_loading()";
    static const char renamed[] = "local function release_unused()  ";
    assert_int_equal(strlen(renamed), strlen(declared));
    char *found = strstr(text, declared);
    assert_non_null(found);
    memcpy(found, renamed, strlen(renamed));
    write_text(share, "bindings/lua/loader.lua", text);
    return share;
}

/* A serving host whose loader has no release_loading (a share folder older than the serving
 * option) is still created and serves. It keeps what only loading reads, so its samples can
 * still be checked. */
static void serving_host_without_release_loads(void **state)
{
    (void)state;
    char *share = make_share_without_release();
    halyard_lua_host *host = create_host_serving(share, NULL, 1);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());

    char *report = NULL;
    char message[1024] = "";
    assert_int_equal(halyard_lua_host_check_samples(host, &report, message, sizeof message), 0);
    char *failures = json_eval(report, "return tostring(#doc.failures)");
    assert_string_equal(failures, "0");
    free(failures);
    free(report);
    halyard_lua_host_destroy(host);
    remove_tree(share);
}

/* A serving host checks files as fully as one without the option: a workflow whose samples
 * are malformed is skipped with its problem. */
static void serving_host_checks_files(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/quokka.lua",
               "return {name = 'Quokka', status = 'active', scope = 'all', trigger = 'x',\n"
               "    match = {any = {'quokka'}}, instructions = 'x',\n"
               "    samples = {match = {{source = 'written', summary = 42}}}}\n");
    halyard_lua_host *host = create_host_serving(SOURCE_DIR, dir, 1);
    assert_int_equal(halyard_lua_host_problem_count(host), 1);
    const char *problem = halyard_lua_host_problem(host, 0);
    assert_non_null(strstr(problem, "quokka.lua:"));
    assert_non_null(strstr(problem, "samples.match[1] needs summary"));
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* A new host contains no garbage from loading, because create frees the files' texts and their
 * main chunks before it returns. So the collections that later calls cause never bring the
 * state below its size after creation. */
static void memory_garbage_freed_after_loading(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    size_t created_bytes = halyard_lua_host_memory_used(host);
    size_t minimum = created_bytes;

    /* Each call leaves garbage, and 300 of them are enough for the collector to finish at
     * least one cycle with the shipped scripts. */
    for (int i = 0; i < 300; i++) {
        char *workflows = NULL;
        char message[1024] = "";
        if (halyard_lua_host_list_workflows(host, &workflows, message, sizeof message) != 0) {
            fail_msg("listing the workflows failed: %s", message);
        }
        free(workflows);
        size_t used = halyard_lua_host_memory_used(host);
        minimum = used < minimum ? used : minimum;
    }

    /* 16 KiB of slack for anything a call replaces with something smaller. The garbage that
     * loading the shipped scripts leaves is about 0.27 MiB. */
    if (minimum + 16 * 1024 < created_bytes) {
        fail_msg("the state fell from %zu bytes after creation to %zu: loading left garbage",
                 created_bytes, minimum);
    }
    halyard_lua_host_destroy(host);
}

static void policy_files_loaded_and_checked(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "policies/tools.lua", "return {default = {['halo.get_user'] = 'auto'}}\n");
    write_text(dir, "policies/sensitive.lua", "local risk = 3\nreturn risk\n");

    halyard_lua_host *host = create_host(dir);

    assert_int_equal(halyard_lua_host_problem_count(host), 1);
    assert_non_null(find_problem(host, "sensitive.lua:2:", "must return a table or a function",
                                 "got number", NULL));
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

/* ---- the sandbox ------------------------------------------------------------------------ */

static void undefined_global_raises(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/typo.lua",
               "local helper = 1\n"
               "local value = undefined_helper\n"
               "return {}\n");
    /* A score function that reads an undefined global fails at match time, and only that
     * workflow stops matching. */
    write_text(dir, "workflows/score_typo.lua",
               "return {\n    name = \"Score typo\",\n    status = \"active\",\n"
               "    scope = \"all\",\n    trigger = \"x\",\n"
               "    match = function(ticket, text) return missing_function(text) end,\n"
               "    instructions = \"x\",\n"
               "    samples = {match = {{source = \"written\", summary = \"x\"}}},\n}\n");

    halyard_lua_host *host = create_host(dir);

    assert_non_null(find_problem(host, "typo.lua:2:", "undefined global 'undefined_helper'", NULL));
    char *matches = match_ticket(host, "{\"id\": 1, \"summary\": \"anything\"}", NULL);
    assert_string_equal(matches, "[]");
    free(matches);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void sandbox_removes_unsafe_functions(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    /* The file raises (and becomes a problem) if any check fails, so loading it cleanly is the
     * assertion. */
    write_text(
        dir, "workflows/sandbox.lua",
        "assert(rawget(_G, 'dofile') == nil, 'dofile is present')\n"
        "assert(rawget(_G, 'loadfile') == nil, 'loadfile is present')\n"
        "assert(string.dump == nil, 'string.dump is present')\n"
        "for _, name in ipairs({'require', 'io', 'os', 'debug', 'package'}) do\n"
        "  assert(not pcall(function() return _G[name] end), name .. ' is readable')\n"
        "end\n"
        "assert(getmetatable(_G) == false, 'the metatable of _G is exposed')\n"
        "local chunk, message = load('\\27Lua\\84\\0', '=binary')\n"
        "assert(chunk == nil and message:find('binary chunk'), 'binary chunk accepted')\n"
        "local ok, raised = pcall(load, 'return 1', '=text', 'b')\n"
        "assert(not ok and raised:find('binary chunks are not allowed'), 'mode b accepted')\n"
        "local env = {}\n"
        "assert(load('x = 1', '=text', 't', env))() \n"
        "assert(env.x == 1, 'load ignores env')\n"
        "return {name = 'Sandbox', status = 'draft', scope = 'all', trigger = 'x',\n"
        "  match = {any = {'sandbox'}}, instructions = 'x',\n"
        "  samples = {match = {{source = 'written', summary = 'sandbox'}}}}\n");

    halyard_lua_host *host = create_host(dir);

    print_problems(host);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows() + 1);

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

typedef struct {
    char bytes[16384];
    size_t length;
} dump_buffer;

/* lua_Writer that appends a dumped chunk to a dump_buffer. */
static int dump_writer(lua_State *L, const void *bytes, size_t size, void *user_data)
{
    (void)L;
    dump_buffer *dump = user_data;
    if (dump->length + size > sizeof dump->bytes) {
        return 1;
    }
    memcpy(dump->bytes + dump->length, bytes, size);
    dump->length += size;
    return 0;
}

static void binary_workflow_file_rejected(void **state)
{
    (void)state;
    char *dir = make_temp_dir();

    /* A compiled chunk of a valid workflow, as luac would write it. */
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    char source[2048];
    snprintf(source, sizeof source, WORKFLOW_TEMPLATE, "Binary", "active", "\"all\"", "binary",
             "binary", "binary");
    assert_int_equal(luaL_loadstring(L, source), LUA_OK);
    dump_buffer dump = {.length = 0};
    assert_int_equal(lua_dump(L, dump_writer, &dump, 1), 0);
    lua_close(L);
    write_file(dir, "workflows/binary.lua", dump.bytes, dump.length);

    halyard_lua_host *host = create_host(dir);

    assert_non_null(find_problem(host, "binary.lua:1:", "precompiled", NULL));
    assert_int_equal(halyard_lua_host_workflow_count(host), count_shipped_workflows());

    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void log_lines_carry_script_position(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/logging.lua",
               "local count = 2\n"
               "log.warning('loaded %d things from %s', count, 'logging')\n"
               "return {}\n");
    char *log_text = NULL;
    size_t log_size = 0;
    FILE *stream = open_memstream(&log_text, &log_size);
    assert_non_null(stream);
    halyard_log_configure(HALYARD_LOG_INFO, stream);

    halyard_lua_host *host = create_host(dir);
    halyard_lua_host_destroy(host);

    halyard_log_configure(HALYARD_LOG_ERROR, NULL);
    fclose(stream);
    assert_non_null(strstr(log_text, " warning lua: "));
    assert_non_null(strstr(log_text, "logging.lua:2: loaded 2 things from logging\n"));
    free(log_text);
    remove_tree(dir);
}

/* ---- Plan mode -------------------------------------------------------------------------- */

/* HaloPSA's ticket as GET /api/Tickets/{id} returns it; the id comes as a string, as some
 * endpoints send it. */
static const char plan_ticket[] =
    "{\"id\": \"4242\", \"summary\": \"Password reset for Jane\", "
    "\"details_html\": \"<p>Hi,<br>I forgot my password &amp; can't log in.</p>\", "
    "\"status_id\": 1, \"status_name\": \"New\", \"priority_id\": 3, "
    "\"tickettype_id\": 1, \"client_id\": 12, \"client_name\": \"Acme Ltd\", "
    "\"site_id\": 31, \"site_name\": \"Head Office\", \"user_id\": 77, "
    "\"user_name\": \"Jane Doe\", \"user_email\": \"jane.doe@acme.example\", "
    "\"team\": \"1st Line\", \"agent_id\": 0}";

static const char plan_actions[] =
    "{\"record_count\": 3, \"actions\": ["
    "{\"id\": 2, \"ticket_id\": 4242, \"outcome\": \"Private Note\", \"who\": \"halyard\", "
    "\"note_html\": \"<p>old plan</p><span style=\\\"display:none\\\" "
    "data-halyard=\\\"run=run-1\\\">halyard run run-1</span>\", "
    "\"note\": \"old plan halyard run run-1\", \"hiddenfromuser\": true},"
    "{\"id\": 1, \"ticket_id\": 4242, \"outcome\": \"Email\", \"who\": \"Jane Doe\", "
    "\"note\": \"I tried twice.\"}]}";

static const char plan_client[] = "{\"id\": 12, \"name\": \"Acme Ltd\", \"mode\": \"plan\"}";

static void plan_note_has_every_section(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";

    int status = halyard_lua_host_plan(host, plan_ticket, plan_actions, plan_client, "run-42",
                                       &plan, message, sizeof message);
    if (status != 0) {
        fail_msg("plan failed: %s", message);
    }

    const char *html = plan.note_html;
    assert_non_null(strstr(html, "halyard plan for ticket #4242"));
    assert_non_null(strstr(html, ">Diagnosis<"));
    assert_non_null(strstr(html, "Jane Doe (Acme Ltd) wrote"));
    assert_non_null(
        strstr(html, "Ticket: status New, priority #3, no technician assigned, team 1st Line."));
    assert_non_null(strstr(html, ">Workflows that matched<"));
    assert_non_null(strstr(html, "<strong>Password reset</strong>"));
    assert_non_null(strstr(html, "summary contains &quot;"));
    assert_non_null(strstr(html, ">Plan<"));
    assert_non_null(strstr(html, "<code>m365.reset_password</code>"));
    assert_non_null(strstr(html, ">writes<"));
    assert_non_null(strstr(html, ">reads<"));
    assert_non_null(strstr(html, "user = jane.doe@acme.example"));
    assert_non_null(strstr(html, ">Needed to go on<"));
    assert_non_null(strstr(html, "a technician assigned to the ticket"));
    assert_non_null(strstr(html, "nothing was changed"));
    assert_null(strstr(html, "<style"));

    /* The ticket's state is kept in the summary apart from the diagnosis, so an approval
     * request posted later can name the technician assigned then. */
    char *ticket_state = json_eval(plan.summary_json,
                                   "local state = doc.ticket_state return state.status .. '|' .. "
                                   "state.priority .. '|' .. tostring(state.technician) .. '|' .. "
                                   "state.team");
    assert_string_equal(ticket_state, "New|#3|nil|1st Line");
    free(ticket_state);
    char *diagnosis = json_eval(plan.summary_json, "return doc.diagnosis");
    assert_null(strstr(diagnosis, "Ticket:"));
    assert_null(strstr(diagnosis, "technician"));
    free(diagnosis);

    /* The earlier halyard note is left out of the context; the requester's note is the
     * latest one. */
    assert_non_null(
        strstr(html, "1 earlier note; the latest by Jane Doe: \xE2\x80\x9CI tried twice."));
    assert_null(strstr(html, "old plan"));

    /* The marker closes the note. */
    const char *marker = "<span style=\"display:none\" data-halyard=\"run=run-42\">"
                         "halyard run run-42</span>";
    size_t html_length = strlen(html);
    assert_true(html_length > strlen(marker));
    assert_string_equal(html + html_length - strlen(marker), marker);

    halyard_lua_plan_clear(&plan);
    assert_null(plan.note_html);
    halyard_lua_host_destroy(host);
}

static void plan_ids_become_integers(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";

    assert_int_equal(halyard_lua_host_plan(host, plan_ticket, plan_actions, plan_client, "run-42",
                                           &plan, message, sizeof message),
                     0);

    /* lua-cjson decodes 77 as 77.0; an id that was not made an integer prints as "77.0". */
    assert_non_null(strstr(plan.note_html, "user_id = 77<"));
    assert_null(strstr(plan.note_html, "77.0"));
    assert_non_null(strstr(plan.note_html, "ticket_id = 4242<"));
    char *types =
        json_eval(plan.summary_json, "return math.type(doc.ticket_id) .. ' ' .. doc.run_id");
    assert_string_equal(types, "float run-42");
    free(types);
    assert_non_null(strstr(plan.summary_json, "\"ticket_id\":4242,"));
    assert_non_null(strstr(plan.summary_json, "{\"client_id\":12,"));

    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

static void plan_note_escapes_ticket_text(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";
    const char *ticket = "{\"id\": 7, \"summary\": \"<script>alert(\\\"x\\\")</script> & "
                         "password reset\", \"details\": \"Tom's printer\", "
                         "\"user_name\": \"<b>Eve</b>\", \"user_email\": \"e\\\"ve@x.example\", "
                         "\"user_id\": 5}";

    assert_int_equal(
        halyard_lua_host_plan(host, ticket, NULL, NULL, "run-7", &plan, message, sizeof message),
        0);

    assert_null(strstr(plan.note_html, "<script"));
    assert_null(strstr(plan.note_html, "<b>Eve"));
    /* The diagnosis quotes the summary in typographic quotes, with its own double quotes made
     * single so that they cannot end the quotation. */
    assert_non_null(strstr(plan.note_html,
                           "\xE2\x80\x9C&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                           "&amp; password"));
    assert_non_null(strstr(plan.note_html, "&lt;b&gt;Eve&lt;/b&gt;"));
    assert_non_null(strstr(plan.note_html, "user = e&quot;ve@x.example"));

    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

/* Regression: Unicode bidirectional controls (U+202E, U+2066) in a requester's name and the
 * summary reached the plan note unchanged, where they can make it read differently. */
static void plan_note_drops_bidi_controls(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";
    const char *ticket = "{\"id\": 8, \"summary\": \"Printer \\u2066jam\\u2069 again\", "
                         "\"details\": \"paper\", \"user_name\": \"Eve \\u202eliam\\u202c\", "
                         "\"user_id\": 5}";

    assert_int_equal(
        halyard_lua_host_plan(host, ticket, NULL, NULL, "run-8", &plan, message, sizeof message),
        0);

    assert_null(strstr(plan.note_html, "\xe2\x80\xae"));
    assert_null(strstr(plan.note_html, "\xe2\x80\xac"));
    assert_null(strstr(plan.note_html, "\xe2\x81\xa6"));
    assert_null(strstr(plan.note_html, "\xe2\x81\xa9"));
    assert_non_null(strstr(plan.note_html, "Printer jam again"));

    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

/* Regression: halyard's note quoted a requester's "halyard run 8.step.x" unchanged, so a retry
 * of that write took halyard's own note for the write and skipped it. */
static void plan_note_breaks_quoted_marker(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";
    const char *ticket = "{\"id\": 8, \"summary\": \"Printer ref halyard run 8.step.x\", "
                         "\"details\": \"paper\", \"user_id\": 5}";

    assert_int_equal(
        halyard_lua_host_plan(host, ticket, NULL, NULL, "run-8", &plan, message, sizeof message),
        0);

    assert_null(strstr(plan.note_html, "halyard run 8.step.x"));
    assert_non_null(strstr(plan.note_html, "halyard\xe2\x81\xa0 run 8.step.x"));
    assert_non_null(strstr(plan.note_html, "halyard run run-8"));

    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

/* Regression: a reply that a requester ended with "halyard run 5" was taken for halyard's own
 * note and left out of the agent's context. */
static void typed_marker_stays_in_context(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";
    const char *ticket = "{\"id\": 9, \"summary\": \"Coffee machine\", \"details\": \"empty\", "
                         "\"client_id\": 12, \"user_id\": 77}";
    const char *actions =
        "{\"actions\": [{\"id\": 1, \"who\": \"Jane Doe\", \"who_agentid\": 0, "
        "\"note\": \"please hurry halyard run 5\"}, {\"id\": 2, \"who\": \"halyard API\", "
        "\"who_agentid\": 1, \"note\": \"plan halyard run 5\"}]}";
    const char *client = "{\"id\": 12, \"name\": \"Acme Ltd\", \"mode\": \"plan\", "
                         "\"api_agent_id\": 1}";

    assert_int_equal(halyard_lua_host_plan(host, ticket, actions, client, "run-9", &plan, message,
                                           sizeof message),
                     0);

    assert_non_null(strstr(plan.note_html, "1 earlier note; the latest by Jane Doe"));
    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

/* Regression: a score function returning 1.5 (or math.huge) passed lint but made every plan it
 * matched fail when the note printed the score as an integer. */
static void fractional_score_plans(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    write_text(dir, "workflows/half.lua",
               "return { name = 'Half', status = 'active', scope = 'all',\n"
               "  trigger = 'Half a match.', instructions = 'Look.',\n"
               "  match = function(ticket, text) return 1.5, 'half' end,\n"
               "  samples = { match = { { source = 'written', summary = 'printer jam' } }, "
               "no_match = {} } }\n");
    write_text(dir, "workflows/huge.lua",
               "return { name = 'Huge', status = 'active', scope = 'all',\n"
               "  trigger = 'Always.', instructions = 'Look.',\n"
               "  match = function(ticket, text) return math.huge end,\n"
               "  samples = { match = { { source = 'written', summary = 'printer jam' } }, "
               "no_match = {} } }\n");
    halyard_lua_host *host = create_host(dir);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    halyard_lua_plan plan = {0};
    char message[2048] = "";
    const char *ticket = "{\"id\": 10, \"summary\": \"printer jam\", \"details\": \"jam\"}";

    int status = halyard_lua_host_plan(host, ticket, "[]", plan_client, "run-10", &plan, message,
                                       sizeof message);

    if (status != 0) {
        fail_msg("plan failed: %s", message);
    }
    assert_non_null(strstr(plan.note_html, "Half"));
    assert_non_null(strstr(plan.note_html, "Huge"));
    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
    remove_tree(dir);
}

static void plan_without_match_is_triage(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";
    const char *ticket = "{\"id\": 8, \"summary\": \"Coffee machine\", \"details\": \"The "
                         "kitchen coffee machine is empty.\", \"client_id\": 12, "
                         "\"user_id\": 77, \"agent_id\": 3, \"agent_name\": \"Sam Lead\"}";

    assert_int_equal(halyard_lua_host_plan(host, ticket, "[]", plan_client, "run-8", &plan, message,
                                           sizeof message),
                     0);

    assert_non_null(strstr(plan.note_html, "None of the active workflows matched."));
    assert_non_null(strstr(plan.note_html, "a workflow for this kind of request"));
    assert_non_null(strstr(plan.note_html, "<code>halo.assign</code>"));
    assert_non_null(strstr(plan.note_html, "assigned to Sam Lead"));
    assert_null(strstr(plan.note_html, "only the assigned technician may approve"));
    char *count = json_eval(plan.summary_json, "return #doc.workflows .. ' ' .. #doc.steps");
    assert_string_equal(count, "0 4");
    free(count);

    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

/* A serving host plans as a host without the option does, byte for byte. */
static void serving_host_plans_alike(void **state)
{
    (void)state;
    halyard_lua_host *checking = create_host_serving(SOURCE_DIR, NULL, 0);
    halyard_lua_host *serving = create_host_serving(SOURCE_DIR, NULL, 1);
    halyard_lua_plan expected = {0};
    halyard_lua_plan got = {0};
    char message[2048] = "";

    assert_int_equal(halyard_lua_host_plan(checking, plan_ticket, plan_actions, plan_client,
                                           "run-7", &expected, message, sizeof message),
                     0);
    assert_int_equal(halyard_lua_host_plan(serving, plan_ticket, plan_actions, plan_client, "run-7",
                                           &got, message, sizeof message),
                     0);
    assert_string_equal(got.summary_json, expected.summary_json);
    assert_string_equal(got.note_html, expected.note_html);

    halyard_lua_plan_clear(&expected);
    halyard_lua_plan_clear(&got);
    halyard_lua_host_destroy(serving);
    halyard_lua_host_destroy(checking);
}

static void plan_summary_is_canonical(void **state)
{
    (void)state;
    halyard_lua_host *first = create_host(NULL);
    halyard_lua_host *second = create_host(NULL);
    halyard_lua_plan one = {0};
    halyard_lua_plan two = {0};
    halyard_lua_plan three = {0};
    char message[2048] = "";

    assert_int_equal(halyard_lua_host_plan(first, plan_ticket, plan_actions, plan_client, "run-42",
                                           &one, message, sizeof message),
                     0);
    assert_int_equal(halyard_lua_host_plan(first, plan_ticket, plan_actions, plan_client, "run-42",
                                           &two, message, sizeof message),
                     0);
    assert_int_equal(halyard_lua_host_plan(second, plan_ticket, plan_actions, plan_client, "run-42",
                                           &three, message, sizeof message),
                     0);

    assert_string_equal(one.summary_json, two.summary_json);
    assert_string_equal(one.summary_json, three.summary_json);
    assert_string_equal(one.note_html, three.note_html);
    /* Keys in sorted order: client_id comes first, workflows last. */
    assert_memory_equal(one.summary_json, "{\"client_id\":12,", strlen("{\"client_id\":12,"));
    assert_non_null(strstr(one.summary_json, "],\"ticket_id\":4242,\"ticket_state\":{"));
    assert_non_null(strstr(one.summary_json, "},\"workflows\":["));

    halyard_lua_plan_clear(&one);
    halyard_lua_plan_clear(&two);
    halyard_lua_plan_clear(&three);
    halyard_lua_host_destroy(second);
    halyard_lua_host_destroy(first);
}

static void plan_rejects_bad_input(void **state)
{
    (void)state;
    halyard_lua_host *host = create_host(NULL);
    halyard_lua_plan plan = {0};
    char message[2048] = "";

    assert_int_equal(halyard_lua_host_plan(host, "{not json", NULL, NULL, "run-1", &plan, message,
                                           sizeof message),
                     -1);
    assert_non_null(strstr(message, "the ticket JSON is not valid JSON"));
    assert_null(plan.note_html);

    assert_int_equal(halyard_lua_host_plan(host, "{\"summary\": \"x\"}", NULL, NULL, "run-1", &plan,
                                           message, sizeof message),
                     -1);
    assert_non_null(strstr(message, "no positive integer id"));

    assert_int_equal(halyard_lua_host_plan(host, plan_ticket, "[1,", NULL, "run-1", &plan, message,
                                           sizeof message),
                     -1);
    assert_non_null(strstr(message, "the actions JSON is not valid JSON"));

    assert_int_equal(halyard_lua_host_plan(host, plan_ticket, NULL, NULL, "run <1>", &plan, message,
                                           sizeof message),
                     -1);
    assert_non_null(strstr(message, "run id \"run <1>\" is invalid"));

    /* The host still works after the failures. */
    assert_int_equal(halyard_lua_host_plan(host, plan_ticket, NULL, NULL, "run-2", &plan, message,
                                           sizeof message),
                     0);
    halyard_lua_plan_clear(&plan);
    halyard_lua_host_destroy(host);
}

static void missing_share_folder_fails(void **state)
{
    (void)state;
    halyard_lua_host_options options = {.msp = "test", .share_dir = "/nonexistent/halyard"};
    halyard_lua_host *host = NULL;
    char message[1024] = "";

    assert_int_equal(halyard_lua_host_create(&options, &host, message, sizeof message), -1);
    assert_null(host);
    assert_non_null(strstr(message, "/nonexistent/halyard/bindings/lua/canonical.lua"));
    assert_non_null(strstr(message, "HALYARD_SHARE_DIR"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_workflows_load_cleanly),
        cmocka_unit_test(shipped_samples_match_as_labelled),
        cmocka_unit_test(shipped_samples_copied_from_dataset),
        cmocka_unit_test(shipped_rules_read_normal_text),
        cmocka_unit_test(broken_workflows_reported_others_load),
        cmocka_unit_test(bad_rules_and_steps_reported),
        cmocka_unit_test(msp_file_overrides_shipped),
        cmocka_unit_test(draft_and_archived_never_match),
        cmocka_unit_test(client_scope_limits_matching),
        cmocka_unit_test(index_phrase_shapes_match),
        cmocka_unit_test(memory_used_counts_scripts),
        cmocka_unit_test(memory_garbage_freed_after_loading),
        cmocka_unit_test(compiled_phrases_dropped_after_loading),
        cmocka_unit_test(samples_checked_after_release),
        cmocka_unit_test(serving_host_drops_samples),
        cmocka_unit_test(serving_host_drops_loading_code),
        cmocka_unit_test(serving_host_checks_files),
        cmocka_unit_test(serving_host_without_release_loads),
        cmocka_unit_test(serving_host_plans_alike),
        cmocka_unit_test(policy_files_loaded_and_checked),
        cmocka_unit_test(undefined_global_raises),
        cmocka_unit_test(sandbox_removes_unsafe_functions),
        cmocka_unit_test(binary_workflow_file_rejected),
        cmocka_unit_test(log_lines_carry_script_position),
        cmocka_unit_test(plan_note_has_every_section),
        cmocka_unit_test(plan_ids_become_integers),
        cmocka_unit_test(plan_note_escapes_ticket_text),
        cmocka_unit_test(plan_note_drops_bidi_controls),
        cmocka_unit_test(plan_note_breaks_quoted_marker),
        cmocka_unit_test(plan_without_match_is_triage),
        cmocka_unit_test(typed_marker_stays_in_context),
        cmocka_unit_test(fractional_score_plans),
        cmocka_unit_test(plan_summary_is_canonical),
        cmocka_unit_test(plan_rejects_bad_input),
        cmocka_unit_test(missing_share_folder_fails),
    };
    /* Keep the expected warnings of broken test scripts out of the test output. */
    halyard_log_configure(HALYARD_LOG_ERROR, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
