#include "cli_commands.h"

#include "data_folder.h"
#include "verification_store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int usage_to(FILE *stream, int status)
{
    fputs("usage: halyard [--msp NAME] verify connect --provider NAME --url URL\n"
          "                                      [--api-key-file FILE] [--channel email|sms]\n"
          "       halyard [--msp NAME] verify status\n"
          "       halyard [--msp NAME] verify disconnect\n"
          "  connect     store the MSP's identity verification provider and print its callback\n"
          "              secret once\n"
          "  NAME        a verifier in config/verifiers/ or <scripts_dir>/<msp>/verifiers/,\n"
          "              without .lua: traceless or webhook as shipped\n"
          "  URL         the provider's base URL (traceless) or the URL to POST to (webhook);\n"
          "              its host must be on the MSP's http_allow list in the config (restart\n"
          "              a running `halyard serve` after changing http_allow)\n"
          "  FILE        a file whose first line is the provider's API key, at least 16\n"
          "              characters ('-' reads standard input)\n"
          "  --channel   where a Traceless-style provider sends the challenge first (default\n"
          "              email)\n"
          "  status      print the connected provider, without secrets\n"
          "  disconnect  remove the provider; sensitive tickets then go on without verification\n"
          "              and every write needs a technician's approval\n",
          stream);
    return status;
}

static int run_connect(int argc, char **argv, const halyard_cli_context *context,
                       halyard_store *store, const halyard_secret_key *key)
{
    const char *provider = NULL;
    const char *url = NULL;
    const char *key_file = NULL;
    const char *channel = NULL;
    for (int i = 2; i < argc; i++) {
        const char **target = NULL;
        if (strcmp(argv[i], "--provider") == 0) {
            target = &provider;
        } else if (strcmp(argv[i], "--url") == 0) {
            target = &url;
        } else if (strcmp(argv[i], "--api-key-file") == 0) {
            target = &key_file;
        } else if (strcmp(argv[i], "--channel") == 0) {
            target = &channel;
        } else {
            fprintf(context->err, "halyard verify connect: unknown option '%s'\n", argv[i]);
            return usage_to(context->err, HALYARD_EXIT_USAGE);
        }
        if (i + 1 >= argc) {
            fprintf(context->err, "halyard verify connect: %s needs a value\n", argv[i]);
            return usage_to(context->err, HALYARD_EXIT_USAGE);
        }
        *target = argv[++i];
    }
    if (provider == NULL || url == NULL) {
        fputs("halyard verify connect: --provider and --url are required\n", context->err);
        return usage_to(context->err, HALYARD_EXIT_USAGE);
    }

    char message[1024];
    char *api_key = NULL;
    if (key_file != NULL) {
        api_key = halyard_cli_read_secret_file(key_file, context->err, message, sizeof message);
        if (api_key == NULL) {
            fprintf(context->err, "halyard verify connect: %s\n", message);
            return HALYARD_EXIT_FAILURE;
        }
    }
    halyard_verification_connect_input input = {
        .msp = context->msp,
        .provider = provider,
        .url = url,
        .api_key = api_key,
        .channel = channel,
    };
    char secret[HALYARD_VERIFY_CALLBACK_SECRET_CHARS + 1];
    int status = halyard_verification_connect(store, key, context->config, &input, secret, message,
                                              sizeof message);
    if (api_key != NULL) {
        sodium_memzero(api_key, strlen(api_key));
        free(api_key);
    }
    if (status != 0) {
        fprintf(context->err, "halyard verify connect: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    const char *public_url = context->config->public_url;
    fprintf(context->out, "connected MSP '%s' to the verification provider %s (secrets sealed)\n",
            context->msp, provider);
    fprintf(context->out, "callback URL:    %s/hooks/verify/%s/%s\n",
            public_url != NULL ? public_url : "<public_url>", provider, context->msp);
    fprintf(context->out, "callback secret: %s\n", secret);
    fputs("The callback secret is shown once: give it to a provider that posts results back.\n",
          context->out);
    /* This command read the config file as it is now, but a running serve keeps the
     * http_allow list it read when it started, for its dispatches and polls. */
    fputs("A running `halyard serve` keeps the http_allow list it read when it started: if you "
          "changed http_allow for this provider, restart it before the next sensitive ticket.\n",
          context->out);
    if (key_file == NULL) {
        /* Both shipped providers send the key as a bearer token, so a missing one is most
         * likely a mistake; a provider that takes none can stay connected as it is. */
        fprintf(context->err,
                "halyard verify connect: warning: no --api-key-file was given, so %s is "
                "connected without an API key; connect again with --api-key-file FILE if the "
                "provider needs one\n",
                provider);
    }
    sodium_memzero(secret, sizeof secret);
    return HALYARD_EXIT_OK;
}

int halyard_cli_verify(int argc, char **argv, const halyard_cli_context *context)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        return argc < 2 ? usage_to(context->err, HALYARD_EXIT_USAGE)
                        : usage_to(context->out, HALYARD_EXIT_OK);
    }
    const char *action = argv[1];
    if (strcmp(action, "connect") != 0 && strcmp(action, "status") != 0 &&
        strcmp(action, "disconnect") != 0) {
        fprintf(context->err, "halyard verify: unknown action '%s'\n", action);
        return usage_to(context->err, HALYARD_EXIT_USAGE);
    }
    if (strcmp(action, "connect") != 0 && argc > 2) {
        fprintf(context->err, "halyard verify %s: unexpected argument '%s'\n", action, argv[2]);
        return usage_to(context->err, HALYARD_EXIT_USAGE);
    }

    char message[1024];
    halyard_store *store = NULL;
    halyard_secret_key key;
    if (halyard_data_folder_open(context->config->data_dir, &store, &key, message,
                                 sizeof message) != 0) {
        fprintf(context->err, "halyard verify %s: %s\n", action, message);
        return HALYARD_EXIT_FAILURE;
    }

    int exit_status = HALYARD_EXIT_FAILURE;
    long long msp_id = 0;
    if (strcmp(action, "connect") == 0) {
        exit_status = run_connect(argc, argv, context, store, &key);
        goto cleanup;
    }
    int created = 0;
    int found =
        halyard_msp_find(store, context->msp, 0, &msp_id, &created, message, sizeof message);
    if (found == 1) {
        snprintf(message, sizeof message, "MSP '%s' does not exist", context->msp);
    }
    if (found != 0) {
        fprintf(context->err, "halyard verify %s: %s\n", action, message);
        goto cleanup;
    }
    if (strcmp(action, "status") == 0) {
        char *json = NULL;
        if (halyard_verification_status_json(store, &key, msp_id, context->msp, &json, message,
                                             sizeof message) != 0) {
            fprintf(context->err, "halyard verify status: %s\n", message);
            goto cleanup;
        }
        fprintf(context->out, "%s\n", json);
        free(json);
        exit_status = HALYARD_EXIT_OK;
        goto cleanup;
    }
    int removed = halyard_verification_disconnect(store, msp_id, message, sizeof message);
    if (removed < 0) {
        fprintf(context->err, "halyard verify disconnect: %s\n", message);
        goto cleanup;
    }
    fprintf(context->out,
            removed == 0 ? "disconnected MSP '%s' from its verification provider\n"
                         : "MSP '%s' had no verification provider\n",
            context->msp);
    exit_status = HALYARD_EXIT_OK;

cleanup:
    halyard_store_close(store);
    sodium_memzero(&key, sizeof key);
    return exit_status;
}
