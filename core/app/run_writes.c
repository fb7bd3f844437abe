#include "run_writes.h"

#include "clock.h"
#include "log.h"
#include "runs.h"
#include "text_buffer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITES_NOW         "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
#define WRITES_MESSAGE_MAX 1024
#define WRITES_KEY_MAX     64

static int fail(halyard_store *store, const char *what, char *message, size_t message_size)
{
    snprintf(message, message_size, "%s failed: %s", what,
             sqlite3_errmsg(halyard_store_database(store)));
    return -1;
}

static bool key_is_valid(const char *key)
{
    size_t length = strlen(key);
    if (length == 0 || length > WRITES_KEY_MAX) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        char c = key[i];
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool digit = c >= '0' && c <= '9';
        if (!letter && !digit && c != '-' && c != '_' && c != '.') {
            return false;
        }
    }
    return true;
}

/*
 * Checks the shape of a write with SQLite's JSON functions. Returns NULL when it is valid, or
 * a static description of the first problem.
 */
static const char *write_problem(halyard_store *store, const char *write_json)
{
    static const char *const problems[] = {
        NULL,
        "it is not a JSON object",
        "\"write\" must be \"action\" or \"ticket\"",
        "an action needs \"note_html\", a non-empty string",
        "\"hidden\" and \"send_email\" must be true or false",
        "\"outcome\" must be a string",
        "a ticket write needs \"fields\", an object with at least one field",
        "a ticket write may set only status_id, agent_id, team, team_id and priority_id",
    };
    sqlite3_stmt *statement = NULL;
    int problem = 1;
    if (sqlite3_prepare_v2(
            halyard_store_database(store),
            "SELECT CASE"
            " WHEN NOT json_valid(?1) OR json_type(?1) <> 'object' THEN 1"
            " WHEN json_extract(?1, '$.write') NOT IN ('action', 'ticket')"
            "   OR json_type(?1, '$.write') <> 'text' THEN 2"
            " WHEN json_extract(?1, '$.write') = 'action' THEN CASE"
            "   WHEN json_type(?1, '$.note_html') IS NOT 'text'"
            "     OR json_extract(?1, '$.note_html') = '' THEN 3"
            "   WHEN coalesce(json_type(?1, '$.hidden'), 'true') NOT IN ('true', 'false')"
            "     OR coalesce(json_type(?1, '$.send_email'), 'true') NOT IN ('true', 'false')"
            "     THEN 4"
            "   WHEN coalesce(json_type(?1, '$.outcome'), 'text') <> 'text' THEN 5"
            "   ELSE 0 END"
            " WHEN json_type(?1, '$.fields') IS NOT 'object'"
            "   OR (SELECT count(*) FROM json_each(?1, '$.fields')) = 0 THEN 6"
            " WHEN (SELECT count(*) FROM json_each(?1, '$.fields') WHERE key NOT IN"
            "   ('status_id', 'agent_id', 'team', 'team_id', 'priority_id')) > 0 THEN 7"
            " ELSE 0 END",
            -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, write_json, -1, SQLITE_STATIC);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            problem = sqlite3_column_int(statement, 0);
        }
    }
    sqlite3_finalize(statement);
    return problems[problem];
}

int halyard_run_writes_add(halyard_store *store, long long msp_id, long long run_id,
                           long long ticket_id, const char *key, const char *write_json,
                           const char *then_kind, const char *then_payload, char *message,
                           size_t message_size)
{
    if (key == NULL || !key_is_valid(key)) {
        snprintf(message, message_size,
                 "write key '%s' of run %lld is invalid; use 1 to %d letters, digits, '-', '_' "
                 "or '.'",
                 key != NULL ? key : "(null)", run_id, WRITES_KEY_MAX);
        return -1;
    }
    const char *problem = write_problem(store, write_json != NULL ? write_json : "");
    if (problem != NULL) {
        snprintf(message, message_size, "write '%s' of run %lld is invalid: %s", key, run_id,
                 problem);
        return -1;
    }

    /* The row and its job commit together, inside any transaction the caller has open. Without
     * one, BEGIN IMMEDIATE takes the write lock first, waiting for it up to the busy timeout. A
     * caller must not keep a statement of this connection on a row meanwhile: that is an open
     * read transaction, and SQLite does not wait when it upgrades one to write. */
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    bool own_transaction = sqlite3_get_autocommit(database) != 0;
    if (sqlite3_exec(database, own_transaction ? "BEGIN IMMEDIATE" : "SAVEPOINT run_write", NULL,
                     NULL, NULL) != SQLITE_OK) {
        return fail(store, "storing a write", message, message_size);
    }
    if (sqlite3_prepare_v2(database,
                           "INSERT INTO run_writes (msp_id, run_id, ticket_id, key, write_json,"
                           " then_kind, then_payload, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " WRITES_NOW ", " WRITES_NOW ")"
                           " ON CONFLICT (run_id, key) DO NOTHING RETURNING id",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "storing a write", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, run_id);
    sqlite3_bind_int64(statement, 3, ticket_id);
    sqlite3_bind_text(statement, 4, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 5, write_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 6, then_kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 7, then_payload != NULL ? then_payload : "{}", -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_DONE) {
        status = 0; /* the run has this write already */
        goto cleanup;
    }
    if (step != SQLITE_ROW) {
        fail(store, "storing a write", message, message_size);
        goto cleanup;
    }
    long long write_id = sqlite3_column_int64(statement, 0);
    int finished = halyard_store_finish(statement, SQLITE_ROW);
    statement = NULL;
    if (finished != SQLITE_OK) {
        fail(store, "storing a write", message, message_size);
        goto cleanup;
    }

    char job_key[96];
    char payload[64];
    snprintf(job_key, sizeof job_key, "write:%lld", write_id);
    snprintf(payload, sizeof payload, "{\"write_id\":%lld}", write_id);
    status =
        halyard_jobs_enqueue(store, msp_id, "write", job_key, payload, 0, message, message_size);

cleanup:
    sqlite3_finalize(statement);
    if (own_transaction && status == 0 &&
        sqlite3_exec(database, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        status = fail(store, "committing a write", message, message_size);
    }
    if (own_transaction && status != 0) {
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
    } else if (!own_transaction) {
        sqlite3_exec(database,
                     status == 0 ? "RELEASE run_write" : "ROLLBACK TO run_write; RELEASE run_write",
                     NULL, NULL, NULL);
    }
    return status;
}

int halyard_run_writes_add_note(halyard_store *store, halyard_json_reader *json,
                                const halyard_run *run, const char *key, char *note_html,
                                char *message, size_t message_size)
{
    char *quoted = NULL;
    if (note_html == NULL || halyard_json_quote(json, note_html, &quoted) != 0) {
        free(note_html);
        snprintf(message, message_size, "out of memory building note %s", key);
        return -1;
    }
    free(note_html);
    halyard_text_buffer write;
    halyard_text_buffer_init(&write, 1024 * 1024);
    halyard_text_buffer_printf(&write, "{\"write\":\"action\",\"hidden\":true,\"note_html\":%s}",
                               quoted);
    free(quoted);
    int status = halyard_text_buffer_failed(&write)
                     ? -1
                     : halyard_run_writes_add(store, run->msp_id, run->id, run->ticket_id, key,
                                              halyard_text_buffer_text(&write), NULL, NULL, message,
                                              message_size);
    halyard_text_buffer_free(&write);
    return status;
}

int halyard_run_writes_get(halyard_store *store, long long run_id, const char *key,
                           halyard_run_write *write, char *message, size_t message_size)
{
    memset(write, 0, sizeof *write);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT id, run_id, state, attempts, coalesce(action_id, 0),"
                           " coalesce(last_error, '') FROM run_writes WHERE run_id = ?1"
                           " AND key = ?2",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "reading a write", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_text(statement, 2, key, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        write->id = sqlite3_column_int64(statement, 0);
        write->run_id = sqlite3_column_int64(statement, 1);
        snprintf(write->state, sizeof write->state, "%s", sqlite3_column_text(statement, 2));
        write->attempts = sqlite3_column_int(statement, 3);
        write->action_id = sqlite3_column_int64(statement, 4);
        snprintf(write->error, sizeof write->error, "%s", sqlite3_column_text(statement, 5));
        status = 0;
    } else if (step == SQLITE_DONE) {
        status = 1;
    } else {
        fail(store, "reading a write", message, message_size);
    }

cleanup:
    sqlite3_finalize(statement);
    return status;
}

static bool is_label_character(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
}

bool halyard_run_writes_find_marker(halyard_json_reader *json, const char *actions,
                                    const char *label, long long login_agent_id,
                                    long long *action_id)
{
    if (login_agent_id == 0) {
        return false;
    }
    size_t length = strlen(actions);
    const char *array =
        halyard_json_array_length(json, actions, length, "$") >= 0 ? "$" : "$.actions";
    long long count = halyard_json_array_length(json, actions, length, array);
    char needle[128];
    int needle_length = snprintf(needle, sizeof needle, "halyard run %s", label);

    for (long long i = 0; i < count; i++) {
        char author_path[96];
        long long author = 0;
        snprintf(author_path, sizeof author_path, "%s[%lld].who_agentid", array, i);
        if (halyard_json_read_integer(json, actions, length, author_path, &author) !=
            HALYARD_JSON_FOUND) {
            snprintf(author_path, sizeof author_path, "%s[%lld].actionby_agent_id", array, i);
            halyard_json_read_integer(json, actions, length, author_path, &author);
        }
        if (author != login_agent_id) {
            continue;
        }

        static const char *const fields[] = {"note_html", "note"};
        for (size_t f = 0; f < 2; f++) {
            char path[96];
            char *text = NULL;
            snprintf(path, sizeof path, "%s[%lld].%s", array, i, fields[f]);
            if (halyard_json_read_text(json, actions, length, path, &text) != HALYARD_JSON_FOUND) {
                continue;
            }
            bool found = false;
            for (const char *hit = strstr(text, needle); hit != NULL && !found;
                 hit = strstr(hit + 1, needle)) {
                found = !is_label_character(hit[needle_length]);
            }
            free(text);
            if (found) {
                snprintf(path, sizeof path, "%s[%lld].id", array, i);
                halyard_json_read_integer(json, actions, length, path, action_id);
                return true;
            }
        }
    }
    return false;
}

/* --- The write job ----------------------------------------------------------------------------
 */

/* What the job carries between its HaloPSA calls. */
typedef struct {
    halyard_pipeline_task *task;
    long long write_id;
    long long run_id;
    long long ticket_id;
    char key[WRITES_KEY_MAX + 1];
    char label[WRITES_KEY_MAX + 32]; /* "<run>.<key>", the marker's label */
    bool is_action;
    int attempts; /* before this one */
} write_job;

/* Writes the ids of the write's HaloPSA requests, which are the task's ids and "write=<key>". */
static void write_job_log_ids(const write_job *job, char *buffer, size_t buffer_size)
{
    halyard_pipeline_task_log_ids(job->task, buffer, buffer_size);
    size_t used = strlen(buffer);
    snprintf(buffer + used, buffer_size - used, " write=%s", job->key);
}

static void write_job_end(write_job *job, const char *error)
{
    halyard_pipeline_task *task = job->task;
    free(job);
    if (error != NULL) {
        halyard_pipeline_task_failed(task, error);
    } else {
        halyard_pipeline_task_done(task);
    }
}

/*
 * Records the write as done and queues its follow-up job, in one transaction, so a crash
 * leaves either both or neither. how describes, for the log, how it was found to be done.
 */
static int write_job_record(write_job *job, long long action_id, const char *how, char *message,
                            size_t message_size)
{
    halyard_store *store = halyard_pipeline_task_store(job->task);
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_exec(database, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        return fail(store, "recording a write", message, message_size);
    }
    if (sqlite3_prepare_v2(database,
                           "UPDATE run_writes SET state = 'done', action_id = ?2, how = ?3,"
                           " last_error = NULL, updated_at = " WRITES_NOW
                           " WHERE id = ?1 RETURNING msp_id, then_kind, then_payload",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "recording a write", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, job->write_id);
    sqlite3_bind_int64(statement, 2, action_id);
    sqlite3_bind_text(statement, 3, how, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_ROW) {
        fail(store, "recording a write", message, message_size);
        goto cleanup;
    }
    long long msp_id = sqlite3_column_int64(statement, 0);
    bool has_next_job = sqlite3_column_type(statement, 1) != SQLITE_NULL;
    char then_kind[32] = "";
    char *then_payload = NULL;
    if (has_next_job) {
        snprintf(then_kind, sizeof then_kind, "%s", sqlite3_column_text(statement, 1));
        const unsigned char *payload = sqlite3_column_text(statement, 2);
        then_payload = strdup(payload != NULL ? (const char *)payload : "{}");
        if (then_payload == NULL) {
            snprintf(message, message_size, "out of memory recording write %s", job->key);
            goto cleanup;
        }
    }
    int finished = halyard_store_finish(statement, SQLITE_ROW);
    statement = NULL;
    if (finished != SQLITE_OK) {
        free(then_payload);
        fail(store, "recording a write", message, message_size);
        goto cleanup;
    }
    if (has_next_job) {
        char then_key[160];
        snprintf(then_key, sizeof then_key, "%s:%lld:%s", then_kind, job->run_id, job->key);
        int queued = halyard_jobs_enqueue(store, msp_id, then_kind, then_key, then_payload, 0,
                                          message, message_size);
        free(then_payload);
        if (queued != 0) {
            goto cleanup;
        }
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    if (status == 0 && sqlite3_exec(database, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        status = fail(store, "committing a write", message, message_size);
    }
    if (status != 0) {
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
    }
    if (status == 0) {
        halyard_log(HALYARD_LOG_INFO, "writes", "msp=%s ticket=%lld run=%lld write=%s %s%s",
                    halyard_pipeline_task_msp(job->task), job->ticket_id, job->run_id, job->key,
                    how, action_id != 0 ? "" : " (ticket updated)");
    }
    return status;
}

/* A test's fault: with the test clock on and HALYARD_TEST_CRASH_AFTER_SEND naming the write's
 * key, the process kills itself with SIGKILL after HaloPSA responded to the write and before it is
 * recorded, the worst moment for exactly-once. */
static void crash_when_requested(const write_job *job)
{
    const char *key = getenv("HALYARD_TEST_CRASH_AFTER_SEND");
    if (key == NULL || !halyard_clock_is_test() || strcmp(key, job->key) != 0) {
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "writes",
                "run=%lld write=%s sent; stopping with SIGKILL before recording it, as "
                "HALYARD_TEST_CRASH_AFTER_SEND asks",
                job->run_id, job->key);
    raise(SIGKILL);
}

/* True for a 4xx HaloPSA returns for the write itself (a team or status it does not have, a
 * field it rejects): sending the same body again cannot succeed. 408 and 429 are about timing
 * and are retried like a 5xx. */
static bool is_permanent_rejection(long status)
{
    return status >= 400 && status < 500 && status != 408 && status != 429;
}

/*
 * Ends the run of a write that HaloPSA returned 404 for, as a deleted ticket, inside the
 * caller's transaction. A run under way stops with a ticket_deleted event. A run that ended or
 * failed keeps its state and gets the event. run is NULL when the run no longer exists. No
 * follow-up job is queued, not even an Execute-mode step's, because every further write would
 * go to the same missing ticket. Returns 0, or -1 with a message.
 */
static int write_job_stop_deleted(write_job *job, const halyard_run *run, char *message,
                                  size_t message_size)
{
    halyard_store *store = halyard_pipeline_task_store(job->task);
    char event[WRITES_MESSAGE_MAX];
    snprintf(event, sizeof event,
             "HaloPSA returned HTTP 404 for write '%s': the ticket no longer exists", job->key);
    if (run == NULL) {
        halyard_log(HALYARD_LOG_INFO, "writes", "msp=%s ticket=%lld run=%lld write=%s %s",
                    halyard_pipeline_task_msp(job->task), job->ticket_id, job->run_id, job->key,
                    event);
        return 0;
    }
    bool under_way = !halyard_runs_state_ended(run->state) && strcmp(run->state, "failed") != 0;
    halyard_log(HALYARD_LOG_INFO, "writes", "msp=%s ticket=%lld run=%lld write=%s %s: %s",
                halyard_pipeline_task_msp(job->task), job->ticket_id, job->run_id, job->key,
                under_way ? "stopped: the ticket was deleted" : "the ticket was deleted", event);
    return under_way ? halyard_runs_transition(store, job->run_id, "stopped", "ticket_deleted",
                                               event, message, message_size)
                     : halyard_runs_add_event(store, job->run_id, "ticket_deleted", event, message,
                                              message_size);
}

/*
 * Records a write HaloPSA rejected as failed, with a run event and an error line naming the
 * write's fields (for a ticket update) so the operator sees what to fix. The job ends done:
 * the write is not retried. The run fails as it would when the job died after its retries,
 * except a run stopped by its verification ("verification_failed"), whose team assignment is
 * the write and whose state already tells technicians to take over, and the write of an
 * Execute-mode step (then_kind "execute"): its execute job is queued as after a sent write,
 * reads the write failed and ends the run with a note (execute.h), since a run that failed
 * would be planned again at the ticket's next update and run the steps after it. A 404 means
 * the ticket was deleted, not that a value was rejected, so write_job_stop_deleted ends the run.
 * Returns 0, or -1 with a message.
 */
static int write_job_reject(write_job *job, long status, const char *body, char *message,
                            size_t message_size)
{
    halyard_store *store = halyard_pipeline_task_store(job->task);
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    char error[WRITES_MESSAGE_MAX];
    char fields[512] = "";
    int result = -1;

    /* The write's state, the run's event and the step's execute job commit together. */
    if (sqlite3_exec(database, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        return fail(store, "recording a rejected write", message, message_size);
    }
    if (sqlite3_prepare_v2(database,
                           "UPDATE run_writes SET state = 'failed', last_error = ?2,"
                           " updated_at = " WRITES_NOW " WHERE id = ?1"
                           " RETURNING coalesce(json_extract(write_json, '$.fields'), ''),"
                           " msp_id, coalesce(then_kind, ''), then_payload",
                           -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "recording a rejected write", message, message_size);
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    /* HaloPSA's error body is an exception object whose Message is the part a person reads. */
    halyard_json_reader *json = halyard_pipeline_task_json(job->task);
    char *readable = NULL;
    static const char *const message_paths[] = {"$.Message", "$.message", "$.error"};
    if (body == NULL) {
        body = "";
    }
    for (size_t i = 0; i < sizeof message_paths / sizeof message_paths[0] && readable == NULL;
         i++) {
        halyard_json_read_text(json, body, strlen(body), message_paths[i], &readable);
    }
    snprintf(error, sizeof error, "HaloPSA answered HTTP %ld: %.300s", status,
             readable != NULL && readable[0] != '\0' ? readable : body);
    free(readable);
    sqlite3_bind_int64(statement, 1, job->write_id);
    sqlite3_bind_text(statement, 2, error, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_ROW) {
        fail(store, "recording a rejected write", message, message_size);
        goto cleanup;
    }
    snprintf(fields, sizeof fields, "%s", (const char *)sqlite3_column_text(statement, 0));
    long long msp_id = sqlite3_column_int64(statement, 1);
    bool step_write = strcmp((const char *)sqlite3_column_text(statement, 2), "execute") == 0 &&
                      sqlite3_column_type(statement, 3) != SQLITE_NULL;
    char then_payload[128] = "";
    if (step_write) {
        snprintf(then_payload, sizeof then_payload, "%s", sqlite3_column_text(statement, 3));
    }
    int finished = halyard_store_finish(statement, SQLITE_ROW);
    statement = NULL;
    if (finished != SQLITE_OK) {
        fail(store, "recording a rejected write", message, message_size);
        goto cleanup;
    }

    /* Every write of a run goes to the run's own ticket, so a 404 means HaloPSA no longer has
     * that ticket: the run stops as it does when a sync finds the ticket deleted. */
    halyard_run run;
    int found = halyard_runs_get(store, job->run_id, &run, message, message_size);
    if (found < 0) {
        goto cleanup;
    }
    if (status == 404) {
        result = write_job_stop_deleted(job, found == 0 ? &run : NULL, message, message_size);
        goto cleanup;
    }

    char event[WRITES_MESSAGE_MAX];
    snprintf(event, sizeof event,
             "HaloPSA rejected write '%s' with HTTP %ld%s%s; it is not retried: check that "
             "HaloPSA has these values",
             job->key, status, fields[0] != '\0' ? " setting " : "", fields);
    halyard_log(HALYARD_LOG_ERROR, "writes", "msp=%s ticket=%lld run=%lld write=%s %s",
                halyard_pipeline_task_msp(job->task), job->ticket_id, job->run_id, job->key, event);

    /* One run event: the transition's own, or a plain event for a run that stays. */
    bool stays = found != 0 || strcmp(run.state, "verification_failed") == 0 || step_write;
    int recorded = stays ? halyard_runs_add_event(store, job->run_id, "write_failed", event,
                                                  message, message_size)
                         : halyard_runs_transition(store, job->run_id, "failed", "write_failed",
                                                   event, message, message_size);
    if (recorded != 0) {
        goto cleanup;
    }
    if (step_write && found == 0) {
        char then_key[160];
        snprintf(then_key, sizeof then_key, "execute:%lld:%s", job->run_id, job->key);
        if (halyard_jobs_enqueue(store, msp_id, "execute", then_key, then_payload, 0, message,
                                 message_size) != 0) {
            goto cleanup;
        }
    }
    result = 0;

cleanup:
    sqlite3_finalize(statement);
    if (result == 0 && sqlite3_exec(database, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        result = fail(store, "committing a rejected write", message, message_size);
    }
    if (result != 0) {
        sqlite3_exec(database, "ROLLBACK", NULL, NULL, NULL);
    }
    return result;
}

static void on_write_sent(const halyard_halo_response *response, void *argument)
{
    write_job *job = argument;
    char message[WRITES_MESSAGE_MAX];
    crash_when_requested(job);
    if (response->outcome != HALYARD_HALO_OK) {
        write_job_end(job, response->message);
        return;
    }
    if (is_permanent_rejection(response->status)) {
        if (write_job_reject(job, response->status, response->body, message, sizeof message) != 0) {
            write_job_end(job, message);
            return;
        }
        write_job_end(job, NULL);
        return;
    }
    if (response->status != 200 && response->status != 201) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld to write '%s': %.300s",
                 response->status, job->key, response->body);
        write_job_end(job, message);
        return;
    }
    long long action_id = 0;
    if (job->is_action) {
        halyard_json_reader *json = halyard_pipeline_task_json(job->task);
        if (halyard_json_read_integer(json, response->body, response->body_length, "$.id",
                                      &action_id) != HALYARD_JSON_FOUND) {
            halyard_json_read_integer(json, response->body, response->body_length, "$[0].id",
                                      &action_id);
        }
    }
    if (write_job_record(job, action_id, "sent", message, sizeof message) != 0) {
        write_job_end(job, message);
        return;
    }
    write_job_end(job, NULL);
}

/* Builds the request body of the write from its stored JSON with SQLite's JSON functions.
 * Returns a malloc'd body, or NULL with a message. */
static char *write_body(write_job *job, char *message, size_t message_size)
{
    halyard_store *store = halyard_pipeline_task_store(job->task);
    const halyard_config *config = halyard_pipeline_task_config(job->task);
    char marker[384];
    snprintf(marker, sizeof marker,
             "<span style=\"display:none\" data-halyard=\"run=%s\">halyard run %s</span>",
             job->label, job->label);

    sqlite3_stmt *statement = NULL;
    char *body = NULL;
    if (sqlite3_prepare_v2(
            halyard_store_database(store),
            "SELECT CASE json_extract(write_json, '$.write')"
            " WHEN 'action' THEN json_array(json_object("
            "   'ticket_id', ticket_id,"
            "   'outcome', coalesce(json_extract(write_json, '$.outcome'),"
            "     CASE WHEN json_type(write_json, '$.hidden') = 'false' THEN ?4 ELSE ?2 END),"
            "   'hiddenfromuser', json(coalesce(json_type(write_json, '$.hidden'), 'true')),"
            "   'sendemail', json(coalesce(json_type(write_json, '$.send_email'), 'false')),"
            "   'note_html', json_extract(write_json, '$.note_html') || ?3))"
            " ELSE json_array(json_patch(json_extract(write_json, '$.fields'),"
            "   json_object('id', ticket_id))) END"
            " FROM run_writes WHERE id = ?1",
            -1, &statement, NULL) != SQLITE_OK) {
        fail(store, "building a write", message, message_size);
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, job->write_id);
    sqlite3_bind_text(statement, 2, config->note_outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, marker, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 4, config->reply_outcome, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_ROW || sqlite3_column_text(statement, 0) == NULL) {
        fail(store, "building a write", message, message_size);
        goto cleanup;
    }
    body = strdup((const char *)sqlite3_column_text(statement, 0));
    if (body == NULL) {
        snprintf(message, message_size, "out of memory building a write");
    }

cleanup:
    sqlite3_finalize(statement);
    return body;
}

/* Marks the write as sending (one more attempt) and sends it. The mark commits before the
 * request goes out: a crash after it makes the next attempt look for the marker first. */
static void write_job_send(write_job *job)
{
    char message[WRITES_MESSAGE_MAX];
    halyard_store *store = halyard_pipeline_task_store(job->task);
    char *body = write_body(job, message, sizeof message);
    if (body == NULL) {
        write_job_end(job, message);
        return;
    }
    sqlite3_stmt *statement = NULL;
    int marked = -1;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE run_writes SET state = 'sending', attempts = attempts + 1,"
                           " updated_at = " WRITES_NOW " WHERE id = ?1",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, job->write_id);
        marked = sqlite3_step(statement) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(statement);
    if (marked != 0) {
        free(body);
        fail(store, "marking a write as sending", message, sizeof message);
        write_job_end(job, message);
        return;
    }

    const char *path = job->is_action ? "/api/Actions" : "/api/Tickets";
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    write_job_log_ids(job, log_ids, sizeof log_ids);
    int sent = halyard_halo_request_for(halyard_pipeline_task_halo(job->task), log_ids, "POST",
                                        path, body, on_write_sent, job, message, sizeof message);
    free(body);
    if (sent != 0) {
        write_job_end(job, message);
    }
}

static void on_write_actions(const halyard_halo_response *response, void *argument)
{
    write_job *job = argument;
    char message[WRITES_MESSAGE_MAX];
    if (response->outcome != HALYARD_HALO_OK) {
        write_job_end(job, response->message);
        return;
    }
    if (response->status == 404) {
        /* The ticket was deleted after the write was sent and not confirmed. */
        if (write_job_reject(job, response->status, response->body, message, sizeof message) != 0) {
            write_job_end(job, message);
            return;
        }
        write_job_end(job, NULL);
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message,
                 "HaloPSA answered HTTP %ld listing the actions of ticket %lld", response->status,
                 job->ticket_id);
        write_job_end(job, message);
        return;
    }

    /* An earlier attempt may have written the action and lost the response: never twice. */
    long long action_id = 0;
    if (halyard_run_writes_find_marker(halyard_pipeline_task_json(job->task), response->body,
                                       job->label, halyard_pipeline_task_login_agent_id(job->task),
                                       &action_id)) {
        if (write_job_record(job, action_id, "found already in HaloPSA", message, sizeof message) !=
            0) {
            write_job_end(job, message);
            return;
        }
        write_job_end(job, NULL);
        return;
    }
    write_job_send(job);
}

void halyard_run_writes_job(halyard_pipeline_task *task)
{
    const halyard_job *claimed = halyard_pipeline_task_job(task);
    halyard_store *store = halyard_pipeline_task_store(task);
    halyard_json_reader *json = halyard_pipeline_task_json(task);
    char message[WRITES_MESSAGE_MAX];
    long long write_id = 0;
    if (halyard_json_read_integer(json, claimed->payload, strlen(claimed->payload), "$.write_id",
                                  &write_id) != HALYARD_JSON_FOUND) {
        halyard_pipeline_task_failed(task, "the write job has no write_id");
        return;
    }

    write_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        halyard_pipeline_task_failed(task, "out of memory");
        return;
    }
    job->task = task;
    job->write_id = write_id;
    halyard_pipeline_task_set_state(task, job, free);

    sqlite3_stmt *statement = NULL;
    int step = SQLITE_ERROR;
    char state[16] = "";
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "SELECT run_id, ticket_id, key, state, attempts,"
                           " json_extract(write_json, '$.write') = 'action'"
                           " FROM run_writes WHERE id = ?1",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, write_id);
        step = sqlite3_step(statement);
    }
    if (step == SQLITE_ROW) {
        job->run_id = sqlite3_column_int64(statement, 0);
        job->ticket_id = sqlite3_column_int64(statement, 1);
        snprintf(job->key, sizeof job->key, "%s", sqlite3_column_text(statement, 2));
        snprintf(state, sizeof state, "%s", sqlite3_column_text(statement, 3));
        job->attempts = sqlite3_column_int(statement, 4);
        job->is_action = sqlite3_column_int(statement, 5) != 0;
    } else {
        fail(store, "reading a write", message, sizeof message);
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW) {
        write_job_end(job, step == SQLITE_DONE ? "the write job's write does not exist" : message);
        return;
    }
    snprintf(job->label, sizeof job->label, "%lld.%s", job->run_id, job->key);
    halyard_pipeline_task_set_run(task, job->run_id, job->ticket_id);

    if (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0) {
        write_job_end(job, NULL);
        return;
    }

    /* A write sent before and not confirmed may be in HaloPSA already. */
    if (job->is_action && job->attempts > 0) {
        char path[96];
        snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld&includehtmlnote=true",
                 job->ticket_id);
        char log_ids[HALYARD_HALO_LOG_IDS_MAX];
        write_job_log_ids(job, log_ids, sizeof log_ids);
        if (halyard_halo_request_for(halyard_pipeline_task_halo(task), log_ids, "GET", path, NULL,
                                     on_write_actions, job, message, sizeof message) != 0) {
            write_job_end(job, message);
        }
        return;
    }
    write_job_send(job);
}
