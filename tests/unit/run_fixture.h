#ifndef HALYARD_TESTS_RUN_FIXTURE_H
#define HALYARD_TESTS_RUN_FIXTURE_H

/* Set-up shared by the unit tests of the verification modules: a scratch data folder with a
 * real SQLite store and one run in it. Every function fails the running cmocka test on an
 * error, so a test never goes on with half a fixture. */

#include <stdbool.h>
#include <stddef.h>

#include "runs.h"
#include "store.h"

/* The MSP, client and ticket of the fixture's run. */
#define RUN_FIXTURE_MSP_ID    1
#define RUN_FIXTURE_CLIENT_ID 12
#define RUN_FIXTURE_TICKET_ID 5

/* Makes the folder /tmp/halyard-<name>-XXXXXX, writing its path into folder (at least 64
 * bytes), and opens the store halyard.db in it into store. */
void run_fixture_open_store(const char *name, char *folder, size_t folder_size,
                            halyard_store **store);

/* Creates the run of ticket RUN_FIXTURE_TICKET_ID in state and mode ("execute" or "plan"), as
 * first seen. When verification is not NULL, stores its screening (sensitive, the run
 * verification and screening_json, which may be NULL). Reads the run back into run. */
void run_fixture_create_run(halyard_store *store, const char *state, const char *mode,
                            bool sensitive, const char *verification, const char *screening_json,
                            halyard_run *run);

/* Closes store and removes folder with everything in it. */
void run_fixture_remove(halyard_store *store, const char *folder);

#endif
