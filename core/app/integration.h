#ifndef HALYARD_INTEGRATION_H
#define HALYARD_INTEGRATION_H

#include "secret_box.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* An MSP's connection to HaloPSA as stored: the two secrets are sealed in the database and
 * plain only in this struct, which halyard_integration_free wipes. */
typedef struct {
    char *instance_url;
    char *token_url;
    char *client_id;
    char *client_secret;
    char *scope;
    long long login_agent_id;
    char *login_agent_name;
    char *public_url;
    char *webhook_id; /* HaloPSA's GUID of halyard's webhook, or NULL */
    char *webhook_username;
    char *webhook_password;
    bool webhook_password_pushed; /* HaloPSA's webhook was last sent this password */
} halyard_integration;

/* Loads the integration of MSP msp_id (named msp_name, which binds the sealed values).
 * Returns 0, 1 when the MSP has none, or -1 with a message (a key that does not open the
 * secrets is such an error, and says to enter them again). */
int halyard_integration_load(halyard_store *store, const halyard_secret_key *key, long long msp_id,
                             const char *msp_name, halyard_integration *integration, char *message,
                             size_t message_size);

/* Stores the integration, sealing both secrets. Returns 0, or -1 with a message. */
int halyard_integration_save(halyard_store *store, const halyard_secret_key *key, long long msp_id,
                             const char *msp_name, const halyard_integration *integration,
                             char *message, size_t message_size);

/* Wipes the secrets and frees every field; the struct is left zeroed. */
void halyard_integration_free(halyard_integration *integration);

#endif
