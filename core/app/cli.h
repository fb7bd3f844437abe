#ifndef HALYARD_CLI_H
#define HALYARD_CLI_H

#include <stdio.h>

/* Exit statuses of the halyard command. */
enum {
    HALYARD_EXIT_OK = 0,
    HALYARD_EXIT_FAILURE = 1, /* the command ran and failed */
    HALYARD_EXIT_USAGE = 2,   /* the command line was invalid */
};

/* Runs one halyard command line (argv[0] is the program name). Normal output goes to out,
 * errors to err. Returns one of the HALYARD_EXIT_ statuses. */
int halyard_cli_run(int argc, char **argv, FILE *out, FILE *err);

#endif
