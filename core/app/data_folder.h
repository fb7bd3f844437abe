#ifndef HALYARD_DATA_FOLDER_H
#define HALYARD_DATA_FOLDER_H

#include "secret_box.h"
#include "store.h"

#include <stddef.h>

/* Opens halyard's data folder (config data_dir): creates it with mode 0700 when missing, opens
 * DIR/halyard.db, loads DIR/secret.key (made on first use) and seals provider URLs that an
 * earlier version stored in clear. Returns 0, or -1 with a message (nothing is left open). */
int halyard_data_folder_open(const char *data_dir, halyard_store **store, halyard_secret_key *key,
                             char *message, size_t message_size);

/* Checks an MSP name: 1 to 32 lower-case letters, digits and hyphens, starting with a letter or
 * digit, because it becomes part of the webhook URL. Returns 0, or -1 with a message. */
int halyard_msp_name_validate(const char *name, char *message, size_t message_size);

/* Finds the MSP's id; when create is set and it does not exist, adds it and sets *created.
 * Returns 0 (and *msp_id), 1 when it does not exist and create is not set, or -1 with a
 * message. */
int halyard_msp_find(halyard_store *store, const char *name, int create, long long *msp_id,
                     int *created, char *message, size_t message_size);

#endif
