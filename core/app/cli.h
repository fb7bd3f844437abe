#ifndef HALYARD_CLI_H
#define HALYARD_CLI_H

#include <stdio.h>

#include "config.h"

/* Exit statuses of the halyard command. */
enum {
    HALYARD_EXIT_OK = 0,
    HALYARD_EXIT_FAILURE = 1, /* the command ran and failed */
    HALYARD_EXIT_USAGE = 2,   /* the command line was invalid */
};

/* What every command gets besides its own arguments. */
typedef struct {
    const halyard_config *config;
    const char *config_path; /* NULL when the defaults are in force */
    const char *msp;         /* --msp NAME, "default" when not given */
    FILE *out;               /* normal output */
    FILE *err;               /* errors */
} halyard_cli_context;

/* Runs one halyard command line (argv[0] is the program name). The global options --config FILE
 * (or the environment variable HALYARD_CONFIG) and --msp NAME may stand anywhere. Returns one
 * of the HALYARD_EXIT_ statuses. */
int halyard_cli_run(int argc, char **argv, FILE *out, FILE *err);

#endif
