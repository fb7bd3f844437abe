#include "scenario_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often a wait looks at its child again, in ms. */
#define PROCESS_POLL_MS 10

/* Running children by pid; 0 marks a free slot. The signal handler reads it, so slots are
 * written whole and only from the main thread. */
static volatile pid_t process_children[HALYARD_SCENARIO_MAX_CHILDREN];
static volatile sig_atomic_t process_interrupted;

static void on_stop_signal(int signal_number)
{
    if (process_interrupted == 0) {
        process_interrupted = signal_number;
        return;
    }

    /* A second signal: the user does not want to wait for an orderly stop. */
    for (size_t i = 0; i < HALYARD_SCENARIO_MAX_CHILDREN; i++) {
        if (process_children[i] > 0) {
            kill(-process_children[i], SIGKILL);
        }
    }
    static const char text[] = "halyard scenario: stopped at once; children killed\n";
    ssize_t written = write(STDERR_FILENO, text, sizeof text - 1);
    (void)written;
    _exit(130);
}

void halyard_scenario_signals_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], &action, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
}

int halyard_scenario_interrupted(void)
{
    return process_interrupted;
}

long long halyard_scenario_monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void sleep_ms(long milliseconds)
{
    struct timespec pause = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

static void forget_child(pid_t pid)
{
    for (size_t i = 0; i < HALYARD_SCENARIO_MAX_CHILDREN; i++) {
        if (process_children[i] == pid) {
            process_children[i] = 0;
        }
    }
}

/* Opens an output file for appending; -1 with errno when it cannot. */
static int open_output(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* Runs in the child after fork: redirects, detaches and executes. Reports a failed exec's errno
 * through report_fd and exits 127. */
static void run_child(char *const argv[], int output_fd, int error_fd, int report_fd)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);

    /* The runner's handlers and ignored signals must not reach the program. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    int input_fd = open("/dev/null", O_RDONLY);
    if (input_fd < 0 || dup2(input_fd, STDIN_FILENO) < 0 || dup2(output_fd, STDOUT_FILENO) < 0 ||
        dup2(error_fd, STDERR_FILENO) < 0) {
        int error = errno;
        ssize_t written = write(report_fd, &error, sizeof error);
        (void)written;
        _exit(127);
    }
    execv(argv[0], argv);
    int error = errno;
    ssize_t written = write(report_fd, &error, sizeof error);
    (void)written;
    _exit(127);
}

int halyard_scenario_spawn(char *const argv[], const char *stdout_path, const char *stderr_path,
                           pid_t *pid, char *message, size_t message_size)
{
    int status = -1;
    int output_fd = -1;
    int error_fd = -1;
    int report[2] = {-1, -1};

    /* Step 1: a free slot, the output files and the pipe that reports a failed exec. */
    size_t slot = 0;
    while (slot < HALYARD_SCENARIO_MAX_CHILDREN && process_children[slot] != 0) {
        slot++;
    }
    if (slot == HALYARD_SCENARIO_MAX_CHILDREN) {
        snprintf(message, message_size, "cannot start %s: %d children are running already", argv[0],
                 HALYARD_SCENARIO_MAX_CHILDREN);
        return -1;
    }
    output_fd = open_output(stdout_path);
    if (output_fd < 0) {
        snprintf(message, message_size, "cannot write %s: %s", stdout_path, strerror(errno));
        goto cleanup;
    }
    error_fd = open_output(stderr_path);
    if (error_fd < 0) {
        snprintf(message, message_size, "cannot write %s: %s", stderr_path, strerror(errno));
        goto cleanup;
    }
    if (pipe(report) != 0 || fcntl(report[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(report[1], F_SETFD, FD_CLOEXEC) != 0) {
        snprintf(message, message_size, "cannot start %s: pipe failed: %s", argv[0],
                 strerror(errno));
        goto cleanup;
    }

    /* Step 2: the child. */
    pid_t child = fork();
    if (child < 0) {
        snprintf(message, message_size, "cannot start %s: fork failed: %s", argv[0],
                 strerror(errno));
        goto cleanup;
    }
    if (child == 0) {
        run_child(argv, output_fd, error_fd, report[1]);
    }
    process_children[slot] = child;

    /* Step 3: the pipe closes without data when exec succeeded. */
    close(report[1]);
    report[1] = -1;
    int exec_error = 0;
    ssize_t got;
    do {
        got = read(report[0], &exec_error, sizeof exec_error);
    } while (got < 0 && errno == EINTR);
    if (got == (ssize_t)sizeof exec_error) {
        int ignored = 0;
        halyard_scenario_wait(child, 1000, &ignored);
        snprintf(message, message_size, "cannot run %s: %s", argv[0], strerror(exec_error));
        goto cleanup;
    }
    *pid = child;
    status = 0;

cleanup:
    if (report[0] >= 0) {
        close(report[0]);
    }
    if (report[1] >= 0) {
        close(report[1]);
    }
    if (error_fd >= 0) {
        close(error_fd);
    }
    if (output_fd >= 0) {
        close(output_fd);
    }
    return status;
}

bool halyard_scenario_wait(pid_t pid, long timeout_ms, int *exit_status)
{
    long long deadline = halyard_scenario_monotonic_ms() + timeout_ms;
    for (;;) {
        int wait_status = 0;
        pid_t done = waitpid(pid, &wait_status, WNOHANG);
        if (done == pid || (done < 0 && errno == ECHILD)) {
            forget_child(pid);
            if (done < 0) {
                *exit_status = 127;
            } else if (WIFEXITED(wait_status)) {
                *exit_status = WEXITSTATUS(wait_status);
            } else {
                *exit_status = 128 + WTERMSIG(wait_status);
            }
            return true;
        }
        if (halyard_scenario_monotonic_ms() >= deadline) {
            return false;
        }
        sleep_ms(PROCESS_POLL_MS);
    }
}

int halyard_scenario_stop(pid_t pid, long grace_ms)
{
    int exit_status = 0;
    if (halyard_scenario_wait(pid, 0, &exit_status)) {
        return exit_status;
    }
    kill(-pid, SIGTERM);
    if (halyard_scenario_wait(pid, grace_ms, &exit_status)) {
        return exit_status;
    }
    kill(-pid, SIGKILL);
    halyard_scenario_wait(pid, 5000, &exit_status);
    return exit_status;
}

void halyard_scenario_stop_all(long grace_ms)
{
    for (size_t i = HALYARD_SCENARIO_MAX_CHILDREN; i-- > 0;) {
        if (process_children[i] > 0) {
            halyard_scenario_stop(process_children[i], grace_ms);
        }
    }
}
