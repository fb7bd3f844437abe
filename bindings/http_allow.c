#include "http_allow.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "message.h"

/* A longer URL is rejected unread: a script has no reason to send one. */
#define HTTP_ALLOW_URL_MAX 4096

/* The parsed forms of an IP address, to compare addresses by value. */
typedef struct {
    int family; /* AF_INET, AF_INET6, or 0 for a host name */
    unsigned char bytes[16];
} http_ip;

static void http_ip_parse(const char *host, http_ip *ip)
{
    memset(ip, 0, sizeof *ip);
    if (inet_pton(AF_INET, host, ip->bytes) == 1) {
        ip->family = AF_INET;
    } else if (inet_pton(AF_INET6, host, ip->bytes) == 1) {
        ip->family = AF_INET6;
    }
}

static bool http_ip_equal(const http_ip *left, const http_ip *right)
{
    size_t length = left->family == AF_INET ? 4 : 16;
    return left->family == right->family && memcmp(left->bytes, right->bytes, length) == 0;
}

/* True when text is a host name: labels of letters, digits and '-', 1 to 63 bytes each, that
 * neither start nor end with '-', separated by single dots. */
static bool http_is_host_name(const char *text)
{
    size_t label = 0;
    char previous = '.';
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '.') {
            if (label == 0 || previous == '-') {
                return false;
            }
            label = 0;
        } else if (isalnum((unsigned char)*c) || (*c == '-' && label > 0)) {
            if (++label > 63) {
                return false;
            }
        } else {
            return false;
        }
        previous = *c;
    }
    return label > 0 && previous != '-';
}

int halyard_http_allow_normalize_host(const char *text, char *normalized, size_t normalized_size,
                                      char *message, size_t message_size)
{
    char host[HALYARD_HTTP_HOST_MAX + 1];
    size_t length = strlen(text);

    /* Brackets are how a URL writes an IPv6 address; the list may use them or not. */
    if (length >= 2 && text[0] == '[' && text[length - 1] == ']') {
        text++;
        length -= 2;
    }
    if (length == 0 || length > HALYARD_HTTP_HOST_MAX) {
        halyard_message_write(message, message_size,
                              "the host '%s' is empty or longer than %d bytes", text,
                              HALYARD_HTTP_HOST_MAX);
        return -1;
    }
    for (size_t i = 0; i < length; i++) {
        host[i] = (char)tolower((unsigned char)text[i]);
    }
    host[length] = '\0';

    http_ip ip;
    http_ip_parse(host, &ip);
    if (ip.family == AF_INET6) {
        inet_ntop(AF_INET6, ip.bytes, host, sizeof host);
    } else if (ip.family == 0 && !http_is_host_name(host)) {
        halyard_message_write(message, message_size,
                              "the host '%s' is not a host name or IP address; write a name "
                              "such as hooks.example.com (in its ASCII xn-- form), an IPv4 "
                              "address such as 192.0.2.10, or an IPv6 address",
                              host);
        return -1;
    }

    /* A name made of numbers only is not a name: libcurl would read "1.2.3" as an IPv4
     * address, so the list takes IPv4 addresses only as four decimal numbers. */
    const char *last_label = strrchr(host, '.');
    last_label = last_label != NULL ? last_label + 1 : host;
    if (ip.family == 0 && strspn(last_label, "0123456789") == strlen(last_label)) {
        halyard_message_write(message, message_size,
                              "the host '%s' looks like an IP address in another notation; "
                              "write an IPv4 address as four decimal numbers such as 192.0.2.10",
                              host);
        return -1;
    }

    if (strlen(host) + 1 > normalized_size) {
        halyard_message_write(message, message_size, "the host '%s' is too long", host);
        return -1;
    }
    memcpy(normalized, host, strlen(host) + 1);
    return 0;
}

/* Finds the host as written in the URL's authority (between "://" and the first '/', '?' or
 * '#'), without the port. Returns false when the authority contains '@' (a user name). */
static bool http_written_host(const char *authority_start, char *host, size_t host_size)
{
    size_t authority_length = strcspn(authority_start, "/?#");
    const char *end = authority_start + authority_length;
    if (memchr(authority_start, '@', authority_length) != NULL) {
        return false;
    }

    const char *host_end = end;
    if (authority_start[0] == '[') {
        const char *bracket = memchr(authority_start, ']', authority_length);
        host_end = bracket != NULL ? bracket + 1 : end;
    } else {
        const char *colon = memchr(authority_start, ':', authority_length);
        if (colon != NULL) {
            host_end = colon;
        }
    }
    size_t length = (size_t)(host_end - authority_start);
    if (length >= host_size) {
        length = host_size - 1;
    }
    memcpy(host, authority_start, length);
    host[length] = '\0';
    return true;
}

/* The part of the allow-list check that reads the URL: scheme, written host, libcurl's parse.
 * Fills target's url, host and port. Returns 0, or -1 with a message. */
static int http_parse_url(const char *url, halyard_http_allow_target *target, char *scheme,
                          size_t scheme_size, char *message, size_t message_size)
{
    int result = -1;
    CURLU *parsed = NULL;
    char *curl_host = NULL;
    char *curl_user = NULL;
    char *curl_port = NULL;
    char *curl_url_text = NULL;
    char written[HALYARD_HTTP_HOST_MAX + 8];

    /* Step 1: the text itself, before any parser reads it. */
    size_t length = strlen(url);
    if (length > HTTP_ALLOW_URL_MAX) {
        halyard_message_write(message, message_size,
                              "the URL is longer than %d bytes; send long data in the body",
                              HTTP_ALLOW_URL_MAX);
        goto cleanup;
    }
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c <= 0x20 || c == 0x7f || c == '\\') {
            halyard_message_write(message, message_size,
                                  "the URL contains a space, control character or backslash at "
                                  "byte %zu; percent-encode it",
                                  i + 1);
            goto cleanup;
        }
    }
    const char *authority = NULL;
    if (strncasecmp(url, "http://", 7) == 0) {
        snprintf(scheme, scheme_size, "http");
        authority = url + 7;
    } else if (strncasecmp(url, "https://", 8) == 0) {
        snprintf(scheme, scheme_size, "https");
        authority = url + 8;
    } else {
        halyard_message_write(message, message_size, "only http:// and https:// URLs are allowed");
        goto cleanup;
    }
    if (!http_written_host(authority, written, sizeof written)) {
        halyard_message_write(message, message_size,
                              "a user name or password in the URL (a part before '@') is not "
                              "allowed; send credentials in a header instead");
        goto cleanup;
    }

    /* Step 2: libcurl's reading, which is what the request will use. */
    parsed = curl_url();
    if (parsed == NULL) {
        halyard_message_write(message, message_size, "out of memory reading the URL");
        goto cleanup;
    }
    CURLUcode code = curl_url_set(parsed, CURLUPART_URL, url, 0);
    if (code != CURLUE_OK) {
        halyard_message_write(message, message_size, "the URL is not valid: %s",
                              curl_url_strerror(code));
        goto cleanup;
    }
    if (curl_url_get(parsed, CURLUPART_USER, &curl_user, 0) == CURLUE_OK) {
        halyard_message_write(message, message_size,
                              "a user name or password in the URL is not allowed; send "
                              "credentials in a header instead");
        goto cleanup;
    }
    if (curl_url_get(parsed, CURLUPART_HOST, &curl_host, 0) != CURLUE_OK ||
        curl_url_get(parsed, CURLUPART_PORT, &curl_port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_get(parsed, CURLUPART_URL, &curl_url_text, 0) != CURLUE_OK) {
        halyard_message_write(message, message_size, "the URL has no host");
        goto cleanup;
    }

    /* Step 3: the host must read the same to a person and to libcurl. */
    if (strcasecmp(written, curl_host) != 0) {
        halyard_message_write(message, message_size,
                              "the host '%s' is not written in its plain form (libcurl reads it "
                              "as '%s'); write the host as it is listed in http_allow",
                              written, curl_host);
        goto cleanup;
    }
    for (const char *c = curl_host; *c != '\0'; c++) {
        if ((unsigned char)*c >= 0x80) {
            halyard_message_write(message, message_size,
                                  "the host '%s' is not ASCII; write it in its xn-- form",
                                  curl_host);
            goto cleanup;
        }
    }
    char plain[HALYARD_HTTP_HOST_MAX + 1];
    if (halyard_http_allow_normalize_host(curl_host, plain, sizeof plain, message, message_size) !=
        0) {
        goto cleanup;
    }

    snprintf(target->host, sizeof target->host, "%s", plain);
    target->port = (unsigned int)strtoul(curl_port, NULL, 10);
    target->url = strdup(curl_url_text);
    if (target->url == NULL) {
        halyard_message_write(message, message_size, "out of memory reading the URL");
        goto cleanup;
    }
    result = 0;

cleanup:
    curl_free(curl_url_text);
    curl_free(curl_port);
    curl_free(curl_user);
    curl_free(curl_host);
    curl_url_cleanup(parsed);
    return result;
}

int halyard_http_allow_check_url(const halyard_http_allow_entry *entries, size_t entry_count,
                                 const char *url, halyard_http_allow_target *target, char *message,
                                 size_t message_size)
{
    char scheme[8];
    memset(target, 0, sizeof *target);
    if (http_parse_url(url, target, scheme, sizeof scheme, message, message_size) != 0) {
        return -1;
    }

    unsigned int default_port = strcmp(scheme, "https") == 0 ? 443 : 80;
    http_ip ip;
    http_ip_parse(target->host, &ip);
    const halyard_http_allow_entry *other_port = NULL; /* the host, listed for another port */
    for (size_t i = 0; i < entry_count; i++) {
        const halyard_http_allow_entry *entry = &entries[i];
        http_ip entry_ip;
        http_ip_parse(entry->host, &entry_ip);
        bool same_host = ip.family != 0
                             ? http_ip_equal(&ip, &entry_ip)
                             : entry_ip.family == 0 && strcasecmp(entry->host, target->host) == 0;
        unsigned int port = entry->port != 0 ? entry->port : default_port;
        if (same_host && port == target->port) {
            target->entry = entry;
            return 0;
        }
        if (same_host && other_port == NULL) {
            other_port = entry;
        }
    }

    free(target->url);
    target->url = NULL;
    if (other_port != NULL) {
        unsigned int listed = other_port->port != 0 ? other_port->port : default_port;
        halyard_message_write(message, message_size,
                              "%s is on this MSP's http_allow list for port %u%s, not for port "
                              "%u; ask the operator to add an entry with port = %u",
                              target->host, listed,
                              other_port->port == 0 ? " (the scheme's default, as the entry "
                                                      "names no port)"
                                                    : "",
                              target->port, target->port);
        return -1;
    }
    halyard_message_write(message, message_size,
                          "%s port %u is not on this MSP's http_allow list%s; ask the operator "
                          "to add it",
                          target->host, target->port,
                          ip.family != 0 ? " (an IP address is allowed only when it is listed)"
                                         : "");
    return -1;
}

/* Judges an IPv4 address given as a number in host byte order. */
static const char *http_ipv4_kind(uint32_t address)
{
    static const struct {
        uint32_t network;
        int prefix;
        const char *kind;
    } ranges[] = {
        {0x00000000u, 8, "unspecified"},        /* 0.0.0.0/8, "this network" */
        {0x0a000000u, 8, "private"},            /* 10.0.0.0/8 */
        {0x64400000u, 10, "carrier-grade NAT"}, /* 100.64.0.0/10 */
        {0x7f000000u, 8, "loopback"},           /* 127.0.0.0/8 */
        {0xa9fe0000u, 16, "link-local"},        /* 169.254.0.0/16 */
        {0xac100000u, 12, "private"},           /* 172.16.0.0/12 */
        {0xc0000000u, 24, "reserved"},          /* 192.0.0.0/24, IETF protocol assignments */
        {0xc0a80000u, 16, "private"},           /* 192.168.0.0/16 */
        {0xc6120000u, 15, "reserved"},          /* 198.18.0.0/15, benchmarking */
        {0xe0000000u, 4, "multicast"},          /* 224.0.0.0/4 */
        {0xffffffffu, 32, "broadcast"},         /* 255.255.255.255 */
        {0xf0000000u, 4, "reserved"},           /* 240.0.0.0/4 */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        uint32_t mask = ranges[i].prefix == 0 ? 0 : 0xffffffffu << (32 - ranges[i].prefix);
        if ((address & mask) == ranges[i].network) {
            return ranges[i].kind;
        }
    }
    return NULL;
}

static uint32_t http_read_ipv4(const unsigned char *bytes)
{
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 |
           (uint32_t)bytes[3];
}

static const char *http_ipv6_kind(const unsigned char *bytes)
{
    static const unsigned char zeros[16] = {0};
    static const unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64_prefix[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    if (memcmp(bytes, zeros, 16) == 0) {
        return "unspecified";
    }
    if (memcmp(bytes, zeros, 15) == 0 && bytes[15] == 1) {
        return "loopback";
    }

    /* IPv4 addresses carried inside IPv6 ones reach the IPv4 address. */
    if (memcmp(bytes, mapped_prefix, 12) == 0 || memcmp(bytes, zeros, 12) == 0 ||
        memcmp(bytes, nat64_prefix, 12) == 0) {
        return http_ipv4_kind(http_read_ipv4(bytes + 12));
    }
    if (bytes[0] == 0x20 && bytes[1] == 0x02) {
        return http_ipv4_kind(http_read_ipv4(bytes + 2));
    }

    if (bytes[0] == 0xff) {
        return "multicast";
    }
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) {
        return "link-local";
    }
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
        return "private"; /* fec0::/10, the deprecated site-local range */
    }
    if ((bytes[0] & 0xfe) == 0xfc) {
        return "private"; /* fc00::/7, unique local addresses */
    }
    return NULL;
}

const char *halyard_http_address_kind(const struct sockaddr *address, size_t address_length)
{
    if (address->sa_family == AF_INET && address_length >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)address;
        return http_ipv4_kind(ntohl(v4->sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6 && address_length >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)address;
        return http_ipv6_kind(v6->sin6_addr.s6_addr);
    }
    return "unsupported";
}

void halyard_http_address_text(const struct sockaddr *address, char *text, size_t text_size)
{
    const void *bytes = NULL;
    if (address->sa_family == AF_INET) {
        bytes = &((const struct sockaddr_in *)(const void *)address)->sin_addr;
    } else if (address->sa_family == AF_INET6) {
        bytes = &((const struct sockaddr_in6 *)(const void *)address)->sin6_addr;
    }
    if (bytes == NULL || inet_ntop(address->sa_family, bytes, text, (socklen_t)text_size) == NULL) {
        snprintf(text, text_size, "(address of family %d)", address->sa_family);
    }
}
