#include "cli_commands.h"

#include "json_reader.h"
#include "lua_host.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int usage_to(FILE *stream, int status)
{
    fputs("usage: halyard [--msp NAME] workflows list|lint|test\n"
          "       halyard [--msp NAME] workflows lint --strict\n"
          "  list      every workflow the MSP's agent loads, shipped and its own, with status\n"
          "  lint      load every workflow, policy, tool and verifier file and report each\n"
          "            problem with file:line; errors first, then warnings marked \"warning:\"\n"
          "  --strict  make lint fail on warnings too, for CI\n"
          "  test      run every workflow's sample tickets that must and must not match\n"
          "The MSP's own scripts are read from <scripts_dir>/<msp>/ (see the config).\n"
          "Exit status: 0 when no file has an error (warnings alone are printed but pass), 1\n"
          "when a file has an error, a sample fails or --strict meets a warning, 2 on bad\n"
          "usage.\n",
          stream);
    return status;
}

static int usage(const halyard_cli_context *context)
{
    return usage_to(context->err, HALYARD_EXIT_USAGE);
}

/* The problems found while loading the scripts, by severity. */
typedef struct {
    size_t errors;   /* problems that kept a file's text from loading */
    size_t warnings; /* problems of files that serve all the same */
} load_problems;

/* Prints every load problem, errors first and then warnings, and returns their counts. */
static load_problems print_problems(const halyard_cli_context *context, halyard_lua_host *host)
{
    size_t count = halyard_lua_host_problem_count(host);
    for (size_t i = 0; i < count; i++) {
        fprintf(context->err, "%s\n", halyard_lua_host_problem(host, i));
    }
    size_t warnings = halyard_lua_host_warning_count(host);
    load_problems problems = {.errors = count - warnings, .warnings = warnings};
    return problems;
}

static int list_workflows(const halyard_cli_context *context, halyard_lua_host *host,
                          halyard_json_reader *json)
{
    char message[1024];
    char *rows = NULL;
    if (halyard_lua_host_list_workflows(host, &rows, message, sizeof message) != 0) {
        fprintf(context->err, "halyard workflows list: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    size_t length = strlen(rows);
    long long count = halyard_json_array_length(json, rows, length, "$");
    fprintf(context->out, "%-36s %-9s %-12s %s\n", "NAME", "STATUS", "SCOPE", "FILE");
    for (long long i = 0; i < count; i++) {
        char path[64];
        char *name = NULL;
        char *status = NULL;
        char *file = NULL;
        char *scope = NULL;
        snprintf(path, sizeof path, "$[%lld].name", i);
        halyard_json_read_text(json, rows, length, path, &name);
        snprintf(path, sizeof path, "$[%lld].status", i);
        halyard_json_read_text(json, rows, length, path, &status);
        snprintf(path, sizeof path, "$[%lld].path", i);
        halyard_json_read_text(json, rows, length, path, &file);
        snprintf(path, sizeof path, "$[%lld].scope", i);
        halyard_json_read_json(json, rows, length, path, &scope);
        fprintf(context->out, "%-36s %-9s %-12s %s\n", name ? name : "?", status ? status : "?",
                scope != NULL && strcmp(scope, "\"all\"") == 0 ? "all clients" : scope,
                file ? file : "?");
        free(name);
        free(status);
        free(file);
        free(scope);
    }
    fprintf(context->out, "%lld workflows\n", count);
    free(rows);
    load_problems problems = print_problems(context, host);
    return problems.errors == 0 ? HALYARD_EXIT_OK : HALYARD_EXIT_FAILURE;
}

/* Reads the text at $.failures[index].field of report, or "?" when it is missing. */
static char *failure_field(halyard_json_reader *json, const char *report, size_t length,
                           long long index, const char *field)
{
    char path[96];
    char *text = NULL;
    snprintf(path, sizeof path, "$.failures[%lld].%s", index, field);
    if (halyard_json_read_text(json, report, length, path, &text) != 0 || text == NULL) {
        free(text);
        text = strdup("?");
    }
    return text;
}

/* Prints one failed sample as "FAIL file: workflow 'name', sample 'id': expected match, it did
 * not match (reasons: [...])". */
static void print_failure(const halyard_cli_context *context, halyard_json_reader *json,
                          const char *report, size_t length, long long index)
{
    char *file = failure_field(json, report, length, index, "file");
    char *workflow = failure_field(json, report, length, index, "workflow");
    char *sample = failure_field(json, report, length, index, "sample");
    char *expected = failure_field(json, report, length, index, "expected");
    char path[96];
    char *reasons = NULL;
    snprintf(path, sizeof path, "$.failures[%lld].reasons", index);
    halyard_json_read_json(json, report, length, path, &reasons);

    bool expected_match = expected != NULL && strcmp(expected, "match") == 0;
    fprintf(context->err, "FAIL %s: workflow '%s', sample '%s': expected %s, %s (reasons: %s)\n",
            file != NULL ? file : "?", workflow != NULL ? workflow : "?",
            sample != NULL ? sample : "?", expected != NULL ? expected : "?",
            expected_match ? "it did not match" : "it matched", reasons != NULL ? reasons : "[]");
    free(file);
    free(workflow);
    free(sample);
    free(expected);
    free(reasons);
}

static int test_workflows(const halyard_cli_context *context, halyard_lua_host *host,
                          halyard_json_reader *json)
{
    char message[1024];
    char *report = NULL;
    if (halyard_lua_host_check_samples(host, &report, message, sizeof message) != 0) {
        fprintf(context->err, "halyard workflows test: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    size_t length = strlen(report);
    long long checked = 0;
    halyard_json_read_integer(json, report, length, "$.checked", &checked);
    long long failures = halyard_json_array_length(json, report, length, "$.failures");
    for (long long i = 0; i < failures; i++) {
        print_failure(context, json, report, length, i);
    }
    free(report);
    load_problems problems = print_problems(context, host);
    fprintf(context->out,
            "%lld samples checked, %lld failed; errors in the script files: %zu, warnings: %zu\n",
            checked, failures, problems.errors, problems.warnings);
    return failures == 0 && problems.errors == 0 ? HALYARD_EXIT_OK : HALYARD_EXIT_FAILURE;
}

/* Prints the load problems and a summary. Warnings fail only when strict is set. */
static int lint_workflows(const halyard_cli_context *context, halyard_lua_host *host, bool strict)
{
    load_problems problems = print_problems(context, host);
    fprintf(context->out, "%zu workflows loaded; errors in the script files: %zu, warnings: %zu\n",
            halyard_lua_host_workflow_count(host), problems.errors, problems.warnings);
    if (problems.errors > 0) {
        return HALYARD_EXIT_FAILURE;
    }
    if (strict && problems.warnings > 0) {
        fprintf(context->err,
                "halyard workflows lint: failed because --strict is set and the script files have "
                "warnings (%zu); fix them, or leave out --strict to let warnings pass\n",
                problems.warnings);
        return HALYARD_EXIT_FAILURE;
    }
    return HALYARD_EXIT_OK;
}

int halyard_cli_workflows(int argc, char **argv, const halyard_cli_context *context)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return usage_to(context->out, HALYARD_EXIT_OK);
        }
    }
    const char *action = argc >= 2 ? argv[1] : "";
    if (strcmp(action, "list") != 0 && strcmp(action, "lint") != 0 && strcmp(action, "test") != 0) {
        return usage(context);
    }
    bool strict = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0 && strcmp(action, "lint") == 0) {
            strict = true;
        } else {
            fprintf(context->err, "halyard workflows %s: unexpected argument '%s'\n", action,
                    argv[i]);
            return usage(context);
        }
    }

    char message[1024];
    char scripts[4096];
    halyard_config_msp_scripts(context->config, context->msp, scripts, sizeof scripts);
    struct stat folder;
    if (stat(scripts, &folder) != 0 || !S_ISDIR(folder.st_mode)) {
        fprintf(context->err,
                "halyard workflows %s: note: MSP '%s' has no script folder at %s, so only the "
                "shipped scripts are loaded; check --msp and scripts_dir if you expected its "
                "own files\n",
                action, context->msp, scripts);
    }
    /* No store_database_path: list, lint and test check scripts offline, and a sample must
     * not read or change the MSP's live data. A store call here raises. */
    halyard_lua_host_options options = {.msp = context->msp, .msp_script_dir = scripts};
    halyard_config_lua_limits_for(context->config, context->msp, &options.memory_limit_bytes,
                                  &options.instruction_limit, &options.time_limit_ms);
    halyard_lua_host *host = NULL;
    halyard_json_reader *json = NULL;
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0 ||
        halyard_json_reader_create(&json, message, sizeof message) != 0) {
        fprintf(context->err, "halyard workflows %s: %s\n", action, message);
        halyard_lua_host_destroy(host);
        return HALYARD_EXIT_FAILURE;
    }

    int status;
    if (strcmp(action, "list") == 0) {
        status = list_workflows(context, host, json);
    } else if (strcmp(action, "test") == 0) {
        status = test_workflows(context, host, json);
    } else {
        status = lint_workflows(context, host, strict);
    }
    halyard_json_reader_free(json);
    halyard_lua_host_destroy(host);
    return status;
}
