#ifndef HALYARD_JOBS_H
#define HALYARD_JOBS_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* Durable jobs: every piece of work (sync a ticket, post a note) is a row in the jobs table, so
 * a crash or restart loses none of it. A job is at-least-once: its handler must make its effect
 * in HaloPSA happen once, by its idempotency key and by checking HaloPSA before writing again.
 *
 * States: ready (waiting for run_after_ms), running, done, dead (gave up after the maximum
 * attempts; kept for the operator to see). One row per idempotency key: asking for a job that
 * is done or dead makes it ready again, asking for one that is running makes it run once more
 * after it finishes, at the earliest run_after_ms asked for meanwhile, and asking for one that
 * is ready changes nothing. */

typedef struct {
    long long id;
    long long msp_id;
    char kind[32];
    char key[256];
    char *payload; /* JSON text, owned */
    int attempts;  /* earlier attempts that failed */
} halyard_job;

/* Asks for the job with this idempotency key, as described above. Returns 0, or -1 with a
 * message. */
int halyard_jobs_enqueue(halyard_store *store, long long msp_id, const char *kind, const char *key,
                         const char *payload, long long run_after_ms, char *message,
                         size_t message_size);

/* Tells whether the job with this idempotency key is running, or ready and due by due_by_ms (a
 * negative due_by_ms counts a running job only). Returns 1 when it is, 0 when not, or -1 with
 * a message. */
int halyard_jobs_active(halyard_store *store, const char *key, long long due_by_ms, char *message,
                        size_t message_size);

/* Marks up to capacity ready jobs due at now_ms as running and fills jobs with them, oldest
 * first. *count receives how many. Returns 0, or -1 with a message. */
int halyard_jobs_claim(halyard_store *store, long long now_ms, halyard_job *jobs, size_t capacity,
                       size_t *count, char *message, size_t message_size);

/* Marks a running job done, or ready again when it was asked for while it ran. */
int halyard_jobs_finish(halyard_store *store, long long id, char *message, size_t message_size);

/* Records a failed attempt of a running job: ready again after an exponential backoff with
 * jitter (1 s doubling, at most 5 min), or dead once max_attempts attempts failed. *dead says
 * which. Returns 0, or -1 with a message. */
int halyard_jobs_retry(halyard_store *store, const halyard_job *job, const char *error,
                       long long now_ms, int max_attempts, bool *dead, char *message,
                       size_t message_size);

/* Makes jobs left running by a process that stopped ready again. Call once at start. */
int halyard_jobs_recover(halyard_store *store, char *message, size_t message_size);

/* The earliest run_after_ms of a ready job, or -1 when none is waiting. */
long long halyard_jobs_next_due_ms(halyard_store *store);

/* Frees what a claimed job owns. */
void halyard_job_clear(halyard_job *job);

#endif
