#ifndef HALYARD_PUBLIC_URL_H
#define HALYARD_PUBLIC_URL_H

#include <stdbool.h>
#include <stddef.h>

/* Maximum length of public_url in bytes, without trailing slashes. */
#define HALYARD_PUBLIC_URL_MAX 1023

/* Validates the config's public_url and writes it without trailing slashes to normalized, which
 * needs HALYARD_PUBLIC_URL_MAX + 1 bytes.
 *
 * Accepted: http:// or https://, a host, an optional port from 1 to 65535, and slashes after
 * it. The host is a DNS name (labels of 1 to 63 letters, digits and inner hyphens, 253 bytes at
 * most, no trailing dot), a dotted-quad IPv4 address or a bracketed IPv6 address. A name whose
 * last label is all digits must be a valid IPv4 address. halyard serves its routes only at the
 * root of its listening address, so a path, a query, a fragment and user credentials are
 * rejected, as are spaces, control and non-ASCII bytes. The plain-HTTP rule is not checked here:
 * see halyard_public_url_check_transport.
 *
 * Returns 0, or -1 with a one-line message naming the value and the fix. */
int halyard_public_url_normalize(const char *input, char *normalized, size_t normalized_size,
                                 char *message, size_t message_size);

/* Checks that HaloPSA may send a webhook password and ticket data to url: it must be https://,
 * or http:// to this machine only, which is a host of exactly localhost, an IPv4 address in
 * 127.0.0.0/8 or [::1]. url is a value halyard_public_url_normalize accepted.
 *
 * Returns 0, or -1 with a one-line message naming the value and the fix. */
int halyard_public_url_check_transport(const char *url, char *message, size_t message_size);

/* Whether host (length bytes, no port) names this machine: localhost in any letter case, a
 * dotted-quad IPv4 address in 127.0.0.0/8 or [::1]. */
bool halyard_public_url_host_is_loopback(const char *host, size_t length);

#endif
