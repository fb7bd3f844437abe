#ifndef HALYARD_PIPELINE_JOB_ENDS_H
#define HALYARD_PIPELINE_JOB_ENDS_H

#include "pipeline.h"
#include "pipeline_task.h"

#include <stddef.h>

/* Writing the end of each job (done, or a failed attempt), and the job loop's back-off while
 * the database rejects its writes (a full disk, a read-only file). An end the database did not
 * take is held in memory, because the database still has the job running, and is written once
 * writes work again. The job then runs again without a restart of halyard. A stop drops the
 * held ends, and the next start makes their jobs ready again. Everything here runs on the
 * event loop. */

/* Records the end of a task's job (error NULL for done), then frees the task. The end is
 * written at once, or held in memory while the job loop backs off or when the database
 * rejects the write, which starts or doubles the back-off. */
void halyard_pipeline_job_ends_record(halyard_pipeline_task *task, const char *error);

/* Writes the held job ends, oldest first. Returns 0 when all were written, or -1 with a
 * message when the database rejected one; it and those after it stay held. */
int halyard_pipeline_job_ends_write_held(halyard_pipeline *pipeline, char *message,
                                         size_t message_size);

/* Frees the held job ends without writing them, for a pipeline that stops. */
void halyard_pipeline_job_ends_free_held(halyard_pipeline *pipeline);

/* Returns the ms left before the job loop tries the database again after a failed write, 0
 * when it may write now. */
long long halyard_pipeline_job_ends_backoff_left(const halyard_pipeline *pipeline);

/* Starts or doubles the job loop's back-off after a write the database rejected (error), with
 * one log line per back-off naming the held job ends. */
void halyard_pipeline_job_ends_write_failed(halyard_pipeline *pipeline, const char *error);

/* Ends the job loop's back-off once a write worked, with a line if one was under way. */
void halyard_pipeline_job_ends_write_worked(halyard_pipeline *pipeline);

#endif
