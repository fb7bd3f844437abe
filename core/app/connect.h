#ifndef HALYARD_CONNECT_H
#define HALYARD_CONNECT_H

#include "config.h"

#include <stdbool.h>
#include <stdio.h>

/* What the MSP enters to connect halyard to HaloPSA. */
typedef struct {
    const char *msp;          /* MSP name; created when new */
    const char *instance_url; /* as typed; validated here */
    const char *client_id;
    const char *client_secret;
    /* The MSP moved to instance_url from the instance it is connected to: its clients, runs and
     * queued work of the old instance are cleared (connect_replace.h). Without it, connecting
     * an MSP that holds any of these to another instance is rejected. */
    bool replace_instance;
} halyard_connect_input;

/* Connects an MSP to HaloPSA: validates the instance URL, discovers the token endpoint, gets a
 * token, confirms the agent it logs in as, registers or repairs halyard's webhook at the
 * configured public_url, and stores the integration with its secrets sealed. Each step done is
 * reported on out, one line each; connecting again with the same values reports that nothing
 * changed. An MSP connected to another instance that has imported clients, runs or stored
 * deliveries is moved only with input->replace_instance, while no serve holds the data folder.
 * Blocks until done (it runs its own event loop), so the daemon calls it from a thread.
 * Returns 0, or -1 with a message that says what failed and what to do. */
int halyard_connect(const halyard_config *config, const halyard_connect_input *input, FILE *out,
                    char *message, size_t message_size);

#endif
