#include "jobs.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOBS_FIRST_BACKOFF_MS 1000LL
#define JOBS_MAX_BACKOFF_MS   300000LL

#define JOBS_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static int fail(halyard_store *store, const char *what, char *message, size_t message_size)
{
    snprintf(message, message_size, "%s failed: %s", what,
             sqlite3_errmsg(halyard_store_database(store)));
    return -1;
}

int halyard_jobs_enqueue(halyard_store *store, long long msp_id, const char *kind, const char *key,
                         const char *payload, long long run_after_ms, char *message,
                         size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(
            halyard_store_database(store),
            "INSERT INTO jobs (msp_id, kind, idempotency_key, payload, run_after_ms, created_at,"
            " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, " JOBS_NOW ", " JOBS_NOW ")"
            " ON CONFLICT (idempotency_key) DO UPDATE SET"
            " payload = CASE WHEN state = 'running' THEN payload ELSE excluded.payload END,"
            " rerun = CASE WHEN state = 'running' THEN 1 ELSE rerun END,"
            " attempts = CASE WHEN state IN ('done', 'dead') THEN 0 ELSE attempts END,"
            " run_after_ms = CASE WHEN state IN ('done', 'dead') THEN excluded.run_after_ms"
            "   WHEN state = 'running' AND rerun THEN min(run_after_ms, excluded.run_after_ms)"
            "   WHEN state = 'running' THEN excluded.run_after_ms"
            "   ELSE run_after_ms END,"
            " state = CASE WHEN state IN ('done', 'dead') THEN 'ready' ELSE state END,"
            " updated_at = excluded.updated_at",
            -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "queueing a job", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_text(statement, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 4, payload != NULL ? payload : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 5, run_after_ms);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(store, "queueing a job", message, message_size);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_jobs_active(halyard_store *store, const char *key, long long due_by_ms, char *message,
                        size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT 1 FROM jobs WHERE idempotency_key = ?1 AND (state = 'running'"
                           " OR (?2 >= 0 AND state = 'ready' AND run_after_ms <= ?2))",
                           -1, &statement, NULL) != SQLITE_OK) {
        return fail(store, "reading a job's state", message, message_size);
    }
    sqlite3_bind_text(statement, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 2, due_by_ms);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        return fail(store, "reading a job's state", message, message_size);
    }
    return step == SQLITE_ROW ? 1 : 0;
}

int halyard_jobs_claim(halyard_store *store, long long now_ms, halyard_job *jobs, size_t capacity,
                       size_t *count, char *message, size_t message_size)
{
    *count = 0;
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE jobs SET state = 'running', updated_at = " JOBS_NOW
                           " WHERE id IN (SELECT id FROM jobs WHERE state = 'ready'"
                           " AND run_after_ms <= ?1 ORDER BY run_after_ms, id LIMIT ?2)"
                           " RETURNING id, msp_id, kind, idempotency_key, payload, attempts",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "claiming jobs", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, now_ms);
    sqlite3_bind_int64(statement, 2, (sqlite3_int64)capacity);

    /* LIMIT keeps the rows to capacity. The claim commits only at SQLITE_DONE, so the jobs read
     * before it count only once halyard_store_finish reports the commit worked. */
    int step = SQLITE_ROW;
    while (*count < capacity && (step = sqlite3_step(statement)) == SQLITE_ROW) {
        halyard_job *job = &jobs[*count];
        memset(job, 0, sizeof *job);
        job->id = sqlite3_column_int64(statement, 0);
        job->msp_id = sqlite3_column_int64(statement, 1);
        snprintf(job->kind, sizeof job->kind, "%s", sqlite3_column_text(statement, 2));
        snprintf(job->key, sizeof job->key, "%s", sqlite3_column_text(statement, 3));
        job->payload = strdup((const char *)sqlite3_column_text(statement, 4));
        job->attempts = sqlite3_column_int(statement, 5);
        (*count)++;
    }
    int finished = halyard_store_finish(statement, step);
    statement = NULL;
    if (finished != SQLITE_OK) {
        fail(store, "claiming jobs", message, message_size);
        for (size_t i = 0; i < *count; i++) {
            halyard_job_clear(&jobs[i]);
        }
        *count = 0;
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_jobs_finish(halyard_store *store, long long id, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE jobs SET state = CASE WHEN rerun THEN 'ready' ELSE 'done' END,"
                           " attempts = 0, rerun = 0, last_error = NULL, updated_at = " JOBS_NOW
                           " WHERE id = ?1 AND state = 'running'",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "finishing a job", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, id);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(store, "finishing a job", message, message_size);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_jobs_retry(halyard_store *store, const halyard_job *job, const char *error,
                       long long now_ms, int max_attempts, bool *dead, char *message,
                       size_t message_size)
{
    int attempts = job->attempts + 1;
    *dead = attempts >= max_attempts;

    /* Backoff: 1 s doubling per attempt up to 5 min, then a random half of it added so that
     * jobs failing together do not retry together. */
    long long delay = JOBS_FIRST_BACKOFF_MS;
    for (int i = 1; i < attempts && delay < JOBS_MAX_BACKOFF_MS; i++) {
        delay *= 2;
    }
    if (delay > JOBS_MAX_BACKOFF_MS) {
        delay = JOBS_MAX_BACKOFF_MS;
    }
    delay += (long long)randombytes_uniform((uint32_t)(delay / 2 + 1));

    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE jobs SET state = ?2, attempts = ?3, run_after_ms = ?4,"
                           " last_error = ?5, rerun = 0, updated_at = " JOBS_NOW " WHERE id = ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "rescheduling a job", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, job->id);
    sqlite3_bind_text(statement, 2, *dead ? "dead" : "ready", -1, SQLITE_STATIC);
    sqlite3_bind_int(statement, 3, attempts);
    sqlite3_bind_int64(statement, 4, now_ms + delay);
    sqlite3_bind_text(statement, 5, error, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(store, "rescheduling a job", message, message_size);
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

int halyard_jobs_recover(halyard_store *store, char *message, size_t message_size)
{
    return halyard_store_execute(
        store, "UPDATE jobs SET state = 'ready', updated_at = " JOBS_NOW " WHERE state = 'running'",
        "recovering jobs", message, message_size);
}

long long halyard_jobs_next_due_ms(halyard_store *store)
{
    sqlite3_stmt *statement = NULL;
    long long due = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT min(run_after_ms) FROM jobs WHERE state = 'ready'", -1,
                           &statement, NULL) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL) {
        due = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    return due;
}

void halyard_job_clear(halyard_job *job)
{
    free(job->payload);
    memset(job, 0, sizeof *job);
}
