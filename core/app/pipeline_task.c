#include "pipeline_task.h"
#include "pipeline_internal.h"
#include "pipeline_job_ends.h"
#include "pipeline_runtimes.h"

#include "log.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- A task's life cycle (pipeline_internal.h) ------------------------------------------------ */

halyard_pipeline_task *halyard_pipeline_task_add(halyard_pipeline *pipeline, const halyard_job *job)
{
    halyard_pipeline_task *task = calloc(1, sizeof *task);
    if (task == NULL) {
        return NULL;
    }
    task->pipeline = pipeline;
    task->job = *job;
    task->next = pipeline->tasks;
    if (pipeline->tasks != NULL) {
        pipeline->tasks->previous = task;
    }
    pipeline->tasks = task;
    pipeline->in_flight++;
    return task;
}

void halyard_pipeline_task_release(halyard_pipeline_task *task)
{
    halyard_pipeline *pipeline = task->pipeline;
    if (task->lua_run != NULL) {
        halyard_lua_run_cancel(task->lua_run);
    }
    if (task->msp != NULL) {
        task->msp->users--;
    }
    halyard_script_version_release(task->scripts);
    if (task->previous != NULL) {
        task->previous->next = task->next;
    } else {
        pipeline->tasks = task->next;
    }
    if (task->next != NULL) {
        task->next->previous = task->previous;
    }
    halyard_job_clear(&task->job);
    free(task->ticket_json);
    free(task);
    pipeline->in_flight--;
}

void halyard_pipeline_task_free(halyard_pipeline_task *task)
{
    halyard_pipeline *pipeline = task->pipeline;
    halyard_pipeline_task_release(task);
    halyard_pipeline_runtimes_free_stale(pipeline);
    halyard_pipeline_schedule_wake(pipeline, 0);
}

/* Writes " ticket=42 run=12" for the log, naming each only once it is known ("" for none). */
static void task_run_ids(const halyard_pipeline_task *task, char *buffer, size_t buffer_size)
{
    char ticket[32] = "";
    char run[32] = "";
    if (task->ticket_id != 0) {
        snprintf(ticket, sizeof ticket, " ticket=%lld", task->ticket_id);
    }
    if (task->run_id != 0) {
        snprintf(run, sizeof run, " run=%lld", task->run_id);
    }
    snprintf(buffer, buffer_size, "%s%s", ticket, run);
}

/* --- What modules see of a task (pipeline_task.h) -------------------------------------------- */

const halyard_job *halyard_pipeline_task_job(const halyard_pipeline_task *task)
{
    return &task->job;
}

halyard_store *halyard_pipeline_task_store(const halyard_pipeline_task *task)
{
    return task->pipeline->store;
}

halyard_json_reader *halyard_pipeline_task_json(const halyard_pipeline_task *task)
{
    return task->pipeline->json;
}

const halyard_config *halyard_pipeline_task_config(const halyard_pipeline_task *task)
{
    return task->pipeline->config;
}

const char *halyard_pipeline_task_msp(const halyard_pipeline_task *task)
{
    return task->msp->name;
}

const halyard_secret_key *halyard_pipeline_task_secret_key(const halyard_pipeline_task *task)
{
    return &task->pipeline->key;
}

halyard_halo_client *halyard_pipeline_task_halo(const halyard_pipeline_task *task)
{
    return task->msp->halo;
}

long long halyard_pipeline_task_login_agent_id(const halyard_pipeline_task *task)
{
    return task->msp->integration.login_agent_id;
}

void halyard_pipeline_task_log_ids(const halyard_pipeline_task *task, char *buffer,
                                   size_t buffer_size)
{
    char run_ids[64];
    task_run_ids(task, run_ids, sizeof run_ids);
    snprintf(buffer, buffer_size, "msp=%s%s job=%lld", task->msp->name, run_ids, task->job.id);
}

void halyard_pipeline_task_set_run(halyard_pipeline_task *task, long long run_id,
                                   long long ticket_id)
{
    task->run_id = run_id;
    task->ticket_id = ticket_id;
}

halyard_lua_host *halyard_pipeline_task_scripts(halyard_pipeline_task *task, char *message,
                                                size_t message_size)
{
    if (task->scripts == NULL) {
        task->scripts = halyard_script_reload_acquire(task->pipeline->scripts, task->msp->name);
    }
    if (task->scripts == NULL) {
        snprintf(message, message_size, "the scripts of MSP '%s' are not loaded", task->msp->name);
        return NULL;
    }
    return halyard_script_version_host(task->scripts);
}

long long halyard_pipeline_task_scripts_version(const halyard_pipeline_task *task, char *id,
                                                size_t id_size)
{
    if (task->scripts == NULL) {
        snprintf(id, id_size, "%s", "");
        return 0;
    }
    halyard_script_version_id(task->scripts, id, id_size);
    return halyard_script_version_number(task->scripts);
}

void halyard_pipeline_task_call_inputs(const halyard_pipeline_task *task,
                                       halyard_lua_call_inputs *inputs)
{
    inputs->base = task->pipeline->base;
    inputs->halo = task->msp->halo;
    inputs->http = task->pipeline->http;
    inputs->http_allow = task->msp->http_allow;
    inputs->http_allow_count = task->msp->http_allow_count;
}

void halyard_pipeline_task_set_lua_run(halyard_pipeline_task *task, halyard_lua_run *run)
{
    task->lua_run = run;
}

void halyard_pipeline_task_set_state(halyard_pipeline_task *task, void *state,
                                     void (*free_state)(void *state))
{
    task->state = state;
    task->free_state = free_state;
}

void halyard_pipeline_task_done(halyard_pipeline_task *task)
{
    halyard_pipeline_job_ends_record(task, NULL);
}

void halyard_pipeline_task_failed(halyard_pipeline_task *task, const char *error)
{
    halyard_pipeline *pipeline = task->pipeline;
    bool dead = task->job.attempts + 1 >= pipeline->max_attempts;

    /* The line names the ticket and run once the handler has, so that a failure such as
     * HaloPSA's rate limit outlasting its retries can be traced to its run. */
    char run_ids[64];
    task_run_ids(task, run_ids, sizeof run_ids);
    /* A failed token request was logged once by the HaloPSA client for all the jobs it failed. */
    const char *token_failure =
        task->msp != NULL ? halyard_halo_token_failure(task->msp->halo) : NULL;
    bool shared = token_failure != NULL && strstr(error, token_failure) != NULL;
    halyard_log(dead ? HALYARD_LOG_ERROR : (shared ? HALYARD_LOG_DEBUG : HALYARD_LOG_WARNING),
                "jobs", "msp=%lld%s job=%lld kind=%s key=%s attempt=%d %s: %s", task->job.msp_id,
                run_ids, task->job.id, task->job.kind, task->job.key, task->job.attempts + 1,
                dead ? "failed for the last time, job is dead" : "failed, will retry", error);
    halyard_pipeline_job_ends_record(task, error);
}
