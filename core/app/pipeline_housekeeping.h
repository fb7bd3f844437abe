#ifndef HALYARD_PIPELINE_HOUSEKEEPING_H
#define HALYARD_PIPELINE_HOUSEKEEPING_H

#include "pipeline.h"

/* The periodic work of the job loop that runs outside any job: the verification sweep
 * (verification_sweep.h) and the pruning of rows past the configured retention
 * (retention.h). Each runs at the loop's first wake and then at its own interval of the
 * business clock, so a test clock moved forward makes it due. */

/* Runs the verification sweep and then the retention pruning, each only when it is due. A
 * failure is logged, and the work is tried again at its next interval. */
void halyard_pipeline_housekeeping_run(halyard_pipeline *pipeline);

#endif
