#include "pipeline_sync.h"
#include "pipeline_internal.h"
#include "pipeline_missing.h"
#include "pipeline_tickets.h"

#include "halo_client.h"
#include "jobs.h"
#include "json_reader.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The idempotency key of a ticket's sync job: one per ticket, however it was asked for. */
static void sync_key(long long msp_id, long long ticket_id, char *key, size_t key_size)
{
    snprintf(key, key_size, "sync:%lld:%lld", msp_id, ticket_id);
}

/* Ends the sync of a ticket HaloPSA returned 404 for: its run stops, and the ticket is stored
 * as missing, so its further webhook events wait and then read it once (pipeline_missing.h). */
static void end_missing(halyard_pipeline_task *task)
{
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_pipeline_missing_record(task->pipeline, task->job.msp_id, task->msp->name,
                                        task->ticket_id, message, sizeof message) != 0 ||
        halyard_pipeline_tickets_stop_deleted(task, message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_pipeline_task_done(task);
}

static void on_sync_actions(const halyard_halo_response *response, void *argument)
{
    halyard_pipeline_task *task = argument;
    char message[PIPELINE_MESSAGE_MAX];
    if (response->outcome != HALYARD_HALO_OK) {
        halyard_pipeline_task_failed(task, response->message);
        return;
    }
    if (response->status == 404) {
        end_missing(task); /* the ticket was deleted after it was read */
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message,
                 "HaloPSA answered HTTP %ld listing the actions of "
                 "ticket %lld",
                 response->status, task->ticket_id);
        halyard_pipeline_task_failed(task, message);
        return;
    }
    int processed = halyard_pipeline_tickets_process(task, response->body, message, sizeof message);
    if (processed == PIPELINE_PENDING) {
        return;
    }
    if (processed != 0) {
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_pipeline_task_done(task);
}

static void on_sync_ticket(const halyard_halo_response *response, void *argument)
{
    halyard_pipeline_task *task = argument;
    char message[PIPELINE_MESSAGE_MAX];
    if (response->outcome != HALYARD_HALO_OK) {
        halyard_pipeline_task_failed(task, response->message);
        return;
    }
    if (response->status == 404) {
        end_missing(task);
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld reading ticket %lld",
                 response->status, task->ticket_id);
        halyard_pipeline_task_failed(task, message);
        return;
    }
    task->ticket_json = strdup(response->body);
    if (task->ticket_json == NULL) {
        halyard_pipeline_task_failed(task, "out of memory");
        return;
    }
    char path[96];
    snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld&includehtmlnote=true",
             task->ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(task->msp->halo, log_ids, "GET", path, NULL, on_sync_actions, task,
                                 message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, message);
    }
}

void halyard_pipeline_sync_job(halyard_pipeline_task *task)
{
    halyard_pipeline *pipeline = task->pipeline;
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_json_read_integer(pipeline->json, task->job.payload, strlen(task->job.payload),
                                  "$.ticket_id", &task->ticket_id) != HALYARD_JSON_FOUND ||
        task->ticket_id <= 0) {
        halyard_pipeline_task_failed(task, "the sync job has no ticket_id");
        return;
    }
    char path[96];
    snprintf(path, sizeof path, "/api/Tickets/%lld?includedetails=true", task->ticket_id);
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    halyard_pipeline_task_log_ids(task, log_ids, sizeof log_ids);
    if (halyard_halo_request_for(task->msp->halo, log_ids, "GET", path, NULL, on_sync_ticket, task,
                                 message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, message);
    }
}

int halyard_pipeline_enqueue_sync(halyard_store *store, long long msp_id, long long ticket_id,
                                  char *message, size_t message_size)
{
    return halyard_pipeline_enqueue_sync_after(store, msp_id, ticket_id, 0, message, message_size);
}

int halyard_pipeline_enqueue_sync_after(halyard_store *store, long long msp_id, long long ticket_id,
                                        long long run_after_ms, char *message, size_t message_size)
{
    char key[96];
    char payload[64];
    sync_key(msp_id, ticket_id, key, sizeof key);
    snprintf(payload, sizeof payload, "{\"ticket_id\":%lld}", ticket_id);
    return halyard_jobs_enqueue(store, msp_id, "sync", key, payload, run_after_ms, message,
                                message_size);
}

int halyard_pipeline_sync_active(halyard_store *store, long long msp_id, long long ticket_id,
                                 long long due_by_ms, char *message, size_t message_size)
{
    char key[96];
    sync_key(msp_id, ticket_id, key, sizeof key);
    return halyard_jobs_active(store, key, due_by_ms, message, message_size);
}
