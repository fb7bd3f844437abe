#include "pipeline_tickets.h"
#include "pipeline_internal.h"
#include "pipeline_notes.h"
#include "pipeline_plans.h"

#include "approvals_replies.h"
#include "approvals_stop.h"
#include "json_reader.h"
#include "log.h"
#include "runs.h"
#include "verification.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool status_is_closed(halyard_pipeline *pipeline, long long status_id)
{
    for (size_t i = 0; i < pipeline->config->closed_status_count; i++) {
        if (pipeline->config->closed_statuses[i] == status_id) {
            return true;
        }
    }
    return false;
}

/* Reads the imported client's name and mode. Returns 0, 1 when not imported, -1 on error. */
static int imported_client(halyard_pipeline *pipeline, long long msp_id, long long client_id,
                           char **client_json)
{
    sqlite3 *database = halyard_store_database(pipeline->store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(
            database,
            "SELECT json_object('id', c.halo_client_id, 'name', c.name, 'mode', c.mode,"
            " 'api_agent_id', i.login_agent_id) FROM clients c"
            " LEFT JOIN integrations i ON i.msp_id = c.msp_id"
            " WHERE c.msp_id = ?1 AND c.halo_client_id = ?2",
            -1, &statement, NULL) != SQLITE_OK) {
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_int64(statement, 2, client_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        *client_json = strdup((const char *)sqlite3_column_text(statement, 0));
        status = *client_json != NULL ? 0 : -1;
    } else if (step == SQLITE_DONE) {
        status = 1;
    }

cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Tells whether a run in state is still under way: planning, posting, waiting for a verification
 * or an approval, or executing. A failed run has ended here, because only a ticket update plans
 * it again, although a cancel may still stop it (halyard_runs_state_ended). */
static bool run_under_way(const char *state)
{
    return !halyard_runs_state_ended(state) && strcmp(state, "failed") != 0;
}

/* Ends the run of a ticket that moved to another client (client_id) since the run started. A run
 * works under the mode, scripts and approvals of the client it started for, so it must not go
 * on under the new one. A run under way stops with a hidden note, and its pending approval is
 * withdrawn. A run that ended stays as it is. An executing run is left to the execute job,
 * which reads the ticket before its steps and stops there (execute.c). Returns 0 when the
 * ticket may start a run for the new client, 1 when it must wait, or -1 with a message. */
static int end_run_of_old_client(halyard_pipeline_task *task, const halyard_run *latest,
                                 long long client_id, char *message, size_t message_size)
{
    if (!run_under_way(latest->state)) {
        return 0;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "the ticket moved from client %lld to client %lld",
             latest->halo_client_id, client_id);
    if (strcmp(latest->state, "executing") == 0) {
        /* Only a note of the move: the run stops before its next write step if the ticket is
         * still another client's then, and goes on if it was moved back meanwhile. */
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld executing: %s; the run checks the ticket's "
                    "client before its next write step",
                    task->msp->name, task->ticket_id, latest->id, detail);
        return halyard_runs_add_event(task->pipeline->store, latest->id, "ticket_moved", detail,
                                      message, message_size) == 0
                   ? 1
                   : -1;
    }

    halyard_run_stop stop = {.kind = "client_changed",
                             .detail = detail,
                             .title = "halyard stopped: the ticket moved to another client",
                             .text = HALYARD_RUN_STOP_MOVED_TEXT};
    int stopped = halyard_approvals_stop_run(task->pipeline->store, task->pipeline->json, latest,
                                             latest->state, &stop, message, message_size);
    if (stopped < 0) {
        return -1;
    }
    halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ticket=%lld run=%lld %s: %s", task->msp->name,
                task->ticket_id, latest->id, stopped == 0 ? "stopped" : "changed state meanwhile",
                detail);
    return stopped == 0 ? 0 : 1;
}

int halyard_pipeline_tickets_process(halyard_pipeline_task *task, const char *actions_json,
                                     char *message, size_t message_size)
{
    halyard_pipeline *pipeline = task->pipeline;
    halyard_store *store = pipeline->store;
    size_t length = strlen(task->ticket_json);
    long long client_id = 0;
    long long status_id = 0;
    halyard_json_read_integer(pipeline->json, task->ticket_json, length, "$.client_id", &client_id);
    halyard_json_read_integer(pipeline->json, task->ticket_json, length, "$.status_id", &status_id);
    bool closed = status_is_closed(pipeline, status_id);

    halyard_run latest;
    int found = halyard_runs_latest(store, task->job.msp_id, task->ticket_id, &latest, message,
                                    message_size);
    if (found < 0) {
        return -1;
    }

    /* Step 1: a ticket moved to another client ends the old client's run first. The ticket then
     * goes on as one the new client's agent has not seen. */
    char moved_why[96] = "";
    if (found == 0 && client_id > 0 && latest.halo_client_id != client_id &&
        strcmp(latest.state, "skipped") != 0) {
        int ended = end_run_of_old_client(task, &latest, client_id, message, message_size);
        if (ended != 0) {
            return ended < 0 ? -1 : 0;
        }
        snprintf(moved_why, sizeof moved_why, "ticket moved here from client %lld",
                 latest.halo_client_id);
    }

    /* Step 2: a client that was not imported is recorded once as skipped. */
    char *client_json = NULL;
    int imported = imported_client(pipeline, task->job.msp_id, client_id, &client_json);
    if (imported < 0) {
        snprintf(message, message_size, "reading the imported clients failed");
        return -1;
    }
    if (imported == 1) {
        if (found == 0 && strcmp(latest.state, "skipped") == 0) {
            return 0;
        }
        char why[96];
        snprintf(why, sizeof why, "client %lld is not imported", client_id);
        halyard_run skipped;
        halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ticket=%lld skipped: %s", task->msp->name,
                    task->ticket_id, why);
        return halyard_runs_create(store, task->job.msp_id, client_id, task->ticket_id, "skipped",
                                   "plan", closed, why, &skipped, message, message_size);
    }

    /* Step 3: a new run when the ticket is new to halyard or to its client, was skipped before,
     * or was reopened after it was closed. Otherwise the update joins its run. */
    int status = 0;
    const char *why = NULL;
    if (moved_why[0] != '\0') {
        why = moved_why;
    } else if (found == 1) {
        why = "ticket first seen";
    } else if (strcmp(latest.state, "skipped") == 0) {
        why = "client imported since the ticket was skipped";
    } else if (latest.ticket_closed && !closed) {
        /* A status the run's own step set after the close is no reopen by a person. */
        int own = halyard_approvals_status_set_by_run(store, latest.id, status_id, true, message,
                                                      message_size);
        if (own < 0) {
            free(client_json);
            return -1;
        }
        why = own == 0 ? "ticket reopened" : NULL;

        /* A run still carrying out its steps owns the ticket. It reads the ticket again before
         * each write step, so it goes on after a close and a reopen, and a second run started
         * now would carry out the same plan again. */
        if (why != NULL && strcmp(latest.state, "executing") == 0) {
            halyard_log(HALYARD_LOG_INFO, "pipeline",
                        "msp=%s ticket=%lld run=%lld reopened while the run carries out its "
                        "steps: no new run starts",
                        task->msp->name, task->ticket_id, latest.id);
            why = NULL;
        }
    }
    if (why != NULL && closed) {
        free(client_json);
        return 0; /* a closed ticket is not worked on until it is reopened */
    }
    if (why != NULL) {
        /* The run keeps the client's mode as it is now, whatever changes later. */
        char *mode = NULL;
        halyard_json_read_text(pipeline->json, client_json, strlen(client_json), "$.mode", &mode);
        bool execute = mode != NULL && strcmp(mode, "execute") == 0;
        free(mode);
        halyard_run run;
        /* Screening (verification.h) runs before the agent does anything. */
        free(client_json);
        if (halyard_runs_create(store, task->job.msp_id, client_id, task->ticket_id, "planning",
                                execute ? "execute" : "plan", false, why, &run, message,
                                message_size) != 0) {
            return -1;
        }
        task->run_id = run.id;
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld started: %s; %s mode", task->msp->name,
                    task->ticket_id, run.id, why, run.mode);
        return halyard_verification_queue_screen(store, task->job.msp_id, run.id, false, message,
                                                 message_size);
    }

    task->run_id = latest.id;
    if (latest.ticket_closed != closed) {
        status = halyard_runs_set_closed(store, latest.id, closed, message, message_size);
    }
    if (status == 0) {
        status = halyard_runs_add_event(store, latest.id, "ticket_synced",
                                        closed ? "ticket closed" : "ticket updated", message,
                                        message_size);
    }

    /* A run waiting for screening or verification, or stopped by it, is not planned here, and
     * neither is an update not screened yet. */
    halyard_ticket_read read = {.ticket_json = task->ticket_json,
                                .actions_json = actions_json,
                                .login_agent_id = task->msp->integration.login_agent_id};
    int held = status == 0
                   ? halyard_verification_on_update(store, &latest, &read, message, message_size)
                   : 0;
    if (held != 0) {
        free(client_json);
        return held < 0 ? -1 : 0;
    }

    /* A failed run plans again only when someone other than halyard changed the ticket since
     * the failed plan: halyard's own notes, its failure note first, change nothing. */
    if (status == 0 && strcmp(latest.state, "failed") == 0) {
        int changed = halyard_pipeline_plans_failed_ticket_changed(task, &latest, actions_json,
                                                                   message, message_size);
        if (changed <= 0) {
            free(client_json);
            return changed;
        }
    }

    /* A run interrupted before its note resumes where it stopped. */
    if (status == 0 &&
        (strcmp(latest.state, "planning") == 0 || strcmp(latest.state, "failed") == 0)) {
        if (strcmp(latest.state, "failed") == 0) {
            status = halyard_runs_transition(store, latest.id, "planning", "retry",
                                             "ticket updated after the run failed", message,
                                             message_size);
        }
        if (status == 0) {
            status = halyard_pipeline_plans_start(task, actions_json, client_json, message,
                                                  message_size);
        }
    } else if (status == 0 && strcmp(latest.state, "awaiting_approval") == 0) {
        status = halyard_approvals_on_sync(task, &latest, task->ticket_json, actions_json, message,
                                           message_size);
        if (status == 1) {
            free(client_json);
            return PIPELINE_PENDING; /* the approvals module ends the task */
        }
    } else if (status == 0 && strcmp(latest.state, "posting") == 0) {
        status = halyard_pipeline_notes_enqueue(store, task->job.msp_id, latest.id, message,
                                                message_size);
    }
    free(client_json);
    return status;
}

int halyard_pipeline_tickets_stop_run_deleted(halyard_pipeline_task *task, long long run_id,
                                              char *message, size_t message_size)
{
    halyard_store *store = halyard_pipeline_task_store(task);
    halyard_run run;
    if (halyard_runs_get(store, run_id, &run, message, message_size) != 0) {
        return -1;
    }
    if (!run_under_way(run.state)) {
        return 0;
    }
    halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ticket=%lld run=%lld stopped: %s",
                halyard_pipeline_task_msp(task), run.ticket_id, run.id, "the ticket was deleted");
    return halyard_runs_transition(store, run.id, "stopped", "ticket_deleted",
                                   "HaloPSA answered 404 for the ticket: it no longer exists",
                                   message, message_size);
}

int halyard_pipeline_tickets_stop_deleted(halyard_pipeline_task *task, char *message,
                                          size_t message_size)
{
    halyard_run latest;
    int found = halyard_runs_latest(task->pipeline->store, task->job.msp_id, task->ticket_id,
                                    &latest, message, message_size);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    return halyard_pipeline_tickets_stop_run_deleted(task, latest.id, message, message_size);
}
