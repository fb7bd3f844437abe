#ifndef HALYARD_WEBHOOK_CREDENTIALS_H
#define HALYARD_WEBHOOK_CREDENTIALS_H

#include "secret_box.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* The HTTP Basic credentials HaloPSA sends with each webhook delivery for an MSP. halyard makes
 * them itself, stores them in the MSP's integration row (the password sealed) and gives them to
 * HaloPSA when it registers the webhook. */

/* Outcomes of halyard_webhook_credentials_ensure. */
typedef enum {
    HALYARD_WEBHOOK_CREDENTIALS_EXISTING, /* stored before; returned unchanged */
    HALYARD_WEBHOOK_CREDENTIALS_CREATED,  /* none were stored; new ones were made */
    HALYARD_WEBHOOK_CREDENTIALS_ROTATED,  /* new ones replaced the stored ones */
} halyard_webhook_credentials_outcome;

/* Returns the MSP's credentials in *username and *password (heap strings; free the password
 * with halyard_webhook_credentials_free_password), making and storing new ones when none are
 * stored or rotate is set. An MSP without an integration row gets one whose HaloPSA fields are
 * empty until halyard connect fills them. Returns 0 and *outcome, or -1 with a message. */
int halyard_webhook_credentials_ensure(halyard_store *store, const halyard_secret_key *key,
                                       long long msp_id, const char *msp_name, bool rotate,
                                       char **username, char **password,
                                       halyard_webhook_credentials_outcome *outcome, char *message,
                                       size_t message_size);

/* Reads the MSP's credentials without making any. Returns 0 with both strings, 1 when none are
 * stored (both NULL), or -1 with a message (a key that cannot open the password is one). */
int halyard_webhook_credentials_read(halyard_store *store, const halyard_secret_key *key,
                                     long long msp_id, const char *msp_name, char **username,
                                     char **password, char *message, size_t message_size);

/* Wipes and frees a password returned above; NULL is allowed. */
void halyard_webhook_credentials_free_password(char *password);

#endif
