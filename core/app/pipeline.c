#include "pipeline.h"
#include "pipeline_task.h"
#include "run_writes.h"
#include "verification.h"
#include "retention.h"
#include "verification_sweep.h"
#include "verification_version.h"
#include "verification_workflow.h"

#include "approvals_policy_notes.h"
#include "approvals_replies.h"
#include "approvals_stop.h"
#include "execute.h"

#include "clock.h"
#include "data_folder.h"
#include "halo_client.h"
#include "http_client.h"
#include "integration.h"
#include "jobs.h"
#include "json_reader.h"
#include "log.h"
#include "lua_host.h"
#include "runs.h"
#include "text_buffer.h"

#include <ctype.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often the pipeline looks for due jobs when nothing wakes it, in ms. */
#define PIPELINE_POLL_MS 1000
/* How long a notification of stored deliveries waits before the pipeline looks, in ms: under
 * load, deliveries arriving meanwhile are queued by one scan instead of one scan each. */
#define PIPELINE_NOTIFY_DELAY_MS 25
#define PIPELINE_SCAN_BATCH      500
#define PIPELINE_MESSAGE_MAX     1024
#define PIPELINE_MAX_IN_FLIGHT   64

/* While the database rejects the job loop's writes (a full disk, a read-only file), the loop
 * waits this long before it tries again, doubling after each failure up to the maximum, in ms
 * on the monotonic clock. */
#define PIPELINE_WRITE_FIRST_BACKOFF_MS 250
#define PIPELINE_WRITE_MAX_BACKOFF_MS   8000

/* The return code of a step whose job goes on later, from a callback. */
#define PIPELINE_PENDING 1

/* A job whose end (done, or a failed attempt) the database did not take. The database still has
 * the job running, so the pipeline keeps the end in memory and writes it once the database works
 * again. The job then runs again without a restart of halyard. */
typedef struct held_end {
    struct held_end *next;
    halyard_job job; /* its payload is freed */
    long long run_id;
    bool failed;
    char error[512]; /* the attempt's error, when failed */
} held_end;

/* One MSP's connection to HaloPSA, made on first use. Its Lua host comes from the script
 * reload (script_reload.h), which swaps in new versions as the MSP's files change. */
typedef struct msp_runtime {
    long long msp_id;
    char name[40];
    char updated_at[40]; /* of the integration it was made from */
    halyard_integration integration;
    halyard_halo_client *halo;
    halyard_http_allow_entry *http_allow; /* hosts its scripts may reach; names live in config */
    size_t http_allow_count;
    size_t users; /* tasks in flight that use it */
    bool stale;   /* the integration changed since: no new task uses it */
    struct msp_runtime *next;
} msp_runtime;

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
    msp_runtime *runtimes;
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

    /* Job ends waiting for the database, newest first, and the back-off of the job loop's
     * writes: the current wait (0 when no write failed) and when writes are tried again, on
     * the monotonic clock. */
    held_end *held_ends;
    long long write_backoff_ms;
    long long write_retry_at_ms;
};

/* One claimed job on its way through HaloPSA calls (pipeline_task.h). */
typedef struct halyard_pipeline_task job_task;
struct halyard_pipeline_task {
    halyard_pipeline *pipeline;
    job_task *previous;
    job_task *next;
    halyard_job job;
    msp_runtime *msp;
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

/* Jobs are due on the business clock, so a test clock moved forward makes retries due. */
static long long now_ms(void)
{
    return halyard_clock_now_ms();
}

/* The idempotency key of a ticket's sync job: one per ticket, however it was asked for. */
static void pipeline_sync_key(long long msp_id, long long ticket_id, char *key, size_t key_size)
{
    snprintf(key, key_size, "sync:%lld:%lld", msp_id, ticket_id);
}

static void schedule_wake(halyard_pipeline *pipeline, long long delay_ms)
{
    if (delay_ms < 0) {
        delay_ms = 0;
    }
    struct timeval delay = {delay_ms / 1000, (delay_ms % 1000) * 1000};
    evtimer_add(pipeline->wake, &delay);
}

/* --- Finishing jobs ------------------------------------------------------------------------ */

static void free_runtime(msp_runtime *runtime);

/* Frees runtimes that went stale once no task uses them any more. */
static void free_stale_runtimes(halyard_pipeline *pipeline)
{
    msp_runtime **link = &pipeline->runtimes;
    while (*link != NULL) {
        msp_runtime *runtime = *link;
        if (runtime->stale && runtime->users == 0) {
            *link = runtime->next;
            free_runtime(runtime);
        } else {
            link = &runtime->next;
        }
    }
}

static void release_task(job_task *task)
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

static void free_task(job_task *task)
{
    halyard_pipeline *pipeline = task->pipeline;
    release_task(task);
    free_stale_runtimes(pipeline);
    schedule_wake(pipeline, 0);
}

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* The ms left before the job loop tries the database again after a failed write, 0 when it
 * may write now. */
static long long write_backoff_left(const halyard_pipeline *pipeline)
{
    if (pipeline->write_backoff_ms == 0) {
        return 0;
    }
    long long left = pipeline->write_retry_at_ms - monotonic_ms();
    return left > 0 ? left : 0;
}

/* Writes the ids of the held job ends into buffer ("" for none): "job=3,7". */
static void held_end_ids(const halyard_pipeline *pipeline, char *buffer, size_t buffer_size)
{
    size_t used = 0;
    buffer[0] = '\0';
    for (const held_end *end = pipeline->held_ends; end != NULL; end = end->next) {
        int written = snprintf(buffer + used, buffer_size - used, "%s%lld",
                               used == 0 ? " job=" : ",", end->job.id);
        if (written < 0 || (size_t)written >= buffer_size - used) {
            break; /* the line names as many as fit */
        }
        used += (size_t)written;
    }
}

/* Starts or doubles the job loop's back-off after a write the database rejected, with one log
 * line per back-off naming the held job ends. */
static void write_failed(halyard_pipeline *pipeline, const char *error)
{
    if (pipeline->write_backoff_ms == 0) {
        pipeline->write_backoff_ms = PIPELINE_WRITE_FIRST_BACKOFF_MS;
    } else if (pipeline->write_backoff_ms < PIPELINE_WRITE_MAX_BACKOFF_MS) {
        pipeline->write_backoff_ms *= 2;
        if (pipeline->write_backoff_ms > PIPELINE_WRITE_MAX_BACKOFF_MS) {
            pipeline->write_backoff_ms = PIPELINE_WRITE_MAX_BACKOFF_MS;
        }
    }
    pipeline->write_retry_at_ms = monotonic_ms() + pipeline->write_backoff_ms;

    char ids[256];
    held_end_ids(pipeline, ids, sizeof ids);
    size_t held = 0;
    for (const held_end *end = pipeline->held_ends; end != NULL; end = end->next) {
        held++;
    }
    halyard_log(HALYARD_LOG_ERROR, "jobs",
                "jobs paused for %lld ms after a failed write, %zu job ends held in memory%s: %s",
                pipeline->write_backoff_ms, held, ids, error);
}

/* Ends the job loop's back-off once a write worked, with a line if one was under way. */
static void write_worked(halyard_pipeline *pipeline)
{
    if (pipeline->write_backoff_ms != 0) {
        halyard_log(HALYARD_LOG_INFO, "jobs", "database writes work again; jobs resume");
    }
    pipeline->write_backoff_ms = 0;
}

/* Writes a job's end: done (error NULL), or a failed attempt, retried with backoff or dead after
 * the last one, which fails its run. Returns 0, or -1 with a message when the database did not
 * take the job's new state, so the job is still running in it. */
static int write_job_end(halyard_pipeline *pipeline, const halyard_job *job, long long run_id,
                         const char *error, char *message, size_t message_size)
{
    if (error == NULL) {
        return halyard_jobs_finish(pipeline->store, job->id, message, message_size);
    }
    bool dead = false;
    if (halyard_jobs_retry(pipeline->store, job, error, now_ms(), pipeline->max_attempts, &dead,
                           message, message_size) != 0) {
        return -1;
    }
    if (!dead || run_id == 0) {
        return 0;
    }

    /* A run waiting for its identity check keeps waiting: the verification sweep queues the
     * job that ends the check, so the requester's outcome note still comes. */
    char run_message[PIPELINE_MESSAGE_MAX];
    int waiting = halyard_verification_keeps_waiting(pipeline->store, job->kind, run_id,
                                                     run_message, sizeof run_message);
    if (waiting < 0) {
        halyard_log(HALYARD_LOG_ERROR, "jobs", "job=%lld %s", job->id, run_message);
    }
    if (waiting == 1) {
        halyard_log(HALYARD_LOG_WARNING, "jobs",
                    "msp=%lld job=%lld kind=%s run=%lld the run keeps waiting for its identity "
                    "check; the verification sweep ends the check",
                    job->msp_id, job->id, job->kind, run_id);
    } else if (halyard_runs_transition(pipeline->store, run_id, "failed", "job_dead", error,
                                       run_message, sizeof run_message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "jobs", "msp=%lld job=%lld run=%lld %s", job->msp_id,
                    job->id, run_id, run_message);
    }
    return 0;
}

/* Keeps the end of a task's job for write_held_ends, after the database rejected it or while
 * the job loop backs off. */
static void hold_job_end(job_task *task, const char *error)
{
    halyard_pipeline *pipeline = task->pipeline;
    held_end *end = calloc(1, sizeof *end);
    if (end == NULL) {
        halyard_log(HALYARD_LOG_ERROR, "jobs",
                    "msp=%lld job=%lld out of memory holding the job's end; the job stays "
                    "running until halyard restarts",
                    task->job.msp_id, task->job.id);
        return;
    }
    end->job = task->job;
    end->job.payload = NULL; /* the task frees it */
    end->run_id = task->run_id;
    end->failed = error != NULL;
    snprintf(end->error, sizeof end->error, "%s", error != NULL ? error : "");
    end->next = pipeline->held_ends;
    pipeline->held_ends = end;
}

/* Writes the held job ends, oldest first. Returns 0 when all were written, or -1 with a
 * message when the database rejected one; it and those after it stay held. */
static int write_held_ends(halyard_pipeline *pipeline, char *message, size_t message_size)
{
    while (pipeline->held_ends != NULL) {
        held_end **link = &pipeline->held_ends;
        while ((*link)->next != NULL) {
            link = &(*link)->next;
        }
        held_end *end = *link;
        if (write_job_end(pipeline, &end->job, end->run_id, end->failed ? end->error : NULL,
                          message, message_size) != 0) {
            return -1;
        }
        halyard_log(HALYARD_LOG_INFO, "jobs", "msp=%lld job=%lld kind=%s wrote the held end: %s",
                    end->job.msp_id, end->job.id, end->job.kind,
                    end->failed ? "failed attempt" : "done");
        *link = NULL;
        free(end);
    }
    return 0;
}

/* Ends a task: writes its job's end (error NULL for done). While the job loop backs off, or when
 * the database rejects the write, the end is kept in memory for write_held_ends. */
static void end_task(job_task *task, const char *error)
{
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];
    if (write_backoff_left(pipeline) > 0 || pipeline->held_ends != NULL) {
        hold_job_end(task, error);
    } else if (write_job_end(pipeline, &task->job, task->run_id, error, message, sizeof message) !=
               0) {
        hold_job_end(task, error);
        write_failed(pipeline, message);
    }
    free_task(task);
}

static void task_done(job_task *task)
{
    end_task(task, NULL);
}

/* Writes " ticket=42 run=12" for the log, naming each only once it is known ("" for none). */
static void task_run_ids(const job_task *task, char *buffer, size_t buffer_size)
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

/* Records a failed attempt; after the last one the job is dead and its run failed. */
static void task_failed(job_task *task, const char *error)
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
    end_task(task, error);
}

/* --- MSP runtimes ---------------------------------------------------------------------------- */

/* Frees a runtime that no task uses any more. Runs borrow its HaloPSA client only while their
 * task keeps the runtime, so no script's request is left in the client. */
static void free_runtime(msp_runtime *runtime)
{
    halyard_halo_client_free(runtime->halo);
    halyard_integration_free(&runtime->integration);
    free(runtime->http_allow);
    free(runtime);
}

/* Reads when the MSP's integration last changed into updated_at ("" when it has none). */
static void read_integration_stamp(halyard_pipeline *pipeline, long long msp_id, char *updated_at,
                                   size_t size)
{
    sqlite3_stmt *statement = NULL;
    updated_at[0] = '\0';
    if (sqlite3_prepare_v2(halyard_store_database(pipeline->store),
                           "SELECT updated_at FROM integrations WHERE msp_id = ?1", -1, &statement,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, msp_id);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            snprintf(updated_at, size, "%s", sqlite3_column_text(statement, 0));
        }
    }
    sqlite3_finalize(statement);
}

/* Finds or makes the runtime of an MSP. Returns NULL with a message when it cannot be made
 * (the MSP is not connected, or its secrets cannot be opened). */
static msp_runtime *runtime_for(halyard_pipeline *pipeline, long long msp_id, char *message,
                                size_t message_size)
{
    /* A runtime serves until the MSP connects again (a new secret, say); then new tasks get a
     * fresh one and the old one is freed when its last task is done. */
    char updated_at[40];
    read_integration_stamp(pipeline, msp_id, updated_at, sizeof updated_at);
    for (msp_runtime *runtime = pipeline->runtimes; runtime != NULL; runtime = runtime->next) {
        if (runtime->msp_id != msp_id || runtime->stale) {
            continue;
        }
        if (strcmp(runtime->updated_at, updated_at) == 0) {
            return runtime;
        }
        runtime->stale = true;
        halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s reconnected: reloading its settings",
                    runtime->name);
    }
    free_stale_runtimes(pipeline);

    msp_runtime *runtime = calloc(1, sizeof *runtime);
    if (runtime == NULL) {
        snprintf(message, message_size, "out of memory");
        return NULL;
    }
    runtime->msp_id = msp_id;
    snprintf(runtime->updated_at, sizeof runtime->updated_at, "%s", updated_at);

    /* Step 1: the MSP's name and integration. */
    sqlite3_stmt *statement = NULL;
    sqlite3 *database = halyard_store_database(pipeline->store);
    if (sqlite3_prepare_v2(database, "SELECT name FROM msps WHERE id = ?1", -1, &statement, NULL) !=
        SQLITE_OK) {
        snprintf(message, message_size, "reading the MSP failed: %s", sqlite3_errmsg(database));
        goto fail;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    if (sqlite3_step(statement) != SQLITE_ROW) {
        snprintf(message, message_size, "MSP %lld does not exist", msp_id);
        sqlite3_finalize(statement);
        goto fail;
    }
    snprintf(runtime->name, sizeof runtime->name, "%s", sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    int loaded = halyard_integration_load(pipeline->store, &pipeline->key, msp_id, runtime->name,
                                          &runtime->integration, message, message_size);
    if (loaded == 0 && runtime->integration.instance_url[0] == '\0') {
        loaded = 1; /* only webhook credentials made by `halyard intake credentials` */
    }
    if (loaded == 1) {
        snprintf(message, message_size, "MSP '%s' is not connected to HaloPSA", runtime->name);
    }
    if (loaded != 0) {
        goto fail;
    }

    /* Step 2: the HaloPSA client on the daemon's loop. */
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    snprintf(log_ids, sizeof log_ids, "msp=%s", runtime->name);
    halyard_halo_settings settings = {
        .instance_url = runtime->integration.instance_url,
        .token_url = runtime->integration.token_url,
        .client_id = runtime->integration.client_id,
        .client_secret = runtime->integration.client_secret,
        .scope = runtime->integration.scope,
        .log_ids = log_ids,
    };
    if (halyard_halo_client_create(pipeline->base, pipeline->http, &settings, &runtime->halo,
                                   message, message_size) != 0) {
        goto fail;
    }

    /* Step 3: the hosts the MSP's scripts may reach with the http module. */
    const halyard_config_http_allow *allowed = NULL;
    size_t allowed_count = halyard_config_http_allow_for(pipeline->config, runtime->name, &allowed);
    if (allowed_count > 0) {
        runtime->http_allow = calloc(allowed_count, sizeof *runtime->http_allow);
        if (runtime->http_allow == NULL) {
            snprintf(message, message_size, "out of memory");
            goto fail;
        }
    }
    for (size_t i = 0; i < allowed_count; i++) {
        runtime->http_allow[i] =
            (halyard_http_allow_entry){.host = allowed[i].host,
                                       .port = allowed[i].port,
                                       .allow_private = allowed[i].allow_private};
    }
    runtime->http_allow_count = allowed_count;
    halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ready: %s", runtime->name,
                runtime->integration.instance_url);

    runtime->next = pipeline->runtimes;
    pipeline->runtimes = runtime;
    return runtime;

fail:
    free_runtime(runtime);
    return NULL;
}

/* --- Note jobs: post the plan once ------------------------------------------------------------ */

static void on_note_posted(const halyard_halo_response *response, void *argument)
{
    job_task *task = argument;
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];

    if (response->outcome != HALYARD_HALO_OK) {
        task_failed(task, response->message);
        return;
    }
    if (response->status != 200 && response->status != 201) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld to the note: %.300s",
                 response->status, response->body);
        task_failed(task, message);
        return;
    }
    long long action_id = 0;
    halyard_json_read_integer(pipeline->json, response->body, response->body_length, "$.id",
                              &action_id);
    if (halyard_runs_note_posted(pipeline->store, task->run_id, action_id, "posted", message,
                                 sizeof message) != 0) {
        task_failed(task, message);
        return;
    }
    halyard_log(HALYARD_LOG_INFO, "pipeline",
                "msp=%s ticket=%lld run=%lld note posted as action %lld", task->msp->name,
                task->ticket_id, task->run_id, action_id);
    task_done(task);
}

/* Builds the POST /api/Actions body of a hidden internal note. Returns NULL when out of memory. */
static char *note_body(halyard_pipeline *pipeline, long long ticket_id, const char *note_html)
{
    char *quoted_note = NULL;
    char *quoted_outcome = NULL;
    if (halyard_json_quote(pipeline->json, note_html, &quoted_note) != 0 ||
        halyard_json_quote(pipeline->json, pipeline->config->note_outcome, &quoted_outcome) != 0) {
        free(quoted_note);
        return NULL;
    }
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 4 * 1024 * 1024);
    halyard_text_buffer_printf(&body,
                               "[{\"ticket_id\":%lld,\"outcome\":%s,\"hiddenfromuser\":true,"
                               "\"sendemail\":false,\"note_html\":%s}]",
                               ticket_id, quoted_outcome, quoted_note);
    free(quoted_note);
    free(quoted_outcome);
    return halyard_text_buffer_take(&body);
}

static void on_note_actions(const halyard_halo_response *response, void *argument)
{
    job_task *task = argument;
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];

    if (response->outcome != HALYARD_HALO_OK) {
        task_failed(task, response->message);
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld listing actions",
                 response->status);
        task_failed(task, message);
        return;
    }

    /* An earlier attempt may have written the note and lost the response: never write twice. */
    long long action_id = 0;
    char label[32];
    snprintf(label, sizeof label, "%lld", task->run_id);
    if (halyard_run_writes_find_marker(pipeline->json, response->body, label,
                                       task->msp->integration.login_agent_id, &action_id)) {
        if (halyard_runs_note_posted(pipeline->store, task->run_id, action_id,
                                     "found already in HaloPSA", message, sizeof message) != 0) {
            task_failed(task, message);
            return;
        }
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld note already in HaloPSA as action %lld",
                    task->msp->name, task->ticket_id, task->run_id, action_id);
        task_done(task);
        return;
    }

    char *note_html = NULL;
    if (halyard_runs_note(pipeline->store, task->run_id, &note_html, message, sizeof message) !=
        0) {
        task_failed(task, "the run has no note to post");
        return;
    }
    char *body = note_body(pipeline, task->ticket_id, note_html);
    free(note_html);
    if (body == NULL) {
        task_failed(task, "out of memory building the note");
        return;
    }
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    int sent = halyard_halo_request_for(task->msp->halo, log_ids, "POST", "/api/Actions", body,
                                        on_note_posted, task, message, sizeof message);
    free(body);
    if (sent != 0) {
        task_failed(task, message);
    }
}

static void start_note(job_task *task)
{
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];
    size_t length = strlen(task->job.payload);
    if (halyard_json_read_integer(pipeline->json, task->job.payload, length, "$.run_id",
                                  &task->run_id) != HALYARD_JSON_FOUND) {
        task_failed(task, "the note job has no run_id");
        return;
    }
    halyard_run run;
    if (halyard_runs_get(pipeline->store, task->run_id, &run, message, sizeof message) != 0) {
        task_failed(task, "the note job's run does not exist");
        return;
    }
    task->ticket_id = run.ticket_id;
    if (run.note_action_id != 0) {
        task_done(task);
        return;
    }

    char path[96];
    snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld&includehtmlnote=true",
             task->ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(task->msp->halo, log_ids, "GET", path, NULL, on_note_actions, task,
                                 message, sizeof message) != 0) {
        task_failed(task, message);
    }
}

/* --- Sync jobs: current ticket, client, run, plan ----------------------------------------------
 */

static bool status_is_closed(halyard_pipeline *pipeline, long long status_id)
{
    for (size_t i = 0; i < pipeline->config->closed_status_count; i++) {
        if (pipeline->config->closed_statuses[i] == status_id) {
            return true;
        }
    }
    return false;
}

/* Reads the imported client's name and mode. Returns 0, 1 when not imported, -1 on error. */
static int imported_client(halyard_pipeline *pipeline, long long msp_id, long long client_id,
                           char **client_json)
{
    sqlite3 *database = halyard_store_database(pipeline->store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(
            database,
            "SELECT json_object('id', c.halo_client_id, 'name', c.name, 'mode', c.mode,"
            " 'api_agent_id', i.login_agent_id) FROM clients c"
            " LEFT JOIN integrations i ON i.msp_id = c.msp_id"
            " WHERE c.msp_id = ?1 AND c.halo_client_id = ?2",
            -1, &statement, NULL) != SQLITE_OK) {
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, client_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        *client_json = strdup((const char *)sqlite3_column_text(statement, 0));
        status = *client_json != NULL ? 0 : -1;
    } else if (step == SQLITE_DONE) {
        status = 1;
    }

cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Stores the plan of a run and queues its note, or in Execute mode its execute job. Returns 0,
 * or -1 with a message. */
static int save_plan(job_task *task, const halyard_lua_plan *plan, char *message,
                     size_t message_size)
{
    halyard_pipeline *pipeline = task->pipeline;
    halyard_run run;
    if (halyard_runs_get(pipeline->store, task->run_id, &run, message, message_size) != 0) {
        return -1;
    }
    if (strcmp(run.mode, "execute") == 0) {
        return halyard_execute_plan_ready(pipeline->store, task->job.msp_id, task->run_id,
                                          plan->summary_json, plan->note_html, message,
                                          message_size);
    }
    if (halyard_runs_save_plan(pipeline->store, task->run_id, plan->summary_json, plan->note_html,
                               message, message_size) != 0) {
        return -1;
    }

    char key[64];
    char payload[64];
    snprintf(key, sizeof key, "note:%lld", task->run_id);
    snprintf(payload, sizeof payload, "{\"run_id\":%lld}", task->run_id);
    return halyard_jobs_enqueue(pipeline->store, task->job.msp_id, "note", key, payload, 0, message,
                                message_size);
}

/* Receives the plan of a run started by plan_run and finishes the sync job: a plan the
 * scripts could not write fails the run (not the job). A cancelled run is left as it is: the
 * task is being released, and its job stays running until the next start recovers it. */
/* Writes into out what a plan failure was, in words for the ticket's technicians: which
 * limit or error, and the script file and line when the error names one. The error's own text
 * stays in the run's event and the log, since a script's message may quote the ticket. */
static void describe_plan_failure(const char *error, char *out, size_t out_size)
{
    const char *what = "a script raised an error";
    if (strncmp(error, "timeout:", strlen("timeout:")) == 0) {
        what = "a script ran past its time or instruction limit";
    } else if (strncmp(error, "out of memory", strlen("out of memory")) == 0) {
        what = "a script ran past its memory limit";
    }

    /* The file name and line of the first "name.lua:line" in the error's first line, such as
     * "printer.lua:12" of ".../workflows/printer.lua:12": the folder would tell a technician
     * nothing and names a path on the server. */
    char where[128] = "";
    const char *found = strstr(error, ".lua:");
    const char *line_end = strchr(error, '\n');
    if (found != NULL && (line_end == NULL || found < line_end)) {
        const char *start = found;
        while (start > error && (isalnum((unsigned char)start[-1]) || start[-1] == '_' ||
                                 start[-1] == '-' || start[-1] == '.')) {
            start--;
        }
        const char *end = found + strlen(".lua:");
        while (isdigit((unsigned char)*end)) {
            end++;
        }
        if (end > found + strlen(".lua:") && (size_t)(end - start) < sizeof where) {
            snprintf(where, sizeof where, " (%.*s)", (int)(end - start), start);
        }
    }
    snprintf(out, out_size, "%s%s", what, where);
}

/* Returns how many steps of the run wrote to HaloPSA or are on their way to it, or -1 with a
 * message. A run plans again after its approval, so a plan can fail after steps ran. */
static long long steps_written(job_task *task, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(task->pipeline->store);
    sqlite3_stmt *statement = NULL;
    long long count = -1;
    if (sqlite3_prepare_v2(database,
                           "SELECT count(*) FROM run_writes WHERE run_id = ?1"
                           " AND key LIKE 'step.%' AND state <> 'failed'",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, task->run_id);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            count = sqlite3_column_int64(statement, 0);
        }
    }
    if (count < 0) {
        snprintf(message, message_size, "reading the steps written by run %lld failed: %s",
                 task->run_id, sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return count;
}

/* Tells whether the ticket of a failed run changed since its failed plan, leaving out halyard's
 * own actions. A run that failed before halyard stored the version counts as changed. Returns
 * 1 when it changed, 0 when not, or -1 with a message. */
static int failed_ticket_changed(job_task *task, const halyard_run *run, const char *actions_json,
                                 char *message, size_t message_size)
{
    halyard_store *store = task->pipeline->store;
    char failed_version[HALYARD_TICKET_VERSION_SIZE];
    char read_version[HALYARD_TICKET_VERSION_SIZE];
    if (halyard_runs_plan_failed_version(store, run->id, failed_version, message, message_size) !=
            0 ||
        halyard_verification_ticket_version(store, task->ticket_json, actions_json,
                                            task->msp->integration.login_agent_id, read_version,
                                            message, message_size) != 0) {
        return -1;
    }
    if (failed_version[0] != '\0' && strcmp(failed_version, read_version) == 0) {
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld failed, and nobody but halyard changed the "
                    "ticket since: it is not planned again",
                    task->msp->name, task->ticket_id, run->id);
        return 0;
    }
    return 1;
}

/* Ends a run whose plan failed and queues one hidden note telling the ticket's technicians, in
 * one transaction, so the run never ends without its note. Its pending approval request is
 * withdrawn, so an answer to it cannot run steps the technician may since have done by hand.
 * A failed run plans again when someone other than halyard changes the ticket. The note's write
 * key is the run's, so a run that fails again adds no second note. Returns 0, or -1 with a
 * message. */
static int end_failed_plan(job_task *task, const char *error, char *message, size_t message_size)
{
    halyard_pipeline *pipeline = task->pipeline;
    char failure[256];
    describe_plan_failure(error, failure, sizeof failure);
    long long written = steps_written(task, message, message_size);
    if (written < 0) {
        return -1;
    }

    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 4096);
    halyard_text_buffer_append_text(&note, "<div style=\"font-family:Segoe UI,Arial,sans-serif;"
                                           "font-size:13px;color:#1f2933;line-height:1.4\">\n"
                                           "<p style=\"margin:0 0 8px 0;font-size:14px\"><b>"
                                           "halyard could not write a plan for this ticket</b></p>"
                                           "\n<p style=\"margin:0 0 6px 0\">");
    halyard_text_buffer_printf(&note, "The agent stopped because %s. ", failure);
    if (written > 0) {
        halyard_text_buffer_printf(&note,
                                   "Before that, this run had carried out %lld step%s on this "
                                   "ticket (halyard's earlier notes here list them). Any approval "
                                   "request of this run is withdrawn, so an answer to it runs "
                                   "nothing. Please work the rest of the ticket as usual. ",
                                   written, written == 1 ? "" : "s");
    } else {
        halyard_text_buffer_append_text(&note, "halyard did nothing on this ticket, and any "
                                               "approval request of this run is withdrawn: "
                                               "please work it as usual. ");
    }
    halyard_text_buffer_append_text(&note, "Your MSP's administrator finds the whole error in "
                                           "halyard's log and in the run's events.");
    halyard_text_buffer_printf(&note,
                               "</p>\n<p style=\"margin:8px 0 0 0;color:#52606d;font-size:12px\">"
                               "Run %lld.</p>\n</div>",
                               task->run_id);
    char *quoted = NULL;
    if (halyard_text_buffer_failed(&note) ||
        halyard_json_quote(pipeline->json, halyard_text_buffer_text(&note), &quoted) != 0) {
        halyard_text_buffer_free(&note);
        snprintf(message, message_size, "out of memory building the note of run %lld",
                 task->run_id);
        return -1;
    }
    halyard_text_buffer_free(&note);
    halyard_text_buffer write;
    halyard_text_buffer_init(&write, 8192);
    halyard_text_buffer_printf(&write, "{\"write\":\"action\",\"hidden\":true,\"note_html\":%s}",
                               quoted);
    free(quoted);
    if (halyard_text_buffer_failed(&write)) {
        halyard_text_buffer_free(&write);
        snprintf(message, message_size, "out of memory building the note of run %lld",
                 task->run_id);
        return -1;
    }

    int status = halyard_store_execute(pipeline->store, "BEGIN IMMEDIATE", "starting a transaction",
                                       message, message_size);
    if (status == 0) {
        status = halyard_runs_transition(pipeline->store, task->run_id, "failed", "plan_failed",
                                         error, message, message_size);
    }
    if (status == 0) {
        status = halyard_runs_set_plan_failed_version(pipeline->store, task->run_id,
                                                      task->plan_version, message, message_size);
    }
    if (status == 0) {
        status = halyard_approvals_withdraw_request(pipeline->store, task->run_id, message,
                                                    message_size);
    }
    if (status == 0) {
        status = halyard_run_writes_add(
            pipeline->store, task->msp->msp_id, task->run_id, task->ticket_id, "plan_failed",
            halyard_text_buffer_text(&write), NULL, NULL, message, message_size);
    }
    halyard_text_buffer_free(&write);
    if (status != 0 || halyard_store_execute(pipeline->store, "COMMIT", "committing", message,
                                             message_size) != 0) {
        sqlite3_exec(halyard_store_database(pipeline->store), "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

static void on_plan_done(halyard_lua_result result, halyard_lua_plan *plan, const char *error,
                         void *argument)
{
    job_task *task = argument;
    task->lua_run = NULL;
    if (result == HALYARD_LUA_CANCELLED) {
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld plan cancelled while it waited; its job runs "
                    "again at the next start",
                    task->msp->name, task->ticket_id, task->run_id);
        return;
    }

    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];
    int status = 0;
    if (result != HALYARD_LUA_OK) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "msp=%s ticket=%lld run=%lld plan failed: %s",
                    task->msp->name, task->ticket_id, task->run_id, error);
        status = end_failed_plan(task, error != NULL ? error : "", message, sizeof message);
    } else {
        /* An approval policy whose own_words failed on the requester's mail left replies out
         * of the plan, and the technician is told why. */
        char scripts_id[64];
        long long scripts_number =
            halyard_pipeline_task_scripts_version(task, scripts_id, sizeof scripts_id);
        status = halyard_approvals_policy_note_plan(pipeline->store, pipeline->json, task->run_id,
                                                    scripts_number, scripts_id, plan->summary_json,
                                                    message, sizeof message);

        /* A plan whose matched workflow declares itself sensitive waits for the run's screening
         * as sensitive (verification_workflow.h), and is not used. */
        if (status == 0) {
            status = halyard_verification_on_plan(pipeline->store, pipeline->json, task->run_id,
                                                  plan->summary_json, message, sizeof message);
        }
        if (status == 0) {
            status = save_plan(task, plan, message, sizeof message);
        } else if (status == 1) {
            status = 0;
        }
    }
    halyard_lua_plan_clear(plan);
    if (status != 0) {
        task_failed(task, message);
        return;
    }
    task_done(task);
}

/* Starts writing the plan of a run in planning; on_plan_done finishes the job. The plan's
 * scripts may wait for HaloPSA or HTTP, and other tickets go on meanwhile. Returns
 * PIPELINE_PENDING, or -1 with a message when the run cannot start. */
static int plan_run(job_task *task, const char *actions_json, const char *client_json,
                    char *message, size_t message_size)
{
    halyard_pipeline *pipeline = task->pipeline;
    char run_id[32];
    snprintf(run_id, sizeof run_id, "%lld", task->run_id);

    /* The version of the scripts serving now stays this run's until the task ends. */
    if (task->scripts == NULL) {
        task->scripts = halyard_script_reload_acquire(pipeline->scripts, task->msp->name);
    }
    if (task->scripts == NULL) {
        snprintf(message, message_size, "the scripts of MSP '%s' are not loaded", task->msp->name);
        return -1;
    }

    /* The plan's steps are decided for the run's mode, taken from its client when it started,
     * and for what screening found. */
    halyard_run run;
    char run_json[160];
    if (halyard_runs_get(pipeline->store, task->run_id, &run, message, message_size) != 0) {
        return -1;
    }
    halyard_execute_run_json(&run, run_json, sizeof run_json);

    /* A failed plan stores the version it was made from, so that only a later change by
     * someone other than halyard plans the run again. */
    if (halyard_verification_ticket_version(pipeline->store, task->ticket_json, actions_json,
                                            task->msp->integration.login_agent_id,
                                            task->plan_version, message, message_size) != 0) {
        return -1;
    }

    /* The run's halo and http calls go out on the daemon's loop with the MSP's clients, which
     * the task keeps alive (task->msp) until the run has called back or was cancelled. */
    halyard_lua_plan_inputs inputs = {
        .ticket_json = task->ticket_json,
        .actions_json = actions_json,
        .client_json = client_json,
        .run_id = run_id,
        .run_json = run_json,
        .base = pipeline->base,
        .halo = task->msp->halo,
        .http = pipeline->http,
        .http_allow = task->msp->http_allow,
        .http_allow_count = task->msp->http_allow_count,
    };
    if (halyard_lua_host_plan_start(halyard_script_version_host(task->scripts), &inputs,
                                    on_plan_done, task, &task->lua_run, message,
                                    message_size) != 0) {
        return -1;
    }
    return PIPELINE_PENDING;
}

/* Tells whether a run in state is still under way: planning, posting, waiting for a verification
 * or an approval, or executing. A failed run has ended here, because only a ticket update plans
 * it again, although a cancel may still stop it (halyard_runs_state_ended). */
static bool run_under_way(const char *state)
{
    return !halyard_runs_state_ended(state) && strcmp(state, "failed") != 0;
}

/* Ends the run of a ticket that moved to another client (client_id) since the run started. A run
 * works under the mode, scripts and approvals of the client it started for, so it must not go
 * on under the new one. A run under way stops with a hidden note, and its pending approval is
 * withdrawn. A run that ended stays as it is. An executing run is left to the execute job,
 * which reads the ticket before its steps and stops there (execute.c). Returns 0 when the
 * ticket may start a run for the new client, 1 when it must wait, or -1 with a message. */
static int end_run_of_old_client(job_task *task, const halyard_run *latest, long long client_id,
                                 char *message, size_t message_size)
{
    if (!run_under_way(latest->state)) {
        return 0;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "the ticket moved from client %lld to client %lld",
             latest->halo_client_id, client_id);
    if (strcmp(latest->state, "executing") == 0) {
        /* Only a note of the move: the run stops before its next write step if the ticket is
         * still another client's then, and goes on if it was moved back meanwhile. */
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld executing: %s; the run checks the ticket's "
                    "client before its next write step",
                    task->msp->name, task->ticket_id, latest->id, detail);
        return halyard_runs_add_event(task->pipeline->store, latest->id, "ticket_moved", detail,
                                      message, message_size) == 0
                   ? 1
                   : -1;
    }

    halyard_run_stop stop = {.kind = "client_changed",
                             .detail = detail,
                             .title = "halyard stopped: the ticket moved to another client",
                             .text = HALYARD_RUN_STOP_MOVED_TEXT};
    int stopped = halyard_approvals_stop_run(task->pipeline->store, task->pipeline->json, latest,
                                             latest->state, &stop, message, message_size);
    if (stopped < 0) {
        return -1;
    }
    halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ticket=%lld run=%lld %s: %s", task->msp->name,
                task->ticket_id, latest->id, stopped == 0 ? "stopped" : "changed state meanwhile",
                detail);
    return stopped == 0 ? 0 : 1;
}

/* Decides what a synced ticket means for its run. Returns 0 when the job is done,
 * PIPELINE_PENDING when a plan is being written, or -1 with a message. */
static int process_ticket(job_task *task, const char *actions_json, char *message,
                          size_t message_size)
{
    halyard_pipeline *pipeline = task->pipeline;
    halyard_store *store = pipeline->store;
    size_t length = strlen(task->ticket_json);
    long long client_id = 0;
    long long status_id = 0;
    halyard_json_read_integer(pipeline->json, task->ticket_json, length, "$.client_id", &client_id);
    halyard_json_read_integer(pipeline->json, task->ticket_json, length, "$.status_id", &status_id);
    bool closed = status_is_closed(pipeline, status_id);

    halyard_run latest;
    int found = halyard_runs_latest(store, task->job.msp_id, task->ticket_id, &latest, message,
                                    message_size);
    if (found < 0) {
        return -1;
    }

    /* Step 1: a ticket moved to another client ends the old client's run first. The ticket then
     * goes on as one the new client's agent has not seen. */
    char moved_why[96] = "";
    if (found == 0 && client_id > 0 && latest.halo_client_id != client_id &&
        strcmp(latest.state, "skipped") != 0) {
        int ended = end_run_of_old_client(task, &latest, client_id, message, message_size);
        if (ended != 0) {
            return ended < 0 ? -1 : 0;
        }
        snprintf(moved_why, sizeof moved_why, "ticket moved here from client %lld",
                 latest.halo_client_id);
    }

    /* Step 2: a client that was not imported is recorded once as skipped. */
    char *client_json = NULL;
    int imported = imported_client(pipeline, task->job.msp_id, client_id, &client_json);
    if (imported < 0) {
        snprintf(message, message_size, "reading the imported clients failed");
        return -1;
    }
    if (imported == 1) {
        if (found == 0 && strcmp(latest.state, "skipped") == 0) {
            return 0;
        }
        char why[96];
        snprintf(why, sizeof why, "client %lld is not imported", client_id);
        halyard_run skipped;
        halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ticket=%lld skipped: %s", task->msp->name,
                    task->ticket_id, why);
        return halyard_runs_create(store, task->job.msp_id, client_id, task->ticket_id, "skipped",
                                   "plan", closed, why, &skipped, message, message_size);
    }

    /* Step 3: a new run when the ticket is new to halyard or to its client, was skipped before,
     * or was reopened after it was closed. Otherwise the update joins its run. */
    int status = 0;
    const char *why = NULL;
    if (moved_why[0] != '\0') {
        why = moved_why;
    } else if (found == 1) {
        why = "ticket first seen";
    } else if (strcmp(latest.state, "skipped") == 0) {
        why = "client imported since the ticket was skipped";
    } else if (latest.ticket_closed && !closed) {
        /* A status the run's own step set after the close is no reopen by a person. */
        int own = halyard_approvals_status_set_by_run(store, latest.id, status_id, true, message,
                                                      message_size);
        if (own < 0) {
            free(client_json);
            return -1;
        }
        why = own == 0 ? "ticket reopened" : NULL;

        /* A run still carrying out its steps owns the ticket. It reads the ticket again before
         * each write step, so it goes on after a close and a reopen, and a second run started
         * now would carry out the same plan again. */
        if (why != NULL && strcmp(latest.state, "executing") == 0) {
            halyard_log(HALYARD_LOG_INFO, "pipeline",
                        "msp=%s ticket=%lld run=%lld reopened while the run carries out its "
                        "steps: no new run starts",
                        task->msp->name, task->ticket_id, latest.id);
            why = NULL;
        }
    }
    if (why != NULL && closed) {
        free(client_json);
        return 0; /* a closed ticket is not worked on until it is reopened */
    }
    if (why != NULL) {
        /* The run keeps the client's mode as it is now, whatever changes later. */
        char *mode = NULL;
        halyard_json_read_text(pipeline->json, client_json, strlen(client_json), "$.mode", &mode);
        bool execute = mode != NULL && strcmp(mode, "execute") == 0;
        free(mode);
        halyard_run run;
        /* Screening (verification.h) runs before the agent does anything. */
        free(client_json);
        if (halyard_runs_create(store, task->job.msp_id, client_id, task->ticket_id, "planning",
                                execute ? "execute" : "plan", false, why, &run, message,
                                message_size) != 0) {
            return -1;
        }
        task->run_id = run.id;
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld started: %s; %s mode", task->msp->name,
                    task->ticket_id, run.id, why, run.mode);
        return halyard_verification_queue_screen(store, task->job.msp_id, run.id, false, message,
                                                 message_size);
    }

    task->run_id = latest.id;
    if (latest.ticket_closed != closed) {
        status = halyard_runs_set_closed(store, latest.id, closed, message, message_size);
    }
    if (status == 0) {
        status = halyard_runs_add_event(store, latest.id, "ticket_synced",
                                        closed ? "ticket closed" : "ticket updated", message,
                                        message_size);
    }

    /* A run waiting for screening or verification, or stopped by it, is not planned here, and
     * neither is an update not screened yet. */
    halyard_ticket_read read = {.ticket_json = task->ticket_json,
                                .actions_json = actions_json,
                                .login_agent_id = task->msp->integration.login_agent_id};
    int held = status == 0
                   ? halyard_verification_on_update(store, &latest, &read, message, message_size)
                   : 0;
    if (held != 0) {
        free(client_json);
        return held < 0 ? -1 : 0;
    }

    /* A failed run plans again only when someone other than halyard changed the ticket since
     * the failed plan: halyard's own notes, its failure note first, change nothing. */
    if (status == 0 && strcmp(latest.state, "failed") == 0) {
        int changed = failed_ticket_changed(task, &latest, actions_json, message, message_size);
        if (changed <= 0) {
            free(client_json);
            return changed;
        }
    }

    /* A run interrupted before its note resumes where it stopped. */
    if (status == 0 &&
        (strcmp(latest.state, "planning") == 0 || strcmp(latest.state, "failed") == 0)) {
        if (strcmp(latest.state, "failed") == 0) {
            status = halyard_runs_transition(store, latest.id, "planning", "retry",
                                             "ticket updated after the run failed", message,
                                             message_size);
        }
        if (status == 0) {
            status = plan_run(task, actions_json, client_json, message, message_size);
        }
    } else if (status == 0 && strcmp(latest.state, "awaiting_approval") == 0) {
        status = halyard_approvals_on_sync(task, &latest, task->ticket_json, actions_json, message,
                                           message_size);
        if (status == 1) {
            free(client_json);
            return PIPELINE_PENDING; /* the approvals module ends the task */
        }
    } else if (status == 0 && strcmp(latest.state, "posting") == 0) {
        char key[64];
        char payload[64];
        snprintf(key, sizeof key, "note:%lld", latest.id);
        snprintf(payload, sizeof payload, "{\"run_id\":%lld}", latest.id);
        status = halyard_jobs_enqueue(store, task->job.msp_id, "note", key, payload, 0, message,
                                      message_size);
    }
    free(client_json);
    return status;
}

static void on_sync_actions(const halyard_halo_response *response, void *argument)
{
    job_task *task = argument;
    char message[PIPELINE_MESSAGE_MAX];
    if (response->outcome != HALYARD_HALO_OK) {
        task_failed(task, response->message);
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message,
                 "HaloPSA answered HTTP %ld listing the actions of "
                 "ticket %lld",
                 response->status, task->ticket_id);
        task_failed(task, message);
        return;
    }
    int processed = process_ticket(task, response->body, message, sizeof message);
    if (processed == PIPELINE_PENDING) {
        return;
    }
    if (processed != 0) {
        task_failed(task, message);
        return;
    }
    task_done(task);
}

/* Stops the ticket's run when it is still under way (planning, waiting for a verification or
 * an approval, executing): a ticket deleted in HaloPSA has nothing left to wait for, and its
 * pending writes would only be refused. Returns 0, or -1 with a message. */
static int stop_deleted_ticket_run(job_task *task, char *message, size_t message_size)
{
    halyard_run latest;
    int found = halyard_runs_latest(task->pipeline->store, task->job.msp_id, task->ticket_id,
                                    &latest, message, message_size);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    if (!run_under_way(latest.state)) {
        return 0;
    }
    halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ticket=%lld run=%lld stopped: %s",
                task->msp->name, task->ticket_id, latest.id, "the ticket was deleted");
    return halyard_runs_transition(task->pipeline->store, latest.id, "stopped", "ticket_deleted",
                                   "HaloPSA answered 404 for the ticket: it no longer exists",
                                   message, message_size);
}

static void on_sync_ticket(const halyard_halo_response *response, void *argument)
{
    job_task *task = argument;
    char message[PIPELINE_MESSAGE_MAX];
    if (response->outcome != HALYARD_HALO_OK) {
        task_failed(task, response->message);
        return;
    }
    if (response->status == 404) {
        halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ticket=%lld no longer exists",
                    task->msp->name, task->ticket_id);
        if (stop_deleted_ticket_run(task, message, sizeof message) != 0) {
            task_failed(task, message);
            return;
        }
        task_done(task);
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld reading ticket %lld",
                 response->status, task->ticket_id);
        task_failed(task, message);
        return;
    }
    task->ticket_json = strdup(response->body);
    if (task->ticket_json == NULL) {
        task_failed(task, "out of memory");
        return;
    }
    char path[96];
    snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld&includehtmlnote=true",
             task->ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(task->msp->halo, log_ids, "GET", path, NULL, on_sync_actions, task,
                                 message, sizeof message) != 0) {
        task_failed(task, message);
    }
}

static void start_sync(job_task *task)
{
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_json_read_integer(pipeline->json, task->job.payload, strlen(task->job.payload),
                                  "$.ticket_id", &task->ticket_id) != HALYARD_JSON_FOUND ||
        task->ticket_id <= 0) {
        task_failed(task, "the sync job has no ticket_id");
        return;
    }
    char path[96];
    snprintf(path, sizeof path, "/api/Tickets/%lld?includedetails=true", task->ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(task->msp->halo, log_ids, "GET", path, NULL, on_sync_ticket, task,
                                 message, sizeof message) != 0) {
        task_failed(task, message);
    }
}

/* --- What modules see of a task (pipeline_task.h) --------------------------------------------
 */

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
    task_done(task);
}

void halyard_pipeline_task_failed(halyard_pipeline_task *task, const char *error)
{
    task_failed(task, error);
}

int halyard_pipeline_enqueue_sync(halyard_store *store, long long msp_id, long long ticket_id,
                                  char *message, size_t message_size)
{
    char key[96];
    char payload[64];
    pipeline_sync_key(msp_id, ticket_id, key, sizeof key);
    snprintf(payload, sizeof payload, "{\"ticket_id\":%lld}", ticket_id);
    return halyard_jobs_enqueue(store, msp_id, "sync", key, payload, 0, message, message_size);
}

int halyard_pipeline_sync_active(halyard_store *store, long long msp_id, long long ticket_id,
                                 long long due_by_ms, char *message, size_t message_size)
{
    char key[96];
    pipeline_sync_key(msp_id, ticket_id, key, sizeof key);
    return halyard_jobs_active(store, key, due_by_ms, message, message_size);
}

/* --- The loop: deliveries to jobs, jobs to handlers --------------------------------------------
 */

/* A ticket named by deliveries, for queueing one sync per ticket per scan. */
typedef struct {
    long long msp_id;
    long long ticket_id;
    long long delivery_id; /* of its first delivery in the scan */
} ticket_reference;

static int compare_tickets(const ticket_reference *a, const ticket_reference *b)
{
    if (a->msp_id != b->msp_id) {
        return a->msp_id < b->msp_id ? -1 : 1;
    }
    return a->ticket_id < b->ticket_id ? -1 : (a->ticket_id > b->ticket_id ? 1 : 0);
}

/* Orders by ticket, then by delivery, so a ticket's first delivery comes first. */
static int compare_references(const void *left, const void *right)
{
    const ticket_reference *a = left;
    const ticket_reference *b = right;
    int by_ticket = compare_tickets(a, b);
    if (by_ticket != 0) {
        return by_ticket;
    }
    return a->delivery_id < b->delivery_id ? -1 : (a->delivery_id > b->delivery_id ? 1 : 0);
}

static int compare_first_deliveries(const void *left, const void *right)
{
    const ticket_reference *a = left;
    const ticket_reference *b = right;
    return a->delivery_id < b->delivery_id ? -1 : (a->delivery_id > b->delivery_id ? 1 : 0);
}

/* Reads up to PIPELINE_SCAN_BATCH deliveries in state new: the tickets they name (each once,
 * in the order of their first delivery, so tickets are queued in the order HaloPSA's deliveries
 * arrived) into references, the highest delivery id into *last_id and whether the batch was
 * full into *full. Returns how many tickets, or -1. */
static long read_new_deliveries(halyard_pipeline *pipeline, ticket_reference *references,
                                long long *last_id, bool *full)
{
    sqlite3 *database = halyard_store_database(pipeline->store);
    sqlite3_stmt *statement = NULL;
    long count = 0;
    long rows = 0;
    *last_id = 0;
    *full = false;
    if (sqlite3_prepare_v2(database,
                           "SELECT id, msp_id, ticket_id FROM deliveries WHERE state = 'new'"
                           " ORDER BY id LIMIT ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_int(statement, 1, PIPELINE_SCAN_BATCH);
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        rows++;
        *last_id = sqlite3_column_int64(statement, 0);
        if (sqlite3_column_type(statement, 2) == SQLITE_NULL ||
            sqlite3_column_int64(statement, 2) <= 0) {
            continue; /* an event about no ticket: nothing to sync */
        }
        references[count].msp_id = sqlite3_column_int64(statement, 1);
        references[count].ticket_id = sqlite3_column_int64(statement, 2);
        references[count].delivery_id = *last_id;
        count++;
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        return -1;
    }
    *full = rows == PIPELINE_SCAN_BATCH;

    qsort(references, (size_t)count, sizeof references[0], compare_references);
    long unique = 0;
    for (long i = 0; i < count; i++) {
        if (unique == 0 || compare_tickets(&references[unique - 1], &references[i]) != 0) {
            references[unique++] = references[i];
        }
    }
    qsort(references, (size_t)unique, sizeof references[0], compare_first_deliveries);
    return unique;
}

/* Turns deliveries in state new into sync jobs, one per ticket, and marks them queued. The
 * deliveries are read outside the write transaction, which stays short because the intake's
 * writer thread needs the same lock. When the batch was full, more deliveries wait: the
 * pipeline is woken again at once rather than after its poll interval, so a backlog of many
 * deliveries does not hold a new ticket back by a second per batch. */
static void scan_deliveries(halyard_pipeline *pipeline)
{
    char message[PIPELINE_MESSAGE_MAX];
    sqlite3 *database = halyard_store_database(pipeline->store);
    static ticket_reference references[PIPELINE_SCAN_BATCH];
    long long last_id = 0;
    bool full = false;
    long tickets = read_new_deliveries(pipeline, references, &last_id, &full);
    if (tickets < 0) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "reading new deliveries failed: %s",
                    sqlite3_errmsg(database));
        return;
    }
    if (last_id == 0) {
        return;
    }

    sqlite3_stmt *statement = NULL;
    if (halyard_store_execute(pipeline->store, "BEGIN IMMEDIATE", "queueing deliveries", message,
                              sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "%s", message);
        return;
    }
    for (long i = 0; i < tickets; i++) {
        char key[96];
        char payload[64];
        pipeline_sync_key(references[i].msp_id, references[i].ticket_id, key, sizeof key);
        snprintf(payload, sizeof payload, "{\"ticket_id\":%lld}", references[i].ticket_id);
        if (halyard_jobs_enqueue(pipeline->store, references[i].msp_id, "sync", key, payload, 0,
                                 message, sizeof message) != 0) {
            goto fail;
        }
    }
    if (sqlite3_prepare_v2(database,
                           "UPDATE deliveries SET state = 'queued' WHERE state = 'new'"
                           " AND id <= ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        goto fail;
    }
    sqlite3_bind_int64(statement, 1, last_id);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        goto fail;
    }
    sqlite3_finalize(statement);
    statement = NULL;
    if (halyard_store_execute(pipeline->store, "COMMIT", "queueing deliveries", message,
                              sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "pipeline", "%s", message);
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
        return;
    }
    halyard_log(HALYARD_LOG_DEBUG, "pipeline", "queued %ld tickets from deliveries up to id %lld",
                tickets, last_id);
    pipeline->deliveries_waiting = pipeline->deliveries_waiting || full;
    return;

fail:
    halyard_log(HALYARD_LOG_ERROR, "pipeline", "queueing deliveries failed: %s",
                sqlite3_errmsg(database));
    sqlite3_finalize(statement);
    sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
}

/* The job kinds and who handles them. A kind that needs the MSP's scripts waits for their
 * first load before it starts. */
typedef struct {
    const char *kind;
    halyard_pipeline_job_handler start;
    bool needs_scripts;
} pipeline_job_kind;

static const pipeline_job_kind pipeline_job_kinds[] = {
    {"sync", start_sync, true},
    {"note", start_note, false},
    {"write", halyard_run_writes_job, false},
    {"execute", halyard_execute_job, true},
    {"expire_approval", halyard_approvals_expire_job, false},
    {"approval_check", halyard_approvals_check_job, false},
    {"screen", halyard_verification_screen_job, true},
    {"verify_poll", halyard_verification_poll_job, true},
    {"verify_callback", halyard_verification_callback_job, true},
    {"verify_deadline", halyard_verification_deadline_job, false},
    {"verify_resume", halyard_verification_resume_job, false},
};

static const pipeline_job_kind *job_kind_of(const halyard_job *job)
{
    for (size_t i = 0; i < sizeof pipeline_job_kinds / sizeof pipeline_job_kinds[0]; i++) {
        if (strcmp(pipeline_job_kinds[i].kind, job->kind) == 0) {
            return &pipeline_job_kinds[i];
        }
    }
    return NULL;
}

static void start_task(job_task *task)
{
    const pipeline_job_kind *kind = job_kind_of(&task->job);
    if (kind == NULL) {
        char message[PIPELINE_MESSAGE_MAX];
        snprintf(message, sizeof message, "unknown job kind '%s'", task->job.kind);
        task_failed(task, message);
        return;
    }
    kind->start(task);
}

static void dispatch(halyard_pipeline *pipeline, halyard_job *job)
{
    job_task *task = calloc(1, sizeof *task);
    if (task == NULL) {
        halyard_job_clear(job);
        return; /* stays running until the next start recovers it */
    }
    task->pipeline = pipeline;
    task->job = *job;
    task->next = pipeline->tasks;
    if (pipeline->tasks != NULL) {
        pipeline->tasks->previous = task;
    }
    pipeline->tasks = task;
    pipeline->in_flight++;

    char message[PIPELINE_MESSAGE_MAX];
    task->msp = runtime_for(pipeline, job->msp_id, message, sizeof message);
    if (task->msp == NULL) {
        task_failed(task, message);
        return;
    }
    task->msp->users++;

    /* A job that runs Lua waits for the first load of the MSP's scripts. */
    const pipeline_job_kind *kind = job_kind_of(job);
    if (kind != NULL && kind->needs_scripts &&
        !halyard_script_reload_serving(pipeline->scripts, task->msp->name)) {
        task->waiting_for_scripts = true;
        halyard_script_reload_load(pipeline->scripts, task->msp->name);
        return;
    }
    start_task(task);
}

/* Starts the tasks that waited for an MSP's scripts, or fails them when the scripts could not
 * be loaded (their jobs are retried later). Called by the script reload after each build. */
static void on_scripts_built(const char *msp, bool serving, const char *error, void *argument)
{
    halyard_pipeline *pipeline = argument;
    char message[PIPELINE_MESSAGE_MAX];
    snprintf(message, sizeof message, "the scripts of MSP '%s' could not be loaded: %s", msp,
             error);

    /* A task may end at once and leave the list, so look again from the start each time. */
    for (;;) {
        job_task *waiting = pipeline->tasks;
        while (waiting != NULL &&
               !(waiting->waiting_for_scripts && strcmp(waiting->msp->name, msp) == 0)) {
            waiting = waiting->next;
        }
        if (waiting == NULL) {
            return;
        }
        waiting->waiting_for_scripts = false;
        if (serving) {
            start_task(waiting);
        } else {
            task_failed(waiting, message);
        }
    }
}

/* Claims one round of due jobs, up to the free slots. A job that fails at once (its MSP is not
 * connected, say) frees its slot at once. More rounds in the same wake could then hold the
 * loop for seconds behind a backlog, so on_wake comes back at once while jobs are due. */
static void run_due_jobs(halyard_pipeline *pipeline)
{
    if (!pipeline->draining && pipeline->in_flight < (size_t)pipeline->max_in_flight) {
        halyard_job jobs[PIPELINE_MAX_IN_FLIGHT];
        size_t capacity = (size_t)pipeline->max_in_flight - pipeline->in_flight;
        size_t count = 0;
        char message[PIPELINE_MESSAGE_MAX];
        if (halyard_jobs_claim(pipeline->store, now_ms(), jobs, capacity, &count, message,
                               sizeof message) != 0) {
            write_failed(pipeline, message);
            return;
        }
        write_worked(pipeline);
        if (count == 0) {
            return;
        }
        for (size_t i = 0; i < count; i++) {
            dispatch(pipeline, &jobs[i]);
        }
    }
}

/* Runs the verification sweep (verification_sweep.h) at the first wake and then every
 * HALYARD_VERIFICATION_SWEEP_MS of the business clock. A failed sweep is logged and tried at
 * the next one. */
static void sweep_verifications(halyard_pipeline *pipeline)
{
    long long now = now_ms();
    if (pipeline->swept && now - pipeline->last_sweep_ms < HALYARD_VERIFICATION_SWEEP_MS) {
        return;
    }
    pipeline->swept = true;
    pipeline->last_sweep_ms = now;
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_verification_sweep(pipeline->store, message, sizeof message) < 0) {
        halyard_log(HALYARD_LOG_ERROR, "verify", "the verification sweep failed: %s", message);
    }
}

/* Removes what is past the configured retention (retention.h) at the first wake and then every
 * HALYARD_RETENTION_PRUNE_MS of the business clock. A failed pruning is logged and tried at the
 * next one; a pruning that removed something is logged with what it removed. */
static void prune_old_rows(halyard_pipeline *pipeline)
{
    long long now = now_ms();
    if (pipeline->pruned && now - pipeline->last_prune_ms < HALYARD_RETENTION_PRUNE_MS) {
        return;
    }
    pipeline->pruned = true;
    pipeline->last_prune_ms = now;
    char message[PIPELINE_MESSAGE_MAX];
    halyard_retention_counts counts;
    int days = pipeline->config->retention_days;
    if (halyard_retention_prune(pipeline->store, days, &counts, message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "retention", "removing rows older than %d days failed: %s",
                    days, message);
        return;
    }
    if (counts.deliveries + counts.jobs + counts.reply_texts > 0) {
        halyard_log(HALYARD_LOG_INFO, "retention",
                    "removed %lld deliveries and %lld finished jobs and cleared %lld reply texts "
                    "older than %d days",
                    counts.deliveries, counts.jobs, counts.reply_texts, days);
    }
}

static void on_wake(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_pipeline *pipeline = argument;
    if (pipeline->draining) {
        return;
    }

    /* After a write the database rejected, nothing is tried until the back-off ends. Then the
     * held job ends are written first, so that their jobs can run again. */
    long long backoff_left = write_backoff_left(pipeline);
    if (backoff_left > 0) {
        schedule_wake(pipeline, backoff_left);
        return;
    }
    char message[PIPELINE_MESSAGE_MAX];
    if (write_held_ends(pipeline, message, sizeof message) != 0) {
        write_failed(pipeline, message);
        schedule_wake(pipeline, write_backoff_left(pipeline));
        return;
    }

    /* Deliveries are scanned when notified, and once a second for any a notification missed;
     * a job finishing only looks for due jobs. */
    pipeline->notify_scheduled = false;
    if (pipeline->deliveries_waiting || now_ms() - pipeline->last_scan_ms >= PIPELINE_POLL_MS) {
        pipeline->deliveries_waiting = false;
        pipeline->last_scan_ms = now_ms();
        scan_deliveries(pipeline);
    }
    sweep_verifications(pipeline);
    prune_old_rows(pipeline);
    run_due_jobs(pipeline);

    /* Sleep until the next job is due, looking again at least once a second. */
    long long due = halyard_jobs_next_due_ms(pipeline->store);
    long long delay = PIPELINE_POLL_MS;
    if (due >= 0 && due - now_ms() < delay) {
        delay = due - now_ms();
    }
    if (pipeline->in_flight >= (size_t)pipeline->max_in_flight) {
        delay = PIPELINE_POLL_MS;
    }
    if (pipeline->deliveries_waiting) {
        delay = 0; /* a full batch was scanned: more deliveries wait */
    }
    if (write_backoff_left(pipeline) > 0) {
        delay = write_backoff_left(pipeline); /* a due job waits for the database */
    }
    schedule_wake(pipeline, delay);
}

/* Adds the data folder to a start failure's message, and what to check when the database
 * could not be written. */
static void name_data_folder(halyard_pipeline *pipeline, const char *data_dir, char *message,
                             size_t message_size)
{
    int error = pipeline->store != NULL
                    ? sqlite3_extended_errcode(halyard_store_database(pipeline->store)) & 0xff
                    : SQLITE_OK;
    bool disk = error == SQLITE_FULL || error == SQLITE_READONLY || error == SQLITE_IOERR ||
                error == SQLITE_CANTOPEN;
    char cause[PIPELINE_MESSAGE_MAX];
    snprintf(cause, sizeof cause, "%s", message);
    snprintf(message, message_size, "%s (data folder %s%s)", cause, data_dir,
             disk ? ": check that it is writable and its disk has free space" : "");
}

/* The pipeline's connection commits with synchronous=NORMAL: in WAL mode a power cut may lose
 * its last commits, never corrupt them, and everything it writes can be done again safely (a
 * delivery queued again is one more sync of its ticket, a note is looked for before it is
 * posted). So the event loop does not wait for fsync on every job. */
int halyard_pipeline_start(const halyard_pipeline_options *options, const char *data_dir,
                           halyard_pipeline **out, char *message, size_t message_size)
{
    *out = NULL;
    halyard_pipeline *pipeline = calloc(1, sizeof *pipeline);
    if (pipeline == NULL) {
        snprintf(message, message_size, "out of memory starting the pipeline");
        return -1;
    }
    pipeline->base = options->base;
    pipeline->config = options->config;
    pipeline->scripts = options->scripts;
    pipeline->max_in_flight = options->max_jobs_in_flight > 0 ? options->max_jobs_in_flight : 8;
    if (pipeline->max_in_flight > PIPELINE_MAX_IN_FLIGHT) {
        pipeline->max_in_flight = PIPELINE_MAX_IN_FLIGHT;
    }
    pipeline->max_attempts = options->max_attempts > 0 ? options->max_attempts : 20;

    halyard_http_client_options http_options = {.ca_file = options->config->ca_file};
    if (halyard_data_folder_open(data_dir, &pipeline->store, &pipeline->key, message,
                                 message_size) != 0 ||
        halyard_http_client_create(options->base, &http_options, &pipeline->http, message,
                                   message_size) != 0 ||
        halyard_json_reader_create(&pipeline->json, message, message_size) != 0 ||
        halyard_store_execute(pipeline->store, "PRAGMA synchronous = NORMAL",
                              "configuring the pipeline's connection", message,
                              message_size) != 0 ||
        halyard_jobs_recover(pipeline->store, message, message_size) != 0) {
        name_data_folder(pipeline, data_dir, message, message_size);
        halyard_pipeline_free(pipeline);
        return -1;
    }
    pipeline->wake = evtimer_new(options->base, on_wake, pipeline);
    if (pipeline->wake == NULL) {
        snprintf(message, message_size, "out of memory starting the pipeline");
        halyard_pipeline_free(pipeline);
        return -1;
    }
    halyard_script_reload_set_listener(pipeline->scripts, on_scripts_built, pipeline);
    schedule_wake(pipeline, 0);
    *out = pipeline;
    return 0;
}

void halyard_pipeline_notify(halyard_pipeline *pipeline)
{
    if (pipeline == NULL || pipeline->draining) {
        return;
    }
    pipeline->deliveries_waiting = true;
    if (!pipeline->notify_scheduled) {
        pipeline->notify_scheduled = true;
        schedule_wake(pipeline, PIPELINE_NOTIFY_DELAY_MS);
    }
}

void halyard_pipeline_wake(halyard_pipeline *pipeline)
{
    if (pipeline != NULL && !pipeline->draining) {
        schedule_wake(pipeline, 0);
    }
}

size_t halyard_pipeline_in_flight(const halyard_pipeline *pipeline)
{
    return pipeline != NULL ? pipeline->in_flight : 0;
}

void halyard_pipeline_drain(halyard_pipeline *pipeline)
{
    if (pipeline != NULL) {
        pipeline->draining = true;
    }
}

void halyard_pipeline_free(halyard_pipeline *pipeline)
{
    if (pipeline == NULL) {
        return;
    }
    /* Plans waiting for HaloPSA or HTTP are cancelled first, while the clients their requests
     * are in still exist. Then the HTTP client: its abandoned transfers point into the HaloPSA
     * clients, and the jobs they served stay running in the database until the next start
     * recovers them. */
    for (job_task *task = pipeline->tasks; task != NULL; task = task->next) {
        if (task->lua_run != NULL) {
            /* Its callback frees the module's state, and may leave task->lua_run pointing at the
             * freed run: release_task below must not cancel it a second time. */
            halyard_lua_run_cancel(task->lua_run);
            task->lua_run = NULL;
        } else if (task->free_state != NULL) {
            task->free_state(task->state);
        }
        task->free_state = NULL;
    }
    halyard_http_client_free(pipeline->http);
    if (pipeline->scripts != NULL) {
        halyard_script_reload_set_listener(pipeline->scripts, NULL, NULL);
    }
    while (pipeline->tasks != NULL) {
        release_task(pipeline->tasks);
    }

    /* The database has the held jobs running, and the next start makes them ready again. */
    while (pipeline->held_ends != NULL) {
        held_end *end = pipeline->held_ends;
        pipeline->held_ends = end->next;
        free(end);
    }
    while (pipeline->runtimes != NULL) {
        msp_runtime *runtime = pipeline->runtimes;
        pipeline->runtimes = runtime->next;
        free_runtime(runtime);
    }
    if (pipeline->wake != NULL) {
        event_free(pipeline->wake);
    }
    halyard_json_reader_free(pipeline->json);
    halyard_store_close(pipeline->store);
    sodium_memzero(&pipeline->key, sizeof pipeline->key);
    free(pipeline);
}
