#include "cli_commands.h"

#include "clients.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int usage_to(FILE *stream, int status);

static int usage(const halyard_cli_context *context)
{
    return usage_to(context->err, HALYARD_EXIT_USAGE);
}

static int usage_to(FILE *stream, int status)
{
    fputs("usage: halyard [--msp NAME] clients list [--search TEXT]\n"
          "       halyard [--msp NAME] clients import ID...\n"
          "       halyard [--msp NAME] clients mode ID plan|execute\n"
          "  list    every HaloPSA client (all pages), marking those already imported\n"
          "  import  gives each HaloPSA client ID its agent, in Plan mode\n"
          "  mode    sets the mode of an imported client's agent for the runs it starts from\n"
          "          now on: plan writes up what it would do, execute acts and asks the\n"
          "          assigned technician to approve the steps that need it. plan also stops\n"
          "          the client's Execute-mode runs under way before their next step\n",
          stream);
    return status;
}

static int list_clients(int argc, char **argv, const halyard_cli_context *context)
{
    const char *search = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--search") == 0 && i + 1 < argc) {
            search = argv[++i];
        } else {
            fprintf(context->err, "halyard clients list: unexpected '%s'\n", argv[i]);
            return usage(context);
        }
    }

    char message[1024];
    halyard_msp_context msp;
    if (halyard_msp_context_open(context->config, context->msp, true, &msp, message,
                                 sizeof message) != 0) {
        fprintf(context->err, "halyard clients list: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    halyard_client_list list;
    int status = halyard_clients_list(&msp, search, &list, message, sizeof message);
    halyard_msp_context_close(&msp);
    if (status != 0) {
        fprintf(context->err, "halyard clients list: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }

    fprintf(context->out, "%8s  %-40s  %s\n", "ID", "NAME", "AGENT");
    size_t imported = 0;
    for (size_t i = 0; i < list.count; i++) {
        const halyard_client_row *row = &list.rows[i];
        char agent[32] = "not imported";
        if (row->imported) {
            snprintf(agent, sizeof agent, "%s mode", row->mode);
            imported++;
        }
        fprintf(context->out, "%8lld  %-40s  %s\n", row->id, row->name, agent);
    }
    fprintf(context->out, "%zu clients, %zu imported\n", list.count, imported);
    if (list.warning[0] != '\0') {
        fprintf(context->err, "halyard clients list: warning: %s\n", list.warning);
    }
    halyard_client_list_free(&list);
    return HALYARD_EXIT_OK;
}

/* Parses a HaloPSA client id: a positive decimal integer. */
static int parse_id(const char *text, long long *id)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value <= 0) {
        return -1;
    }
    *id = value;
    return 0;
}

static int import_clients(int argc, char **argv, const halyard_cli_context *context)
{
    if (argc < 3) {
        fputs("halyard clients import: name at least one HaloPSA client ID\n", context->err);
        return usage(context);
    }
    for (int i = 2; i < argc; i++) {
        long long id = 0;
        if (parse_id(argv[i], &id) != 0) {
            fprintf(context->err,
                    "halyard clients import: '%s' is not a client ID: use the numbers "
                    "'halyard clients list' shows\n",
                    argv[i]);
            return HALYARD_EXIT_USAGE;
        }
    }

    char message[1024];
    halyard_msp_context msp;
    if (halyard_msp_context_open(context->config, context->msp, true, &msp, message,
                                 sizeof message) != 0) {
        fprintf(context->err, "halyard clients import: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }

    /* Each ID on its own: one unknown ID does not stop the others. */
    int exit_status = HALYARD_EXIT_OK;
    for (int i = 2; i < argc; i++) {
        long long id = 0;
        parse_id(argv[i], &id);
        char *name = NULL;
        bool already = false;
        int status = halyard_clients_import(&msp, id, &name, &already, message, sizeof message);
        if (status == 0 && already) {
            fprintf(context->out, "client %lld '%s' was already imported\n", id, name);
        } else if (status == 0) {
            fprintf(context->out, "imported client %lld '%s': its agent runs in Plan mode\n", id,
                    name);
        } else if (status == 1) {
            fprintf(context->err, "halyard clients import: HaloPSA has no client %lld\n", id);
            exit_status = HALYARD_EXIT_FAILURE;
        } else {
            fprintf(context->err, "halyard clients import: client %lld: %s\n", id, message);
            exit_status = HALYARD_EXIT_FAILURE;
        }
        free(name);
    }
    halyard_msp_context_close(&msp);
    return exit_status;
}

/* Sets a client's mode in halyard's database, without calling HaloPSA. */
static int set_mode(int argc, char **argv, const halyard_cli_context *context)
{
    if (argc != 4) {
        fputs("halyard clients mode: name one client ID and a mode, plan or execute\n",
              context->err);
        return usage(context);
    }
    long long id = 0;
    if (parse_id(argv[2], &id) != 0) {
        fprintf(context->err,
                "halyard clients mode: '%s' is not a client ID: use the numbers "
                "'halyard clients list' shows\n",
                argv[2]);
        return HALYARD_EXIT_USAGE;
    }

    char message[1024];
    halyard_msp_context msp;
    if (halyard_msp_context_open(context->config, context->msp, false, &msp, message,
                                 sizeof message) != 0) {
        fprintf(context->err, "halyard clients mode: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    char previous[16] = "";
    int status = halyard_clients_set_mode(msp.store, msp.msp_id, msp.msp_name, id, argv[3],
                                          previous, message, sizeof message);
    halyard_msp_context_close(&msp);
    if (status == 2) {
        fprintf(context->err, "halyard clients mode: %s\n", message);
        return HALYARD_EXIT_USAGE;
    }
    if (status == 1) {
        fprintf(context->err,
                "halyard clients mode: client %lld is not imported: run 'halyard clients import "
                "%lld' first\n",
                id, id);
        return HALYARD_EXIT_FAILURE;
    }
    if (status != 0) {
        fprintf(context->err, "halyard clients mode: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    fprintf(context->out,
            "client %lld: its agent runs in %s mode (was %s); runs already "
            "started keep their mode\n",
            id, strcmp(argv[3], "execute") == 0 ? "Execute" : "Plan", previous);
    return HALYARD_EXIT_OK;
}

int halyard_cli_clients(int argc, char **argv, const halyard_cli_context *context)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return usage_to(context->out, HALYARD_EXIT_OK);
        }
    }
    if (argc >= 2 && strcmp(argv[1], "list") == 0) {
        return list_clients(argc, argv, context);
    }
    if (argc >= 2 && strcmp(argv[1], "import") == 0) {
        return import_clients(argc, argv, context);
    }
    if (argc >= 2 && strcmp(argv[1], "mode") == 0) {
        return set_mode(argc, argv, context);
    }
    return usage(context);
}
