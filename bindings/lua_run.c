/*
 * Runs: scripts running as coroutines on the host's event loop (see lua_host.h and
 * lua_wait.h). A run's Lua thread runs in slices: the first starts the entry point, and each
 * later one resumes the thread after the halo or http call it waited on has its response.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <lauxlib.h>

#include "log.h"
#include "lua_host_private.h"
#include "lua_wait.h"

#define RUN_MESSAGE_MAX 2048

struct halyard_lua_run {
    halyard_lua_host *host;
    lua_State *thread;
    int thread_reference; /* keeps the thread alive in the registry; LUA_NOREF before */
    char *label;          /* the run id, for log lines */
    char *entry;          /* the function of host.lua the run calls */
    int result_count;     /* the strings it returns */
    halyard_lua_call_callback callback;
    void *argument;

    struct event *resume_event;   /* runs the next slice from the loop */
    struct event *deadline_event; /* the run's own time limit, waits included */
    long long ends_at_ms;         /* when that limit is reached, on the monotonic clock */
    bool past_deadline;           /* it was reached: calls fail without waiting */
    char deadline_message[160];

    halyard_lua_wait *wait; /* the call the run waits on, or NULL */
    bool wait_done;         /* its response is stored */
    bool started;
    int argument_count; /* values on the thread's stack for the first slice */

    /* The run's spending against the host's per-call limits, summed over its slices. */
    unsigned long long instructions_used;
    long long lua_time_used_ns;
    unsigned int calls;
    halyard_lua_log_spending log_spending;

    /* The connections its calls use: the inputs', else the host's. */
    struct event_base *base;
    halyard_halo_client *halo;
    halyard_http_client *http;
    const halyard_http_allow_entry *http_allow;
    size_t http_allow_count;
    bool allow_writes; /* http may send methods other than GET */

    halyard_lua_run *previous;
    halyard_lua_run *next;
};

static void run_set_message(char *message, size_t message_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void run_set_message(char *message, size_t message_size, const char *format, ...)
{
    if (message == NULL || message_size == 0) {
        return;
    }
    va_list args;
    va_start(args, format);
    vsnprintf(message, message_size, format, args);
    va_end(args);
}

static long long run_now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/*
 * Ends a run: unlinks it, abandons the call it waits on, frees it and then calls its callback
 * with result, the entry's results (NULL for none) and message. Results the callback did not
 * take are freed after it. Nothing touches the run or the host after the callback, which may
 * destroy the host.
 */
static void run_end(halyard_lua_run *run, halyard_lua_result result, char **results,
                    const char *message)
{
    halyard_lua_host *host = run->host;
    halyard_lua_log_report_dropped(host->msp, run->label, &run->log_spending, host->log_line_limit,
                                   host->log_byte_limit);

    if (run->previous != NULL) {
        run->previous->next = run->next;
    } else {
        host->runs = run->next;
    }
    if (run->next != NULL) {
        run->next->previous = run->previous;
    }
    host->run_count--;

    if (run->wait != NULL) {
        if (!run->wait_done) {
            run->wait->cancel(run->wait);
        }
        run->wait->release(run->wait);
    }
    event_free(run->resume_event);
    event_free(run->deadline_event);
    if (run->thread_reference != LUA_NOREF) {
        luaL_unref(host->L, LUA_REGISTRYINDEX, run->thread_reference);
    }

    halyard_lua_call_callback callback = run->callback;
    void *argument = run->argument;
    int result_count = run->result_count;
    free(run->label);
    free(run->entry);
    free(run);

    char *empty[HALYARD_LUA_CALL_MAX_VALUES] = {NULL};
    char **values = results != NULL ? results : empty;
    callback(result, values, result_count, result == HALYARD_LUA_OK ? NULL : message, argument);
    for (int i = 0; i < result_count; i++) {
        free(values[i]);
    }
}

/* Finishes run_main, also as its continuation after yields. Stack: [handler, results...] or
 * [handler, error] -> [status, results...] or [status, error]. */
static int run_finish_main(lua_State *L, int status, lua_KContext context)
{
    (void)context;
    lua_pushinteger(L, status == LUA_YIELD ? LUA_OK : status);
    lua_replace(L, 1);
    return lua_gettop(L);
}

/*
 * The body of a run's thread: calls the entry point under the message handler, in a
 * protected call that lets it yield, so an error comes back as a status with a traceback.
 * Stack: [function, args...] -> [status, results...].
 */
static int run_main(lua_State *L)
{
    lua_pushcfunction(L, halyard_lua_host_message_handler);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 1, 0, run_finish_main);
    return run_finish_main(L, status, 0);
}

/* What run_prepare needs, passed as a light userdata. */
typedef struct {
    halyard_lua_run *run;
    const char *entry;
    const char *const *arguments;
    int argument_count;
} run_preparation;

/*
 * Makes the run's thread with run_main, modules.host.<entry> and its string arguments (NULL
 * passes nil) on its stack, and anchors it in the registry. Runs under lua_pcall on the main
 * thread, because it allocates. Stack: [preparation] -> [preparation].
 */
static int run_prepare(lua_State *L)
{
    run_preparation *preparation = lua_touserdata(L, 1);
    char message[256];

    lua_State *thread = lua_newthread(L);
    lua_pushcfunction(L, run_main);
    if (halyard_lua_host_push_function(L, "host", preparation->entry, message, sizeof message) !=
        0) {
        return luaL_error(L, "%s", message);
    }
    for (int i = 0; i < preparation->argument_count; i++) {
        if (preparation->arguments[i] != NULL) {
            lua_pushstring(L, preparation->arguments[i]);
        } else {
            lua_pushnil(L);
        }
    }

    /* Stack: [preparation, thread, run_main, function, args...]; a new thread has room for
     * LUA_MINSTACK values, and checking costs nothing. */
    int count = preparation->argument_count + 2;
    if (!lua_checkstack(thread, count)) {
        return luaL_error(L, "not enough memory");
    }
    lua_xmove(L, thread, count);
    preparation->run->thread = thread;
    preparation->run->argument_count = count - 1;
    preparation->run->thread_reference = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* Logs a failed run the way a failed call made while C waits is logged. */
static void run_log_failure(const halyard_lua_run *run, const char *entry, const char *message)
{
    halyard_log(HALYARD_LOG_ERROR, "lua", "msp=%s run=%s %s failed: %s", run->host->msp, run->label,
                entry, message);
}

/*
 * Reads the outcome of a thread that returned from run_main. Stack of the thread:
 * [..., status, results...] with result_count values from status on.
 * Returns the result and fills results (run->result_count strings), or writes message.
 */
static halyard_lua_result run_read_results(halyard_lua_run *run, int result_count, char **results,
                                           char *message, size_t message_size)
{
    lua_State *thread = run->thread;
    int first = lua_gettop(thread) - result_count + 1;
    int status = result_count > 0 ? (int)lua_tointeger(thread, first) : LUA_ERRRUN;

    if (status != LUA_OK) {
        return halyard_lua_host_classify(run->host, thread, status, message, message_size);
    }

    char reason[RUN_MESSAGE_MAX];
    if (halyard_lua_host_copy_results(thread, first + 1, run->entry, results, run->result_count,
                                      reason, sizeof reason) != 0) {
        run_set_message(message, message_size, "%s: %s", halyard_lua_result_name(HALYARD_LUA_ERROR),
                        reason);
        return HALYARD_LUA_ERROR;
    }
    return HALYARD_LUA_OK;
}

/*
 * Runs one slice of a run: starts or resumes its thread under the limits, with the spending
 * of earlier slices carried over, until the thread waits on a call or ends. The record of the
 * call the slice resumed from is released once the slice is over.
 */
static void run_slice(halyard_lua_run *run)
{
    halyard_lua_host *host = run->host;
    lua_State *thread = run->thread;
    halyard_lua_wait *resumed_from = run->wait;
    run->wait = NULL;
    run->wait_done = false;
    int arguments = run->started ? 0 : run->argument_count;
    run->started = true;

    /* Step 1: the slice, under the run's remaining instruction budget and Lua time. */
    host->current_run = run;
    long long time_left_ms = (long long)host->time_limit_ms - run->lua_time_used_ns / 1000000;
    halyard_lua_host_limits_start(host, thread, run->instructions_used, time_left_ms);
    host->log_spending = run->log_spending;
    long long began_ns = run_now_ns();
    int result_count = 0;
    int status = lua_resume(thread, NULL, arguments, &result_count);
    lua_sethook(thread, NULL, 0, 0);
    run->lua_time_used_ns += run_now_ns() - began_ns;
    run->instructions_used = host->instructions_used;
    run->log_spending = host->log_spending;
    host->current_run = NULL;
    if (resumed_from != NULL) {
        resumed_from->release(resumed_from);
    }

    /* Step 2: a thread that waits on a call resumes after halyard_lua_wait_done. */
    if (status == LUA_YIELD && run->wait != NULL) {
        host->stop = HOST_STOP_NONE;
        return;
    }

    /* Step 3: the run is over. */
    char message[RUN_MESSAGE_MAX] = "";
    char *results[HALYARD_LUA_CALL_MAX_VALUES] = {NULL};
    halyard_lua_result result;
    if (status == LUA_YIELD) {
        run_set_message(message, sizeof message,
                        "error: the script yielded outside a halo or http call");
        result = HALYARD_LUA_ERROR;
    } else if (status != LUA_OK) {
        result = halyard_lua_host_classify(host, thread, status, message, sizeof message);
    } else {
        result = run_read_results(run, result_count, results, message, sizeof message);
    }
    host->stop = HOST_STOP_NONE;
    if (result != HALYARD_LUA_OK) {
        run_log_failure(run, run->entry, message);
    }
    run_end(run, result, results, message);
}

static void run_on_resume(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_lua_run *run = argument;
    if (run->wait != NULL && !run->wait_done) {
        return; /* nothing to resume with yet */
    }
    run_slice(run);
}

/*
 * Ends the waiting of a run that reached its own time limit: the call it waits on, if any,
 * is abandoned and returns nil and a message, and every later call does so at once. The
 * script goes on under its instruction and time limits, so a gather that waited too long
 * costs its facts, not the whole plan.
 */
static void run_on_deadline(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_lua_run *run = argument;
    run->past_deadline = true;
    run_set_message(run->deadline_message, sizeof run->deadline_message,
                    "no response within the run's time limit of %u ms",
                    run->host->run_time_limit_ms);
    halyard_log(HALYARD_LOG_WARNING, "lua", "msp=%s run=%s reached its time limit of %u ms%s",
                run->host->msp, run->label, run->host->run_time_limit_ms,
                run->wait != NULL && !run->wait_done ? "; the call it waits on fails" : "");

    if (run->wait != NULL && !run->wait_done) {
        run->wait->cancel(run->wait);
        run->wait->failure = run->deadline_message;
        halyard_lua_wait_done(run->wait);
    }
}

int halyard_lua_host_call_start(halyard_lua_host *host, const halyard_lua_call_inputs *inputs,
                                halyard_lua_call_callback callback, void *argument,
                                halyard_lua_run **run_out, char *message, size_t message_size)
{
    if (run_out != NULL) {
        *run_out = NULL;
    }
    if (inputs->entry == NULL || inputs->argument_count < 0 ||
        inputs->argument_count > HALYARD_LUA_CALL_MAX_VALUES || inputs->result_count < 0 ||
        inputs->result_count > HALYARD_LUA_CALL_MAX_VALUES) {
        run_set_message(message, message_size,
                        "a run needs an entry point and at most %d arguments and results",
                        HALYARD_LUA_CALL_MAX_VALUES);
        return -1;
    }
    struct event_base *base = inputs->base != NULL ? inputs->base : host->base;
    if (base == NULL) {
        run_set_message(message, message_size,
                        "the Lua host of MSP %s has no event loop to run on; use "
                        "a call that C waits on",
                        host->msp);
        return -1;
    }
    if (callback == NULL) {
        run_set_message(message, message_size, "a run needs a callback for its outcome");
        return -1;
    }

    /* Step 1: the run and its two events. */
    halyard_lua_run *run = calloc(1, sizeof *run);
    if (run == NULL) {
        run_set_message(message, message_size, "out of memory starting a run");
        return -1;
    }
    run->host = host;
    run->thread_reference = LUA_NOREF;
    run->callback = callback;
    run->argument = argument;
    run->label = strdup(inputs->label != NULL ? inputs->label : "-");
    run->entry = strdup(inputs->entry);
    run->result_count = inputs->result_count;
    run->base = base;
    run->allow_writes = inputs->allow_writes;
    run->halo = inputs->halo != NULL ? inputs->halo : host->halo;
    run->http = inputs->http != NULL ? inputs->http : host->http;
    if (inputs->http_allow_count > 0) {
        run->http_allow = inputs->http_allow;
        run->http_allow_count = inputs->http_allow_count;
    } else {
        run->http_allow = host->http_allow;
        run->http_allow_count = host->http_allow_count;
    }
    run->resume_event = event_new(base, -1, 0, run_on_resume, run);
    run->deadline_event = evtimer_new(base, run_on_deadline, run);
    if (run->label == NULL || run->entry == NULL || run->resume_event == NULL ||
        run->deadline_event == NULL) {
        run_set_message(message, message_size, "out of memory starting a run");
        goto failure;
    }

    /* Step 2: the thread, with the entry point and its inputs. */
    run_preparation preparation = {.run = run,
                                   .entry = inputs->entry,
                                   .arguments = inputs->arguments,
                                   .argument_count = inputs->argument_count};
    lua_State *L = host->L;
    lua_pushcfunction(L, run_prepare);
    lua_pushlightuserdata(L, &preparation);
    int status = lua_pcall(L, 1, 0, 0);
    if (status != LUA_OK) {
        run_set_message(message, message_size, "cannot start a run: %s",
                        status == LUA_ERRMEM ? "not enough memory" : lua_tostring(L, -1));
        lua_settop(L, 0);
        goto failure;
    }

    /* Step 3: the run starts from the loop, and its time limit starts now. */
    struct timeval limit = {host->run_time_limit_ms / 1000,
                            (host->run_time_limit_ms % 1000) * 1000};
    run->ends_at_ms = run_now_ns() / 1000000 + host->run_time_limit_ms;
    if (evtimer_add(run->deadline_event, &limit) != 0) {
        run_set_message(message, message_size, "cannot start a run: the timer failed");
        goto failure;
    }
    event_active(run->resume_event, EV_TIMEOUT, 0);
    run->next = host->runs;
    if (host->runs != NULL) {
        host->runs->previous = run;
    }
    host->runs = run;
    host->run_count++;
    if (run_out != NULL) {
        *run_out = run;
    }
    return 0;

failure:
    if (run->thread_reference != LUA_NOREF) {
        luaL_unref(host->L, LUA_REGISTRYINDEX, run->thread_reference);
    }
    if (run->resume_event != NULL) {
        event_free(run->resume_event);
    }
    if (run->deadline_event != NULL) {
        event_free(run->deadline_event);
    }
    free(run->label);
    free(run->entry);
    free(run);
    return -1;
}

/* What a plan run's adapter needs to hand its results on as a plan. */
typedef struct {
    halyard_lua_plan_callback callback;
    void *argument;
} plan_adapter;

/* Hands the two strings of host.plan on as a plan; the plan's callback owns them. */
static void plan_on_results(halyard_lua_result result, char **results, int result_count,
                            const char *message, void *argument)
{
    (void)result_count;
    plan_adapter adapter = *(plan_adapter *)argument;
    free(argument);

    halyard_lua_plan plan = {0};
    if (result == HALYARD_LUA_OK) {
        plan.note_html = results[0];
        plan.summary_json = results[1];
        results[0] = NULL;
        results[1] = NULL;
    }
    adapter.callback(result, &plan, message, adapter.argument);
}

int halyard_lua_host_plan_start(halyard_lua_host *host, const halyard_lua_plan_inputs *inputs,
                                halyard_lua_plan_callback callback, void *argument,
                                halyard_lua_run **run_out, char *message, size_t message_size)
{
    if (callback == NULL) {
        run_set_message(message, message_size, "a run needs a callback for its outcome");
        return -1;
    }
    plan_adapter *adapter = malloc(sizeof *adapter);
    if (adapter == NULL) {
        run_set_message(message, message_size, "out of memory starting a run");
        return -1;
    }
    adapter->callback = callback;
    adapter->argument = argument;

    const char *arguments[] = {inputs->ticket_json, inputs->actions_json, inputs->client_json,
                               inputs->run_id, inputs->run_json};
    halyard_lua_call_inputs call = {
        .entry = "plan",
        .arguments = arguments,
        .argument_count = 5,
        .result_count = 2,
        .label = inputs->run_id,
        .base = inputs->base,
        .halo = inputs->halo,
        .http = inputs->http,
        .http_allow = inputs->http_allow,
        .http_allow_count = inputs->http_allow_count,
    };
    if (halyard_lua_host_call_start(host, &call, plan_on_results, adapter, run_out, message,
                                    message_size) != 0) {
        free(adapter);
        return -1;
    }
    return 0;
}

void halyard_lua_run_cancel(halyard_lua_run *run)
{
    run_end(run, HALYARD_LUA_CANCELLED, NULL, "cancelled: the run was stopped before it finished");
}

size_t halyard_lua_host_run_count(const halyard_lua_host *host)
{
    return host->run_count;
}

void halyard_lua_host_cancel_runs(halyard_lua_host *host)
{
    while (host->runs != NULL) {
        run_end(host->runs, HALYARD_LUA_CANCELLED, NULL,
                "cancelled: the MSP's Lua host was closed before the run finished");
    }
}

/* --- Waiting calls (lua_wait.h) --------------------------------------------------------------
 */

int halyard_lua_wait_begin(lua_State *L, const char *function, halyard_lua_wait_kind kind,
                           halyard_lua_io *io, char *message, size_t message_size)
{
    halyard_lua_host *host = host_of(L);
    halyard_lua_run *run = host->current_run;

    if (run == NULL || run->thread != L) {
        luaL_error(L,
                   "%s is not available in this context: only a run on halyard's event loop "
                   "(the plan for a ticket) can wait for HaloPSA or HTTP, not a check, the CLI "
                   "or a file's top level",
                   function);
    }
    if ((kind == HALYARD_LUA_WAIT_HALO && run->halo == NULL) ||
        (kind == HALYARD_LUA_WAIT_HTTP && run->http == NULL)) {
        luaL_error(L, "%s is not available in this context: the MSP has no %s client", function,
                   kind == HALYARD_LUA_WAIT_HALO ? "HaloPSA" : "HTTP");
    }
    if (!lua_isyieldable(L)) {
        luaL_error(L,
                   "%s cannot wait here: it was called from a function that Lua calls from C "
                   "(a table.sort comparison, a string.gsub replacement, a __tostring or an "
                   "xpcall handler); call it outside that function",
                   function);
    }
    if (run->calls >= host->call_limit) {
        luaL_error(L, "%s: the run reached its limit of %d halo and http calls", function,
                   (int)host->call_limit);
    }
    run->calls++;
    if (run->past_deadline) {
        run_set_message(message, message_size, "%s", run->deadline_message);
        return -1;
    }

    io->msp = host->msp;
    io->run_label = run->label;
    io->halo = run->halo;
    io->http = run->http;
    io->http_allow = run->http_allow;
    io->http_allow_count = run->http_allow_count;
    io->time_left_ms = run->ends_at_ms - run_now_ns() / 1000000;
    io->allow_writes = run->allow_writes;
    return 0;
}

int halyard_lua_run_http_allow(lua_State *L, const halyard_http_allow_entry **entries,
                               size_t *count)
{
    halyard_lua_run *run = host_of(L)->current_run;
    if (run == NULL || run->thread != L) {
        return -1;
    }
    *entries = run->http_allow;
    *count = run->http_allow_count;
    return 0;
}

void halyard_lua_wait_attach(lua_State *L, halyard_lua_wait *wait)
{
    halyard_lua_run *run = host_of(L)->current_run;
    wait->run = run;
    wait->failure = NULL;
    run->wait = wait;
    run->wait_done = false;
}

void halyard_lua_wait_detach(lua_State *L, halyard_lua_wait *wait)
{
    halyard_lua_run *run = host_of(L)->current_run;
    if (run != NULL && run->wait == wait) {
        run->wait = NULL;
        run->wait_done = false;
    }
    wait->release(wait);
}

int halyard_lua_wait_yield(lua_State *L, halyard_lua_wait *wait, lua_KFunction continuation)
{
    return lua_yieldk(L, 0, (lua_KContext)wait, continuation);
}

void halyard_lua_wait_done(halyard_lua_wait *wait)
{
    halyard_lua_run *run = wait->run;
    run->wait_done = true;
    event_active(run->resume_event, EV_TIMEOUT, 0);
}
