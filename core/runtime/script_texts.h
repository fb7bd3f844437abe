#ifndef HALYARD_SCRIPT_TEXTS_H
#define HALYARD_SCRIPT_TEXTS_H

#include "store.h"

#include <stddef.h>

/*
 * The texts of an MSP's own script files that serve, kept in halyard's database so that they
 * survive a restart. Hot reload writes the whole set each time it swaps in a new version of the
 * MSP's scripts, so the table holds only the set that serves now: a file that was deleted, or
 * that no longer serves, is dropped. At start, a file whose text on disk fails to load falls
 * back to its stored text. Script texts are not secrets, so the database keeps them as plain
 * text.
 */
typedef struct {
    const char *kind;         /* "tool", "workflow", "policy" or "verifier" */
    const char *path;         /* the file as found on disk, in the MSP's scripts folder */
    const char *serving_path; /* where the serving text was read; a shipped file's path when an
                                 MSP's override failed and the shipped text served instead */
    const char *text;         /* length bytes, NUL-terminated when loaded from the store */
    size_t length;
} halyard_script_text;

/* A set of texts read from the store, owning its strings. */
typedef struct {
    halyard_script_text *items;
    size_t count;
} halyard_script_text_set;

/* Replaces the stored texts of the MSP named msp by texts (count of them, none allowed) in one
 * transaction. Returns 0, or -1 with a message when the MSP has no row in msps or SQLite
 * fails; the stored set is then unchanged. */
int halyard_script_texts_save(halyard_store *store, const char *msp,
                              const halyard_script_text *texts, size_t count, char *message,
                              size_t message_size);

/* Reads the stored texts of the MSP named msp into *set (empty when there are none, or when
 * the MSP has no row in msps). Returns 0, or -1 with a message and an empty set. */
int halyard_script_texts_load(halyard_store *store, const char *msp, halyard_script_text_set *set,
                              char *message, size_t message_size);

/* Frees a set's strings and empties it; safe on an empty set. */
void halyard_script_text_set_clear(halyard_script_text_set *set);

#endif
