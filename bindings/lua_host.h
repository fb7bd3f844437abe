#ifndef HALYARD_BINDINGS_LUA_HOST_H
#define HALYARD_BINDINGS_LUA_HOST_H

#include <stddef.h>

/*
 * The Lua host: one lua_State per MSP holding halyard's Lua modules (bindings/lua/), the MSP's
 * workflows and its policies. The host is not thread-safe; one thread (the event loop) owns it.
 *
 * Script folders:
 *   <share>/bindings/lua/   halyard's Lua modules, loaded in a fixed order
 *   <share>/workflows/      the shipped workflow library
 *   <share>/config/policies the shipped policies (loaded when the folder exists)
 *   <msp>/workflows/, <msp>/policies/
 *                           the MSP's own files; a file overrides the shipped file of the same name
 *
 * Every call into Lua runs under lua_pcall with a message handler that appends a traceback, so
 * a Lua error comes back as a return code and a message, never as a longjmp into C.
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
} halyard_lua_host_options;

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
 * modules and every workflow and policy file. A workflow or policy file that fails to load or
 * validate is skipped and listed in the host's problems; the other files still load. Failure
 * of halyard's own modules (a missing share folder, say) fails the whole call.
 * Returns 0 and sets *host, or -1 with a message in message.
 */
int halyard_lua_host_create(const halyard_lua_host_options *options, halyard_lua_host **host,
                            char *message, size_t message_size);

/* Closes the state and frees the host; NULL is ignored. */
void halyard_lua_host_destroy(halyard_lua_host *host);

/* The number of workflows loaded (any status), and of problems found while loading. */
size_t halyard_lua_host_workflow_count(const halyard_lua_host *host);
size_t halyard_lua_host_problem_count(const halyard_lua_host *host);

/* Returns problem number index (from 0) as "file:line: what is wrong; what to do", or NULL
 * when index is out of range. The string lives as long as the host. */
const char *halyard_lua_host_problem(const halyard_lua_host *host, size_t index);

/*
 * Runs the built-in agent in Plan mode for one ticket.
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
 * where each failure names the workflow, the sample id and what happened, or -1 with a message.
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
