#ifndef HALYARD_PIPELINE_NOTES_H
#define HALYARD_PIPELINE_NOTES_H

#include "pipeline_task.h"
#include "store.h"

#include <stddef.h>

/* The note job: posts a run's plan to its ticket as one hidden internal note, once. It first
 * reads the ticket's actions and looks for the run's marker, and posts only when the marker
 * is absent, so a post whose response was lost is never repeated. */

/* Queues the note job of a run whose plan is saved (key note:RUN). Returns 0, or -1 with a
 * message. */
int halyard_pipeline_notes_enqueue(halyard_store *store, long long msp_id, long long run_id,
                                   char *message, size_t message_size);

/* Starts a claimed note job (payload {"run_id": N}). The job ends the task itself
 * (pipeline_task.h). */
void halyard_pipeline_notes_job(halyard_pipeline_task *task);

#endif
