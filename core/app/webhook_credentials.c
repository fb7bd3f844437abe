#include "webhook_credentials.h"

#include "integration.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 24 random bytes: 192 bits, 32 characters of URL-safe base64 that need no quoting anywhere. */
#define CREDENTIALS_PASSWORD_BYTES 24

void halyard_webhook_credentials_free_password(char *password)
{
    if (password != NULL) {
        sodium_memzero(password, strlen(password));
        free(password);
    }
}

static char *make_password(void)
{
    unsigned char random[CREDENTIALS_PASSWORD_BYTES];
    size_t size =
        sodium_base64_ENCODED_LEN(sizeof random, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *password = malloc(size);
    if (password == NULL) {
        return NULL;
    }
    randombytes_buf(random, sizeof random);
    sodium_bin2base64(password, size, random, sizeof random,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(random, sizeof random);
    return password;
}

/* The username names the MSP, so a HaloPSA admin can tell halyard's webhooks apart. */
static char *make_username(const char *msp_name)
{
    size_t size = strlen("halyard-") + strlen(msp_name) + 1;
    char *username = malloc(size);
    if (username != NULL) {
        snprintf(username, size, "halyard-%s", msp_name);
    }
    return username;
}

int halyard_webhook_credentials_read(halyard_store *store, const halyard_secret_key *key,
                                     long long msp_id, const char *msp_name, char **username,
                                     char **password, char *message, size_t message_size)
{
    *username = NULL;
    *password = NULL;
    halyard_integration integration;
    int loaded =
        halyard_integration_load(store, key, msp_id, msp_name, &integration, message, message_size);
    if (loaded != 0) {
        return loaded;
    }
    if (integration.webhook_username == NULL || integration.webhook_password == NULL ||
        integration.webhook_username[0] == '\0' || integration.webhook_password[0] == '\0') {
        halyard_integration_free(&integration);
        return 1;
    }

    /* Move the two fields out before the rest is wiped. */
    *username = integration.webhook_username;
    *password = integration.webhook_password;
    integration.webhook_username = NULL;
    integration.webhook_password = NULL;
    halyard_integration_free(&integration);
    return 0;
}

/* Sets text to a heap copy of value, freeing what it held. */
static int replace_text(char **text, const char *value)
{
    char *copy = strdup(value);
    if (copy == NULL) {
        return -1;
    }
    free(*text);
    *text = copy;
    return 0;
}

int halyard_webhook_credentials_ensure(halyard_store *store, const halyard_secret_key *key,
                                       long long msp_id, const char *msp_name, bool rotate,
                                       char **username, char **password,
                                       halyard_webhook_credentials_outcome *outcome, char *message,
                                       size_t message_size)
{
    *username = NULL;
    *password = NULL;
    halyard_integration integration;
    int loaded =
        halyard_integration_load(store, key, msp_id, msp_name, &integration, message, message_size);
    if (loaded < 0) {
        return -1;
    }

    /* Step 1: an MSP not connected yet gets a row with empty HaloPSA fields. */
    if (loaded == 1) {
        memset(&integration, 0, sizeof integration);
        if (replace_text(&integration.instance_url, "") != 0 ||
            replace_text(&integration.token_url, "") != 0 ||
            replace_text(&integration.client_id, "") != 0 ||
            replace_text(&integration.client_secret, "") != 0 ||
            replace_text(&integration.scope, "") != 0) {
            goto out_of_memory;
        }
    }

    /* Step 2: keep what is stored unless asked to rotate. */
    bool stored = integration.webhook_username != NULL && integration.webhook_password != NULL &&
                  integration.webhook_username[0] != '\0' &&
                  integration.webhook_password[0] != '\0';
    if (stored && !rotate) {
        *outcome = HALYARD_WEBHOOK_CREDENTIALS_EXISTING;
    } else {
        char *new_username = make_username(msp_name);
        char *new_password = make_password();
        if (new_username == NULL || new_password == NULL) {
            free(new_username);
            halyard_webhook_credentials_free_password(new_password);
            goto out_of_memory;
        }
        free(integration.webhook_username);
        halyard_webhook_credentials_free_password(integration.webhook_password);
        integration.webhook_username = new_username;
        integration.webhook_password = new_password;
        integration.webhook_password_pushed = false; /* `halyard connect` sends it to HaloPSA */
        if (halyard_integration_save(store, key, msp_id, msp_name, &integration, message,
                                     message_size) != 0) {
            halyard_integration_free(&integration);
            return -1;
        }
        *outcome =
            stored ? HALYARD_WEBHOOK_CREDENTIALS_ROTATED : HALYARD_WEBHOOK_CREDENTIALS_CREATED;
    }

    *username = integration.webhook_username;
    *password = integration.webhook_password;
    integration.webhook_username = NULL;
    integration.webhook_password = NULL;
    halyard_integration_free(&integration);
    return 0;

out_of_memory:
    halyard_integration_free(&integration);
    snprintf(message, message_size, "out of memory making webhook credentials for MSP '%s'",
             msp_name);
    return -1;
}
