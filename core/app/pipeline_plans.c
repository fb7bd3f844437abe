#include "pipeline_plans.h"
#include "pipeline_internal.h"
#include "pipeline_notes.h"

#include "approvals_policy_notes.h"
#include "approvals_stop.h"
#include "execute.h"
#include "json_reader.h"
#include "log.h"
#include "lua_host.h"
#include "run_writes.h"
#include "runs.h"
#include "text_buffer.h"
#include "verification.h"
#include "verification_version.h"
#include "verification_workflow.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stores the plan of a run and queues its note, or in Execute mode its execute job. Returns 0,
 * or -1 with a message. */
static int save_plan(halyard_pipeline_task *task, const halyard_lua_plan *plan, char *message,
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

    return halyard_pipeline_notes_enqueue(pipeline->store, task->job.msp_id, task->run_id, message,
                                          message_size);
}

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
static long long steps_written(halyard_pipeline_task *task, char *message, size_t message_size)
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

int halyard_pipeline_plans_failed_ticket_changed(halyard_pipeline_task *task,
                                                 const halyard_run *run, const char *actions_json,
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
static int end_failed_plan(halyard_pipeline_task *task, const char *error, char *message,
                           size_t message_size)
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

/* Receives the plan of a run started by halyard_pipeline_plans_start and finishes the sync
 * job. A plan the scripts could not write fails the run, not the job. A cancelled run is left
 * as it is, because the task is being released and its job stays running until the next start
 * recovers it. */
static void on_plan_done(halyard_lua_result result, halyard_lua_plan *plan, const char *error,
                         void *argument)
{
    halyard_pipeline_task *task = argument;
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
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_pipeline_task_done(task);
}

int halyard_pipeline_plans_start(halyard_pipeline_task *task, const char *actions_json,
                                 const char *client_json, char *message, size_t message_size)
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
