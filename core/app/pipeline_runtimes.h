#ifndef HALYARD_PIPELINE_RUNTIMES_H
#define HALYARD_PIPELINE_RUNTIMES_H

#include "halo_client.h"
#include "http_allow.h"
#include "integration.h"
#include "pipeline.h"

#include <stdbool.h>
#include <stddef.h>

/* The pipeline's cache of each MSP's connection to HaloPSA, made on the first job of the MSP
 * and kept while its integration stays the same. Everything here runs on the event loop. */

/* One MSP's connection to HaloPSA, made on first use. Its Lua host comes from the script
 * reload (script_reload.h), which swaps in new versions as the MSP's files change. */
typedef struct halyard_pipeline_runtime {
    long long msp_id;
    char name[40];
    char updated_at[40]; /* of the integration it was made from */
    halyard_integration integration;
    halyard_halo_client *halo;
    halyard_http_allow_entry *http_allow; /* hosts its scripts may reach; names live in config */
    size_t http_allow_count;
    size_t users; /* tasks in flight that use it */
    bool stale;   /* the integration changed since: no new task uses it */
    struct halyard_pipeline_runtime *next;
} halyard_pipeline_runtime;

/* Finds or makes the runtime of an MSP. A runtime whose integration changed since it was made
 * goes stale and a fresh one is made. The caller counts itself in users while it uses the
 * runtime. Returns NULL with a message when it cannot be made (the MSP is not connected, or
 * its secrets cannot be opened). */
halyard_pipeline_runtime *halyard_pipeline_runtimes_find(halyard_pipeline *pipeline,
                                                         long long msp_id, char *message,
                                                         size_t message_size);

/* Frees runtimes that went stale once no task uses them any more. */
void halyard_pipeline_runtimes_free_stale(halyard_pipeline *pipeline);

/* Frees every runtime, for a pipeline that stops once no task is left in flight. */
void halyard_pipeline_runtimes_free_all(halyard_pipeline *pipeline);

#endif
