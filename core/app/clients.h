#ifndef HALYARD_CLIENTS_H
#define HALYARD_CLIENTS_H

#include "msp_context.h"

#include <stdbool.h>
#include <stddef.h>

/* A HaloPSA client as halyard lists it. */
typedef struct {
    long long id;
    char *name;
    bool imported;
    char mode[16]; /* the agent's mode when imported: "plan" or "execute" */
} halyard_client_row;

typedef struct {
    halyard_client_row *rows;
    size_t count;
    char warning[256]; /* why the listing may be incomplete, or "" */
} halyard_client_list;

/* Lists every HaloPSA client whose name contains search (NULL for all), reading every page of
 * GET /api/Client, and marks those already imported. A client listed on two pages appears once.
 * Reading stops at a page that adds no new client (a server that repeats a page) or after 1,000
 * pages, and list->warning then says so. Returns 0, or -1 with a message. */
int halyard_clients_list(halyard_msp_context *context, const char *search,
                         halyard_client_list *list, char *message, size_t message_size);

void halyard_client_list_free(halyard_client_list *list);

/* Imports HaloPSA client id for the MSP: reads it from HaloPSA and gives it its agent, in Plan
 * mode. Importing a client twice keeps the first import and its mode. *name receives the
 * client's name (caller frees) and *already whether it was imported before. Returns 0, 1 when
 * HaloPSA has no such client, or -1 with a message. */
int halyard_clients_import(halyard_msp_context *context, long long id, char **name, bool *already,
                           char *message, size_t message_size);

/* Sets the mode of an imported client's agent: "plan" (writes up what it would do) or "execute"
 * (acts, asking the assigned technician before steps that need approval). Runs that started
 * before keep the mode they started with, except that a switch to "plan" stops the client's
 * runs waiting for an approval (halyard_approvals_stop_client_runs). *previous (may be NULL)
 * receives the mode it had.
 * Returns 0, 1 when the client is not imported, 2 for a mode other than those two, or -1 with
 * a message. */
int halyard_clients_set_mode(halyard_store *store, long long msp_id, const char *msp_name,
                             long long id, const char *mode, char previous[16], char *message,
                             size_t message_size);

#endif
