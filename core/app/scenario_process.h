#ifndef HALYARD_SCENARIO_PROCESS_H
#define HALYARD_SCENARIO_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The child processes of `halyard scenario` (halosim, `halyard serve`, halyard CLI commands)
 * and the signals that stop a run.
 *
 * Every child runs in its own process group, so a Ctrl-C in the terminal reaches only the
 * runner, which then stops the children in order. Every child also gets PR_SET_PDEATHSIG, so
 * it dies with the runner even when the runner is killed with SIGKILL. A registry of running
 * children lets halyard_scenario_stop_all end them on any way out, and a second SIGINT or
 * SIGTERM kills them all from the signal handler and exits at once.
 *
 * Only the main thread uses these functions.
 */

/* The maximum of children running at once; a scenario needs halosim, halyard serve and one
 * command. */
#define HALYARD_SCENARIO_MAX_CHILDREN 16

/* Installs the handlers of SIGINT, SIGTERM and SIGHUP: the first sets the interrupted flag that
 * halyard_scenario_interrupted reads, the second kills every child and exits with 130. Also
 * ignores SIGPIPE. */
void halyard_scenario_signals_install(void);

/* The signal that interrupted the run (SIGINT, SIGTERM or SIGHUP), or 0. */
int halyard_scenario_interrupted(void);

/* Starts argv[0], a path that is not looked up in PATH. Standard input is /dev/null, and standard
 * output and error are appended to the files named, which are created with mode 0600 when
 * missing and may be the same file. Returns 0 and *pid, or -1 with a message when the files
 * cannot be opened, the registry is full, or the program cannot be executed. */
int halyard_scenario_spawn(char *const argv[], const char *stdout_path, const char *stderr_path,
                           pid_t *pid, char *message, size_t message_size);

/* Waits up to timeout_ms for a child to exit (0: only looks). Returns true with *exit_status
 * (the exit code, or 128 + n for signal n) once it has exited, false while it runs. A child
 * that exited is removed from the registry. */
bool halyard_scenario_wait(pid_t pid, long timeout_ms, int *exit_status);

/* Stops a child: SIGTERM to its process group, up to grace_ms to exit, then SIGKILL. Returns
 * its exit status as halyard_scenario_wait does; a child already gone returns its status. */
int halyard_scenario_stop(pid_t pid, long grace_ms);

/* Stops every child still registered, each with grace_ms. Callers that need an order (halyard
 * before the simulator it talks to) stop those children themselves first. */
void halyard_scenario_stop_all(long grace_ms);

/* Milliseconds on the monotonic clock, for timeouts. */
long long halyard_scenario_monotonic_ms(void);

#endif
