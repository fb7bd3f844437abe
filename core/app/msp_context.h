#ifndef HALYARD_MSP_CONTEXT_H
#define HALYARD_MSP_CONTEXT_H

#include "config.h"
#include "halo_session.h"
#include "integration.h"
#include "secret_box.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* What a command needs to work on one MSP: the open store and key, the MSP's id and, when
 * asked for, its HaloPSA integration with an open session. */
typedef struct {
    halyard_store *store;
    halyard_secret_key key;
    long long msp_id;
    const char *msp_name;
    bool has_integration;
    halyard_integration integration;
    halyard_halo_session *session;
} halyard_msp_context;

/* Opens the context of MSP msp_name. With need_halo, the MSP must be connected and a HaloPSA
 * session is opened with the stored settings. Returns 0, or -1 with a message that says how to
 * fix it (an unknown MSP, an MSP that is not connected). The context is closed on failure. */
int halyard_msp_context_open(const halyard_config *config, const char *msp_name, bool need_halo,
                             halyard_msp_context *context, char *message, size_t message_size);

void halyard_msp_context_close(halyard_msp_context *context);

#endif
