#include "cli.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    return halyard_cli_run(argc, argv, stdout, stderr);
}
