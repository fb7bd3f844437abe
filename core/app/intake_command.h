#ifndef HALYARD_INTAKE_COMMAND_H
#define HALYARD_INTAKE_COMMAND_H

#include "cli.h"

/* `halyard intake credentials [--rotate] [--data-dir DIR]`: prints the webhook URL path and the
 * HTTP Basic credentials of the MSP chosen with --msp, making them when none are stored (or
 * making new ones with --rotate). argv[0] is "intake". Returns one of the HALYARD_EXIT_
 * statuses. */
int halyard_intake_command(int argc, char **argv, const halyard_cli_context *context);

#endif
