/*
 * Lua module `proc`: child processes for tests.
 *
 *   proc.spawn(argv, {env = {NAME = value|false}, stdout = path|false|nil,
 *                     stderr = path|false|nil, cwd = path})  -> handle or nil, message
 *
 * stdout nil is a pipe that handle:read_line() reads. stderr nil, and either stream false, is
 * the runner's own stream. A string is a file, created or truncated. env adds to the runner's
 * environment, and a false value removes the variable. Standard input is /dev/null.
 *
 * handle:pid(), handle:kill(signal) with a name ("TERM", "SIGKILL") or number (default TERM),
 * handle:wait(timeout_ms) -> exit status (128 + n for a signal n) and a description, or nil,
 * "timed out ...", handle:read_line(timeout_ms) -> line without newline, or nil, message,
 * handle:running().
 *
 * Every child gets its own process group and PR_SET_PDEATHSIG, so it dies with the runner even
 * when the runner is killed. A handle that is garbage-collected or released by the registry
 * (the test that started it ended) stops its child: SIGTERM, 2 s grace, then SIGKILL.
 */
#include "halytest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#define PROC_METATABLE "halytest.proc"
#define STOP_GRACE_MS  2000
#define LINE_MAX_BYTES (1024 * 1024)

extern char **environ;

struct child {
    pid_t pid;
    int stdout_fd; /* -1 unless stdout is a pipe */
    bool exited;
    int wait_status;
    bool registered;
    char *pending; /* bytes read from the pipe and not yet returned as lines */
    size_t pending_length;
    bool end_of_output;
};

static long monotonic_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void sleep_briefly(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000};

    nanosleep(&pause, NULL);
}

/* Reaps the child if it exited; returns true when it has. */
static bool child_poll(struct child *child)
{
    int status;
    pid_t result;

    if (child->exited)
        return true;
    result = waitpid(child->pid, &status, WNOHANG);
    if (result == child->pid) {
        child->exited = true;
        child->wait_status = status;
        halytest_children_remove(child->pid);
        /* Grandchildren left in the group go too: a test's processes end with it. */
        kill(-child->pid, SIGKILL);
        return true;
    }
    if (result < 0 && errno == ECHILD) {
        child->exited = true;
        child->wait_status = 0;
        halytest_children_remove(child->pid);
        return true;
    }
    return false;
}

static bool child_wait(struct child *child, long timeout_ms)
{
    long deadline = monotonic_ms() + timeout_ms;

    while (!child_poll(child)) {
        if (monotonic_ms() >= deadline)
            return false;
        sleep_briefly(5);
    }
    return true;
}

/* Stops the child (TERM, grace period, KILL) and closes its pipe. Safe to call twice. */
static void child_stop(struct child *child)
{
    if (!child_poll(child)) {
        kill(child->pid, SIGTERM);
        if (!child_wait(child, STOP_GRACE_MS)) {
            kill(-child->pid, SIGKILL);
            kill(child->pid, SIGKILL);
            child_wait(child, STOP_GRACE_MS);
        }
    }
    if (child->stdout_fd >= 0) {
        close(child->stdout_fd);
        child->stdout_fd = -1;
    }
}

static void release_child(void *object)
{
    struct child *child = object;

    child->registered = false;
    child_stop(child);
}

static struct child *check_child(lua_State *L)
{
    return luaL_checkudata(L, 1, PROC_METATABLE);
}

/* Finds an executable the way execvp would, in the parent, so the child only calls execve. */
static bool resolve_program(const char *name, char *path, size_t size)
{
    const char *search = getenv("PATH");

    if (strchr(name, '/') != NULL) {
        snprintf(path, size, "%s", name);
        return access(path, X_OK) == 0;
    }
    if (search == NULL)
        search = "/usr/local/bin:/usr/bin:/bin";
    while (*search != '\0') {
        const char *colon = strchr(search, ':');
        size_t length = colon ? (size_t)(colon - search) : strlen(search);

        snprintf(path, size, "%.*s/%s", (int)length, length ? search : ".", name);
        if (access(path, X_OK) == 0)
            return true;
        search += length;
        if (*search == ':')
            search++;
    }
    return false;
}

/* Builds envp as a Lua array at the top of the stack (keeps the strings alive), then fills
 * envp from it. Raises on a bad env field. */
static void build_environment(lua_State *L, int options_index)
{
    lua_newtable(L); /* name -> "NAME=value" */
    for (char **entry = environ; *entry != NULL; entry++) {
        const char *equals = strchr(*entry, '=');

        if (equals == NULL)
            continue;
        lua_pushlstring(L, *entry, (size_t)(equals - *entry));
        lua_pushstring(L, *entry);
        lua_rawset(L, -3);
    }

    if (options_index != 0) {
        lua_getfield(L, options_index, "env");
        if (!lua_isnil(L, -1)) {
            if (!lua_istable(L, -1))
                luaL_argerror(L, 2, "field 'env' must be a table of NAME = value");
            lua_pushnil(L);
            while (lua_next(L, -2) != 0) {
                if (lua_type(L, -2) != LUA_TSTRING ||
                    !(lua_isstring(L, -1) || (lua_isboolean(L, -1) && !lua_toboolean(L, -1))))
                    luaL_argerror(L, 2,
                                  "field 'env' must map names to strings (or false to remove)");
                lua_pushvalue(L, -2);
                if (lua_isboolean(L, -2))
                    lua_pushnil(L);
                else
                    lua_pushfstring(L, "%s=%s", lua_tostring(L, -3), lua_tostring(L, -2));
                /* Stack: names, env, key, value, key, "NAME=value" or nil. */
                lua_rawset(L, -6);
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
}

/* Opens the file for a stdout/stderr option; returns -2 for "inherit", -1 for "pipe" (only
 * stdout), or a descriptor. Sets *error on failure. */
static int open_stream(lua_State *L, int options_index, const char *field, bool default_pipe,
                       const char **error)
{
    int fd;

    if (options_index == 0)
        return default_pipe ? -1 : -2;
    lua_getfield(L, options_index, field);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return default_pipe ? -1 : -2;
    }
    if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        return -2;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_argerror(L, 2,
                      lua_pushfstring(L, "field '%s' must be a file path, false or nil", field));
    fd = open(lua_tostring(L, -1), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        /* The message stays on the stack, which keeps it alive until spawn returns. */
        *error = lua_pushfstring(L, "cannot open '%s' for %s: %s", lua_tostring(L, -1), field,
                                 strerror(errno));
        lua_remove(L, -2);
    } else {
        lua_pop(L, 1);
    }
    return fd;
}

/* pipe2 is a GNU extension; only the main thread forks, so setting FD_CLOEXEC after pipe()
 * leaves no window for another fork to inherit the descriptors. */
static int make_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

static int proc_spawn(lua_State *L)
{
    int options_index = lua_isnoneornil(L, 2) ? 0 : 2;
    lua_Integer argument_count;
    char program[4096];
    const char **argv = NULL;
    char **envp = NULL;
    const char *cwd = NULL;
    const char *error = NULL;
    int out_fd = -2, err_fd = -2;
    int pipe_fds[2] = {-1, -1};
    int exec_report[2] = {-1, -1};
    int exec_errno = 0;
    pid_t parent = getpid();
    pid_t pid;
    struct child *child;
    size_t env_count = 0;
    int env_index;

    luaL_checktype(L, 1, LUA_TTABLE);
    if (options_index != 0)
        luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);

    argument_count = (lua_Integer)lua_rawlen(L, 1);
    if (argument_count < 1)
        return luaL_argerror(L, 1, "argv must hold at least the program name");
    argv = lua_newuserdatauv(L, sizeof(char *) * (size_t)(argument_count + 1), 0);
    for (lua_Integer i = 1; i <= argument_count; i++) {
        lua_rawgeti(L, 1, i);
        if (!lua_isstring(L, -1))
            return luaL_argerror(L, 1,
                                 lua_pushfstring(L, "argv[%I] must be a string, got %s",
                                                 (LUAI_UACINT)i, luaL_typename(L, -1)));
        /* Kept alive by the argv table itself once converted in place. */
        lua_pushvalue(L, -1);
        lua_rawseti(L, 1, i);
        argv[i - 1] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    argv[argument_count] = NULL;

    if (options_index != 0) {
        lua_getfield(L, 2, "cwd");
        if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
            return luaL_argerror(L, 2, "field 'cwd' must be a folder path");
        cwd = lua_tostring(L, -1);
        lua_pop(L, 1); /* still referenced by the options table */
    }

    if (!resolve_program(argv[0], program, sizeof(program))) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot run '%s': not found or not executable", argv[0]);
        return 2;
    }

    build_environment(L, options_index);
    env_index = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, env_index) != 0) {
        env_count++;
        lua_pop(L, 1);
    }
    envp = lua_newuserdatauv(L, sizeof(char *) * (env_count + 1), 0);
    env_count = 0;
    lua_pushnil(L);
    while (lua_next(L, env_index) != 0) {
        envp[env_count++] = (char *)lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    envp[env_count] = NULL;

    out_fd = open_stream(L, options_index, "stdout", true, &error);
    if (error == NULL)
        err_fd = open_stream(L, options_index, "stderr", false, &error);
    if (error != NULL)
        goto fail;

    if (out_fd == -1 && make_pipe(pipe_fds) != 0) {
        error = lua_pushfstring(L, "pipe failed: %s", strerror(errno));
        goto fail;
    }
    if (make_pipe(exec_report) != 0) {
        error = lua_pushfstring(L, "pipe failed: %s", strerror(errno));
        goto fail;
    }

    child = lua_newuserdatauv(L, sizeof(*child), 0);
    memset(child, 0, sizeof(*child));
    child->stdout_fd = -1;
    luaL_setmetatable(L, PROC_METATABLE);

    pid = fork();
    if (pid < 0) {
        error = lua_pushfstring(L, "fork failed: %s", strerror(errno));
        goto fail;
    }

    if (pid == 0) {
        /* In the child only async-signal-safe calls until execve: the runner has threads. */
        sigset_t none;
        int null_fd = open("/dev/null", O_RDONLY);
        int code;

        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);

        if (null_fd >= 0)
            dup2(null_fd, STDIN_FILENO);
        if (out_fd == -1)
            dup2(pipe_fds[1], STDOUT_FILENO);
        else if (out_fd >= 0)
            dup2(out_fd, STDOUT_FILENO);
        if (err_fd >= 0)
            dup2(err_fd, STDERR_FILENO);
        if (cwd != NULL && chdir(cwd) != 0) {
            code = errno;
            (void)!write(exec_report[1], &code, sizeof(code));
            _exit(127);
        }
        execve(program, (char *const *)argv, envp);
        code = errno;
        (void)!write(exec_report[1], &code, sizeof(code));
        _exit(127);
    }

    /* The report pipe closes on a successful execve; otherwise it carries errno. */
    close(exec_report[1]);
    exec_report[1] = -1;
    if (read(exec_report[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno)) {
        waitpid(pid, NULL, 0);
        error = lua_pushfstring(L, "cannot run '%s'%s%s: %s", program, cwd ? " in " : "",
                                cwd ? cwd : "", strerror(exec_errno));
        goto fail;
    }
    close(exec_report[0]);

    child->pid = pid;
    halytest_children_add(pid);
    if (out_fd == -1) {
        close(pipe_fds[1]);
        child->stdout_fd = pipe_fds[0];
    } else if (out_fd >= 0) {
        close(out_fd);
    }
    if (err_fd >= 0)
        close(err_fd);
    halytest_registry_add(release_child, child);
    child->registered = true;
    return 1;

fail:
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);
    for (int i = 0; i < 2; i++) {
        if (pipe_fds[i] >= 0)
            close(pipe_fds[i]);
        if (exec_report[i] >= 0)
            close(exec_report[i]);
    }
    lua_pushnil(L);
    lua_pushstring(L, error);
    return 2;
}

static int proc_pid(lua_State *L)
{
    lua_pushinteger(L, check_child(L)->pid);
    return 1;
}

static int signal_number(lua_State *L, int index)
{
    static const struct {
        const char *name;
        int number;
    } names[] = {{"TERM", SIGTERM}, {"KILL", SIGKILL}, {"INT", SIGINT},   {"HUP", SIGHUP},
                 {"QUIT", SIGQUIT}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"STOP", SIGSTOP},
                 {"CONT", SIGCONT}, {"ABRT", SIGABRT}};
    const char *name;

    if (lua_isnoneornil(L, index))
        return SIGTERM;
    if (lua_isinteger(L, index))
        return (int)lua_tointeger(L, index);
    name = luaL_checkstring(L, index);
    if (strncmp(name, "SIG", 3) == 0)
        name += 3;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].name, name) == 0)
            return names[i].number;
    }
    return luaL_argerror(L, index,
                         lua_pushfstring(L,
                                         "unknown signal '%s' (use TERM, KILL, INT, HUP, "
                                         "QUIT, USR1, USR2, STOP, CONT, ABRT or a number)",
                                         lua_tostring(L, index)));
}

/* handle:kill(signal) -> true, or false, message when the process has exited already. */
static int proc_kill(lua_State *L)
{
    struct child *child = check_child(L);
    int number = signal_number(L, 2);

    if (child_poll(child)) {
        lua_pushboolean(L, 0);
        lua_pushstring(L, "the process has exited already");
        return 2;
    }
    if (kill(child->pid, number) != 0) {
        lua_pushboolean(L, 0);
        lua_pushfstring(L, "kill failed: %s", strerror(errno));
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static lua_Integer check_timeout(lua_State *L, int index)
{
    lua_Integer timeout = luaL_checkinteger(L, index);

    luaL_argcheck(L, timeout >= 0, index, "timeout must be a number of milliseconds, 0 or more");
    return timeout;
}

static int proc_wait(lua_State *L)
{
    struct child *child = check_child(L);
    lua_Integer timeout_ms = check_timeout(L, 2);
    int status;

    if (!child_wait(child, (long)timeout_ms)) {
        lua_pushnil(L);
        lua_pushfstring(L, "timed out after %I ms waiting for process %d to exit",
                        (LUAI_UACINT)timeout_ms, (int)child->pid);
        return 2;
    }
    status = child->wait_status;
    if (WIFSIGNALED(status)) {
        lua_pushinteger(L, 128 + WTERMSIG(status));
        lua_pushfstring(L, "killed by signal %d (%s)", WTERMSIG(status),
                        strsignal(WTERMSIG(status)));
    } else {
        lua_pushinteger(L, WEXITSTATUS(status));
        lua_pushfstring(L, "exited with status %d", WEXITSTATUS(status));
    }
    return 2;
}

static int proc_running(lua_State *L)
{
    lua_pushboolean(L, !child_poll(check_child(L)));
    return 1;
}

/* Returns one line from pending bytes, if a whole one is there. Pushes it and returns true. */
static bool take_line(lua_State *L, struct child *child, bool allow_partial)
{
    char *newline;
    size_t length;

    if (child->pending_length == 0)
        return false;
    newline = memchr(child->pending, '\n', child->pending_length);
    if (newline == NULL && !(allow_partial && child->pending_length > 0))
        return false;
    length = newline ? (size_t)(newline - child->pending) : child->pending_length;
    lua_pushlstring(L, child->pending,
                    length > 0 && child->pending[length - 1] == '\r' ? length - 1 : length);
    if (newline != NULL)
        length++;
    memmove(child->pending, child->pending + length, child->pending_length - length);
    child->pending_length -= length;
    return true;
}

static int proc_read_line(lua_State *L)
{
    struct child *child = check_child(L);
    lua_Integer timeout_ms = check_timeout(L, 2);
    long deadline = monotonic_ms() + (long)timeout_ms;

    if (child->stdout_fd < 0 && child->pending_length == 0)
        return luaL_error(L, "read_line: the process's stdout is not a pipe (spawn it with "
                             "stdout = nil)");

    for (;;) {
        struct pollfd waiting;
        char chunk[4096];
        ssize_t count;
        long remaining;

        if (take_line(L, child, child->end_of_output))
            return 1;
        if (child->end_of_output || child->stdout_fd < 0) {
            lua_pushnil(L);
            lua_pushstring(L, "end of output: the process closed its stdout");
            return 2;
        }

        remaining = deadline - monotonic_ms();
        if (remaining <= 0) {
            lua_pushnil(L);
            lua_pushfstring(L, "timed out after %I ms waiting for a line from process %d",
                            (LUAI_UACINT)timeout_ms, (int)child->pid);
            return 2;
        }
        waiting.fd = child->stdout_fd;
        waiting.events = POLLIN;
        if (poll(&waiting, 1, (int)remaining) <= 0)
            continue;

        count = read(child->stdout_fd, chunk, sizeof(chunk));
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0) {
            child->end_of_output = true;
            continue;
        }
        if (child->pending_length + (size_t)count > LINE_MAX_BYTES)
            return luaL_error(L, "read_line: more than 1 MiB without a newline from process %d",
                              (int)child->pid);
        child->pending = realloc(child->pending, child->pending_length + (size_t)count);
        if (child->pending == NULL)
            return luaL_error(L, "read_line: out of memory");
        memcpy(child->pending + child->pending_length, chunk, (size_t)count);
        child->pending_length += (size_t)count;
    }
}

static int proc_gc(lua_State *L)
{
    struct child *child = check_child(L);

    if (child->pid == 0)
        return 0;
    if (child->registered) {
        halytest_registry_remove(child);
        child->registered = false;
    }
    child_stop(child);
    free(child->pending);
    child->pending = NULL;
    return 0;
}

static int proc_tostring(lua_State *L)
{
    struct child *child = check_child(L);

    lua_pushfstring(L, "process %d (%s)", (int)child->pid,
                    child_poll(child) ? "exited" : "running");
    return 1;
}

int halytest_open_proc(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"spawn", proc_spawn},
        {NULL, NULL},
    };
    static const luaL_Reg methods[] = {
        {"pid", proc_pid},         {"kill", proc_kill},           {"wait", proc_wait},
        {"running", proc_running}, {"read_line", proc_read_line}, {NULL, NULL},
    };

    if (luaL_newmetatable(L, PROC_METATABLE)) {
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, proc_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, proc_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    return 1;
}
