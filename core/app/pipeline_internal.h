#ifndef HALYARD_PIPELINE_INTERNAL_H
#define HALYARD_PIPELINE_INTERNAL_H

#include "config.h"
#include "http_client.h"
#include "jobs.h"
#include "json_reader.h"
#include "lua_host.h"
#include "pipeline.h"
#include "pipeline_runtimes.h"
#include "pipeline_task.h"
#include "script_reload.h"
#include "secret_box.h"
#include "store.h"
#include "verification_version.h"

#include <event2/event.h>
#include <stdbool.h>
#include <stddef.h>

/* The state shared by the pipeline's own files (pipeline*.c), which no other module includes:
 * the pipeline, a claimed job's task, and the task's life cycle. Other modules reach a task
 * only through pipeline_task.h. Everything here runs on the event loop. */

/* The size of the message buffers of the pipeline's steps. */
#define PIPELINE_MESSAGE_MAX 1024

/* The return code of a step whose job goes on later, from a callback. */
#define PIPELINE_PENDING 1

/* A job end the database did not take yet (pipeline_job_ends.c). */
struct halyard_pipeline_held_end;

struct halyard_pipeline {
    struct event_base *base;
    const halyard_config *config;
    halyard_script_reload *scripts;
    int max_in_flight;
    int max_attempts;
    halyard_store *store;
    halyard_secret_key key;
    halyard_http_client *http;
    halyard_json_reader *json;
    struct event *wake;
    halyard_pipeline_runtime *runtimes;
    struct halyard_pipeline_task *tasks; /* in flight, so free can release them */
    size_t in_flight;
    bool draining;
    bool deliveries_waiting; /* notified, not yet scanned */
    bool notify_scheduled;   /* a wake for the notification is pending */
    long long last_scan_ms;
    bool swept;              /* the verification sweep ran since the pipeline started */
    long long last_sweep_ms; /* when it last ran, on the business clock */
    bool pruned;             /* the retention pruning ran since the pipeline started */
    long long last_prune_ms; /* when it last ran, on the business clock */

    /* Tickets HaloPSA returned 404 for and deliveries deferred for them since the last log line
     * about them, which was at missing_reported_ms on the business clock (pipeline_missing.h). */
    long long missing_tickets;
    long long missing_deferred;
    long long missing_last_ticket;
    char missing_last_msp[65]; /* truncated to 64 characters */
    long long missing_reported_ms;
    bool missing_pruned;         /* old missing tickets were deleted since the pipeline started */
    long long missing_pruned_ms; /* when, on the business clock */

    /* Job ends waiting for the database, newest first, and the back-off of the job loop's
     * writes: the current wait (0 when no write failed) and when writes are tried again, on
     * the monotonic clock. */
    struct halyard_pipeline_held_end *held_ends;
    long long write_backoff_ms;
    long long write_retry_at_ms;
};

/* One claimed job on its way through HaloPSA calls (pipeline_task.h). */
struct halyard_pipeline_task {
    halyard_pipeline *pipeline;
    halyard_pipeline_task *previous;
    halyard_pipeline_task *next;
    halyard_job job;
    halyard_pipeline_runtime *msp;
    long long ticket_id;
    long long run_id;
    char *ticket_json;

    /* The version of the MSP's scripts this task runs Lua on, held from its first use of Lua
     * until the task ends, so a reload meanwhile never changes the state under it. */
    halyard_script_version *scripts;

    /* A sync claimed before the MSP's scripts first loaded; it starts when they have. */
    bool waiting_for_scripts;

    halyard_lua_run *lua_run; /* the Lua run it waits on: a plan, or a module's call */

    /* The ticket's version (verification_version.h) its plan is made from, "" before one. */
    char plan_version[HALYARD_TICKET_VERSION_SIZE];

    /* A module's state for the work in flight, freed by free_state if halyard stops while
     * the task waits on HaloPSA (pipeline_task.h). */
    void *state;
    void (*free_state)(void *state);
};

/* Makes the event loop look for work after delay_ms (negative counts as 0), replacing a wake
 * already scheduled. Defined in pipeline.c. */
void halyard_pipeline_schedule_wake(halyard_pipeline *pipeline, long long delay_ms);

/* Makes the task of a claimed job, which takes over the job and its payload, and adds it to
 * the tasks in flight. Returns NULL when out of memory, and the caller still owns the job. */
halyard_pipeline_task *halyard_pipeline_task_add(halyard_pipeline *pipeline,
                                                 const halyard_job *job);

/* Removes a task from the tasks in flight and frees it: cancels the Lua run it waits on,
 * returns its MSP runtime and scripts version, and frees its job. Its job's state in the
 * database is left as it is. */
void halyard_pipeline_task_release(halyard_pipeline_task *task);

/* Releases a task whose job's end was recorded, frees the MSP runtimes that went stale, and
 * wakes the loop to claim the next job. */
void halyard_pipeline_task_free(halyard_pipeline_task *task);

#endif
