#include "cli.h"

#include <string.h>

static const char cli_usage[] =
    "usage: halyard COMMAND [OPTIONS]\n"
    "\n"
    "halyard hosts one AI agent per HaloPSA client of an MSP: it receives HaloPSA ticket\n"
    "webhooks and runs the MSP's Lua workflows and policies on each ticket.\n"
    "\n"
    "commands:\n"
    "  version    print the version\n"
    "  help       print this text\n";

int halyard_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    if (argc < 2) {
        fputs(cli_usage, err);
        return HALYARD_EXIT_USAGE;
    }

    const char *command = argv[1];
    if (strcmp(command, "version") == 0 || strcmp(command, "--version") == 0) {
        fprintf(out, "halyard %s\n", HALYARD_VERSION);
        return HALYARD_EXIT_OK;
    }
    if (strcmp(command, "help") == 0 || strcmp(command, "--help") == 0 ||
        strcmp(command, "-h") == 0) {
        fputs(cli_usage, out);
        return HALYARD_EXIT_OK;
    }

    fprintf(err, "halyard: unknown command '%s'; run 'halyard help' for the list of commands\n",
            command);
    return HALYARD_EXIT_USAGE;
}
