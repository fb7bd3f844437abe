#ifndef HALYARD_DATA_FOLDER_H
#define HALYARD_DATA_FOLDER_H

#include "secret_box.h"
#include "store.h"

#include <stddef.h>
#include <stdio.h>

/* Opens halyard's data folder (config data_dir): creates it with mode 0700 when missing, opens
 * DIR/halyard.db (its files readable by the owner only), loads DIR/secret.key (made on first
 * use) and seals provider URLs that an earlier version stored in clear. Logs a warning, once per
 * process, when the folder is open to group or others. Returns 0, or -1 with a message (nothing
 * is left open). */
int halyard_data_folder_open(const char *data_dir, halyard_store **store, halyard_secret_key *key,
                             char *message, size_t message_size);

/* Makes the warning about a data folder open to group or others go to stream as well as to
 * the log, for commands that a person runs and whose log is quiet; NULL stops it. */
void halyard_data_folder_warn_to(FILE *stream);

/* Takes the exclusive lock on the data folder (a flock on the folder itself, created with 0700
 * when missing) that `halyard serve` holds while it runs, so that one process works the folder's
 * jobs; the holder's pid goes into DIR/halyard.lock (mode 0600) for the next one's message, and
 * deleting that file leaves the lock in place. The lock is held until halyard_data_folder_unlock or
 * the process ends. purpose says in the message why this one needs the folder alone ("two serves
 * would work the same jobs"). Returns 0 and *lock_fd; 1 when another process holds it, with a
 * message that names the folder, the pid written by the holder when known and what to do; or -1
 * with a message. */
int halyard_data_folder_lock(const char *data_dir, const char *purpose, int *lock_fd, char *message,
                             size_t message_size);

/* Releases the lock taken by halyard_data_folder_lock; -1 is allowed. */
void halyard_data_folder_unlock(int lock_fd);

/* Checks an MSP name: 1 to 32 lower-case letters, digits and hyphens, starting with a letter or
 * digit, because it becomes part of the webhook URL. Returns 0, or -1 with a message. */
int halyard_msp_name_validate(const char *name, char *message, size_t message_size);

/* Finds the MSP's id; when create is set and it does not exist, adds it and sets *created.
 * Returns 0 (and *msp_id), 1 when it does not exist and create is not set, or -1 with a
 * message. */
int halyard_msp_find(halyard_store *store, const char *name, int create, long long *msp_id,
                     int *created, char *message, size_t message_size);

#endif
