#include "pipeline_notes.h"
#include "pipeline_internal.h"
#include "pipeline_tickets.h"

#include "halo_client.h"
#include "jobs.h"
#include "json_reader.h"
#include "log.h"
#include "run_writes.h"
#include "runs.h"
#include "text_buffer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int halyard_pipeline_notes_enqueue(halyard_store *store, long long msp_id, long long run_id,
                                   char *message, size_t message_size)
{
    char key[64];
    char payload[64];
    snprintf(key, sizeof key, "note:%lld", run_id);
    snprintf(payload, sizeof payload, "{\"run_id\":%lld}", run_id);
    return halyard_jobs_enqueue(store, msp_id, "note", key, payload, 0, message, message_size);
}

/* Ends the note job of a ticket HaloPSA returned 404 for: the ticket was deleted, so its run
 * stops (halyard_pipeline_tickets_stop_deleted) and the note is not retried. */
static void stop_deleted(halyard_pipeline_task *task)
{
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_pipeline_tickets_stop_deleted(task, message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_pipeline_task_done(task);
}

static void on_note_posted(const halyard_halo_response *response, void *argument)
{
    halyard_pipeline_task *task = argument;
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];

    if (response->outcome != HALYARD_HALO_OK) {
        halyard_pipeline_task_failed(task, response->message);
        return;
    }
    if (response->status == 404) {
        stop_deleted(task);
        return;
    }
    if (response->status != 200 && response->status != 201) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld to the note: %.300s",
                 response->status, response->body);
        halyard_pipeline_task_failed(task, message);
        return;
    }
    long long action_id = 0;
    halyard_json_read_integer(pipeline->json, response->body, response->body_length, "$.id",
                              &action_id);
    if (halyard_runs_note_posted(pipeline->store, task->run_id, action_id, "posted", message,
                                 sizeof message) != 0) {
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_log(HALYARD_LOG_INFO, "pipeline",
                "msp=%s ticket=%lld run=%lld note posted as action %lld", task->msp->name,
                task->ticket_id, task->run_id, action_id);
    halyard_pipeline_task_done(task);
}

/* Builds the POST /api/Actions body of a hidden internal note. Returns NULL when out of memory. */
static char *note_body(halyard_pipeline *pipeline, long long ticket_id, const char *note_html)
{
    char *quoted_note = NULL;
    char *quoted_outcome = NULL;
    if (halyard_json_quote(pipeline->json, note_html, &quoted_note) != 0 ||
        halyard_json_quote(pipeline->json, pipeline->config->note_outcome, &quoted_outcome) != 0) {
        free(quoted_note);
        return NULL;
    }
    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 4 * 1024 * 1024);
    halyard_text_buffer_printf(&body,
                               "[{\"ticket_id\":%lld,\"outcome\":%s,\"hiddenfromuser\":true,"
                               "\"sendemail\":false,\"note_html\":%s}]",
                               ticket_id, quoted_outcome, quoted_note);
    free(quoted_note);
    free(quoted_outcome);
    return halyard_text_buffer_take(&body);
}

static void on_note_actions(const halyard_halo_response *response, void *argument)
{
    halyard_pipeline_task *task = argument;
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];

    if (response->outcome != HALYARD_HALO_OK) {
        halyard_pipeline_task_failed(task, response->message);
        return;
    }
    if (response->status == 404) {
        stop_deleted(task);
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld listing actions",
                 response->status);
        halyard_pipeline_task_failed(task, message);
        return;
    }

    /* An earlier attempt may have written the note and lost the response: never write twice. */
    long long action_id = 0;
    char label[32];
    snprintf(label, sizeof label, "%lld", task->run_id);
    if (halyard_run_writes_find_marker(pipeline->json, response->body, label,
                                       task->msp->integration.login_agent_id, &action_id)) {
        if (halyard_runs_note_posted(pipeline->store, task->run_id, action_id,
                                     "found already in HaloPSA", message, sizeof message) != 0) {
            halyard_pipeline_task_failed(task, message);
            return;
        }
        halyard_log(HALYARD_LOG_INFO, "pipeline",
                    "msp=%s ticket=%lld run=%lld note already in HaloPSA as action %lld",
                    task->msp->name, task->ticket_id, task->run_id, action_id);
        halyard_pipeline_task_done(task);
        return;
    }

    char *note_html = NULL;
    if (halyard_runs_note(pipeline->store, task->run_id, &note_html, message, sizeof message) !=
        0) {
        halyard_pipeline_task_failed(task, "the run has no note to post");
        return;
    }
    char *body = note_body(pipeline, task->ticket_id, note_html);
    free(note_html);
    if (body == NULL) {
        halyard_pipeline_task_failed(task, "out of memory building the note");
        return;
    }
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    int sent = halyard_halo_request_for(task->msp->halo, log_ids, "POST", "/api/Actions", body,
                                        on_note_posted, task, message, sizeof message);
    free(body);
    if (sent != 0) {
        halyard_pipeline_task_failed(task, message);
    }
}

void halyard_pipeline_notes_job(halyard_pipeline_task *task)
{
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];
    size_t length = strlen(task->job.payload);
    if (halyard_json_read_integer(pipeline->json, task->job.payload, length, "$.run_id",
                                  &task->run_id) != HALYARD_JSON_FOUND) {
        halyard_pipeline_task_failed(task, "the note job has no run_id");
        return;
    }
    halyard_run run;
    if (halyard_runs_get(pipeline->store, task->run_id, &run, message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, "the note job's run does not exist");
        return;
    }
    task->ticket_id = run.ticket_id;
    if (run.note_action_id != 0) {
        halyard_pipeline_task_done(task);
        return;
    }

    char path[96];
    snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld&includehtmlnote=true",
             task->ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(task->msp->halo, log_ids, "GET", path, NULL, on_note_actions, task,
                                 message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, message);
    }
}
