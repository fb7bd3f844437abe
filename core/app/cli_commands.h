#ifndef HALYARD_CLI_COMMANDS_H
#define HALYARD_CLI_COMMANDS_H

#include "cli.h"

/* The commands of the halyard CLI. Each gets its own arguments (argv[0] is the command name,
 * global options removed) and returns a HALYARD_EXIT_ status. */
int halyard_cli_connect(int argc, char **argv, const halyard_cli_context *context);
int halyard_cli_clients(int argc, char **argv, const halyard_cli_context *context);
int halyard_cli_token(int argc, char **argv, const halyard_cli_context *context);
int halyard_cli_workflows(int argc, char **argv, const halyard_cli_context *context);
int halyard_cli_scenario(int argc, char **argv, const halyard_cli_context *context);
int halyard_cli_verify(int argc, char **argv, const halyard_cli_context *context);
int halyard_cli_runs(int argc, char **argv, const halyard_cli_context *context);

/* Reads a secret from path ("-" for standard input): the first line, without its line end. A
 * file open to group or others gets a warning on warnings that says to chmod 600 it; it is
 * still read. Returns a heap string the caller wipes and frees, or NULL with a message. */
char *halyard_cli_read_secret_file(const char *path, FILE *warnings, char *message,
                                   size_t message_size);

#endif
