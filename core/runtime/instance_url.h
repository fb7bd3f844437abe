#ifndef HALYARD_INSTANCE_URL_H
#define HALYARD_INSTANCE_URL_H

#include <stddef.h>

/* Longest instance URL accepted, in bytes: "https://" + a 253-byte host name + ":65535". */
#define HALYARD_INSTANCE_URL_MAX 270

/* Validates the address of a HaloPSA instance as an MSP types it and writes its normal form,
 * "https://host" or "https://host:port" with the host in lower case, to normalized.
 *
 * Accepted: HTTPS, a DNS host name (not an IP address), an optional port, nothing else.
 * Surrounding white space is ignored. Rejected, each with its own message naming the value and,
 * where the fix is obvious, the corrected URL: an empty value, a missing or other scheme, user
 * credentials, a path (a trailing slash included), a query, a fragment, an IP address, an
 * invalid host name or port.
 *
 * Returns 0 on success, or -1 with a one-line message in message (normalized is then empty). */
int halyard_instance_url_validate(const char *input, char *normalized, size_t normalized_size,
                                  char *message, size_t message_size);

#endif
