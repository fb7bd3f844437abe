#include "pipeline_job_ends.h"
#include "pipeline_internal.h"

#include "clock.h"
#include "jobs.h"
#include "log.h"
#include "runs.h"
#include "verification_sweep.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* While the database rejects the job loop's writes, the loop waits this long before it tries
 * again, doubling after each failure up to the maximum, in ms on the monotonic clock. */
#define PIPELINE_WRITE_FIRST_BACKOFF_MS 250
#define PIPELINE_WRITE_MAX_BACKOFF_MS   8000

/* A job whose end (done, or a failed attempt) the database did not take. The database still has
 * the job running, so the pipeline keeps the end in memory and writes it once the database works
 * again. The job then runs again without a restart of halyard. */
typedef struct halyard_pipeline_held_end {
    struct halyard_pipeline_held_end *next;
    halyard_job job; /* its payload is freed */
    long long run_id;
    bool failed;
    char error[512]; /* the attempt's error, when failed */
} halyard_pipeline_held_end;

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

long long halyard_pipeline_job_ends_backoff_left(const halyard_pipeline *pipeline)
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
    for (const halyard_pipeline_held_end *end = pipeline->held_ends; end != NULL; end = end->next) {
        int written = snprintf(buffer + used, buffer_size - used, "%s%lld",
                               used == 0 ? " job=" : ",", end->job.id);
        if (written < 0 || (size_t)written >= buffer_size - used) {
            break; /* the line names as many as fit */
        }
        used += (size_t)written;
    }
}

void halyard_pipeline_job_ends_write_failed(halyard_pipeline *pipeline, const char *error)
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
    for (const halyard_pipeline_held_end *end = pipeline->held_ends; end != NULL; end = end->next) {
        held++;
    }
    halyard_log(HALYARD_LOG_ERROR, "jobs",
                "jobs paused for %lld ms after a failed write, %zu job ends held in memory%s: %s",
                pipeline->write_backoff_ms, held, ids, error);
}

void halyard_pipeline_job_ends_write_worked(halyard_pipeline *pipeline)
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
    /* Jobs are due on the business clock, so a test clock moved forward makes retries due. */
    bool dead = false;
    if (halyard_jobs_retry(pipeline->store, job, error, halyard_clock_now_ms(),
                           pipeline->max_attempts, &dead, message, message_size) != 0) {
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

/* Keeps the end of a task's job for halyard_pipeline_job_ends_write_held, after the database
 * rejected it or while the job loop backs off. */
static void hold_job_end(halyard_pipeline_task *task, const char *error)
{
    halyard_pipeline *pipeline = task->pipeline;
    halyard_pipeline_held_end *end = calloc(1, sizeof *end);
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

int halyard_pipeline_job_ends_write_held(halyard_pipeline *pipeline, char *message,
                                         size_t message_size)
{
    while (pipeline->held_ends != NULL) {
        halyard_pipeline_held_end **link = &pipeline->held_ends;
        while ((*link)->next != NULL) {
            link = &(*link)->next;
        }
        halyard_pipeline_held_end *end = *link;
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

void halyard_pipeline_job_ends_record(halyard_pipeline_task *task, const char *error)
{
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_pipeline_job_ends_backoff_left(pipeline) > 0 || pipeline->held_ends != NULL) {
        hold_job_end(task, error);
    } else if (write_job_end(pipeline, &task->job, task->run_id, error, message, sizeof message) !=
               0) {
        hold_job_end(task, error);
        halyard_pipeline_job_ends_write_failed(pipeline, message);
    }
    halyard_pipeline_task_free(task);
}

void halyard_pipeline_job_ends_free_held(halyard_pipeline *pipeline)
{
    while (pipeline->held_ends != NULL) {
        halyard_pipeline_held_end *end = pipeline->held_ends;
        pipeline->held_ends = end->next;
        free(end);
    }
}
