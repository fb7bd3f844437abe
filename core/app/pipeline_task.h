#ifndef HALYARD_PIPELINE_TASK_H
#define HALYARD_PIPELINE_TASK_H

#include "config.h"
#include "halo_client.h"
#include "jobs.h"
#include "json_reader.h"
#include "lua_host.h"
#include "secret_box.h"
#include "store.h"

#include <stddef.h>

/*
 * What a module of the application sees of a claimed job, so that each module (verification,
 * approvals, the outbox) owns its job kinds in its own file and pipeline.c only lists them.
 *
 * A handler starts the work of one job. It must end the task exactly once, at once or from a
 * callback of a HaloPSA request or Lua run, with halyard_pipeline_task_done or
 * halyard_pipeline_task_failed; after that the task is gone. Everything runs on the event loop.
 */
typedef struct halyard_pipeline_task halyard_pipeline_task;

typedef void (*halyard_pipeline_job_handler)(halyard_pipeline_task *task);

const halyard_job *halyard_pipeline_task_job(const halyard_pipeline_task *task);
halyard_store *halyard_pipeline_task_store(const halyard_pipeline_task *task);
halyard_json_reader *halyard_pipeline_task_json(const halyard_pipeline_task *task);
const halyard_config *halyard_pipeline_task_config(const halyard_pipeline_task *task);

/* The MSP's short name, for log lines. */
const char *halyard_pipeline_task_msp(const halyard_pipeline_task *task);

/* The installation's key that opens secrets sealed at rest (secret_box.h). */
const halyard_secret_key *halyard_pipeline_task_secret_key(const halyard_pipeline_task *task);

/* The MSP's HaloPSA client, and the id of the HaloPSA agent halyard logs in as (0 unknown). */
halyard_halo_client *halyard_pipeline_task_halo(const halyard_pipeline_task *task);
long long halyard_pipeline_task_login_agent_id(const halyard_pipeline_task *task);

/* Writes the ids that start the task's log lines into buffer: "msp=acme ticket=42 run=12
 * job=7", naming the ticket and run only once they are known. A HaloPSA request made for the
 * task passes them to halyard_halo_request_for, so its rate-limit line names them too. */
void halyard_pipeline_task_log_ids(const halyard_pipeline_task *task, char *buffer,
                                   size_t buffer_size);

/* Names the run and ticket the task works for: log lines name them, and when the job dies
 * after its last attempt the run fails. */
void halyard_pipeline_task_set_run(halyard_pipeline_task *task, long long run_id,
                                   long long ticket_id);

/* The MSP's Lua host serving now, held by the task until it ends so a reload meanwhile never
 * changes it. Returns NULL with a message when the MSP's scripts are not loaded. A handler of
 * a kind registered with needs_scripts starts only once they have loaded. */
halyard_lua_host *halyard_pipeline_task_scripts(halyard_pipeline_task *task, char *message,
                                                size_t message_size);

/* Writes the id of the version of the MSP's scripts the task runs Lua on into id
 * (halyard_script_version_id), and returns its number. Before the task first ran Lua, it
 * writes "" and returns 0. */
long long halyard_pipeline_task_scripts_version(const halyard_pipeline_task *task, char *id,
                                                size_t id_size);

/* Fills the loop and the MSP's clients of a Lua call run (entry, arguments and label are the
 * caller's), which the task keeps alive until it ends. */
void halyard_pipeline_task_call_inputs(const halyard_pipeline_task *task,
                                       halyard_lua_call_inputs *inputs);

/* Hands the task the Lua run it waits on, so a task released early cancels it. Pass NULL once
 * the run has called back. */
void halyard_pipeline_task_set_lua_run(halyard_pipeline_task *task, halyard_lua_run *run);

/* Hands the task the module's state for its work, and the function that frees it. halyard
 * calls free_state only when it stops while the task waits on a HaloPSA request, whose
 * callback then never runs, so the state would otherwise leak. A task waiting on a Lua run
 * is not: the run's callback gets HALYARD_LUA_CANCELLED and frees the state itself. A module
 * that replaces its state sets it again. */
void halyard_pipeline_task_set_state(halyard_pipeline_task *task, void *state,
                                     void (*free_state)(void *state));

/* Ends the task: its job is done (or runs again when asked for meanwhile). */
void halyard_pipeline_task_done(halyard_pipeline_task *task);

/* Ends the task with a failed attempt: the job is retried with backoff, or is dead after the
 * last attempt, and then the task's run (if set) fails. */
void halyard_pipeline_task_failed(halyard_pipeline_task *task, const char *error);

/* Queues a sync of the ticket (the same job the ticket's webhook deliveries queue), for a
 * module whose run can go on: the sync reads the ticket again and moves the run forward.
 * Returns 0, or -1 with a message. */
int halyard_pipeline_enqueue_sync(halyard_store *store, long long msp_id, long long ticket_id,
                                  char *message, size_t message_size);

/* Queues a sync of the ticket that starts no earlier than run_after_ms on the business clock.
 * A sync already queued keeps its own start, so one that is due sooner still runs first (see
 * jobs.h). Returns 0, or -1 with a message. */
int halyard_pipeline_enqueue_sync_after(halyard_store *store, long long msp_id, long long ticket_id,
                                        long long run_after_ms, char *message, size_t message_size);

/* Tells whether the ticket's sync job is running, or queued and due by due_by_ms (negative:
 * running only). A running sync may be reading replies and act on them. Returns 1 when it is,
 * 0 when not, or -1 with a message. */
int halyard_pipeline_sync_active(halyard_store *store, long long msp_id, long long ticket_id,
                                 long long due_by_ms, char *message, size_t message_size);

#endif
