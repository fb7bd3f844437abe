#include "intake_command.h"

#include "data_folder.h"
#include "webhook_credentials.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char intake_usage[] =
    "usage: halyard [--msp NAME] intake credentials [--rotate] [--data-dir DIR]\n"
    "\n"
    "Prints the webhook path and the HTTP Basic credentials HaloPSA must send with each\n"
    "delivery for the MSP, making them when none are stored. halyard connect registers them\n"
    "in HaloPSA; use this command to set up the webhook by hand or to test the intake.\n"
    "\n"
    "options:\n"
    "  --rotate        replace the stored credentials with new ones; deliveries sent with the\n"
    "                  old ones are rejected (401) within 5 seconds\n"
    "  --data-dir DIR  folder of halyard.db and secret.key (default: the config's data_dir,\n"
    "                  ./data)\n";

static const char *outcome_name(halyard_webhook_credentials_outcome outcome)
{
    switch (outcome) {
    case HALYARD_WEBHOOK_CREDENTIALS_CREATED:
        return "created";
    case HALYARD_WEBHOOK_CREDENTIALS_ROTATED:
        return "rotated";
    case HALYARD_WEBHOOK_CREDENTIALS_EXISTING:
        break;
    }
    return "existing";
}

int halyard_intake_command(int argc, char **argv, const halyard_cli_context *context)
{
    /* Step 1: the subcommand and its options. */
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(intake_usage, argc < 2 ? context->err : context->out);
        return argc < 2 ? HALYARD_EXIT_USAGE : HALYARD_EXIT_OK;
    }
    if (strcmp(argv[1], "credentials") != 0) {
        fprintf(context->err,
                "halyard intake: unknown subcommand '%s'; the only one is 'credentials'\n",
                argv[1]);
        return HALYARD_EXIT_USAGE;
    }
    const char *data_dir = context->config->data_dir;
    bool rotate = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--rotate") == 0) {
            rotate = true;
        } else if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc && argv[i + 1][0] != '\0') {
            data_dir = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(intake_usage, context->out);
            return HALYARD_EXIT_OK;
        } else {
            fprintf(context->err,
                    "halyard intake credentials: invalid option '%s'; the options are --rotate "
                    "and --data-dir DIR\n",
                    argv[i]);
            return HALYARD_EXIT_USAGE;
        }
    }
    char message[512];
    if (halyard_msp_name_validate(context->msp, message, sizeof message) != 0) {
        fprintf(context->err, "halyard intake credentials: %s\n", message);
        return HALYARD_EXIT_USAGE;
    }

    /* Step 2: the MSP, which must exist already. */
    int status = HALYARD_EXIT_FAILURE;
    halyard_store *store = NULL;
    halyard_secret_key key;
    char *username = NULL;
    char *password = NULL;
    if (halyard_data_folder_open(data_dir, &store, &key, message, sizeof message) != 0) {
        goto fail;
    }
    long long msp_id = 0;
    int created = 0;
    int found =
        halyard_msp_find(store, context->msp, 0, &msp_id, &created, message, sizeof message);
    if (found == 1) {
        snprintf(message, sizeof message,
                 "no MSP named '%s' in %s: connect it first with halyard --msp %s connect",
                 context->msp, data_dir, context->msp);
    }
    if (found != 0) {
        goto fail;
    }

    /* Step 3: the credentials, printed one "name: value" line each for people and scripts. */
    halyard_webhook_credentials_outcome outcome = HALYARD_WEBHOOK_CREDENTIALS_EXISTING;
    if (halyard_webhook_credentials_ensure(store, &key, msp_id, context->msp, rotate, &username,
                                           &password, &outcome, message, sizeof message) != 0) {
        goto fail;
    }
    fprintf(context->out,
            "msp: %s\n"
            "path: /hooks/halopsa/%s\n"
            "username: %s\n"
            "password: %s\n"
            "credentials: %s\n",
            context->msp, context->msp, username, password, outcome_name(outcome));
    if (outcome == HALYARD_WEBHOOK_CREDENTIALS_ROTATED) {
        fprintf(context->err,
                "halyard intake credentials: HaloPSA still sends the old credentials; run "
                "'halyard --msp %s connect ...' to send these to halyard's webhook in HaloPSA\n",
                context->msp);
    } else if (outcome == HALYARD_WEBHOOK_CREDENTIALS_CREATED) {
        fprintf(context->err,
                "halyard intake credentials: these credentials are new, and HaloPSA does not "
                "have them yet; run 'halyard --msp %s connect ...' to register halyard's "
                "webhook with them, or enter them on the webhook in HaloPSA by hand\n",
                context->msp);
    }
    status = HALYARD_EXIT_OK;

fail:
    if (status != HALYARD_EXIT_OK) {
        fprintf(context->err, "halyard intake credentials: %s\n", message);
    }
    free(username);
    halyard_webhook_credentials_free_password(password);
    halyard_store_close(store);
    sodium_memzero(&key, sizeof key);
    return status;
}
