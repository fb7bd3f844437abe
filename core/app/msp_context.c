#include "msp_context.h"

#include "data_folder.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int halyard_msp_context_open(const halyard_config *config, const char *msp_name, bool need_halo,
                             halyard_msp_context *context, char *message, size_t message_size)
{
    memset(context, 0, sizeof *context);
    context->msp_name = msp_name;

    /* Step 1: storage and the MSP. */
    if (halyard_msp_name_validate(msp_name, message, message_size) != 0 ||
        halyard_data_folder_open(config->data_dir, &context->store, &context->key, message,
                                 message_size) != 0) {
        goto fail;
    }
    int created = 0;
    int found = halyard_msp_find(context->store, msp_name, 0, &context->msp_id, &created, message,
                                 message_size);
    if (found < 0) {
        goto fail;
    }
    if (found == 1) {
        snprintf(message, message_size,
                 "the MSP '%s' does not exist: connect it first with 'halyard --msp %s connect "
                 "...'",
                 msp_name, msp_name);
        goto fail;
    }
    if (!need_halo) {
        return 0;
    }

    /* Step 2: its integration and a session with HaloPSA. */
    int loaded = halyard_integration_load(context->store, &context->key, context->msp_id, msp_name,
                                          &context->integration, message, message_size);
    if (loaded < 0) {
        goto fail;
    }
    if (loaded == 0 && context->integration.instance_url[0] == '\0') {
        loaded = 1; /* only webhook credentials made by `halyard intake credentials` */
    }
    if (loaded == 1) {
        snprintf(message, message_size,
                 "the MSP '%s' is not connected to HaloPSA: run 'halyard --msp %s connect "
                 "--instance URL --client-id ID --client-secret-file FILE' first",
                 msp_name, msp_name);
        goto fail;
    }
    context->has_integration = true;
    char log_ids[HALYARD_HALO_LOG_IDS_MAX];
    snprintf(log_ids, sizeof log_ids, "msp=%s", msp_name);
    halyard_halo_session_settings settings = {
        .instance_url = context->integration.instance_url,
        .token_url = context->integration.token_url,
        .client_id = context->integration.client_id,
        .client_secret = context->integration.client_secret,
        .scope = context->integration.scope,
        .ca_file = config->ca_file,
        .log_ids = log_ids,
    };
    if (halyard_halo_session_open(&settings, &context->session, message, message_size) !=
        HALYARD_HALO_OK) {
        goto fail;
    }
    return 0;

fail:
    halyard_msp_context_close(context);
    return -1;
}

void halyard_msp_context_close(halyard_msp_context *context)
{
    halyard_halo_session_close(context->session);
    context->session = NULL;
    halyard_integration_free(&context->integration);
    halyard_store_close(context->store);
    context->store = NULL;
    sodium_memzero(&context->key, sizeof context->key);
}
