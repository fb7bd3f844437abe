#include "execute.h"

#include "approvals.h"
#include "approvals_replies.h"
#include "approvals_stop.h"
#include "clock.h"
#include "execute_notes.h"
#include "execute_steps.h"
#include "halo_client.h"
#include "jobs.h"
#include "json_reader.h"
#include "log.h"
#include "lua_host.h"
#include "pipeline_tickets.h"
#include "run_writes.h"
#include "runs.h"
#include "text_buffer.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXECUTE_MESSAGE_MAX 1024
/* The maximum number of steps in a plan; the built-in agent writes far fewer. */
#define EXECUTE_MAX_STEPS 200

/* One execute job on its way through the plan's steps. */
typedef struct {
    halyard_pipeline_task *task;
    halyard_store *store;
    halyard_json_reader *json;
    halyard_run run;
    char *plan_json;
    char plan_hash[72];
    char *ticket_json;
    char *actions_json;
    char *context_json; /* {"ticket", "actions", "client"} for host.run_step */
    char run_json[160];
    long long step_count;
    long long index;             /* the step being worked on */
    bool approved;               /* the latest request is approved and covers this plan */
    halyard_text_buffer waiting; /* the steps that wait for approval, as a JSON array */
    long long waiting_count;     /* steps in waiting, auto steps after an approval step included */
    long long approval_count;    /* steps in waiting whose policy is not auto */
    long long first_waiting;     /* the index of the first step in waiting, once there is one */
    long long too_long_step;     /* a waiting step whose arguments no request may show, or 0 */
    long long too_long_bytes;    /* the size of that step's arguments */
    bool step_writes;            /* the step being run is a write */
    bool ticket_current;         /* no step ran since ticket_json was read */
} execute_job;

static void free_job(execute_job *job)
{
    free(job->plan_json);
    free(job->ticket_json);
    free(job->actions_json);
    free(job->context_json);
    halyard_text_buffer_free(&job->waiting);
    free(job);
}

/* Frees the state of a task released while it waited on HaloPSA (pipeline_task.h). */
static void free_job_state(void *state)
{
    free_job(state);
}

static void job_failed(execute_job *job, const char *error)
{
    halyard_pipeline_task *task = job->task;
    free_job(job);
    halyard_pipeline_task_failed(task, error);
}

static void job_done(execute_job *job)
{
    halyard_pipeline_task *task = job->task;
    free_job(job);
    halyard_pipeline_task_done(task);
}

/* Ends the job after HaloPSA returned 404 for a read of the run's ticket or of its actions.
 * The ticket was deleted, so the run stops as after a 404 to one of its writes. A retry would
 * only read the missing ticket again. */
static void job_stop_deleted(execute_job *job)
{
    char message[EXECUTE_MESSAGE_MAX];
    if (halyard_pipeline_tickets_stop_run_deleted(job->task, job->run.id, message,
                                                  sizeof message) != 0) {
        job_failed(job, message);
        return;
    }
    job_done(job);
}

void halyard_execute_run_json(const halyard_run *run, char *run_json, size_t run_json_size)
{
    snprintf(run_json, run_json_size,
             "{\"mode\":\"%s\",\"sensitive\":%s,\"verification\":\"%s\",\"other_account\":%s}",
             strcmp(run->mode, "execute") == 0 ? "execute" : "plan",
             run->sensitive ? "true" : "false",
             run->verification[0] != '\0' ? run->verification : "none",
             run->other_account ? "true" : "false");
}

/* Queues the run's execute job. */
static int enqueue_execute(halyard_store *store, long long msp_id, long long run_id, char *message,
                           size_t message_size)
{
    char key[64];
    char payload[64];
    snprintf(key, sizeof key, "execute:%lld", run_id);
    snprintf(payload, sizeof payload, "{\"run_id\":%lld}", run_id);
    return halyard_jobs_enqueue(store, msp_id, "execute", key, payload, 0, message, message_size);
}

/* Runs BEGIN IMMEDIATE, or fails with a message. */
static int begin(halyard_store *store, char *message, size_t message_size)
{
    return halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                 message_size);
}

/* Commits, or rolls back and fails with a message. */
static int commit(halyard_store *store, int status, char *message, size_t message_size)
{
    if (status == 0 &&
        halyard_store_execute(store, "COMMIT", "committing", message, message_size) == 0) {
        return 0;
    }
    sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int halyard_execute_plan_ready(halyard_store *store, long long msp_id, long long run_id,
                               const char *summary_json, const char *note_html, char *message,
                               size_t message_size)
{
    if (begin(store, message, message_size) != 0) {
        return -1;
    }

    /* The plan note is kept for the record; in Execute mode the approval request and the
     * closing note take its place in HaloPSA. */
    int status = -1;
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(halyard_store_database(store),
                           "UPDATE runs SET plan_json = ?2, note_html = ?3 WHERE id = ?1", -1,
                           &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, run_id);
        sqlite3_bind_text(statement, 2, summary_json, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, note_html, -1, SQLITE_STATIC);
        status = sqlite3_step(statement) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(statement);
    if (status != 0) {
        snprintf(message, message_size, "storing the plan failed: %s",
                 sqlite3_errmsg(halyard_store_database(store)));
    } else {
        status = halyard_runs_transition(store, run_id, "executing", "planned",
                                         "Execute mode: the steps run next", message, message_size);
    }
    if (status == 0) {
        status = enqueue_execute(store, msp_id, run_id, message, message_size);
    }
    return commit(store, status, message, message_size);
}

/* Reads the run's stored plan into job->plan_json and its hash. Returns 0, or -1. */
static int load_plan(execute_job *job, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(job->store),
                           "SELECT plan_json FROM runs WHERE id = ?1 AND plan_json IS NOT NULL", -1,
                           &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, job->run.id);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            job->plan_json = strdup((const char *)sqlite3_column_text(statement, 0));
            status = job->plan_json != NULL ? 0 : -1;
        }
    }
    sqlite3_finalize(statement);
    if (status != 0) {
        snprintf(message, message_size, "run %lld has no stored plan", job->run.id);
        return -1;
    }

    size_t length = strlen(job->plan_json);
    char *hash = NULL;
    halyard_json_read_text(job->json, job->plan_json, length, "$.plan_hash", &hash);
    if (hash == NULL || strlen(hash) >= sizeof job->plan_hash) {
        free(hash);
        snprintf(message, message_size,
                 "the plan of run %lld has no plan_hash: the tool registry's host.plan writes it",
                 job->run.id);
        return -1;
    }
    snprintf(job->plan_hash, sizeof job->plan_hash, "%s", hash);
    free(hash);
    job->step_count = halyard_json_array_length(job->json, job->plan_json, length, "$.steps");
    if (job->step_count < 0 || job->step_count > EXECUTE_MAX_STEPS) {
        snprintf(message, message_size, "the plan of run %lld has no valid list of steps",
                 job->run.id);
        return -1;
    }
    return 0;
}

/* Builds the run_step context from the ticket, its actions and the imported client. */
static int build_context(execute_job *job, char *message, size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(halyard_store_database(job->store),
                           "SELECT json_object('ticket', json(?2), 'actions', json(?3), 'client',"
                           " (SELECT json_object('id', halo_client_id, 'name', name, 'mode', mode)"
                           " FROM clients WHERE msp_id = ?1 AND halo_client_id = ?4))",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, job->run.msp_id);
        sqlite3_bind_text(statement, 2, job->ticket_json, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, job->actions_json, -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 4, job->run.halo_client_id);
        if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != NULL) {
            job->context_json = strdup((const char *)sqlite3_column_text(statement, 0));
            status = job->context_json != NULL ? 0 : -1;
        }
    }
    if (status != 0) {
        snprintf(message, message_size, "building the step context failed: %s",
                 sqlite3_errmsg(halyard_store_database(job->store)));
    }
    sqlite3_finalize(statement);
    return status;
}

/* Formats a time in ms on the business clock as "YYYY-MM-DD HH:MM" UTC. */
static void format_time(long long at_ms, char *text, size_t size)
{
    time_t seconds = (time_t)(at_ms / 1000);
    struct tm parts;
    gmtime_r(&seconds, &parts);
    strftime(text, size, "%Y-%m-%d %H:%M", &parts);
}

/* Builds {"write": "action", "note_html": note_html} into a malloc'd string, or NULL. */
static char *note_write(halyard_json_reader *json, const char *note_html)
{
    char *quoted = NULL;
    if (note_html == NULL || halyard_json_quote(json, note_html, &quoted) != 0) {
        return NULL;
    }
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 1024 * 1024);
    halyard_text_buffer_printf(&body, "{\"write\":\"action\",\"hidden\":true,\"note_html\":%s}",
                               quoted);
    free(quoted);
    return halyard_text_buffer_take(&body);
}

/* Stores a note of the run in the outbox under key, with no job after it. Returns 0, or -1. */
static int add_note(execute_job *job, const char *key, char *note_html, char *message,
                    size_t message_size)
{
    char *write = note_write(job->json, note_html);
    free(note_html);
    if (write == NULL) {
        snprintf(message, message_size, "out of memory building note %s", key);
        return -1;
    }
    int status =
        halyard_run_writes_add(job->store, job->run.msp_id, job->run.id, job->run.ticket_id, key,
                               write, NULL, NULL, message, message_size);
    free(write);
    return status;
}

/* The steps that ran, for the notes; NULL when they cannot be read. */
static char *step_results(execute_job *job)
{
    char message[EXECUTE_MESSAGE_MAX];
    char *results = NULL;
    if (halyard_execute_steps_list(job->store, job->run.id, job->plan_hash, &results, message,
                                   sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "execute", "msp=%s run=%lld %s",
                    halyard_pipeline_task_msp(job->task), job->run.id, message);
    }
    return results;
}

/* Lists the plan's steps from index on as a JSON array of {number, tool, purpose}; NULL when
 * out of memory. */
static char *steps_from(execute_job *job, long long index)
{
    sqlite3_stmt *statement = NULL;
    char *steps = NULL;
    if (sqlite3_prepare_v2(
            halyard_store_database(job->store),
            "SELECT coalesce(json_group_array(json_object('number',"
            " json_extract(value, '$.number'), 'tool', json_extract(value, '$.tool'),"
            " 'purpose', json_extract(value, '$.purpose'))), '[]')"
            " FROM json_each(?1, '$.steps') WHERE key >= ?2",
            -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, job->plan_json, -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 2, index);
        if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != NULL) {
            steps = strdup((const char *)sqlite3_column_text(statement, 0));
        }
    }
    sqlite3_finalize(statement);
    return steps;
}

/* True when every step in results (halyard_execute_steps_list) ended done. */
static bool all_steps_done(execute_job *job, const char *results)
{
    long long count = halyard_json_array_length(job->json, results, strlen(results), "$");
    for (long long i = 0; i < count; i++) {
        char path[48];
        char *state = NULL;
        snprintf(path, sizeof path, "$[%lld].state", i);
        halyard_json_read_text(job->json, results, strlen(results), path, &state);
        bool done = state != NULL && strcmp(state, "done") == 0;
        free(state);
        if (!done) {
            return false;
        }
    }
    return true;
}

/*
 * Ends the run with its closing note: done when every step ran and succeeded, incomplete
 * otherwise. ending is HALYARD_EXECUTE_ALL_DONE once every step was looked at (it becomes
 * HALYARD_EXECUTE_SOME_FAILED when a step did not succeed), or the reason the run stops at step
 * stopped_at, whose steps from the plan's index not_run_from on did not run. An incomplete run
 * is final: no update of the ticket plans it again (docs/execute-mode.md).
 */
static int end_run(execute_job *job, halyard_execute_ending ending, long long stopped_at,
                   long long not_run_from, char *message, size_t message_size)
{
    char *results = step_results(job);
    if (results == NULL) {
        snprintf(message, message_size, "reading the run's steps failed");
        return -1;
    }
    if (ending == HALYARD_EXECUTE_ALL_DONE && !all_steps_done(job, results)) {
        ending = HALYARD_EXECUTE_SOME_FAILED;
    }
    char *not_run = not_run_from >= 0 ? steps_from(job, not_run_from) : NULL;
    char *left_out = NULL;
    halyard_json_read_json(job->json, job->plan_json, strlen(job->plan_json), "$.left_out",
                           &left_out);
    halyard_execute_closing_note closing = {
        .run_id = job->run.id,
        .plan_hash = job->plan_hash,
        .ending = ending,
        .stopped_at = stopped_at,
        .too_long_bytes = job->too_long_bytes,
        .results_json = results,
        .not_run_json = not_run,
        .left_out_json = left_out,
        .identity = {.sensitive = job->run.sensitive,
                     .verification = job->run.verification,
                     .other_request = job->run.other_request,
                     .verified_for = job->run.screening_reasons,
                     .unlock_covered = job->run.unlock_covered},
    };
    char *note = halyard_execute_note_closing(job->json, &closing);
    free(results);
    free(not_run);
    free(left_out);
    if (note == NULL) {
        snprintf(message, message_size, "out of memory building the closing note");
        return -1;
    }
    char key[48];
    snprintf(key, sizeof key, "closing.%.8s", job->plan_hash);
    if (begin(job->store, message, message_size) != 0) {
        free(note);
        return -1;
    }
    int status = add_note(job, key, note, message, message_size);

    /* A request still pending for an earlier plan has nothing left to approve. */
    halyard_approval_request latest;
    int found = status == 0 ? halyard_approvals_latest(job->store, job->run.id, &latest, message,
                                                       message_size)
                            : -1;
    if (found == 0 && strcmp(latest.state, "pending") == 0 &&
        halyard_approvals_decide(job->store, latest.id, "superseded", 0, 0, message, message_size) <
            0) {
        status = -1;
    }
    if (found == 0) {
        halyard_approval_request_clear(&latest);
    }
    if (found < 0) {
        status = -1;
    }
    char detail[160];
    switch (ending) {
    case HALYARD_EXECUTE_ALL_DONE:
        snprintf(detail, sizeof detail, "every step ran; closing note queued");
        break;
    case HALYARD_EXECUTE_SOME_FAILED:
        snprintf(detail, sizeof detail, "every step ran, not all succeeded; closing note queued");
        break;
    case HALYARD_EXECUTE_WRITE_FAILED:
        snprintf(detail, sizeof detail,
                 "write step %lld did not succeed; the steps after it were not run", stopped_at);
        break;
    case HALYARD_EXECUTE_UNSHOWABLE:
    default:
        /* stopped_at is 0 when the whole request is too long rather than one step. */
        if (stopped_at > 0) {
            snprintf(detail, sizeof detail,
                     "step %lld is too long for an approval request (%lld bytes); nothing was "
                     "asked",
                     stopped_at, job->too_long_bytes);
        } else {
            snprintf(detail, sizeof detail,
                     "the approval request would be too long (%lld bytes); nothing was asked",
                     job->too_long_bytes);
        }
        break;
    }
    bool done = ending == HALYARD_EXECUTE_ALL_DONE;
    if (status == 0) {
        status = halyard_runs_transition(job->store, job->run.id, done ? "done" : "incomplete",
                                         done ? "executed" : "incomplete", detail, message,
                                         message_size);
    }
    if (commit(job->store, status, message, message_size) != 0) {
        return -1;
    }
    halyard_log(done ? HALYARD_LOG_INFO : HALYARD_LOG_WARNING, "execute",
                "msp=%s ticket=%lld run=%lld plan %.8s %s: %s",
                halyard_pipeline_task_msp(job->task), job->run.ticket_id, job->run.id,
                job->plan_hash, done ? "done" : "incomplete", detail);
    return 0;
}

/* Marks every action on the ticket now as read for the run, so replies are only the actions
 * added after the request. */
static int skip_earlier_actions(execute_job *job, long long request_id, char *message,
                                size_t message_size)
{
    size_t length = strlen(job->actions_json);
    const char *array = halyard_json_array_length(job->json, job->actions_json, length, "$") >= 0
                            ? "$"
                            : "$.actions";
    long long count = halyard_json_array_length(job->json, job->actions_json, length, array);
    for (long long i = 0; i < count; i++) {
        char path[64];
        long long action_id = 0;
        snprintf(path, sizeof path, "%s[%lld].id", array, i);
        if (halyard_json_read_integer(job->json, job->actions_json, length, path, &action_id) !=
            HALYARD_JSON_FOUND) {
            continue;
        }
        halyard_approval_reply reply = {
            .run_id = job->run.id,
            .action_id = action_id,
            .request_id = request_id,
            .decision = "skipped",
            .reason = "written before the approval request",
        };
        if (halyard_approvals_record_reply(job->store, &reply, message, message_size) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Requests approval of the waiting steps, once per plan, or first an assignment when the ticket
 * has no technician. Returns 0, 1 when the request would be longer than
 * HALYARD_EXECUTE_REQUEST_MAX (job->too_long_bytes is its length, and nothing was posted), or -1
 * with a message. */
static int ask_for_approval(execute_job *job, char *message, size_t message_size)
{
    halyard_text_buffer_append_text(&job->waiting, "]");
    const char *steps = halyard_text_buffer_text(&job->waiting);
    if (halyard_text_buffer_failed(&job->waiting)) {
        snprintf(message, message_size, "out of memory listing the steps that need approval");
        return -1;
    }

    /* A pending request for this same plan remains valid, so the run keeps waiting. */
    halyard_approval_request latest;
    int found = halyard_approvals_latest(job->store, job->run.id, &latest, message, message_size);
    if (found < 0) {
        return -1;
    }
    bool still_pending = found == 0 && strcmp(latest.state, "pending") == 0 &&
                         strcmp(latest.plan_hash, job->plan_hash) == 0;
    halyard_approval_request_clear(&latest);
    if (still_pending) {
        /* Answers added while the agent planned again were not read: the run was not waiting
         * then. A sync reads them now rather than at the next approval check. */
        int status = halyard_runs_transition(
            job->store, job->run.id, "awaiting_approval", "replanned",
            "the plan is unchanged; its approval request stands", message, message_size);
        if (status == 0) {
            status = halyard_pipeline_enqueue_sync(job->store, job->run.msp_id, job->run.ticket_id,
                                                   message, message_size);
        }
        return status;
    }

    long long agent_id = 0;
    halyard_json_read_integer(job->json, job->ticket_json, strlen(job->ticket_json), "$.agent_id",
                              &agent_id);
    const char *msp = halyard_pipeline_task_msp(job->task);

    /* Only the assigned technician may approve: without one, ask for an assignment. */
    if (agent_id <= 0) {
        char *note = halyard_execute_note_assignment(job->json, job->run.id, steps);
        char key[48];
        snprintf(key, sizeof key, "assignment.%.8s", job->plan_hash);
        if (note == NULL || begin(job->store, message, message_size) != 0) {
            free(note);
            return -1;
        }
        int status = add_note(job, key, note, message, message_size);
        if (status == 0) {
            status = halyard_runs_transition(
                job->store, job->run.id, "awaiting_approval", "assignment_requested",
                "no technician is assigned to approve", message, message_size);
        }
        if (status == 0) {
            status = halyard_approvals_schedule_check(
                job->store, halyard_pipeline_task_config(job->task), job->run.msp_id, job->run.id,
                message, message_size);
        }
        if (commit(job->store, status, message, message_size) != 0) {
            return -1;
        }
        halyard_log(HALYARD_LOG_INFO, "execute",
                    "msp=%s ticket=%lld run=%lld %lld steps need approval; the ticket has no "
                    "assigned technician, asked for one",
                    msp, job->run.ticket_id, job->run.id, job->approval_count);
        return 0;
    }

    /* The request: its note, its expiry job and the run's state commit together. */
    const halyard_config *config = halyard_pipeline_task_config(job->task);
    long long expires_at_ms = halyard_clock_now_ms() + config->approval_expiry_minutes * 60000;
    char expires_at[32];
    format_time(expires_at_ms, expires_at, sizeof expires_at);
    char *diagnosis = NULL;
    char *ticket_state = NULL;
    char *assignee = NULL;
    /* The technician approves what the request shows, so no request goes out without the
     * diagnosis the plan has. */
    if (halyard_json_read_text(job->json, job->plan_json, strlen(job->plan_json), "$.diagnosis",
                               &diagnosis) == HALYARD_JSON_INVALID) {
        snprintf(message, message_size,
                 "the plan's diagnosis cannot be read as text (not a string, or out of "
                 "memory), so the approval request is not posted");
        return -1;
    }
    halyard_json_read_json(job->json, job->plan_json, strlen(job->plan_json), "$.ticket_state",
                           &ticket_state);
    halyard_json_read_text(job->json, job->ticket_json, strlen(job->ticket_json), "$.agent_name",
                           &assignee);
    char assignee_fallback[48];
    snprintf(assignee_fallback, sizeof assignee_fallback, "technician %lld", agent_id);

    /* The note shows every argument whole, so a note that is too long is not posted. */
    char *results = step_results(job);
    char *left_out = NULL;
    halyard_json_read_json(job->json, job->plan_json, strlen(job->plan_json), "$.left_out",
                           &left_out);
    halyard_execute_request_note note = {
        .run_id = job->run.id,
        .ticket_id = job->run.ticket_id,
        .plan_hash = job->plan_hash,
        .diagnosis = diagnosis,
        .ticket_state_json = ticket_state,
        .steps_json = steps,
        .results_json = results,
        .left_out_json = left_out,
        .identity = {.sensitive = job->run.sensitive,
                     .verification = job->run.verification,
                     .other_request = job->run.other_request,
                     .verified_for = job->run.screening_reasons,
                     .unlock_covered = job->run.unlock_covered},
        .expires_at = expires_at,
        .assignee = assignee != NULL && assignee[0] != '\0' ? assignee : assignee_fallback,
    };
    char *html = halyard_execute_note_request(job->json, &note);
    free(results);
    free(left_out);
    free(diagnosis);
    free(ticket_state);
    free(assignee);
    if (html == NULL) {
        snprintf(message, message_size, "out of memory building the approval request");
        return -1;
    }
    if (strlen(html) > HALYARD_EXECUTE_REQUEST_MAX) {
        job->too_long_bytes = (long long)strlen(html);
        free(html);
        return 1;
    }

    if (begin(job->store, message, message_size) != 0) {
        free(html);
        return -1;
    }
    halyard_approval_request request = {0};
    int status = halyard_approvals_open(job->store, job->run.id, job->plan_hash, steps,
                                        expires_at_ms, agent_id, &request, message, message_size);
    if (status == 0) {
        char key[48];
        snprintf(key, sizeof key, "request.%lld", request.id);
        status = add_note(job, key, html, message, message_size);
        html = NULL; /* add_note frees it */
    }
    free(html);
    if (status == 0) {
        status = skip_earlier_actions(job, request.id, message, message_size);
    }
    if (status == 0) {
        char key[64];
        char payload[96];
        snprintf(key, sizeof key, "expire_approval:%lld", request.id);
        snprintf(payload, sizeof payload, "{\"run_id\":%lld,\"request_id\":%lld}", job->run.id,
                 request.id);
        status = halyard_jobs_enqueue(job->store, job->run.msp_id, "expire_approval", key, payload,
                                      expires_at_ms, message, message_size);
    }
    if (status == 0) {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "request %lld for plan %.8s: %lld steps, %lld needing approval, expires "
                 "%s UTC",
                 request.id, job->plan_hash, job->waiting_count, job->approval_count, expires_at);
        status = halyard_runs_transition(job->store, job->run.id, "awaiting_approval",
                                         "approval_requested", detail, message, message_size);
    }
    if (status == 0) {
        status = halyard_approvals_schedule_check(job->store, config, job->run.msp_id, job->run.id,
                                                  message, message_size);
    }
    if (commit(job->store, status, message, message_size) != 0) {
        halyard_approval_request_clear(&request);
        return -1;
    }
    halyard_log(HALYARD_LOG_INFO, "execute",
                "msp=%s ticket=%lld run=%lld approval request %lld for plan %.8s: %lld steps, "
                "%lld needing approval, expires %s UTC",
                msp, job->run.ticket_id, job->run.id, request.id, job->plan_hash,
                job->waiting_count, job->approval_count, expires_at);
    halyard_approval_request_clear(&request);
    return 0;
}

static void next_step(execute_job *job);
static int check_before_step(execute_job *job, bool write);

/* Goes on after step number ended in state: with the next step, or, when the step writes and
 * did not succeed, by ending the run, since a later step may rely on what it should have done
 * (a reply that a password was reset relies on the reset). */
static void after_step(execute_job *job, long long number, const char *state)
{
    if (!job->step_writes || strcmp(state, "done") == 0) {
        job->index++;
        next_step(job);
        return;
    }
    char message[EXECUTE_MESSAGE_MAX];
    if (end_run(job, HALYARD_EXECUTE_WRITE_FAILED, number, job->index + 1, message,
                sizeof message) != 0) {
        job_failed(job, message);
        return;
    }
    job_done(job);
}

/* Writes the first line of a failed run's message, without the folders of a script's path
 * ("/srv/halyard/bindings/lua/host.lua:397: x" becomes "host.lua:397: x"): the step's result
 * goes into a HaloPSA note, where a traceback and the server's folders do not belong. */
static void step_error_line(const char *error, char *line, size_t line_size)
{
    size_t length = strcspn(error, "\n");
    const char *end = error + length;
    const char *path_start = end; /* without a script path nothing is cut */
    const char *path_end = end;
    const char *script = strstr(error, ".lua:");
    if (script != NULL && script < end) {
        const char *word = script;
        while (word > error && word[-1] != ' ') {
            word--;
        }
        const char *name = script;
        while (name > word && name[-1] != '/') {
            name--;
        }
        path_start = word;
        path_end = name;
    }
    snprintf(line, line_size, "%.*s%.*s", (int)(path_start - error), error, (int)(end - path_end),
             path_end);
}

/* Records what host.run_step returned for the current step and goes on to the next. */
static void on_step_result(halyard_lua_result result, char **results, int result_count,
                           const char *error, void *argument)
{
    execute_job *job = argument;
    if (result == HALYARD_LUA_CANCELLED) {
        free_job(job); /* the task is being released; its job runs again at the next start */
        return;
    }
    halyard_pipeline_task_set_lua_run(job->task, NULL);
    char message[EXECUTE_MESSAGE_MAX];
    char path[48];
    snprintf(path, sizeof path, "$.steps[%lld]", job->index);
    long long number = job->index + 1;
    char number_path[64];
    snprintf(number_path, sizeof number_path, "%s.number", path);
    halyard_json_read_integer(job->json, job->plan_json, strlen(job->plan_json), number_path,
                              &number);

    /* A step the Lua host could not run (a limit, a bad input) is a failed step, not a failed
     * job: running it again would meet the same limit. */
    const char *output = result == HALYARD_LUA_OK && result_count > 0 ? results[0] : NULL;
    char *status = NULL;
    if (output != NULL) {
        halyard_json_read_text(job->json, output, strlen(output), "$.status", &status);
    }
    int stored = 0;
    const char *msp = halyard_pipeline_task_msp(job->task);
    if (status != NULL && strcmp(status, "write") == 0) {
        char *write = NULL;
        halyard_json_read_json(job->json, output, strlen(output), "$.write", &write);
        char key[64];
        char payload[64];
        snprintf(key, sizeof key, "step.%.8s.%lld", job->plan_hash, number);
        snprintf(payload, sizeof payload, "{\"run_id\":%lld}", job->run.id);

        /* The write and the step's record commit together: the step is queued exactly when
         * its write is in the outbox, which sends it once and then queues this job again. */
        stored = begin(job->store, message, sizeof message);
        bool invalid = false;
        if (stored == 0) {
            stored = halyard_run_writes_add(job->store, job->run.msp_id, job->run.id,
                                            job->run.ticket_id, key, write != NULL ? write : "",
                                            "execute", payload, message, sizeof message);
            invalid = stored != 0;
            if (stored == 0) {
                stored =
                    halyard_execute_steps_finish(job->store, job->run.id, job->plan_hash, number,
                                                 "queued", NULL, key, message, sizeof message);
            }
            stored = commit(job->store, stored, message, sizeof message);
        }
        free(write);
        free(status);

        /* A write the outbox rejects would be rejected again at every retry: the step failed,
         * and the run stops there. */
        char *reason = NULL;
        if (invalid && halyard_json_quote(job->json, message, &reason) == 0 &&
            halyard_execute_steps_finish(job->store, job->run.id, job->plan_hash, number, "failed",
                                         reason, NULL, message, sizeof message) == 0) {
            free(reason);
            halyard_log(HALYARD_LOG_WARNING, "execute",
                        "msp=%s ticket=%lld run=%lld step %lld failed: its write is invalid", msp,
                        job->run.ticket_id, job->run.id, number);
            after_step(job, number, "failed");
            return;
        }
        free(reason);
        if (stored != 0) {
            job_failed(job, message);
            return;
        }
        halyard_log(HALYARD_LOG_INFO, "execute",
                    "msp=%s ticket=%lld run=%lld step %lld queued its write %s", msp,
                    job->run.ticket_id, job->run.id, number, key);
        job_done(job); /* the outbox queues this job again once the write is done */
        return;
    }

    const char *state = "failed";
    char *recorded = NULL;
    if (status != NULL && strcmp(status, "ok") == 0) {
        state = "done";
        halyard_json_read_json(job->json, output, strlen(output), "$.result", &recorded);
    } else if (status != NULL && strcmp(status, "rejected") == 0) {
        state = "rejected";
        halyard_json_read_json(job->json, output, strlen(output), "$.reason", &recorded);
    } else if (output != NULL) {
        halyard_json_read_json(job->json, output, strlen(output), "$.reason", &recorded);
    } else {
        char first_line[512];
        step_error_line(error != NULL ? error : "the step returned nothing", first_line,
                        sizeof first_line);
        char *quoted = NULL;
        halyard_json_quote(job->json, first_line, &quoted);
        recorded = quoted;
    }
    free(status);
    stored = halyard_execute_steps_finish(job->store, job->run.id, job->plan_hash, number, state,
                                          recorded, NULL, message, sizeof message);
    free(recorded);
    if (stored != 0) {
        job_failed(job, message);
        return;
    }
    halyard_log(strcmp(state, "done") == 0 ? HALYARD_LOG_INFO : HALYARD_LOG_WARNING, "execute",
                "msp=%s ticket=%lld run=%lld step %lld %s", msp, job->run.ticket_id, job->run.id,
                number, state);
    after_step(job, number, state);
}

/* Starts host.run_step for the current step. Returns 0, or -1 with a message. */
static int start_step(execute_job *job, const char *step_json, bool write, char *message,
                      size_t message_size)
{
    halyard_lua_host *host = halyard_pipeline_task_scripts(job->task, message, message_size);
    if (host == NULL) {
        return -1;
    }
    char options[320];
    snprintf(options, sizeof options, "{\"run_id\":\"%lld\",\"allow_writes\":%s,\"run\":%s}",
             job->run.id, write ? "true" : "false", job->run_json);
    char label[32];
    snprintf(label, sizeof label, "%lld", job->run.id);
    const char *arguments[] = {step_json, job->context_json, options};
    halyard_lua_call_inputs inputs = {
        .entry = "run_step",
        .arguments = arguments,
        .argument_count = 3,
        .result_count = 1,
        .label = label,
        .allow_writes = write,
    };
    halyard_pipeline_task_call_inputs(job->task, &inputs);
    halyard_lua_run *run = NULL;
    if (halyard_lua_host_call_start(host, &inputs, on_step_result, job, &run, message,
                                    message_size) != 0) {
        return -1;
    }
    halyard_pipeline_task_set_lua_run(job->task, run);
    job->ticket_current = false;
    return 0;
}

/* What to do with a step, decided from its record before it runs. */
typedef enum { STEP_RUN, STEP_SKIP, STEP_WAIT_FOR_WRITE } step_decision;

/* Records the step as started, or finds it from an earlier attempt. state (16 bytes) receives
 * the step's state; for STEP_SKIP, the state it ended in. Returns the decision, or -1 with a
 * message. */
static int prepare_step(execute_job *job, long long number, const char *tool, const char *kind,
                        char *state, char *message, size_t message_size)
{
    bool fresh = false;
    if (halyard_execute_steps_start(job->store, job->run.id, job->plan_hash, number, tool, kind,
                                    state, &fresh, message, message_size) != 0) {
        return -1;
    }
    if (fresh) {
        return STEP_RUN;
    }
    if (strcmp(state, "queued") == 0) {
        /* Its write is in the outbox: done once the outbox sent it. */
        halyard_run_write write;
        char key[64];
        snprintf(key, sizeof key, "step.%.8s.%lld", job->plan_hash, number);
        int found =
            halyard_run_writes_get(job->store, job->run.id, key, &write, message, message_size);
        if (found != 0) {
            if (found == 1) {
                snprintf(message, message_size, "step %lld is queued but write %s is missing",
                         number, key);
            }
            return -1;
        }
        if (strcmp(write.state, "done") == 0 || strcmp(write.state, "failed") == 0) {
            /* A failed write's result is HaloPSA's answer, for the closing note. */
            bool done = strcmp(write.state, "done") == 0;
            char result[96];
            char *reason = NULL;
            snprintf(result, sizeof result, "{\"write\":\"%s\",\"action_id\":%lld}", write.state,
                     write.action_id);
            if (!done &&
                halyard_json_quote(job->json,
                                   write.error[0] != '\0' ? write.error
                                                          : "HaloPSA did not take the write",
                                   &reason) != 0) {
                snprintf(message, message_size, "out of memory recording step %lld", number);
                return -1;
            }
            int finished = halyard_execute_steps_finish(
                job->store, job->run.id, job->plan_hash, number, done ? "done" : "failed",
                done ? result : reason, NULL, message, message_size);
            free(reason);
            if (finished != 0) {
                return -1;
            }
            snprintf(state, 16, "%s", done ? "done" : "failed");
            return STEP_SKIP;
        }
        return STEP_WAIT_FOR_WRITE;
    }
    if (strcmp(state, "started") == 0 && strcmp(kind, "write") == 0) {
        /* It started before and its outcome is unknown: a write never runs twice. */
        if (halyard_execute_steps_finish(job->store, job->run.id, job->plan_hash, number,
                                         "interrupted",
                                         "\"halyard stopped while the step ran; it was not run "
                                         "again\"",
                                         NULL, message, message_size) != 0) {
            return -1;
        }
        halyard_log(HALYARD_LOG_WARNING, "execute",
                    "msp=%s ticket=%lld run=%lld step %lld (%s) was interrupted and is not run "
                    "again",
                    halyard_pipeline_task_msp(job->task), job->run.ticket_id, job->run.id, number,
                    tool);
        snprintf(state, 16, "interrupted");
        return STEP_SKIP;
    }
    return strcmp(state, "started") == 0 ? STEP_RUN : STEP_SKIP;
}

/* Works through the steps from job->index: runs the next one that may run and returns, or
 * ends the job once every step was looked at. */
static void next_step(execute_job *job)
{
    char message[EXECUTE_MESSAGE_MAX];
    size_t length = strlen(job->plan_json);
    for (; job->index < job->step_count; job->index++) {
        char path[64];
        char *step = NULL;
        char *tool = NULL;
        char *kind = NULL;
        char *policy = NULL;
        long long number = job->index + 1;
        snprintf(path, sizeof path, "$.steps[%lld]", job->index);
        halyard_json_read_json(job->json, job->plan_json, length, path, &step);
        if (step == NULL) {
            job_failed(job, "out of memory reading a step");
            return;
        }
        size_t step_length = strlen(step);
        halyard_json_read_text(job->json, step, step_length, "$.tool", &tool);
        halyard_json_read_text(job->json, step, step_length, "$.kind", &kind);
        halyard_json_read_text(job->json, step, step_length, "$.policy", &policy);
        halyard_json_read_integer(job->json, step, step_length, "$.number", &number);
        bool write = kind == NULL || strcmp(kind, "read") != 0;
        bool automatic = policy != NULL && strcmp(policy, "auto") == 0;

        /* Step 1: unless this plan is approved, the first step that needs approval and every
         * step after it wait for the approval, auto steps included. A later step may rely on
         * what an earlier one did, as a reply that the password was reset does. */
        if (!job->approved && (!automatic || job->waiting_count > 0)) {
            if (job->waiting_count == 0) {
                job->first_waiting = job->index;
            }
            /* The request shows arguments whole; one too long for it stops the run. */
            char *arguments = NULL;
            halyard_json_read_json(job->json, step, step_length, "$.arguments", &arguments);
            long long arguments_bytes = arguments != NULL ? (long long)strlen(arguments) : 0;
            free(arguments);
            if (arguments_bytes > HALYARD_EXECUTE_ARGUMENTS_MAX && job->too_long_step == 0) {
                job->too_long_step = number;
                job->too_long_bytes = arguments_bytes;
            }
            if (job->too_long_step == 0) {
                halyard_text_buffer_printf(&job->waiting, "%s%s", job->waiting_count > 0 ? "," : "",
                                           step);
            }
            job->waiting_count++;
            job->approval_count += automatic ? 0 : 1;
            free(step);
            free(tool);
            free(kind);
            free(policy);
            continue;
        }

        /* Step 2: the run stops here when the ticket was closed or moved, or its client left
         * Execute mode. */
        int checked = check_before_step(job, write);
        if (checked != 0) {
            free(step);
            free(tool);
            free(kind);
            free(policy);
            return; /* the job ended, or a read of the ticket goes on */
        }

        /* Step 3: recorded as started before it runs, so it never runs twice. */
        char state[16] = "";
        int decision = prepare_step(job, number, tool != NULL ? tool : "?",
                                    write ? "write" : "read", state, message, sizeof message);
        int started = 0;
        job->step_writes = write;
        if (decision == STEP_RUN) {
            started = start_step(job, step, write, message, sizeof message);
        }
        free(step);
        free(tool);
        free(kind);
        free(policy);
        if (decision < 0 || started != 0) {
            job_failed(job, message);
            return;
        }
        if (decision == STEP_RUN) {
            return; /* on_step_result goes on */
        }
        if (decision == STEP_WAIT_FOR_WRITE) {
            job_done(job); /* the outbox queues this job again once the write is done */
            return;
        }
        if (write && strcmp(state, "done") != 0) {
            after_step(job, number, state); /* a write that did not succeed stops the run */
            return;
        }
    }

    /* Every step was looked at: ask for approval, or close the run. A request that cannot
     * show its steps whole is not asked: the run stops. */
    int status = 0;
    if (job->too_long_step != 0) {
        status = end_run(job, HALYARD_EXECUTE_UNSHOWABLE, job->too_long_step, job->first_waiting,
                         message, sizeof message);
    } else if (job->waiting_count > 0) {
        status = ask_for_approval(job, message, sizeof message);
        if (status == 1) {
            status = end_run(job, HALYARD_EXECUTE_UNSHOWABLE, 0, job->first_waiting, message,
                             sizeof message);
        }
    } else {
        status = end_run(job, HALYARD_EXECUTE_ALL_DONE, 0, -1, message, sizeof message);
    }
    if (status != 0) {
        job_failed(job, message);
        return;
    }
    job_done(job);
}

/* Reads the imported client's mode now into mode ("" when the client is no longer imported).
 * Returns 0, or -1 with a message. */
static int client_mode_now(execute_job *job, char *mode, size_t mode_size, char *message,
                           size_t message_size)
{
    sqlite3_stmt *statement = NULL;
    int status = -1;
    mode[0] = '\0';
    if (sqlite3_prepare_v2(halyard_store_database(job->store),
                           "SELECT mode FROM clients WHERE msp_id = ?1 AND halo_client_id = ?2", -1,
                           &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, job->run.msp_id);
        sqlite3_bind_int64(statement, 2, job->run.halo_client_id);
        int step = sqlite3_step(statement);
        if (step == SQLITE_ROW) {
            snprintf(mode, mode_size, "%s", (const char *)sqlite3_column_text(statement, 0));
        }
        status = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
    }
    if (status != 0) {
        snprintf(message, message_size, "reading the mode of client %lld failed: %s",
                 job->run.halo_client_id, sqlite3_errmsg(halyard_store_database(job->store)));
    }
    sqlite3_finalize(statement);
    return status;
}

/* Records the outcome of each step whose write was queued and is done or failed now, as the
 * step's next run would (prepare_step). A job starts again only after its step's write ended,
 * so a stop finds no write still on its way. Returns 0, or -1 with a message. */
static int settle_queued_steps(execute_job *job, char *message, size_t message_size)
{
    char *results = step_results(job);
    if (results == NULL) {
        return 0; /* step_results logged why, and the note then names no step */
    }
    size_t length = strlen(results);
    long long count = halyard_json_array_length(job->json, results, length, "$");
    int status = 0;
    for (long long i = 0; i < count && status == 0; i++) {
        char path[48];
        char *state = NULL;
        char *tool = NULL;
        long long number = 0;
        snprintf(path, sizeof path, "$[%lld].state", i);
        halyard_json_read_text(job->json, results, length, path, &state);
        snprintf(path, sizeof path, "$[%lld].tool", i);
        halyard_json_read_text(job->json, results, length, path, &tool);
        snprintf(path, sizeof path, "$[%lld].number", i);
        halyard_json_read_integer(job->json, results, length, path, &number);
        if (state != NULL && strcmp(state, "queued") == 0) {
            char settled[16] = "";
            status = prepare_step(job, number, tool != NULL ? tool : "?", "write", settled, message,
                                  message_size) < 0
                         ? -1
                         : 0;
        }
        free(state);
        free(tool);
    }
    free(results);
    return status;
}

/* Stops the run before its next step when the ticket was closed, moved to another client, or
 * its client is no longer in Execute mode or was switched to Plan mode since the run started its
 * steps: an approval given earlier does not outlive any of them. job->ticket_json is the ticket as
 * last read. Returns 1 when the run stopped or left executing meanwhile, 0 when it goes on, or -1
 * with a message. */
static int stop_if_no_longer_wanted(execute_job *job, char *message, size_t message_size)
{
    char mode[16];
    if (client_mode_now(job, mode, sizeof mode, message, message_size) != 0) {
        return -1;
    }
    int switched = halyard_runs_has_event(
        job->store, job->run.id, HALYARD_RUN_EVENT_PLAN_MODE_SWITCH, message, message_size);
    if (switched < 0) {
        return -1;
    }
    long long status_id = 0;
    halyard_json_read_integer(job->json, job->ticket_json, strlen(job->ticket_json), "$.status_id",
                              &status_id);
    bool closed =
        halyard_approvals_status_closed(halyard_pipeline_task_config(job->task), status_id);
    if (closed) {
        /* A plan may close the ticket itself in one step and go on with the next. */
        int own = halyard_approvals_status_set_by_run(job->store, job->run.id, status_id, false,
                                                      message, message_size);
        if (own < 0) {
            return -1;
        }
        closed = own == 0;
    }
    long long client_id = 0;
    halyard_json_read_integer(job->json, job->ticket_json, strlen(job->ticket_json), "$.client_id",
                              &client_id);
    bool moved = client_id > 0 && client_id != job->run.halo_client_id;
    if (!closed && !moved && strcmp(mode, "execute") == 0 && switched == 0) {
        return 0;
    }

    char detail[160];
    halyard_run_stop stop = {.detail = detail};
    halyard_stop_reason reason;
    if (moved) {
        snprintf(detail, sizeof detail,
                 "the ticket moved from client %lld to client %lld; the steps left did not run",
                 job->run.halo_client_id, client_id);
        stop.kind = "client_changed";
        stop.title = "halyard stopped: the ticket moved to another client";
        reason = HALYARD_STOP_MOVED;
    } else if (closed) {
        snprintf(detail, sizeof detail,
                 "the ticket was closed (status %lld); the steps left did not run", status_id);
        stop.kind = "ticket_closed";
        stop.title = "halyard stopped: the ticket was closed";
        reason = HALYARD_STOP_CLOSED;
    } else if (strcmp(mode, "execute") == 0) {
        /* Switched to Plan mode and back since the run started its steps: the switch stopped
         * the run, as it withdraws a waiting run's request for good. */
        snprintf(detail, sizeof detail,
                 "client %lld was switched to Plan mode during the run; the steps left did not run",
                 job->run.halo_client_id);
        stop.kind = "client_plan_mode";
        stop.title = "halyard stopped: the client was switched to Plan mode";
        reason = HALYARD_STOP_PLAN_MODE;
    } else {
        snprintf(detail, sizeof detail, "client %lld is in %s mode now; the steps left did not run",
                 job->run.halo_client_id, mode[0] != '\0' ? mode : "no");
        stop.kind = "client_plan_mode";
        stop.title = "halyard stopped: the client is in Plan mode now";
        reason = HALYARD_STOP_PLAN_MODE;
    }

    /* The note names the steps that ran, earlier jobs' included, with their writes' outcome. */
    if (settle_queued_steps(job, message, message_size) != 0) {
        return -1;
    }
    char *results = step_results(job);
    char *text = halyard_approvals_stop_text(job->json, reason, results);
    free(results);
    if (text == NULL) {
        snprintf(message, message_size, "out of memory building the stop note of run %lld",
                 job->run.id);
        return -1;
    }
    stop.text = text;
    int stopped = halyard_approvals_stop_run(job->store, job->json, &job->run, "executing", &stop,
                                             message, message_size);
    free(text);
    if (stopped < 0) {
        return -1;
    }
    halyard_log(HALYARD_LOG_INFO, "execute", "msp=%s ticket=%lld run=%lld %s: %s",
                halyard_pipeline_task_msp(job->task), job->run.ticket_id, job->run.id,
                stopped == 0 ? "stopped" : "left executing meanwhile", detail);
    return 1;
}

/* Takes the ticket read again before a write step and goes on with that step. */
static void on_ticket_before_write(const halyard_halo_response *response, void *argument)
{
    execute_job *job = argument;
    char message[EXECUTE_MESSAGE_MAX];
    if (response->outcome == HALYARD_HALO_OK && response->status == 404) {
        job_stop_deleted(job);
        return;
    }
    if (response->outcome != HALYARD_HALO_OK || response->status != 200) {
        snprintf(message, sizeof message, "reading ticket %lld before step %lld failed: %s",
                 job->run.ticket_id, job->index + 1,
                 response->outcome != HALYARD_HALO_OK ? response->message : "HTTP error");
        job_failed(job, message);
        return;
    }
    char *ticket_json = strdup(response->body);
    if (ticket_json == NULL) {
        job_failed(job, "out of memory");
        return;
    }
    free(job->ticket_json);
    job->ticket_json = ticket_json;
    job->ticket_current = true;

    /* The steps after this one see the ticket as it is now. */
    free(job->context_json);
    job->context_json = NULL;
    if (build_context(job, message, sizeof message) != 0) {
        job_failed(job, message);
        return;
    }
    next_step(job);
}

/* Checks, before the step at job->index runs, that the run is still wanted (see
 * stop_if_no_longer_wanted). The client's mode is read before every step. A write step reads
 * the ticket from HaloPSA again when a step ran since the last read, because a person may have
 * closed or moved the ticket while that step waited on HaloPSA: one GET per write step at most.
 * Returns 0 when the step may run, or 1 when the job ended or waits for that read. */
static int check_before_step(execute_job *job, bool write)
{
    char message[EXECUTE_MESSAGE_MAX];
    if (write && !job->ticket_current) {
        char path[96];
        snprintf(path, sizeof path, "/api/Tickets/%lld?includedetails=true", job->run.ticket_id);
        if (halyard_halo_request(halyard_pipeline_task_halo(job->task), "GET", path, NULL,
                                 on_ticket_before_write, job, message, sizeof message) != 0) {
            job_failed(job, message);
        }
        return 1;
    }
    int unwanted = stop_if_no_longer_wanted(job, message, sizeof message);
    if (unwanted < 0) {
        job_failed(job, message);
    } else if (unwanted > 0) {
        job_done(job);
    }
    return unwanted != 0 ? 1 : 0;
}

static void on_actions(const halyard_halo_response *response, void *argument)
{
    execute_job *job = argument;
    char message[EXECUTE_MESSAGE_MAX];
    if (response->outcome == HALYARD_HALO_OK && response->status == 404) {
        job_stop_deleted(job);
        return;
    }
    if (response->outcome != HALYARD_HALO_OK || response->status != 200) {
        snprintf(message, sizeof message, "listing the actions of ticket %lld failed: %s",
                 job->run.ticket_id,
                 response->outcome != HALYARD_HALO_OK ? response->message : "HTTP error");
        job_failed(job, message);
        return;
    }
    job->actions_json = strdup(response->body);
    if (job->actions_json == NULL || build_context(job, message, sizeof message) != 0) {
        job_failed(job, job->actions_json == NULL ? "out of memory" : message);
        return;
    }
    int unwanted = stop_if_no_longer_wanted(job, message, sizeof message);
    if (unwanted != 0) {
        if (unwanted < 0) {
            job_failed(job, message);
        } else {
            job_done(job);
        }
        return;
    }

    /* The approved steps run only when the approval covers this very plan. */
    halyard_approval_request latest;
    int found = halyard_approvals_latest(job->store, job->run.id, &latest, message, sizeof message);
    if (found < 0) {
        job_failed(job, message);
        return;
    }
    job->approved = found == 0 && strcmp(latest.state, "approved") == 0 &&
                    strcmp(latest.plan_hash, job->plan_hash) == 0;
    if (found == 0 && strcmp(latest.state, "approved") == 0 && !job->approved) {
        halyard_log(HALYARD_LOG_INFO, "execute",
                    "msp=%s ticket=%lld run=%lld plan changed after approval of %.8s (now %.8s): "
                    "asking again",
                    halyard_pipeline_task_msp(job->task), job->run.ticket_id, job->run.id,
                    latest.plan_hash, job->plan_hash);
    }
    halyard_approval_request_clear(&latest);
    halyard_text_buffer_append_text(&job->waiting, "[");
    next_step(job);
}

static void on_ticket(const halyard_halo_response *response, void *argument)
{
    execute_job *job = argument;
    char message[EXECUTE_MESSAGE_MAX];
    if (response->outcome == HALYARD_HALO_OK && response->status == 404) {
        job_stop_deleted(job);
        return;
    }
    if (response->outcome != HALYARD_HALO_OK || response->status != 200) {
        snprintf(message, sizeof message, "reading ticket %lld failed: %s", job->run.ticket_id,
                 response->outcome != HALYARD_HALO_OK ? response->message : "HTTP error");
        job_failed(job, message);
        return;
    }
    job->ticket_json = strdup(response->body);
    if (job->ticket_json == NULL) {
        job_failed(job, "out of memory");
        return;
    }
    job->ticket_current = true;
    char path[96];
    snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld&includehtmlnote=true",
             job->run.ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(job->task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(halyard_pipeline_task_halo(job->task), log_ids, "GET", path, NULL,
                                 on_actions, job, message, sizeof message) != 0) {
        job_failed(job, message);
    }
}

void halyard_execute_job(halyard_pipeline_task *task)
{
    char message[EXECUTE_MESSAGE_MAX];
    execute_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        halyard_pipeline_task_failed(task, "out of memory");
        return;
    }
    job->task = task;
    halyard_pipeline_task_set_state(task, job, free_job_state);
    job->store = halyard_pipeline_task_store(task);
    job->json = halyard_pipeline_task_json(task);
    halyard_text_buffer_init(&job->waiting, 4 * 1024 * 1024);

    const halyard_job *claimed = halyard_pipeline_task_job(task);
    long long run_id = 0;
    if (halyard_json_read_integer(job->json, claimed->payload, strlen(claimed->payload), "$.run_id",
                                  &run_id) != HALYARD_JSON_FOUND ||
        halyard_runs_get(job->store, run_id, &job->run, message, sizeof message) != 0) {
        job_failed(job, "the execute job names no run");
        return;
    }
    halyard_pipeline_task_set_run(task, job->run.id, job->run.ticket_id);

    /* Only an executing run goes on; a run that waits, stopped or ended has nothing to do. */
    if (strcmp(job->run.state, "executing") != 0) {
        job_done(job);
        return;
    }
    halyard_execute_run_json(&job->run, job->run_json, sizeof job->run_json);
    if (load_plan(job, message, sizeof message) != 0) {
        job_failed(job, message);
        return;
    }

    char path[96];
    snprintf(path, sizeof path, "/api/Tickets/%lld?includedetails=true", job->run.ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(halyard_pipeline_task_halo(task), log_ids, "GET", path, NULL,
                                 on_ticket, job, message, sizeof message) != 0) {
        job_failed(job, message);
    }
}
