#include "public_url.h"

#include "message.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The parts of a public_url, each a slice of the input. */
typedef struct {
    bool https;
    const char *host; /* with the brackets of an IPv6 address */
    size_t host_length;
    const char *port; /* NULL without a ':' after the host */
    size_t port_length;
    const char *rest; /* from the first '/', '?' or '#' after the host */
    size_t authority_end;
} public_url_parts;

/* Whether host is a dotted-quad IPv4 address: four decimal numbers from 0 to 255. A number with
 * a leading zero is rejected, because inet_aton(3) reads it as octal. */
static bool host_is_ipv4(const char *host, size_t length)
{
    int numbers = 0;
    size_t start = 0;
    for (size_t i = 0; i <= length; i++) {
        if (i < length && host[i] != '.') {
            if (!isdigit((unsigned char)host[i])) {
                return false;
            }
            continue;
        }
        size_t digits = i - start;
        if (digits == 0 || digits > 3 || (digits > 1 && host[start] == '0')) {
            return false;
        }
        int value = 0;
        for (size_t j = start; j < i; j++) {
            value = value * 10 + (host[j] - '0');
        }
        if (value > 255) {
            return false;
        }
        numbers++;
        start = i + 1;
    }
    return numbers == 4;
}

/* Checks host (length bytes, with the brackets of an IPv6 address): a bracketed IPv6 address,
 * an IPv4 address, or a DNS name of dot-separated labels. A label has 1 to 63 letters, digits
 * and hyphens, and neither starts nor ends with a hyphen. The name has at most 253 bytes.
 * Returns NULL when host is valid, or the reason it is not, to follow "because". */
static const char *host_problem(const char *host, size_t length)
{
    if (length > 0 && host[0] == '[') {
        char address[INET6_ADDRSTRLEN];
        struct in6_addr parsed;
        if (length < 3 || host[length - 1] != ']' || length - 2 >= sizeof address) {
            return "it is not a valid IPv6 address";
        }
        memcpy(address, host + 1, length - 2);
        address[length - 2] = '\0';
        if (inet_pton(AF_INET6, address, &parsed) != 1) {
            return "it is not a valid IPv6 address";
        }
        return NULL;
    }
    if (length > 253) {
        return "it is longer than 253 characters";
    }

    /* Step 1: the labels, each checked when the dot or the end after it is reached. */
    size_t label_start = 0;
    for (size_t i = 0; i <= length; i++) {
        char c = i < length ? host[i] : '.';
        if (c != '.') {
            if (!isalnum((unsigned char)c) && c != '-') {
                return "it contains a character other than letters, digits, hyphens and dots";
            }
            continue;
        }
        size_t label_length = i - label_start;
        if (label_length == 0) {
            return "it has an empty label (a dot at its start or end, or two dots in a row)";
        }
        if (label_length > 63) {
            return "a label is longer than 63 characters";
        }
        if (host[label_start] == '-' || host[i - 1] == '-') {
            return "a label starts or ends with a hyphen";
        }
        label_start = i + 1;
    }

    /* Step 2: a host whose last label is all digits is taken for an IPv4 address, so it must
     * be a valid one. Otherwise 1.2.3 or 256.1.1.1 would pass as a name. */
    size_t last_start = length;
    while (last_start > 0 && host[last_start - 1] != '.') {
        last_start--;
    }
    bool last_numeric = true;
    for (size_t i = last_start; i < length; i++) {
        last_numeric = last_numeric && isdigit((unsigned char)host[i]);
    }
    if (last_numeric && !host_is_ipv4(host, length)) {
        return "it ends in a number but is not an IPv4 address of four numbers from 0 to 255";
    }
    return NULL;
}

/* Splits input into parts. Returns 0, or -1 with a message; input has only printable ASCII. */
static int split_parts(const char *input, public_url_parts *parts, char *message,
                       size_t message_size)
{
    memset(parts, 0, sizeof *parts);
    const char *separator = strstr(input, "://");
    size_t scheme_length = separator != NULL ? (size_t)(separator - input) : 0;
    if (separator != NULL && scheme_length == 5 && strncasecmp(input, "https", 5) == 0) {
        parts->https = true;
    } else if (separator == NULL || scheme_length != 4 || strncasecmp(input, "http", 4) != 0) {
        halyard_message_write(message, message_size,
                              "public_url '%.200s' does not start with https:// (or http:// for "
                              "this machine): use the address HaloPSA reaches halyard at, like "
                              "https://halyard.msp.example",
                              input);
        return -1;
    }

    /* The authority ends at the first '/', '?' or '#'. */
    const char *authority = separator + 3;
    size_t authority_length = strcspn(authority, "/?#");
    if (memchr(authority, '@', authority_length) != NULL) {
        halyard_message_write(message, message_size,
                              "public_url must not contain user credentials (user:password@): "
                              "HaloPSA gets its own webhook credentials from halyard connect");
        return -1;
    }
    parts->host = authority;
    if (authority[0] == '[') {
        const char *close = memchr(authority, ']', authority_length);
        parts->host_length = close != NULL ? (size_t)(close - authority) + 1 : authority_length;
    } else {
        const char *colon = memchr(authority, ':', authority_length);
        parts->host_length = colon != NULL ? (size_t)(colon - authority) : authority_length;
    }
    if (parts->host_length < authority_length) {
        if (authority[parts->host_length] != ':') {
            parts->host_length = authority_length; /* text after "]": an invalid host */
        } else {
            parts->port = authority + parts->host_length + 1;
            parts->port_length = authority_length - parts->host_length - 1;
        }
    }
    parts->rest = authority + authority_length;
    parts->authority_end = (size_t)(parts->rest - input);
    return 0;
}

static int check_host_and_port(const char *input, const public_url_parts *parts, char *message,
                               size_t message_size)
{
    if (parts->host_length == 0) {
        halyard_message_write(message, message_size,
                              "public_url '%.200s' has no host name: use the address HaloPSA "
                              "reaches halyard at, like https://halyard.msp.example",
                              input);
        return -1;
    }
    const char *problem = host_problem(parts->host, parts->host_length);
    if (problem != NULL) {
        halyard_message_write(message, message_size,
                              "public_url '%.200s' has an invalid host '%.*s' because %s: use a "
                              "host name like halyard.msp.example, an IPv4 address like "
                              "192.0.2.10 or an IPv6 address in brackets like [2001:db8::10]",
                              input, (int)(parts->host_length > 200 ? 200 : parts->host_length),
                              parts->host, problem);
        return -1;
    }
    if (parts->port == NULL) {
        return 0;
    }
    long port = 0;
    bool digits = parts->port_length >= 1 && parts->port_length <= 5;
    for (size_t i = 0; digits && i < parts->port_length; i++) {
        digits = isdigit((unsigned char)parts->port[i]) != 0;
        port = port * 10 + (parts->port[i] - '0');
    }
    if (!digits || port < 1 || port > 65535) {
        halyard_message_write(message, message_size,
                              "public_url '%.200s' has an invalid port: use a number from 1 to "
                              "65535 after the host, or none",
                              input);
        return -1;
    }
    return 0;
}

int halyard_public_url_normalize(const char *input, char *normalized, size_t normalized_size,
                                 char *message, size_t message_size)
{
    normalized[0] = '\0';
    if (input == NULL || input[0] == '\0') {
        halyard_message_write(message, message_size,
                              "public_url is empty: set it to the HTTPS address at which HaloPSA "
                              "reaches halyard, like https://halyard.msp.example");
        return -1;
    }

    /* Step 1: printable ASCII only, so every later message can quote the value. */
    for (const char *c = input; *c != '\0'; c++) {
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f) {
            halyard_message_write(message, message_size,
                                  "public_url contains a space, a control or a non-ASCII "
                                  "character: write it as a plain URL, like "
                                  "https://halyard.msp.example");
            return -1;
        }
    }

    /* Step 2: scheme, host and port. */
    public_url_parts parts;
    if (split_parts(input, &parts, message, message_size) != 0 ||
        check_host_and_port(input, &parts, message, message_size) != 0) {
        return -1;
    }

    /* Step 3: nothing after the host but slashes, which are dropped. halyard's routes start at
     * the root of its listening address, so a callback under a path prefix would find none. */
    size_t slashes = strspn(parts.rest, "/");
    if (parts.rest[slashes] != '\0') {
        const char *part = strpbrk(parts.rest, "?") != NULL   ? "a query"
                           : strpbrk(parts.rest, "#") != NULL ? "a fragment"
                                                              : "a path";
        halyard_message_write(
            message, message_size,
            "public_url '%.200s' has %s after the host: halyard serves its routes "
            "only at the root of its address, so give the address alone, like "
            "%.*s, and let the reverse proxy serve halyard at the root of "
            "that host",
            input, part, (int)(parts.authority_end > 200 ? 200 : parts.authority_end), input);
        return -1;
    }
    if (parts.authority_end > HALYARD_PUBLIC_URL_MAX || parts.authority_end >= normalized_size) {
        halyard_message_write(message, message_size,
                              "public_url is longer than %d bytes: use a shorter host name",
                              HALYARD_PUBLIC_URL_MAX);
        return -1;
    }
    memcpy(normalized, input, parts.authority_end);
    normalized[parts.authority_end] = '\0';
    return 0;
}

bool halyard_public_url_host_is_loopback(const char *host, size_t length)
{
    if (length == 9 && strncasecmp(host, "localhost", 9) == 0) {
        return true;
    }
    if (length == 5 && memcmp(host, "[::1]", 5) == 0) {
        return true;
    }

    /* Four decimal parts from 0 to 255, the first exactly 127. */
    if (length < 7 || memcmp(host, "127.", 4) != 0) {
        return false;
    }
    int parts = 2; /* the "127" and the part being read */
    size_t digits = 0;
    int value = 0;
    for (size_t i = 4; i < length; i++) {
        if (host[i] == '.') {
            if (digits == 0) {
                return false;
            }
            parts++;
            digits = 0;
            value = 0;
            continue;
        }
        if (!isdigit((unsigned char)host[i]) || ++digits > 3) {
            return false;
        }
        value = value * 10 + (host[i] - '0');
        if (value > 255) {
            return false;
        }
    }
    return parts == 4 && digits > 0;
}

int halyard_public_url_check_transport(const char *url, char *message, size_t message_size)
{
    public_url_parts parts;
    if (split_parts(url, &parts, message, message_size) != 0) {
        return -1;
    }
    if (parts.https || halyard_public_url_host_is_loopback(parts.host, parts.host_length)) {
        return 0;
    }
    halyard_message_write(message, message_size,
                          "public_url '%.200s' is not HTTPS: HaloPSA sends ticket data and the "
                          "webhook password there, so terminate TLS in front of halyard and use "
                          "its https:// address (plain http:// is allowed only for localhost, "
                          "127.0.0.0/8 and [::1])",
                          url);
    return -1;
}
