#include "secret_box.h"

#include "message.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET_PREFIX         "v1:"
#define SECRET_NONCE_BYTES    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SECRET_TAG_BYTES      crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SECRET_BASE64_VARIANT sodium_base64_VARIANT_ORIGINAL

/* Longest key file accepted: the base64 text of a key plus a line end, with room to spare. */
#define SECRET_KEY_FILE_MAX 128

static int ensure_sodium(char *message, size_t message_size)
{
    if (sodium_init() < 0) {
        halyard_message_write(message, message_size, "libsodium failed to initialise");
        return HALYARD_SECRET_ERROR;
    }
    return HALYARD_SECRET_OK;
}

static int create_key_file(const char *path, char *message, size_t message_size)
{
    unsigned char key[HALYARD_SECRET_KEY_BYTES];
    char text[sodium_base64_ENCODED_LEN(HALYARD_SECRET_KEY_BYTES, SECRET_BASE64_VARIANT) + 1];
    randombytes_buf(key, sizeof key);
    sodium_bin2base64(text, sizeof text - 1, key, sizeof key, SECRET_BASE64_VARIANT);
    sodium_memzero(key, sizeof key);
    size_t length = strlen(text);
    text[length++] = '\n';

    int status = HALYARD_SECRET_ERROR;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        halyard_message_write(message, message_size, "cannot create the key file %s: %s", path,
                              strerror(errno));
        goto cleanup;
    }
    if (write(fd, text, length) != (ssize_t)length || fsync(fd) != 0) {
        halyard_message_write(message, message_size, "cannot write the key file %s: %s", path,
                              strerror(errno));
        close(fd);
        unlink(path);
        goto cleanup;
    }
    if (close(fd) != 0) {
        halyard_message_write(message, message_size, "cannot write the key file %s: %s", path,
                              strerror(errno));
        unlink(path);
        goto cleanup;
    }
    status = HALYARD_SECRET_OK;

cleanup:
    sodium_memzero(text, sizeof text);
    return status;
}

int halyard_secret_key_load(const char *path, bool create, halyard_secret_key *key, char *message,
                            size_t message_size)
{
    if (ensure_sodium(message, message_size) != HALYARD_SECRET_OK) {
        return HALYARD_SECRET_ERROR;
    }

    /* Step 1: make the key on first run. */
    if (access(path, F_OK) != 0 && errno == ENOENT) {
        if (!create) {
            halyard_message_write(
                message, message_size,
                "the key file %s is missing: without it the stored secrets cannot be "
                "opened; restore it, or enter the secrets again",
                path);
            return HALYARD_SECRET_ERROR;
        }
        if (create_key_file(path, message, message_size) != HALYARD_SECRET_OK) {
            return HALYARD_SECRET_ERROR;
        }
    }

    /* Step 2: read it, refusing a file others can read. */
    int status = HALYARD_SECRET_ERROR;
    char text[SECRET_KEY_FILE_MAX + 1];
    ssize_t length = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) {
        halyard_message_write(message, message_size, "cannot read the key file %s: %s", path,
                              strerror(errno));
        goto cleanup;
    }
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        halyard_message_write(
            message, message_size,
            "the key file %s can be read by other users (mode %03o): run chmod 600 %s", path,
            (unsigned)(info.st_mode & 0777), path);
        goto cleanup;
    }
    length = read(fd, text, SECRET_KEY_FILE_MAX + 1);
    if (length < 0 || length > SECRET_KEY_FILE_MAX) {
        halyard_message_write(message, message_size,
                              "the key file %s is not a halyard key: expected one line of base64",
                              path);
        goto cleanup;
    }

    /* Step 3: decode it. */
    while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r')) {
        length--;
    }
    text[length] = '\0';
    size_t key_length = 0;
    if (sodium_base642bin(key->bytes, sizeof key->bytes, text, (size_t)length, NULL, &key_length,
                          NULL, SECRET_BASE64_VARIANT) != 0 ||
        key_length != sizeof key->bytes) {
        halyard_message_write(message, message_size,
                              "the key file %s is not a halyard key: expected base64 of %d bytes",
                              path, HALYARD_SECRET_KEY_BYTES);
        goto cleanup;
    }
    status = HALYARD_SECRET_OK;

cleanup:
    sodium_memzero(text, sizeof text);
    if (fd >= 0) {
        close(fd);
    }
    return status;
}

int halyard_secret_seal(const halyard_secret_key *key, const char *context,
                        const unsigned char *plaintext, size_t length, char **sealed, char *message,
                        size_t message_size)
{
    *sealed = NULL;
    if (ensure_sodium(message, message_size) != HALYARD_SECRET_OK) {
        return HALYARD_SECRET_ERROR;
    }

    /* The box: a random nonce followed by the ciphertext and its tag. */
    size_t box_length = SECRET_NONCE_BYTES + length + SECRET_TAG_BYTES;
    unsigned char *box = malloc(box_length);
    size_t text_size =
        sizeof SECRET_PREFIX - 1 + sodium_base64_ENCODED_LEN(box_length, SECRET_BASE64_VARIANT);
    char *text = malloc(text_size);
    if (box == NULL || text == NULL) {
        free(box);
        free(text);
        halyard_message_write(message, message_size, "out of memory sealing a secret");
        return HALYARD_SECRET_ERROR;
    }
    randombytes_buf(box, SECRET_NONCE_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(box + SECRET_NONCE_BYTES, NULL, plaintext, length,
                                               (const unsigned char *)context, strlen(context),
                                               NULL, box, key->bytes);

    memcpy(text, SECRET_PREFIX, sizeof SECRET_PREFIX - 1);
    sodium_bin2base64(text + sizeof SECRET_PREFIX - 1, text_size - (sizeof SECRET_PREFIX - 1), box,
                      box_length, SECRET_BASE64_VARIANT);
    free(box);
    *sealed = text;
    return HALYARD_SECRET_OK;
}

int halyard_secret_open(const halyard_secret_key *key, const char *context, const char *sealed,
                        unsigned char **plaintext, size_t *length, char *message,
                        size_t message_size)
{
    *plaintext = NULL;
    *length = 0;
    if (ensure_sodium(message, message_size) != HALYARD_SECRET_OK) {
        return HALYARD_SECRET_ERROR;
    }
    if (strncmp(sealed, SECRET_PREFIX, sizeof SECRET_PREFIX - 1) != 0) {
        halyard_message_write(message, message_size,
                              "the stored secret for %s is not in a format this halyard reads",
                              context);
        return HALYARD_SECRET_ERROR;
    }

    /* Step 1: base64 back to the box. */
    const char *encoded = sealed + sizeof SECRET_PREFIX - 1;
    size_t encoded_length = strlen(encoded);
    size_t box_capacity = encoded_length / 4 * 3 + 3;
    unsigned char *box = malloc(box_capacity);
    size_t box_length = 0;
    if (box == NULL) {
        halyard_message_write(message, message_size, "out of memory opening a secret");
        return HALYARD_SECRET_ERROR;
    }
    if (sodium_base642bin(box, box_capacity, encoded, encoded_length, NULL, &box_length, NULL,
                          SECRET_BASE64_VARIANT) != 0 ||
        box_length < SECRET_NONCE_BYTES + SECRET_TAG_BYTES) {
        free(box);
        halyard_message_write(message, message_size, "the stored secret for %s is damaged",
                              context);
        return HALYARD_SECRET_ERROR;
    }

    /* Step 2: authenticate and decrypt into locked-down memory. */
    size_t clear_length = box_length - SECRET_NONCE_BYTES - SECRET_TAG_BYTES;
    unsigned char *clear = sodium_malloc(clear_length + 1);
    if (clear == NULL) {
        free(box);
        halyard_message_write(message, message_size, "out of memory opening a secret");
        return HALYARD_SECRET_ERROR;
    }
    unsigned long long opened_length = 0;
    int opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
        clear, &opened_length, NULL, box + SECRET_NONCE_BYTES, box_length - SECRET_NONCE_BYTES,
        (const unsigned char *)context, strlen(context), box, key->bytes);
    free(box);
    if (opened != 0) {
        sodium_free(clear);
        halyard_message_write(
            message, message_size,
            "the stored secret for %s cannot be opened with this key file: the key "
            "was replaced or the value was altered; enter the secret again",
            context);
        return HALYARD_SECRET_WRONG_KEY;
    }
    clear[opened_length] = '\0';
    *plaintext = clear;
    *length = (size_t)opened_length;
    return HALYARD_SECRET_OK;
}

void halyard_secret_free(unsigned char *plaintext, size_t length)
{
    (void)length; /* sodium_free wipes the whole allocation itself */
    if (plaintext != NULL) {
        sodium_free(plaintext);
    }
}

int halyard_secret_seal_text(const halyard_secret_key *key, const char *context, const char *text,
                             char **sealed, char *message, size_t message_size)
{
    *sealed = NULL;
    if (text == NULL) {
        return HALYARD_SECRET_OK;
    }
    return halyard_secret_seal(key, context, (const unsigned char *)text, strlen(text), sealed,
                               message, message_size);
}

int halyard_secret_open_text(const halyard_secret_key *key, const char *context, const char *sealed,
                             char **text, char *message, size_t message_size)
{
    *text = NULL;
    if (sealed == NULL) {
        return HALYARD_SECRET_OK;
    }
    unsigned char *opened = NULL;
    size_t length = 0;
    int status = halyard_secret_open(key, context, sealed, &opened, &length, message, message_size);
    if (status != HALYARD_SECRET_OK) {
        return status;
    }
    *text = strdup((const char *)opened);
    halyard_secret_free(opened, length);
    if (*text == NULL) {
        snprintf(message, message_size, "out of memory opening a secret");
        return HALYARD_SECRET_ERROR;
    }
    return HALYARD_SECRET_OK;
}
