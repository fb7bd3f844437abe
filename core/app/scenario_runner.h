#ifndef HALYARD_SCENARIO_RUNNER_H
#define HALYARD_SCENARIO_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Runs one scenario file. The work is done by Lua modules in <share>/core/app/scenario/ (the
 * scenario API and the steps that start halosim and `halyard serve`), loaded into a Lua state
 * of the runner's own; this file gives them a `host` table of primitives: child processes,
 * blocking HTTP, files, sleeping and the run's deadline. Whatever way the run ends, every child
 * it started is stopped before halyard_scenario_run returns.
 */

typedef struct {
    const char *path;           /* the scenario file, as given on the command line */
    const char *halyard_path;   /* this executable, for `halyard serve` and CLI commands */
    const char *simulator_path; /* halosim */
    const char *msp;            /* the MSP the scenario's halyard works for */
    const char *msp_script_dir; /* the MSP's scripts from the config; may not exist */
    /* The MSP's Lua limits from the config; 0 where the config sets none. */
    long long lua_memory_mb;
    long long lua_instructions;
    long long lua_time_ms;
    long long timeout_ms; /* the whole scenario's time budget */
    bool keep;            /* keep the scratch folder (logs, database) */
} halyard_scenario_options;

typedef struct {
    bool passed;
    double seconds;
    char *report; /* lines to print under the result line, or NULL; the caller frees it */
} halyard_scenario_result;

/* Runs the scenario at options->path and fills result. Returns 0 when the scenario ran (passed
 * or failed), or -1 with a message when it could not be run at all (the runner's own Lua
 * modules are missing, say). */
int halyard_scenario_run(const halyard_scenario_options *options, halyard_scenario_result *result,
                         char *message, size_t message_size);

#endif
