#include "pipeline.h"
#include "pipeline_deliveries.h"
#include "pipeline_housekeeping.h"
#include "pipeline_internal.h"
#include "pipeline_job_ends.h"
#include "pipeline_notes.h"
#include "pipeline_runtimes.h"
#include "pipeline_sync.h"
#include "pipeline_task.h"

#include "approvals_replies.h"
#include "execute.h"
#include "run_writes.h"
#include "verification.h"

#include "clock.h"
#include "data_folder.h"
#include "http_client.h"
#include "jobs.h"
#include "json_reader.h"
#include "lua_host.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often the pipeline looks for due jobs when nothing wakes it, in ms. */
#define PIPELINE_POLL_MS 1000
/* How long a notification of stored deliveries waits before the pipeline looks, in ms: under
 * load, deliveries arriving meanwhile are queued by one scan instead of one scan each. */
#define PIPELINE_NOTIFY_DELAY_MS 25
#define PIPELINE_MAX_IN_FLIGHT   64

/* The job loop (pipeline.h). Each wake writes the held job ends first, then scans new
 * deliveries, runs the housekeeping and claims due jobs, and starts each job with the handler
 * of its kind. The handlers live in the modules that own their kinds: the
 * pipeline's own are the sync job (pipeline_sync.c) and the note job (pipeline_notes.c). */

/* Jobs are due on the business clock, so a test clock moved forward makes retries due. */
static long long now_ms(void)
{
    return halyard_clock_now_ms();
}

void halyard_pipeline_schedule_wake(halyard_pipeline *pipeline, long long delay_ms)
{
    if (delay_ms < 0) {
        delay_ms = 0;
    }
    struct timeval delay = {delay_ms / 1000, (delay_ms % 1000) * 1000};
    evtimer_add(pipeline->wake, &delay);
}

/* The job kinds and who handles them. A kind that needs the MSP's scripts waits for their
 * first load before it starts. */
typedef struct {
    const char *kind;
    halyard_pipeline_job_handler start;
    bool needs_scripts;
} pipeline_job_kind;

static const pipeline_job_kind pipeline_job_kinds[] = {
    {"sync", halyard_pipeline_sync_job, true},
    {"note", halyard_pipeline_notes_job, false},
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

static void start_task(halyard_pipeline_task *task)
{
    const pipeline_job_kind *kind = job_kind_of(&task->job);
    if (kind == NULL) {
        char message[PIPELINE_MESSAGE_MAX];
        snprintf(message, sizeof message, "unknown job kind '%s'", task->job.kind);
        halyard_pipeline_task_failed(task, message);
        return;
    }
    kind->start(task);
}

static void dispatch(halyard_pipeline *pipeline, halyard_job *job)
{
    halyard_pipeline_task *task = halyard_pipeline_task_add(pipeline, job);
    if (task == NULL) {
        halyard_job_clear(job);
        return; /* stays running until the next start recovers it */
    }

    char message[PIPELINE_MESSAGE_MAX];
    task->msp = halyard_pipeline_runtimes_find(pipeline, job->msp_id, message, sizeof message);
    if (task->msp == NULL) {
        halyard_pipeline_task_failed(task, message);
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
        halyard_pipeline_task *waiting = pipeline->tasks;
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
            halyard_pipeline_task_failed(waiting, message);
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
            halyard_pipeline_job_ends_write_failed(pipeline, message);
            return;
        }
        halyard_pipeline_job_ends_write_worked(pipeline);
        if (count == 0) {
            return;
        }
        for (size_t i = 0; i < count; i++) {
            dispatch(pipeline, &jobs[i]);
        }
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
    long long backoff_left = halyard_pipeline_job_ends_backoff_left(pipeline);
    if (backoff_left > 0) {
        halyard_pipeline_schedule_wake(pipeline, backoff_left);
        return;
    }
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_pipeline_job_ends_write_held(pipeline, message, sizeof message) != 0) {
        halyard_pipeline_job_ends_write_failed(pipeline, message);
        halyard_pipeline_schedule_wake(pipeline, halyard_pipeline_job_ends_backoff_left(pipeline));
        return;
    }

    /* Deliveries are scanned when notified, and once a second for any a notification missed;
     * a job finishing only looks for due jobs. */
    pipeline->notify_scheduled = false;
    if (pipeline->deliveries_waiting || now_ms() - pipeline->last_scan_ms >= PIPELINE_POLL_MS) {
        pipeline->deliveries_waiting = false;
        pipeline->last_scan_ms = now_ms();
        halyard_pipeline_deliveries_scan(pipeline);
    }
    halyard_pipeline_housekeeping_run(pipeline);
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
    if (halyard_pipeline_job_ends_backoff_left(pipeline) > 0) {
        delay =
            halyard_pipeline_job_ends_backoff_left(pipeline); /* a due job waits for the database */
    }
    halyard_pipeline_schedule_wake(pipeline, delay);
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
    halyard_pipeline_schedule_wake(pipeline, 0);
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
        halyard_pipeline_schedule_wake(pipeline, PIPELINE_NOTIFY_DELAY_MS);
    }
}

void halyard_pipeline_wake(halyard_pipeline *pipeline)
{
    if (pipeline != NULL && !pipeline->draining) {
        halyard_pipeline_schedule_wake(pipeline, 0);
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
    for (halyard_pipeline_task *task = pipeline->tasks; task != NULL; task = task->next) {
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
        halyard_pipeline_task_release(pipeline->tasks);
    }

    /* The database has the held jobs running, and the next start makes them ready again. */
    halyard_pipeline_job_ends_free_held(pipeline);
    halyard_pipeline_runtimes_free_all(pipeline);
    if (pipeline->wake != NULL) {
        event_free(pipeline->wake);
    }
    halyard_json_reader_free(pipeline->json);
    halyard_store_close(pipeline->store);
    sodium_memzero(&pipeline->key, sizeof pipeline->key);
    free(pipeline);
}
