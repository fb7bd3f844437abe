#include "pipeline_housekeeping.h"
#include "pipeline_internal.h"

#include "clock.h"
#include "log.h"
#include "pipeline_missing.h"
#include "retention.h"
#include "verification_sweep.h"

/* Runs the verification sweep (verification_sweep.h) at the first wake and then every
 * HALYARD_VERIFICATION_SWEEP_MS of the business clock. A failed sweep is logged and tried at
 * the next one. */
static void sweep_verifications(halyard_pipeline *pipeline)
{
    long long now = halyard_clock_now_ms();
    if (pipeline->swept && now - pipeline->last_sweep_ms < HALYARD_VERIFICATION_SWEEP_MS) {
        return;
    }
    pipeline->swept = true;
    pipeline->last_sweep_ms = now;
    char message[PIPELINE_MESSAGE_MAX];
    if (halyard_verification_sweep(pipeline->store, message, sizeof message) < 0) {
        halyard_log(HALYARD_LOG_ERROR, "verify", "the verification sweep failed: %s", message);
    }
}

/* Removes what is past the configured retention (retention.h) at the first wake and then every
 * HALYARD_RETENTION_PRUNE_MS of the business clock. A failed pruning is logged and tried at the
 * next one; a pruning that removed something is logged with what it removed. */
static void prune_old_rows(halyard_pipeline *pipeline)
{
    long long now = halyard_clock_now_ms();
    if (pipeline->pruned && now - pipeline->last_prune_ms < HALYARD_RETENTION_PRUNE_MS) {
        return;
    }
    pipeline->pruned = true;
    pipeline->last_prune_ms = now;
    char message[PIPELINE_MESSAGE_MAX];
    halyard_retention_counts counts;
    int days = pipeline->config->retention_days;
    if (halyard_retention_prune(pipeline->store, days, &counts, message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "retention", "removing rows older than %d days failed: %s",
                    days, message);
        return;
    }
    if (counts.deliveries + counts.jobs + counts.reply_texts > 0) {
        halyard_log(HALYARD_LOG_INFO, "retention",
                    "removed %lld deliveries and %lld finished jobs and cleared %lld reply texts "
                    "older than %d days",
                    counts.deliveries, counts.jobs, counts.reply_texts, days);
    }
}

void halyard_pipeline_housekeeping_run(halyard_pipeline *pipeline)
{
    sweep_verifications(pipeline);
    prune_old_rows(pipeline);
    halyard_pipeline_missing_report(pipeline);
}
