#ifndef HALYARD_BINDINGS_HTTP_ALLOW_H
#define HALYARD_BINDINGS_HTTP_ALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * The rules of the `http` module: which URLs a script may request and which addresses the
 * request may connect to. Each MSP has an allow-list of hosts; everything else is rejected.
 *
 *   - Only http and https URLs, written with "scheme://".
 *   - No user name or password in the URL (https://allowed.example@evil/ names the host evil).
 *   - The host must be written in its plain form: no percent-encoding, and an IPv4 address
 *     only as four decimal numbers (http://2130706433/ and http://0x7f.1/ are 127.0.0.1).
 *   - The host must equal an entry's host (host names without regard to case, IP addresses
 *     by value), and the port must equal the entry's port, or be the scheme's default port
 *     (80 or 443) when the entry has none. So an IP address works only when it is listed.
 *   - An address that is not public (loopback, private, link-local, carrier-grade NAT,
 *     multicast, unspecified, reserved, or such an IPv4 address inside an IPv6 one) is reached
 *     only when the entry sets private = true. This is checked on the address the connection
 *     is made to, after the name lookup, so a name that resolves to a public address when
 *     checked and to an internal one when used is still stopped.
 */

/* One host a script may request. */
typedef struct {
    const char *host;   /* normalised by halyard_http_allow_normalize_host */
    unsigned int port;  /* 0: the scheme's default port */
    bool allow_private; /* the host may be reached at an address that is not public */
} halyard_http_allow_entry;

/* The longest host an entry or URL may name, in bytes (DNS allows 253). */
#define HALYARD_HTTP_HOST_MAX 253

/* Checks a host written in an allow-list: a host name, an IPv4 address as four decimal
 * numbers, or an IPv6 address with or without brackets. Writes its normal form (lower case,
 * IPv6 without brackets) into normalized, which needs HALYARD_HTTP_HOST_MAX + 1 bytes.
 * Returns 0, or -1 with a message naming the host and what is wrong. */
int halyard_http_allow_normalize_host(const char *text, char *normalized, size_t normalized_size,
                                      char *message, size_t message_size);

/* A URL that passed halyard_http_allow_check_url. */
typedef struct {
    char *url;                             /* as libcurl normalised it; the caller frees it */
    const halyard_http_allow_entry *entry; /* the entry that allowed it */
    char host[HALYARD_HTTP_HOST_MAX + 1];  /* lower case; IPv6 without brackets */
    unsigned int port;
} halyard_http_allow_target;

/* Checks url against the rules above. Returns 0 and fills target, or -1 with a message that
 * names the URL's problem and what to do (the message never repeats the URL's path or query,
 * which may hold secrets). */
int halyard_http_allow_check_url(const halyard_http_allow_entry *entries, size_t entry_count,
                                 const char *url, halyard_http_allow_target *target, char *message,
                                 size_t message_size);

/* Returns the kind of an address that is not public ("loopback", "private", "link-local",
 * "carrier-grade NAT", "multicast", "unspecified", "reserved" or "broadcast"), or NULL for a
 * public address. An IPv4 address inside an IPv6 one (IPv4-mapped, IPv4-compatible,
 * NAT64 64:ff9b::/96 or 6to4 2002::/16) is judged by the IPv4 address. Other families are
 * "unsupported". */
const char *halyard_http_address_kind(const struct sockaddr *address, size_t address_length);

/* Writes address as text (without a port) into text. */
void halyard_http_address_text(const struct sockaddr *address, char *text, size_t text_size);

#endif
