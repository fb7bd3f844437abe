#include "sim_certificates.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Validity of both certificates: from an hour ago, so a client whose clock is slightly behind
 * still accepts them, for 30 days. */
#define CERTIFICATES_NOT_BEFORE_SECONDS (-3600L)
#define CERTIFICATES_LIFETIME_SECONDS   (30L * 24 * 3600)

__attribute__((format(printf, 3, 4))) static int
certificates_fail(char *message, size_t message_size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int length = vsnprintf(message, message_size, format, args);
    va_end(args);

    /* OpenSSL's own reason, when it left one, goes after ours. */
    unsigned long code = ERR_get_error();
    if (code != 0 && length >= 0 && (size_t)length < message_size) {
        char reason[256];
        ERR_error_string_n(code, reason, sizeof reason);
        snprintf(message + length, message_size - (size_t)length, " (%s)", reason);
    }
    ERR_clear_error();
    return -1;
}

/* Adds one extension in OpenSSL's configuration syntax ("critical,CA:TRUE"). The context names
 * the issuer and subject, which the key identifier extensions read. */
static int certificates_add_extension(X509 *certificate, X509V3_CTX *context, int nid,
                                      const char *value)
{
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, context, nid, value);
    if (extension == NULL) {
        return -1;
    }
    int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    return added == 1 ? 0 : -1;
}

/* Makes a certificate for key with common_name, a random serial number and the validity above.
 * Returns NULL when OpenSSL fails. */
static X509 *certificates_new(EVP_PKEY *key, const char *common_name)
{
    X509 *certificate = X509_new();
    BIGNUM *serial = BN_new();
    if (certificate == NULL || serial == NULL || X509_set_version(certificate, 2) != 1 ||
        BN_rand(serial, 64, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) == NULL ||
        X509_gmtime_adj(X509_getm_notBefore(certificate), CERTIFICATES_NOT_BEFORE_SECONDS) ==
            NULL ||
        X509_gmtime_adj(X509_getm_notAfter(certificate), CERTIFICATES_LIFETIME_SECONDS) == NULL ||
        X509_set_pubkey(certificate, key) != 1 ||
        X509_NAME_add_entry_by_txt(X509_get_subject_name(certificate), "CN", MBSTRING_ASC,
                                   (const unsigned char *)common_name, -1, -1, 0) != 1) {
        BN_free(serial);
        X509_free(certificate);
        return NULL;
    }
    BN_free(serial);
    return certificate;
}

/* Opens folder/name for writing with mode, replacing an existing file. Returns NULL with
 * message set. */
static FILE *certificates_open(const char *folder, const char *name, mode_t mode, char *message,
                               size_t message_size)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", folder, name) >= (int)sizeof path) {
        certificates_fail(message, message_size, "the folder path '%.200s...' is too long", folder);
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    FILE *file = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (file == NULL) {
        certificates_fail(message, message_size, "cannot write '%s': %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
    }
    return file;
}

/* Closes file and reports a failed write of name. Returns 0, or -1 with message set. */
static int certificates_close(FILE *file, int written, const char *name, char *message,
                              size_t message_size)
{
    int closed = fclose(file);
    if (!written || closed != 0) {
        return certificates_fail(message, message_size, "writing %s failed", name);
    }
    return 0;
}

int sim_certificates_make(const char *folder, char *message, size_t message_size)
{
    int result = -1;
    EVP_PKEY *ca_key = NULL;
    EVP_PKEY *server_key = NULL;
    X509 *ca = NULL;
    X509 *server = NULL;
    FILE *file = NULL;
    X509V3_CTX context;

    /* Step 1: the CA, signed by itself. */
    ca_key = EVP_EC_gen("P-256");
    ca = ca_key != NULL ? certificates_new(ca_key, "halosim throwaway CA") : NULL;
    if (ca == NULL || X509_set_issuer_name(ca, X509_get_subject_name(ca)) != 1) {
        certificates_fail(message, message_size, "making the CA certificate failed");
        goto done;
    }
    X509V3_set_ctx(&context, ca, ca, NULL, NULL, 0);
    if (certificates_add_extension(ca, &context, NID_basic_constraints, "critical,CA:TRUE") != 0 ||
        certificates_add_extension(ca, &context, NID_key_usage, "critical,keyCertSign,cRLSign") !=
            0 ||
        certificates_add_extension(ca, &context, NID_subject_key_identifier, "hash") != 0 ||
        X509_sign(ca, ca_key, EVP_sha256()) == 0) {
        certificates_fail(message, message_size, "signing the CA certificate failed");
        goto done;
    }

    /* Step 2: the server certificate, signed by the CA. */
    server_key = EVP_EC_gen("P-256");
    server = server_key != NULL ? certificates_new(server_key, "localhost") : NULL;
    if (server == NULL || X509_set_issuer_name(server, X509_get_subject_name(ca)) != 1) {
        certificates_fail(message, message_size, "making the server certificate failed");
        goto done;
    }
    X509V3_set_ctx(&context, ca, server, NULL, NULL, 0);
    if (certificates_add_extension(server, &context, NID_basic_constraints, "CA:FALSE") != 0 ||
        certificates_add_extension(server, &context, NID_key_usage, "critical,digitalSignature") !=
            0 ||
        certificates_add_extension(server, &context, NID_ext_key_usage, "serverAuth") != 0 ||
        certificates_add_extension(server, &context, NID_subject_alt_name,
                                   "DNS:localhost,IP:127.0.0.1,IP:::1") != 0 ||
        certificates_add_extension(server, &context, NID_subject_key_identifier, "hash") != 0 ||
        certificates_add_extension(server, &context, NID_authority_key_identifier, "keyid") != 0 ||
        X509_sign(server, ca_key, EVP_sha256()) == 0) {
        certificates_fail(message, message_size, "signing the server certificate failed");
        goto done;
    }

    /* Step 3: the files, the key first, so a server.pem never exists without its key. */
    file = certificates_open(folder, SIM_CERTIFICATES_KEY_FILE, 0600, message, message_size);
    if (file == NULL ||
        certificates_close(file, PEM_write_PrivateKey(file, server_key, NULL, NULL, 0, NULL, NULL),
                           SIM_CERTIFICATES_KEY_FILE, message, message_size) != 0) {
        goto done;
    }
    file = certificates_open(folder, SIM_CERTIFICATES_SERVER_FILE, 0644, message, message_size);
    if (file == NULL ||
        certificates_close(file, PEM_write_X509(file, server) && PEM_write_X509(file, ca),
                           SIM_CERTIFICATES_SERVER_FILE, message, message_size) != 0) {
        goto done;
    }
    file = certificates_open(folder, SIM_CERTIFICATES_CA_FILE, 0644, message, message_size);
    if (file == NULL || certificates_close(file, PEM_write_X509(file, ca), SIM_CERTIFICATES_CA_FILE,
                                           message, message_size) != 0) {
        goto done;
    }
    result = 0;

done:
    X509_free(server);
    X509_free(ca);
    EVP_PKEY_free(server_key);
    EVP_PKEY_free(ca_key);
    return result;
}
