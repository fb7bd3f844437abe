#include "cli_commands.h"

#include "admin_runs.h"
#include "approvals_stop.h"
#include "msp_context.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_usage(FILE *stream)
{
    fputs("usage: halyard [--msp NAME] runs cancel RUN_ID [--reason TEXT]\n"
          "  cancel  stops a run that waits for an approval or an assignment (or a failed\n"
          "          one): its approval request is withdrawn, so an answer to it runs\n"
          "          nothing, and a hidden note on the ticket says who cancelled it and\n"
          "          why. TEXT (at most 500 bytes) is the reason. Cancelling a run stopped\n"
          "          before changes nothing; a finished run cannot be cancelled.\n"
          "          RUN_ID is the id GET /api/v1/runs shows.\n",
          stream);
}

/* Names the person at the terminal for the run's record: "the CLI (user NAME)". */
static void describe_user(char *who, size_t who_size)
{
    const char *name = getenv("USER");
    struct passwd *entry = NULL;
    if (name == NULL || name[0] == '\0') {
        entry = getpwuid(getuid());
        name = entry != NULL ? entry->pw_name : NULL;
    }
    if (name != NULL && name[0] != '\0') {
        snprintf(who, who_size, "the CLI (user %.64s)", name);
    } else {
        snprintf(who, who_size, "the CLI (uid %u)", (unsigned)getuid());
    }
}

static int cancel_run(int argc, char **argv, const halyard_cli_context *context)
{
    const char *id_text = NULL;
    const char *reason = "";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc) {
            reason = argv[++i];
        } else if (id_text == NULL && argv[i][0] != '-') {
            id_text = argv[i];
        } else {
            fprintf(context->err, "halyard runs cancel: unexpected '%s'\n", argv[i]);
            print_usage(context->err);
            return HALYARD_EXIT_USAGE;
        }
    }
    if (id_text == NULL) {
        fputs("halyard runs cancel: name the run: halyard runs cancel RUN_ID\n", context->err);
        print_usage(context->err);
        return HALYARD_EXIT_USAGE;
    }
    char *end = NULL;
    errno = 0;
    long long run_id = strtoll(id_text, &end, 10);
    if (errno != 0 || end == id_text || *end != '\0' || run_id <= 0) {
        fprintf(context->err,
                "halyard runs cancel: '%s' is not a run id: use a positive whole number from "
                "GET /api/v1/runs\n",
                id_text);
        return HALYARD_EXIT_USAGE;
    }
    if (strlen(reason) > HALYARD_ADMIN_CANCEL_REASON_MAX) {
        fprintf(context->err, "halyard runs cancel: the reason is longer than %d bytes\n",
                HALYARD_ADMIN_CANCEL_REASON_MAX);
        return HALYARD_EXIT_USAGE;
    }

    char message[1024];
    halyard_msp_context msp;
    if (halyard_msp_context_open(context->config, context->msp, false, &msp, message,
                                 sizeof message) != 0) {
        fprintf(context->err, "halyard runs cancel: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    char who[96];
    describe_user(who, sizeof who);
    char previous[32] = "";
    int outcome = halyard_approvals_cancel_run(msp.store, msp.msp_id, run_id, who, reason, previous,
                                               sizeof previous, message, sizeof message);
    halyard_msp_context_close(&msp);
    if (outcome == HALYARD_CANCEL_STOPPED) {
        fprintf(context->out,
                "run %lld cancelled (it was %s): its approval request is withdrawn and a note "
                "is queued for the ticket\n",
                run_id, previous);
        return HALYARD_EXIT_OK;
    }
    if (outcome == HALYARD_CANCEL_ALREADY) {
        fprintf(context->out, "%s\n", message);
        return HALYARD_EXIT_OK;
    }
    if (outcome == HALYARD_CANCEL_NOT_FOUND) {
        fprintf(context->err,
                "halyard runs cancel: %s for MSP %s: list the MSP's runs with GET /api/v1/runs "
                "(halyard token create makes a token for it)\n",
                message, context->msp);
        return HALYARD_EXIT_FAILURE;
    }
    fprintf(context->err, "halyard runs cancel: %s\n", message);
    return HALYARD_EXIT_FAILURE;
}

int halyard_cli_runs(int argc, char **argv, const halyard_cli_context *context)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(context->out);
            return HALYARD_EXIT_OK;
        }
    }
    if (argc >= 2 && strcmp(argv[1], "cancel") == 0) {
        return cancel_run(argc, argv, context);
    }
    print_usage(context->err);
    return HALYARD_EXIT_USAGE;
}
