#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_fixture.h"

void run_fixture_open_store(const char *name, char *folder, size_t folder_size,
                            halyard_store **store)
{
    int written = snprintf(folder, folder_size, "/tmp/halyard-%s-XXXXXX", name);
    assert_true(written > 0 && (size_t)written < folder_size);
    assert_non_null(mkdtemp(folder));

    char path[128];
    snprintf(path, sizeof path, "%s/halyard.db", folder);
    char message[256] = "";
    assert_int_equal(halyard_store_open(path, store, message, sizeof message), 0);
}

void run_fixture_create_run(halyard_store *store, const char *state, const char *mode,
                            bool sensitive, const char *verification, const char *screening_json,
                            halyard_run *run)
{
    char message[256] = "";
    assert_int_equal(halyard_runs_create(store, RUN_FIXTURE_MSP_ID, RUN_FIXTURE_CLIENT_ID,
                                         RUN_FIXTURE_TICKET_ID, state, mode, false,
                                         "ticket first seen", run, message, sizeof message),
                     0);
    if (verification != NULL) {
        assert_int_equal(halyard_runs_set_screening(store, run->id, sensitive, verification,
                                                    screening_json, message, sizeof message),
                         0);
    }
    assert_int_equal(halyard_runs_get(store, run->id, run, message, sizeof message), 0);
}

void run_fixture_remove(halyard_store *store, const char *folder)
{
    halyard_store_close(store);
    char command[256];
    snprintf(command, sizeof command, "rm -rf '%s'", folder);
    assert_int_equal(system(command), 0);
}
