#include "cli_commands.h"

#include "data_folder.h"
#include "scenario_process.h"
#include "scenario_runner.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The default time budget of one scenario file, in seconds. */
#define SCENARIO_DEFAULT_TIMEOUT_SECONDS 300
#define SCENARIO_MAX_TIMEOUT_SECONDS     86400

static const char scenario_usage[] =
    "usage: halyard [--config FILE] [--msp NAME] scenario [--simulator PATH] [--keep]\n"
    "                [--timeout SECONDS] FILE.lua...\n"
    "\n"
    "Runs each scenario file against a HaloPSA simulator and a halyard of its own, both on\n"
    "127.0.0.1 and stopped when the scenario ends. Prints one line per file (ok or FAIL and\n"
    "the time it took) and, for a failure, the failed expectation with its file:line and what\n"
    "halyard did. The exit status is 0 only when every scenario passed. docs/scenarios.md\n"
    "explains how to write one.\n"
    "\n"
    "The MSP's own scripts (<scripts_dir>/<msp>/ of the config) are used unless a scenario\n"
    "names a folder of its own, and so are the MSP's Lua limits.\n"
    "\n"
    "options:\n"
    "  --simulator PATH   the halosim executable (default: $HALYARD_SIMULATOR, else halosim\n"
    "                     in the folder of this halyard executable)\n"
    "  --keep             keep each scenario's scratch folder (halyard's and halosim's logs,\n"
    "                     the database) and print where it is\n"
    "  --timeout SECONDS  the most time one scenario file may take, 1 to 86400 (default 300)\n";

typedef struct {
    const char *simulator;
    bool keep;
    long long timeout_seconds;
    int first_file; /* index in argv of the first scenario file */
} scenario_command_options;

/* scenario_parse's result when it printed the help text. */
#define SCENARIO_HELP_PRINTED (-1)

/* Reads the options before the files. Returns 0, SCENARIO_HELP_PRINTED, or HALYARD_EXIT_USAGE
 * after printing what is wrong. */
static int scenario_parse(int argc, char **argv, const halyard_cli_context *context,
                          scenario_command_options *options)
{
    int i = 1;
    for (; i < argc && strncmp(argv[i], "-", 1) == 0; i++) {
        const char *option = argv[i];
        if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
            fputs(scenario_usage, context->out);
            return SCENARIO_HELP_PRINTED;
        }
        if (strcmp(option, "--keep") == 0) {
            options->keep = true;
            continue;
        }
        if (strcmp(option, "--simulator") != 0 && strcmp(option, "--timeout") != 0) {
            fprintf(context->err,
                    "halyard scenario: unknown option '%s'; run 'halyard scenario --help' for "
                    "the options\n",
                    option);
            return HALYARD_EXIT_USAGE;
        }
        if (i + 1 >= argc || argv[i + 1][0] == '\0') {
            fprintf(context->err, "halyard scenario: %s needs a value\n", option);
            return HALYARD_EXIT_USAGE;
        }
        const char *value = argv[++i];
        if (strcmp(option, "--simulator") == 0) {
            options->simulator = value;
            continue;
        }
        size_t digits = strspn(value, "0123456789");
        long long seconds =
            digits > 0 && digits <= 6 && value[digits] == '\0' ? strtoll(value, NULL, 10) : 0;
        if (seconds < 1 || seconds > SCENARIO_MAX_TIMEOUT_SECONDS) {
            fprintf(context->err,
                    "halyard scenario: --timeout '%s' is invalid: give a whole number of seconds "
                    "from 1 to %d, like 120\n",
                    value, SCENARIO_MAX_TIMEOUT_SECONDS);
            return HALYARD_EXIT_USAGE;
        }
        options->timeout_seconds = seconds;
    }
    if (i >= argc) {
        fprintf(context->err, "halyard scenario: name at least one scenario file, like "
                              "tests/scenarios/new_ticket_plan_note.lua\n");
        return HALYARD_EXIT_USAGE;
    }
    options->first_file = i;
    return 0;
}

/* Finds this executable and halosim: --simulator, $HALYARD_SIMULATOR, or beside halyard.
 * Returns 0, or -1 after printing what is missing and how to name it. */
static int scenario_find_programs(const halyard_cli_context *context, const char *simulator,
                                  char *halyard_path, size_t halyard_size, char *simulator_path,
                                  size_t simulator_size)
{
    ssize_t length = readlink("/proc/self/exe", halyard_path, halyard_size - 1);
    if (length <= 0) {
        fprintf(context->err, "halyard scenario: cannot find the halyard executable: %s\n",
                strerror(errno));
        return -1;
    }
    halyard_path[length] = '\0';

    const char *from = "--simulator";
    if (simulator == NULL) {
        simulator = getenv("HALYARD_SIMULATOR");
        from = "HALYARD_SIMULATOR";
    }
    if (simulator != NULL && simulator[0] != '\0') {
        snprintf(simulator_path, simulator_size, "%s", simulator);
    } else {
        const char *slash = strrchr(halyard_path, '/');
        snprintf(simulator_path, simulator_size, "%.*s/halosim", (int)(slash - halyard_path),
                 halyard_path);
        from = "the folder of the halyard executable";
    }
    if (access(simulator_path, X_OK) != 0) {
        fprintf(context->err,
                "halyard scenario: the simulator %s (from %s) cannot be run: %s; build it with "
                "'cmake --build build --target halosim' or name it with --simulator PATH\n",
                simulator_path, from, strerror(errno));
        return -1;
    }
    return 0;
}

int halyard_cli_scenario(int argc, char **argv, const halyard_cli_context *context)
{
    scenario_command_options options = {.timeout_seconds = SCENARIO_DEFAULT_TIMEOUT_SECONDS};
    int parsed = scenario_parse(argc, argv, context, &options);
    if (parsed != 0) {
        return parsed == SCENARIO_HELP_PRINTED ? HALYARD_EXIT_OK : parsed;
    }
    char message[1024];
    if (halyard_msp_name_validate(context->msp, message, sizeof message) != 0) {
        fprintf(context->err, "halyard scenario: %s\n", message);
        return HALYARD_EXIT_USAGE;
    }
    char halyard_path[PATH_MAX];
    char simulator_path[PATH_MAX];
    if (scenario_find_programs(context, options.simulator, halyard_path, sizeof halyard_path,
                               simulator_path, sizeof simulator_path) != 0) {
        return HALYARD_EXIT_FAILURE;
    }

    /* What the scenarios inherit from the config: the MSP's scripts and Lua limits. */
    char script_dir[PATH_MAX];
    halyard_config_msp_scripts(context->config, context->msp, script_dir, sizeof script_dir);
    size_t memory_bytes = 0;
    unsigned long long instructions = 0;
    unsigned int time_ms = 0;
    halyard_config_lua_limits_for(context->config, context->msp, &memory_bytes, &instructions,
                                  &time_ms);

    halyard_scenario_signals_install();
    int passed = 0;
    int failed = 0;
    for (int i = options.first_file; i < argc; i++) {
        if (halyard_scenario_interrupted() != 0) {
            fprintf(context->out, "interrupted: %d scenario file%s not run\n", argc - i,
                    argc - i == 1 ? "" : "s");
            break;
        }
        halyard_scenario_options scenario = {
            .path = argv[i],
            .halyard_path = halyard_path,
            .simulator_path = simulator_path,
            .msp = context->msp,
            .msp_script_dir = script_dir,
            .lua_memory_mb = (long long)(memory_bytes / (1024 * 1024)),
            .lua_instructions = (long long)instructions,
            .lua_time_ms = time_ms,
            .timeout_ms = options.timeout_seconds * 1000,
            .keep = options.keep,
        };
        halyard_scenario_result result;
        if (halyard_scenario_run(&scenario, &result, message, sizeof message) != 0) {
            fprintf(context->out, "FAIL %s\n    %s\n", argv[i], message);
            failed++;
            continue;
        }
        fprintf(context->out, "%s %s (%.1f s)\n", result.passed ? "ok  " : "FAIL", argv[i],
                result.seconds);
        if (result.report != NULL) {
            fputs(result.report, context->out);
        }
        fflush(context->out);
        free(result.report);
        if (result.passed) {
            passed++;
        } else {
            failed++;
        }
    }
    fprintf(context->out, "%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? HALYARD_EXIT_OK : HALYARD_EXIT_FAILURE;
}
