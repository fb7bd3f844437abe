#ifndef HALYARD_PIPELINE_H
#define HALYARD_PIPELINE_H

#include "config.h"
#include "script_reload.h"

#include <event2/event.h>
#include <stddef.h>

/* The pipeline turns stored webhook deliveries into the agent's work, on the event loop:
 *
 *   deliveries (state new) -> one sync job per ticket -> fetch the ticket and its actions from
 *   HaloPSA -> match the client (not imported: a skipped run) -> the ticket's run -> the Lua
 *   host writes the plan -> a note job posts it as one hidden internal note.
 *
 * Every step is a durable job (jobs.h), so a restart resumes it. A note is written once: the
 * note job first reads the ticket's actions and looks for the run's marker, and posts only
 * when it is absent, so a write whose outcome was unknown is never repeated blindly. halyard's
 * own notes wake the ticket's sync like any action, but a run plans once, so they never lead
 * to another note. */
typedef struct halyard_pipeline halyard_pipeline;

typedef struct {
    struct event_base *base;
    const halyard_config *config;   /* must outlive the pipeline */
    halyard_script_reload *scripts; /* each MSP's Lua host; must outlive the pipeline */
    int max_jobs_in_flight;         /* 0 means 8 */
    int max_attempts;               /* 0 means 20 (about an hour of retries); then a job is dead */
} halyard_pipeline_options;

/* Opens the pipeline's own store connection and starts it: jobs left running by an earlier
 * process are made ready again and deliveries still new are picked up. The caller holds the data
 * folder's lock (halyard_data_folder_lock), so no other process is running those jobs. Returns
 * 0, or -1 with a message. */
int halyard_pipeline_start(const halyard_pipeline_options *options, const char *data_dir,
                           halyard_pipeline **pipeline, char *message, size_t message_size);

/* Tells the pipeline that deliveries were stored; it looks at them from the loop soon after. */
void halyard_pipeline_notify(halyard_pipeline *pipeline);

/* Makes the pipeline look for due jobs from the loop at once, for a caller that moved the
 * business clock forward (the test clock), so jobs that became due run now. NULL is allowed. */
void halyard_pipeline_wake(halyard_pipeline *pipeline);

/* Jobs running now (waiting on HaloPSA). */
size_t halyard_pipeline_in_flight(const halyard_pipeline *pipeline);

/* Stops taking new jobs; jobs in flight finish or are abandoned by halyard_pipeline_free and
 * become ready again at the next start. */
void halyard_pipeline_drain(halyard_pipeline *pipeline);

void halyard_pipeline_free(halyard_pipeline *pipeline);

#endif
