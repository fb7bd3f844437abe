#include "pipeline_runtimes.h"
#include "pipeline_internal.h"

#include "log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Frees a runtime that no task uses any more. Runs borrow its HaloPSA client only while their
 * task keeps the runtime, so no script's request is left in the client. */
static void free_runtime(halyard_pipeline_runtime *runtime)
{
    halyard_halo_client_free(runtime->halo);
    halyard_integration_free(&runtime->integration);
    free(runtime->http_allow);
    free(runtime);
}

/* Reads when the MSP's integration last changed into updated_at ("" when it has none). */
static void read_integration_stamp(halyard_pipeline *pipeline, long long msp_id, char *updated_at,
                                   size_t size)
{
    sqlite3_stmt *statement = NULL;
    updated_at[0] = '\0';
    if (sqlite3_prepare_v2(halyard_store_database(pipeline->store),
                           "SELECT updated_at FROM integrations WHERE msp_id = ?1", -1, &statement,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, msp_id);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            snprintf(updated_at, size, "%s", sqlite3_column_text(statement, 0));
        }
    }
    sqlite3_finalize(statement);
}

halyard_pipeline_runtime *halyard_pipeline_runtimes_find(halyard_pipeline *pipeline,
                                                         long long msp_id, char *message,
                                                         size_t message_size)
{
    /* A runtime serves until the MSP connects again (a new secret, say); then new tasks get a
     * fresh one and the old one is freed when its last task is done. */
    char updated_at[40];
    read_integration_stamp(pipeline, msp_id, updated_at, sizeof updated_at);
    for (halyard_pipeline_runtime *runtime = pipeline->runtimes; runtime != NULL;
         runtime = runtime->next) {
        if (runtime->msp_id != msp_id || runtime->stale) {
            continue;
        }
        if (strcmp(runtime->updated_at, updated_at) == 0) {
            return runtime;
        }
        runtime->stale = true;
        halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s reconnected: reloading its settings",
                    runtime->name);
    }
    halyard_pipeline_runtimes_free_stale(pipeline);

    halyard_pipeline_runtime *runtime = calloc(1, sizeof *runtime);
    if (runtime == NULL) {
        snprintf(message, message_size, "out of memory");
        return NULL;
    }
    runtime->msp_id = msp_id;
    snprintf(runtime->updated_at, sizeof runtime->updated_at, "%s", updated_at);

    /* Step 1: the MSP's name and integration. */
    sqlite3_stmt *statement = NULL;
    sqlite3 *database = halyard_store_database(pipeline->store);
    if (sqlite3_prepare_v2(database, "SELECT name FROM msps WHERE id = ?1", -1, &statement, NULL) !=
        SQLITE_OK) {
        snprintf(message, message_size, "reading the MSP failed: %s", sqlite3_errmsg(database));
        goto fail;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    if (sqlite3_step(statement) != SQLITE_ROW) {
        snprintf(message, message_size, "MSP %lld does not exist", msp_id);
        sqlite3_finalize(statement);
        goto fail;
    }
    snprintf(runtime->name, sizeof runtime->name, "%s", sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    int loaded = halyard_integration_load(pipeline->store, &pipeline->key, msp_id, runtime->name,
                                          &runtime->integration, message, message_size);
    if (loaded == 0 && runtime->integration.instance_url[0] == '\0') {
        loaded = 1; /* only webhook credentials made by `halyard intake credentials` */
    }
    if (loaded == 1) {
        snprintf(message, message_size, "MSP '%s' is not connected to HaloPSA", runtime->name);
    }
    if (loaded != 0) {
        goto fail;
    }

    /* Step 2: the HaloPSA client on the daemon's loop. */
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    snprintf(log_ids, sizeof log_ids, "msp=%s", runtime->name);
    halyard_halo_settings settings = {
        .instance_url = runtime->integration.instance_url,
        .token_url = runtime->integration.token_url,
        .client_id = runtime->integration.client_id,
        .client_secret = runtime->integration.client_secret,
        .scope = runtime->integration.scope,
        .log_ids = log_ids,
    };
    if (halyard_halo_client_create(pipeline->base, pipeline->http, &settings, &runtime->halo,
                                   message, message_size) != 0) {
        goto fail;
    }

    /* Step 3: the hosts the MSP's scripts may reach with the http module. */
    const halyard_config_http_allow *allowed = NULL;
    size_t allowed_count = halyard_config_http_allow_for(pipeline->config, runtime->name, &allowed);
    if (allowed_count > 0) {
        runtime->http_allow = calloc(allowed_count, sizeof *runtime->http_allow);
        if (runtime->http_allow == NULL) {
            snprintf(message, message_size, "out of memory");
            goto fail;
        }
    }
    for (size_t i = 0; i < allowed_count; i++) {
        runtime->http_allow[i] =
            (halyard_http_allow_entry){.host = allowed[i].host,
                                       .port = allowed[i].port,
                                       .allow_private = allowed[i].allow_private};
    }
    runtime->http_allow_count = allowed_count;
    halyard_log(HALYARD_LOG_INFO, "pipeline", "msp=%s ready: %s", runtime->name,
                runtime->integration.instance_url);

    runtime->next = pipeline->runtimes;
    pipeline->runtimes = runtime;
    return runtime;

fail:
    free_runtime(runtime);
    return NULL;
}

void halyard_pipeline_runtimes_free_stale(halyard_pipeline *pipeline)
{
    halyard_pipeline_runtime **link = &pipeline->runtimes;
    while (*link != NULL) {
        halyard_pipeline_runtime *runtime = *link;
        if (runtime->stale && runtime->users == 0) {
            *link = runtime->next;
            free_runtime(runtime);
        } else {
            link = &runtime->next;
        }
    }
}

void halyard_pipeline_runtimes_free_all(halyard_pipeline *pipeline)
{
    while (pipeline->runtimes != NULL) {
        halyard_pipeline_runtime *runtime = pipeline->runtimes;
        pipeline->runtimes = runtime->next;
        free_runtime(runtime);
    }
}
