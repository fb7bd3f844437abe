#ifndef HALYARD_SECRET_BOX_H
#define HALYARD_SECRET_BOX_H

#include <stdbool.h>
#include <stddef.h>

/* Secrets at rest (HaloPSA client secrets, provider keys) are sealed with XChaCha20-Poly1305
 * from libsodium under one key per installation, kept in a file of its own beside the database.
 * A sealed value is bound to a context string (which MSP and which field), so a value copied
 * into another row does not open. */

#define HALYARD_SECRET_KEY_BYTES 32

typedef struct {
    unsigned char bytes[HALYARD_SECRET_KEY_BYTES];
} halyard_secret_key;

/* Result codes of this module. */
enum {
    HALYARD_SECRET_OK = 0,
    HALYARD_SECRET_ERROR = -1,     /* I/O, format or allocation failure; see the message */
    HALYARD_SECRET_WRONG_KEY = -2, /* authentication failed: another key or a tampered value */
};

/* Loads the key file at path: base64 of 32 bytes, one line. When the file is missing and
 * create is true, makes a new random key there with mode 0600 (never overwriting a file that
 * appears meanwhile). A key file readable by group or others is rejected, like ssh does.
 * Returns HALYARD_SECRET_OK or HALYARD_SECRET_ERROR with a message. */
int halyard_secret_key_load(const char *path, bool create, halyard_secret_key *key, char *message,
                            size_t message_size);

/* Seals length bytes of plaintext for context into *sealed, a NUL-terminated text
 * "v1:<base64 of nonce and ciphertext>" that the caller frees with free().
 * Returns HALYARD_SECRET_OK or HALYARD_SECRET_ERROR with a message. */
int halyard_secret_seal(const halyard_secret_key *key, const char *context,
                        const unsigned char *plaintext, size_t length, char **sealed, char *message,
                        size_t message_size);

/* Opens a value made by halyard_secret_seal with the same context. On success *plaintext is a
 * NUL-terminated copy (length bytes plus the NUL) that the caller releases with
 * halyard_secret_free. Returns HALYARD_SECRET_OK, HALYARD_SECRET_WRONG_KEY when the key or
 * context differs or the value was altered, or HALYARD_SECRET_ERROR for a malformed value. */
int halyard_secret_open(const halyard_secret_key *key, const char *context, const char *sealed,
                        unsigned char **plaintext, size_t *length, char *message,
                        size_t message_size);

/* Seals a NUL-terminated text like halyard_secret_seal. NULL text sets *sealed to NULL and
 * returns HALYARD_SECRET_OK, for a value that is not set. */
int halyard_secret_seal_text(const halyard_secret_key *key, const char *context, const char *text,
                             char **sealed, char *message, size_t message_size);

/* Opens a sealed text into *text, a malloc'd string the caller frees. NULL sealed sets *text to
 * NULL and returns HALYARD_SECRET_OK. Returns as halyard_secret_open does. */
int halyard_secret_open_text(const halyard_secret_key *key, const char *context, const char *sealed,
                             char **text, char *message, size_t message_size);

/* Wipes and frees a plaintext returned by halyard_secret_open; NULL is allowed. */
void halyard_secret_free(unsigned char *plaintext, size_t length);

#endif
