#ifndef SIM_CERTIFICATES_H
#define SIM_CERTIFICATES_H

#include <stddef.h>

/* The files sim_certificates_make writes into its folder. */
#define SIM_CERTIFICATES_CA_FILE     "ca.pem"
#define SIM_CERTIFICATES_SERVER_FILE "server.pem"
#define SIM_CERTIFICATES_KEY_FILE    "server.key"

/* Makes a throwaway certificate authority and a server certificate signed by it, for the names
 * localhost, 127.0.0.1 and ::1, and writes them into folder (which must exist):
 *   ca.pem      the CA certificate, for the client to trust
 *   server.pem  the server certificate followed by the CA certificate
 *   server.key  the server's private key, mode 0600
 * Existing files of those names are replaced. Keys are P-256 and fresh on every call; the CA's
 * key is never written, so nothing else can be signed with it. The certificates are valid
 * from an hour ago for 30 days of real time. Returns 0, or -1 with a message that names the
 * file or the OpenSSL step that failed. */
int sim_certificates_make(const char *folder, char *message, size_t message_size);

#endif
