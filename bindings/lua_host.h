#ifndef HALYARD_BINDINGS_LUA_HOST_H
#define HALYARD_BINDINGS_LUA_HOST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <event2/event.h>

#include "halo_client.h"
#include "http_allow.h"
#include "http_client.h"
#include "script_texts.h"

/*
 * The Lua host: one lua_State per MSP holding halyard's Lua modules (bindings/lua/), the MSP's
 * workflows and its policies. The host is not thread-safe; one thread (the event loop) owns it.
 *
 * Script folders, loaded in this order:
 *   <share>/bindings/lua/   halyard's Lua modules, loaded in a fixed order
 *   <share>/config/tools/   the shipped tools (loaded when the folder exists)
 *   <share>/workflows/      the shipped workflow library
 *   <share>/config/policies the shipped policies (loaded when the folder exists)
 *   <msp>/tools/, <msp>/workflows/, <msp>/policies/
 *                           the MSP's own files; a file overrides the shipped file of the same name
 *
 * Every call into Lua runs under lua_pcall with a message handler that appends a traceback, so
 * a Lua error comes back as a return code and a message, never as a longjmp into C.
 *
 * Limits: the state's memory is capped (an allocation past the cap fails and Lua raises "not
 * enough memory"), and each call into Lua, loading one script file included, has an
 * instruction budget and a deadline in the CPU time of the thread running it. A tripped
 * budget or deadline raises again at every later hook call, so a script's pcall or xpcall
 * cannot swallow it. Pattern matching and the text module count their steps against the same
 * budget. Scripts see only read-only views of the string, table, math, utf8, json, log, text,
 * clock, store, halo and http libraries, a few base functions, load for text chunks, and
 * collectgarbage("count").
 *
 * Hot reload builds a new host while the old one serves: a host may be created on one thread
 * and then used by another, as long as one thread at a time uses it. Given the host it
 * replaces, a file whose text on disk now fails to load keeps the text that served before. At
 * start, with no host to replace, the texts stored before a restart play that part.
 *
 * Two ways to call in. The calls that return their result (halyard_lua_host_plan, _match,
 * _check_samples, _list_workflows) run the script to its end while C waits. In them a halo or
 * http call raises "not available in this context". A run (halyard_lua_host_plan_start) runs
 * the script as a coroutine on the host's event loop: a halo or http call suspends it, the
 * request goes out on the loop, and the run resumes when the response arrives, so other runs and
 * the rest of the daemon go on meanwhile. A run's limits: the instruction budget counts every
 * instruction of the run; the time limit counts the time spent running Lua, not the time spent
 * waiting; and the number of halo and http calls per run is capped. A run also has a time limit
 * of its own, waits included: once it has passed, the call waiting then and every later halo
 * or http call return nil and a message, and the script goes on under the other limits.
 */
typedef struct halyard_lua_host halyard_lua_host;

typedef struct {
    /* The MSP's short name, used in log lines. Required. */
    const char *msp;

    /* The folder holding bindings/lua/, workflows/ and config/policies/; NULL means
     * halyard_lua_host_share_dir(). */
    const char *share_dir;

    /* The MSP's script folder holding workflows/ and policies/ that override the shipped files
     * by file name; NULL or a folder that does not exist means no overrides. */
    const char *msp_script_dir;

    /* The cap on the state's memory in bytes; 0 means HALYARD_LUA_MEMORY_LIMIT_DEFAULT. */
    size_t memory_limit_bytes;

    /* The Lua instructions one call may run; 0 means HALYARD_LUA_INSTRUCTION_LIMIT_DEFAULT. */
    unsigned long long instruction_limit;

    /* The CPU time one call may use on its thread, in milliseconds; 0 means
     * HALYARD_LUA_TIME_LIMIT_MS_DEFAULT. Time spent waiting for a core does not count, so a
     * busy machine does not stop a call. In a run this is the time spent running Lua.
     * NOTE: a run carries the time of its earlier slices (before each halo or http call) over
     * on the wall clock (lua_run.c), so a wait for a core in an earlier slice still counts. */
    unsigned int time_limit_ms;

    /* halyard's database for the `store` module, and the MSP's id there (msps.id; 0 means the
     * row named msp). NULL means scripts run without a database, and every store call raises.
     * See lua_store.h. */
    const char *store_database_path;
    long long store_msp_id;

    /* The store's quotas: the largest value in bytes and the most keys; 0 means the default
     * (HALYARD_LUA_STORE_MAX_VALUE_BYTES_DEFAULT, HALYARD_LUA_STORE_MAX_KEYS_DEFAULT). */
    size_t store_max_value_bytes;
    size_t store_max_keys;
    /* The host this one replaces, or NULL. A file that fails to load or validate is loaded
     * again from the text that served under the same file name in previous, so a broken
     * save never replaces a working version. Only previous's file texts are read, never its
     * lua_State, so another thread may run previous meanwhile; it must not be destroyed
     * before create returns. */
    const halyard_lua_host *previous;

    /* The texts that served before halyard restarted (script_texts.h), read only while previous
     * is NULL. They take previous's place: a file of the MSP's folder that fails to load is
     * loaded again from the text stored under the same kind and file name. A stored text that
     * fails too leaves the file skipped. Not copied; they must outlive create. */
    const halyard_script_text *restored_texts;
    size_t restored_text_count;

    /* When not NULL and set to non-zero (by any thread), loading stops before the next file
     * and create fails with "loading was cancelled". */
    const atomic_int *cancel;

    /* The event loop runs use, and the clients the halo and http modules send requests with.
     * The host does not own them, and they must outlive it. With base NULL the host starts no
     * runs; with halo or http NULL that module's calls raise "not available". */
    struct event_base *base;
    halyard_halo_client *halo;
    halyard_http_client *http;

    /* The hosts the http module may request (copied). None: every http request is rejected. */
    const halyard_http_allow_entry *http_allow;
    size_t http_allow_count;

    /* The wall-clock time after which a run's halo and http calls fail, counted from its start
     * and in milliseconds; 0 means HALYARD_LUA_RUN_TIME_LIMIT_MS_DEFAULT. */
    unsigned int run_time_limit_ms;

    /* The halo and http calls one run may make; 0 means HALYARD_LUA_CALL_LIMIT_DEFAULT. */
    unsigned int call_limit;

    /* The script log budget of one call or run: lines, and bytes of their text. Past either,
     * lines are dropped and counted. 0 means HALYARD_LUA_LOG_LINE_LIMIT_DEFAULT and
     * HALYARD_LUA_LOG_BYTE_LIMIT_DEFAULT. */
    unsigned int log_line_limit;
    size_t log_byte_limit;

    /* Non-zero: the host serves plans, matches and runs, and nothing else. Once its files have
     * loaded, it drops what only loading and sample checks read: the workflows' samples and the
     * functions that load and check files (loader.release_loading). That saves about 0.16 MiB
     * per state with the shipped scripts. Files are checked as fully as without the option,
     * samples included, but halyard_lua_host_check_samples fails. */
    int serving;
} halyard_lua_host_options;

#define HALYARD_LUA_MEMORY_LIMIT_DEFAULT      ((size_t)64 * 1024 * 1024)
#define HALYARD_LUA_INSTRUCTION_LIMIT_DEFAULT 10000000ULL
#define HALYARD_LUA_TIME_LIMIT_MS_DEFAULT     1000U
#define HALYARD_LUA_RUN_TIME_LIMIT_MS_DEFAULT 30000U
#define HALYARD_LUA_LOG_LINE_LIMIT_DEFAULT    200U
#define HALYARD_LUA_LOG_BYTE_LIMIT_DEFAULT    ((size_t)64 * 1024)
/* Bytes of one script log line's text; a longer line is cut and marked. halyard_log writes at
 * most 2047 bytes a line, so the prefix, the script's file:line and the mark fit beside it. */
#define HALYARD_LUA_LOG_LINE_MAX_BYTES 1024
#define HALYARD_LUA_CALL_LIMIT_DEFAULT 50U

/* The result of one call into Lua, a closed set. A failed call's message starts with
 * halyard_lua_result_name() of its result and a colon. */
typedef enum {
    HALYARD_LUA_OK = 0,
    HALYARD_LUA_ERROR,
    HALYARD_LUA_TIMEOUT,
    HALYARD_LUA_OUT_OF_MEMORY,
    HALYARD_LUA_CANCELLED, /* a run stopped by halyard_lua_run_cancel or host destruction */
} halyard_lua_result;

/* Returns "ok", "error", "timeout", "out of memory" or "cancelled". */
const char *halyard_lua_result_name(halyard_lua_result result);

/* The outcome of one Plan-mode run. Both strings are owned by the result. */
typedef struct {
    /* The internal note for HaloPSA: HTML with inline styles, ending with the run marker. */
    char *note_html;

    /* The plan as canonical JSON (sorted keys, no spaces): run_id, ticket_id, diagnosis,
     * matched workflows with their reasons, steps, needs. Equal plans give equal text. */
    char *summary_json;
} halyard_lua_plan;

/* Returns the share folder: $HALYARD_SHARE_DIR when set and not empty, else the source folder
 * halyard was built from. */
const char *halyard_lua_host_share_dir(void);

/*
 * Creates a host for one MSP: a fresh lua_State with the sandboxed libraries, halyard's Lua
 * modules and every tool, workflow and policy file. A script file that fails to load or
 * validate is skipped and listed in the host's problems; the other files still load. Failure
 * of halyard's own modules (a missing share folder, say) fails the whole call.
 * Returns 0 and sets *host, or -1 with a message in message.
 */
int halyard_lua_host_create(const halyard_lua_host_options *options, halyard_lua_host **host,
                            char *message, size_t message_size);

/* Cancels the host's runs (each callback runs with HALYARD_LUA_CANCELLED before this returns),
 * closes the state and frees the host; NULL is ignored. */
void halyard_lua_host_destroy(halyard_lua_host *host);

/* The result of the host's last call into Lua made while C waits (runs give theirs to their
 * callback): HALYARD_LUA_OK after a call that returned, whatever it returned (a call that
 * rejects bad input returns normally). */
halyard_lua_result halyard_lua_host_last_result(const halyard_lua_host *host);

/* The number of workflows loaded (any status), and of problems found while loading. */
size_t halyard_lua_host_workflow_count(const halyard_lua_host *host);
size_t halyard_lua_host_problem_count(const halyard_lua_host *host);

/* Returns the bytes the host's Lua state has allocated now, as its allocator counts them,
 * which includes garbage not yet collected. The memory limit is checked against this count. */
size_t halyard_lua_host_memory_used(const halyard_lua_host *host);

/* Returns problem number index (from 0) as "file:line: what is wrong; what to do", or NULL
 * when index is out of range. The string lives as long as the host. */
const char *halyard_lua_host_problem(const halyard_lua_host *host, size_t index);

/* Returns how many of the problems are warnings: they are the last ones of the list, as
 * "file:line: warning: ...", and each is about a file that loaded and serves all the same. The
 * entries before them are errors. No file's problem range (halyard_lua_file) includes a
 * warning. */
size_t halyard_lua_host_warning_count(const halyard_lua_host *host);

/* What serves for one script file found on disk. */
typedef enum {
    HALYARD_LUA_FILE_LOADED = 0, /* the text on disk loaded and validated */
    HALYARD_LUA_FILE_PREVIOUS,   /* the text on disk failed; the previous host's text serves */
    HALYARD_LUA_FILE_SKIPPED,    /* the text on disk failed and no earlier text serves */
} halyard_lua_file_state;

/* One script file a host found, in load order (workflows, then policies). The strings live as
 * long as the host. */
typedef struct {
    const char *path; /* as found on disk */
    const char *kind; /* "tool", "workflow", "policy" or "verifier" */
    halyard_lua_file_state state;

    /* Where the serving text was read. It is path when loaded and NULL when skipped. For a
     * previous text it is the path that text came from, which is the shipped file's path when
     * a new override of a shipped file fails. */
    const char *serving_path;

    /* True for a file of the MSP's scripts folder, false for a shipped one. */
    bool msp_file;

    /* True when the previous text serving is one stored before halyard restarted. */
    bool restored;

    /* The file's problems are halyard_lua_host_problem(first_problem) onwards, problem_count
     * of them: those of the text on disk, then those of a previous text that failed too. */
    size_t first_problem;
    size_t problem_count;
} halyard_lua_file;

/* The number of script files found, and file number index (from 0), or NULL when index is out
 * of range. */
size_t halyard_lua_host_file_count(const halyard_lua_host *host);
const halyard_lua_file *halyard_lua_host_file(const halyard_lua_host *host, size_t index);

/* Returns the serving text of file number index and sets *length to its size in bytes, or
 * returns NULL when the file is skipped or index is out of range. The text lives as long as
 * the host and, unlike the host's Lua state, may be read by another thread while it serves. */
const char *halyard_lua_host_file_text(const halyard_lua_host *host, size_t index, size_t *length);

/*
 * Runs the built-in agent in Plan mode for one ticket while C waits. The workflows' gather
 * functions run too, but a halo or http call in them fails that gather.
 *   ticket_json   the body of HaloPSA's GET /api/Tickets/{id}
 *   actions_json  the body of GET /api/Actions?ticket_id= ({"actions": [...]} or a bare array)
 *   client_json   halyard's imported client: {"id": 12, "name": "Acme Ltd", "mode": "plan"}
 *   run_id        the run's id, written into the note's marker
 * Returns 0 and fills *plan (release it with halyard_lua_plan_clear), or -1 with a message
 * that names the input was wrong or where the script failed.
 */
int halyard_lua_host_plan(halyard_lua_host *host, const char *ticket_json, const char *actions_json,
                          const char *client_json, const char *run_id, halyard_lua_plan *plan,
                          char *message, size_t message_size);

/* Frees the strings of a plan and zeroes it; safe on a zeroed plan. */
void halyard_lua_plan_clear(halyard_lua_plan *plan);

/* One plan running as a coroutine on the host's loop. */
typedef struct halyard_lua_run halyard_lua_run;

/* The inputs of a plan, as for halyard_lua_host_plan; the strings are copied. */
typedef struct {
    const char *ticket_json;
    const char *actions_json; /* may be NULL */
    const char *client_json;  /* may be NULL */
    const char *run_id;

    /* What the plan's steps are decided for (host.plan in bindings/lua/host.lua): {"mode":
     * "plan" | "execute", "sensitive": bool, "verification": "none" | "verified" | ...}.
     * NULL means Plan mode and not sensitive. A plan run never allows writes. */
    const char *run_json;

    /* The connections this run's halo and http calls use, in place of the host's own: a host
     * built by hot reload has none, because the MSP's HaloPSA client belongs to the pipeline.
     * NULL (or a count of 0) means the host's. They are not copied and must outlive the run. */
    struct event_base *base;
    halyard_halo_client *halo;
    halyard_http_client *http;
    const halyard_http_allow_entry *http_allow;
    size_t http_allow_count;
} halyard_lua_plan_inputs;

/*
 * Receives the outcome of a run, exactly once per started run:
 *   HALYARD_LUA_OK         plan is filled and the callback owns its strings (release them with
 *                          halyard_lua_plan_clear); message is NULL
 *   any other result       plan is zeroed and message names what failed, starting with
 *                          halyard_lua_result_name(result) and a colon
 * With HALYARD_LUA_CANCELLED the callback runs from inside halyard_lua_run_cancel or
 * halyard_lua_host_destroy and must not destroy the host. Otherwise it runs from the loop and
 * may destroy the host. Either way the run handle is gone once the callback starts.
 */
typedef void (*halyard_lua_plan_callback)(halyard_lua_result result, halyard_lua_plan *plan,
                                          const char *message, void *argument);

/*
 * Starts a Plan-mode run: the same work as halyard_lua_host_plan, where the workflows' gather
 * functions may call halo and http. The run starts from the loop, never inside this call, and
 * the callback receives the outcome. *run (may be NULL) receives a handle for
 * halyard_lua_run_cancel, valid until the callback starts.
 * Returns 0, or -1 with a message when the run could not start (a host without a loop, out of
 * memory); then the callback never runs.
 */
int halyard_lua_host_plan_start(halyard_lua_host *host, const halyard_lua_plan_inputs *inputs,
                                halyard_lua_plan_callback callback, void *argument,
                                halyard_lua_run **run, char *message, size_t message_size);

/* The maximum number of arguments, and of results, of a call that runs as a coroutine. */
#define HALYARD_LUA_CALL_MAX_VALUES 8

/* A call of one of host.lua's entry points (bindings/lua/host.lua) that runs as a coroutine
 * on the loop, like a plan: its halo and http calls wait without blocking. The strings are
 * copied. */
typedef struct {
    const char *entry;            /* the name of the function in host.lua */
    const char *const *arguments; /* strings; a NULL passes nil */
    int argument_count;           /* at most HALYARD_LUA_CALL_MAX_VALUES */
    int result_count;             /* the strings the entry returns, at most the same */
    const char *label;            /* names the run in log lines: the run id, say */

    /* Whether the run's http calls may use a method other than GET. Without it, http.post and
     * http.request with POST, PUT, PATCH or DELETE raise "writes are not allowed in this run".
     * The core sets it only to run one write step that the tool policy or an approval lets run
     * in Execute mode (host.run_step), and to dispatch an identity verification challenge,
     * which providers take as a POST (host.verify_start). */
    bool allow_writes;

    /* As in halyard_lua_plan_inputs: NULL (or a count of 0) means the host's own. */
    struct event_base *base;
    halyard_halo_client *halo;
    halyard_http_client *http;
    const halyard_http_allow_entry *http_allow;
    size_t http_allow_count;
} halyard_lua_call_inputs;

/*
 * Receives the outcome of a call run, exactly once per started run, as for plans: with
 * HALYARD_LUA_OK, results contains result_count strings and message is NULL; otherwise every
 * result is NULL and message names what failed. An entry that returns nil and a message (bad
 * input) fails with HALYARD_LUA_ERROR and that message. The callback may keep a result by
 * setting its slot to NULL, which makes the string its own; the others are freed after it.
 */
typedef void (*halyard_lua_call_callback)(halyard_lua_result result, char **results,
                                          int result_count, const char *message, void *argument);

/*
 * Starts a call run: entry runs with its arguments as a coroutine from the loop, never inside
 * this call. *run (may be NULL) receives a handle for halyard_lua_run_cancel, valid until the
 * callback starts. Returns 0, or -1 with a message when the run could not start; then the
 * callback never runs.
 */
int halyard_lua_host_call_start(halyard_lua_host *host, const halyard_lua_call_inputs *inputs,
                                halyard_lua_call_callback callback, void *argument,
                                halyard_lua_run **run, char *message, size_t message_size);

/* Cancels a run: its request in flight is abandoned, and its callback runs with
 * HALYARD_LUA_CANCELLED before this returns. Must not be called from inside the run's own
 * callback (the handle is gone by then). */
void halyard_lua_run_cancel(halyard_lua_run *run);

/* The number of runs started and not yet called back. */
size_t halyard_lua_host_run_count(const halyard_lua_host *host);

/*
 * Matches one ticket against the active workflows in scope for the client.
 *   ticket_json  a HaloPSA ticket object (summary and details are what the rules read)
 *   client_json  as for halyard_lua_host_plan, or NULL for a ticket outside any client, which
 *                matches only workflows scoped to all clients
 * Returns 0 and sets *matches_json to a malloc'd JSON array of {"workflow", "file", "score",
 * "reasons"} in descending score, or -1 with a message.
 */
int halyard_lua_host_match(halyard_lua_host *host, const char *ticket_json, const char *client_json,
                           char **matches_json, char *message, size_t message_size);

/*
 * Checks every loaded workflow's samples, whatever its status: each sample under
 * samples.match must match that workflow's rules, and each under samples.no_match must not.
 * Returns 0 and sets *report_json to a malloc'd JSON object {"checked": N, "failures": [...]}
 * where each failure names the workflow, the sample id and what happened, or -1 with a message
 * (always for a host created with the serving option).
 */
int halyard_lua_host_check_samples(halyard_lua_host *host, char **report_json, char *message,
                                   size_t message_size);

/*
 * Lists the loaded workflows, whatever their status. Returns 0 and sets *workflows_json to a
 * malloc'd JSON array of {"name", "file", "path", "status", "scope", "trigger"} in file-name
 * order, where scope is "all" or an array of client ids; or -1 with a message.
 */
int halyard_lua_host_list_workflows(halyard_lua_host *host, char **workflows_json, char *message,
                                    size_t message_size);

#endif
