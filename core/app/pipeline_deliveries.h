#ifndef HALYARD_PIPELINE_DELIVERIES_H
#define HALYARD_PIPELINE_DELIVERIES_H

#include "pipeline.h"

/* Turning stored webhook deliveries into the pipeline's work. Each scan reads a batch of
 * deliveries in state new and queues one sync job per ticket they name (pipeline_sync.h), in
 * the order their first deliveries arrived. It marks the batch queued in the same
 * transaction. */

/* Scans one batch of deliveries in state new. When the batch was full, it sets the pipeline's
 * deliveries_waiting, so the loop scans again at once. A failure is logged, and the
 * deliveries stay new for the next scan. */
void halyard_pipeline_deliveries_scan(halyard_pipeline *pipeline);

#endif
