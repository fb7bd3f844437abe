#include "cli.h"

#include "data_folder.h"

#include "cli_commands.h"
#include "intake_command.h"
#include "serve.h"

#include "log.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One command: argv[0] is the command's name, the global options are already removed. */
typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv, const halyard_cli_context *context);
    /* Long-running commands log at the configured level; the others report on standard output
     * and error themselves and log only when log_level is debug. */
    bool daemon;
} cli_command;

static int run_version(int argc, char **argv, const halyard_cli_context *context);
static int run_help(int argc, char **argv, const halyard_cli_context *context);

static const cli_command cli_commands[] = {
    {"serve", "run the HTTP server and the HaloPSA webhook intake", halyard_serve_command, true},
    {"connect", "connect an MSP to HaloPSA and register halyard's webhook", halyard_cli_connect,
     false},
    {"clients", "list HaloPSA clients, or import them to give each its agent", halyard_cli_clients,
     false},
    {"token", "create, list or revoke admin tokens for the /api/v1 API", halyard_cli_token, false},
    {"runs", "cancel a run that waits for an approval", halyard_cli_runs, false},
    {"workflows", "list or test workflows; lint workflows, policies, tools, verifiers",
     halyard_cli_workflows, false},
    {"scenario", "run scripted scenarios against a HaloPSA simulator it starts itself",
     halyard_cli_scenario, false},
    {"intake", "print the webhook credentials HaloPSA sends with each delivery",
     halyard_intake_command, false},
    {"verify", "connect, show or remove the MSP's identity verification provider",
     halyard_cli_verify, false},
    {"version", "print the version", run_version, false},
    {"help", "print this text", run_help, false},
};

static void print_usage(FILE *stream)
{
    fputs("usage: halyard [--config FILE] [--msp NAME] COMMAND [OPTIONS]\n"
          "\n"
          "halyard hosts one AI agent per HaloPSA client of an MSP: it receives HaloPSA ticket\n"
          "webhooks and runs the MSP's Lua workflows and policies on each ticket.\n"
          "\n"
          "global options:\n"
          "  --config FILE  daemon settings (see config/halyard.example.lua); also taken from\n"
          "                 the environment variable HALYARD_CONFIG\n"
          "  --msp NAME     the MSP a command works on (default: default)\n"
          "\n"
          "commands:\n",
          stream);
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++) {
        fprintf(stream, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
    }
}

static int run_version(int argc, char **argv, const halyard_cli_context *context)
{
    (void)argc;
    (void)argv;
    fprintf(context->out, "halyard %s\n", HALYARD_VERSION);
    return HALYARD_EXIT_OK;
}

static int run_help(int argc, char **argv, const halyard_cli_context *context)
{
    (void)argc;
    (void)argv;
    print_usage(context->out);
    return HALYARD_EXIT_OK;
}

/* Removes "--NAME VALUE" from argv wherever it stands and returns VALUE, or NULL when absent.
 * Sets *missing_value when the option is the last word. */
static const char *take_option(int *argc, char **argv, const char *name, int *missing_value)
{
    const char *value = NULL;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], name) != 0) {
            continue;
        }
        if (i + 1 >= *argc) {
            *missing_value = 1;
            return NULL;
        }
        value = argv[i + 1];
        memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 2) * sizeof argv[0]);
        *argc -= 2;
        argv[*argc] = NULL;
        i--;
    }
    return value;
}

int halyard_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    /* Step 1: the global options. */
    int missing_value = 0;
    const char *config_path = take_option(&argc, argv, "--config", &missing_value);
    const char *msp = take_option(&argc, argv, "--msp", &missing_value);
    if (missing_value) {
        fputs("halyard: --config and --msp need a value, e.g. --msp default\n", err);
        return HALYARD_EXIT_USAGE;
    }
    /* An MSP name becomes a folder name, so every command checks it before any use. */
    char name_message[256];
    if (msp != NULL && halyard_msp_name_validate(msp, name_message, sizeof name_message) != 0) {
        fprintf(err, "halyard: --msp: %s\n", name_message);
        return HALYARD_EXIT_USAGE;
    }
    if (config_path == NULL) {
        config_path = getenv("HALYARD_CONFIG");
    }
    if (argc < 2) {
        print_usage(err);
        return HALYARD_EXIT_USAGE;
    }

    /* Step 2: the command. */
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0) {
        name = "version";
    } else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        name = "help";
    }
    const cli_command *command = NULL;
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++) {
        if (strcmp(name, cli_commands[i].name) == 0) {
            command = &cli_commands[i];
        }
    }
    if (command == NULL) {
        fprintf(err, "halyard: unknown command '%s'; run 'halyard help' for the list of commands\n",
                name);
        return HALYARD_EXIT_USAGE;
    }

    /* Step 3: the config, then the command itself. */
    halyard_config config;
    char message[512];
    if (halyard_config_load(config_path, &config, message, sizeof message) != 0) {
        fprintf(err, "halyard: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    halyard_log_level level = HALYARD_LOG_INFO;
    if (halyard_log_parse_level(config.log_level, &level) != 0) {
        fprintf(err, "halyard: log_level '%s' is invalid: use error, warning, info or debug\n",
                config.log_level);
        halyard_config_free(&config);
        return HALYARD_EXIT_FAILURE;
    }
    if (!command->daemon && level != HALYARD_LOG_DEBUG) {
        level = HALYARD_LOG_QUIET;
    }
    halyard_log_configure(level, NULL);
    if (!command->daemon) {
        halyard_data_folder_warn_to(level == HALYARD_LOG_QUIET ? err : NULL);
    }

    halyard_cli_context context = {
        .config = &config,
        .config_path = config_path,
        .msp = msp != NULL ? msp : "default",
        .out = out,
        .err = err,
    };
    int status = command->run(argc - 1, argv + 1, &context);
    halyard_data_folder_warn_to(NULL);
    halyard_config_free(&config);
    return status;
}
