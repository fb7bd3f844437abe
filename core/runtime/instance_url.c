#include "instance_url.h"

#include "message.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longest part of the input quoted back in a message, so a pasted document stays readable. */
#define INSTANCE_URL_QUOTE_MAX 120

/* The parts of an instance URL as typed, each a slice of the trimmed input. */
typedef struct {
    const char *scheme; /* NULL when the input has no "://" */
    size_t scheme_length;
    bool has_credentials;
    const char *host;
    size_t host_length;
    const char *port; /* NULL when no ':' follows the host */
    size_t port_length;
    const char *rest; /* path, query and fragment: from the first '/', '?' or '#' */
} instance_url_parts;

/* Copies text for quoting in a message: control and non-ASCII bytes become '?', credentials
 * become "***" so a password pasted into the URL never reaches a log, long text is cut. */
static void quote_input(char *quoted, size_t quoted_size, const char *text, size_t length,
                        const instance_url_parts *parts)
{
    size_t out = 0;
    size_t credentials_start = 0;
    size_t credentials_end = 0;
    if (parts->has_credentials) {
        credentials_start = parts->scheme != NULL ? parts->scheme_length + 3 : 0;
        credentials_end = (size_t)(parts->host - text) - 1; /* the '@' stays */
    }

    for (size_t i = 0; i < length && out + 4 < quoted_size; i++) {
        if (parts->has_credentials && i >= credentials_start && i < credentials_end) {
            if (i == credentials_start) {
                memcpy(quoted + out, "***", 3);
                out += 3;
            }
            continue;
        }
        if (out >= INSTANCE_URL_QUOTE_MAX) {
            memcpy(quoted + out, "...", 3);
            out += 3;
            break;
        }
        unsigned char byte = (unsigned char)text[i];
        quoted[out++] = (byte < 0x20 || byte >= 0x7f) ? '?' : (char)byte;
    }
    quoted[out] = '\0';
}

static void parse_parts(const char *text, size_t length, instance_url_parts *parts)
{
    memset(parts, 0, sizeof *parts);
    const char *end = text + length;

    /* Scheme: whatever precedes "://". */
    const char *authority = text;
    const char *separator = strstr(text, "://");
    if (separator != NULL && separator < end) {
        parts->scheme = text;
        parts->scheme_length = (size_t)(separator - text);
        authority = separator + 3;
    }

    /* Authority: up to the first '/', '?' or '#'. */
    const char *authority_end = authority;
    while (authority_end < end && *authority_end != '/' && *authority_end != '?' &&
           *authority_end != '#') {
        authority_end++;
    }
    parts->rest = authority_end;

    /* Credentials: anything before the last '@' of the authority. */
    const char *host = authority;
    for (const char *cursor = authority; cursor < authority_end; cursor++) {
        if (*cursor == '@') {
            parts->has_credentials = true;
            host = cursor + 1;
        }
    }

    /* Port: after the last ':', unless the host is a bracketed IPv6 literal without one. */
    const char *host_end = authority_end;
    const char *colon = NULL;
    for (const char *cursor = host; cursor < authority_end; cursor++) {
        if (*cursor == ':') {
            colon = cursor;
        }
        if (*cursor == ']') {
            colon = NULL;
        }
    }
    if (colon != NULL) {
        host_end = colon;
        parts->port = colon + 1;
        parts->port_length = (size_t)(authority_end - parts->port);
    }
    parts->host = host;
    parts->host_length = (size_t)(host_end - host);
}

static bool host_is_ip_address(const char *host, size_t length)
{
    if (length > 0 && host[0] == '[') {
        return true;
    }
    for (size_t i = 0; i < length; i++) {
        if (!isdigit((unsigned char)host[i]) && host[i] != '.') {
            return false;
        }
    }
    return length > 0;
}

/* A DNS host name: dot-separated labels of 1 to 63 letters, digits and inner hyphens, 253 bytes
 * at most, with at least one letter somewhere so it cannot be read as an address. */
static bool host_is_valid_name(const char *host, size_t length)
{
    if (length == 0 || length > 253) {
        return false;
    }
    size_t label_length = 0;
    bool has_letter = false;
    for (size_t i = 0; i <= length; i++) {
        char c = i < length ? host[i] : '.';
        if (c == '.') {
            if (label_length == 0 || label_length > 63 || host[i - 1] == '-') {
                return false;
            }
            label_length = 0;
            continue;
        }
        if (!isalnum((unsigned char)c) && c != '-') {
            return false;
        }
        if (c == '-' && label_length == 0) {
            return false;
        }
        if (isalpha((unsigned char)c)) {
            has_letter = true;
        }
        label_length++;
    }
    return has_letter;
}

/* Parses a port of 1 to 65535; returns 0 when the text is not one. */
static unsigned port_value(const char *port, size_t length)
{
    if (length == 0 || length > 5) {
        return 0;
    }
    unsigned value = 0;
    for (size_t i = 0; i < length; i++) {
        if (!isdigit((unsigned char)port[i])) {
            return 0;
        }
        value = value * 10 + (unsigned)(port[i] - '0');
    }
    return value <= 65535 ? value : 0;
}

/* Writes "https://host[:port]" in lower case, leaving out the default port 443.
 * Returns snprintf's result: the length the full text needs. */
static int format_normal(char *out, size_t out_size, const instance_url_parts *parts, unsigned port)
{
    char host[256];
    size_t length = parts->host_length < sizeof host - 1 ? parts->host_length : sizeof host - 1;
    for (size_t i = 0; i < length; i++) {
        host[i] = (char)tolower((unsigned char)parts->host[i]);
    }
    host[length] = '\0';

    if (port != 0 && port != 443) {
        return snprintf(out, out_size, "https://%s:%u", host, port);
    }
    return snprintf(out, out_size, "https://%s", host);
}

int halyard_instance_url_validate(const char *input, char *normalized, size_t normalized_size,
                                  char *message, size_t message_size)
{
    if (normalized_size > 0) {
        normalized[0] = '\0';
    }
    if (input == NULL) {
        input = "";
    }

    /* Step 1: trim the white space a copy and paste brings along. */
    while (isspace((unsigned char)*input)) {
        input++;
    }
    size_t length = strlen(input);
    while (length > 0 && isspace((unsigned char)input[length - 1])) {
        length--;
    }
    if (length == 0) {
        halyard_message_write(
            message, message_size,
            "the instance URL is empty: enter the address you open HaloPSA at, for "
            "example https://acme.halopsa.com");
        return -1;
    }

    /* Step 2: split it, and prepare the quoted input and the corrected URL for messages. */
    instance_url_parts parts;
    parse_parts(input, length, &parts);
    char quoted[INSTANCE_URL_QUOTE_MAX + 8];
    quote_input(quoted, sizeof quoted, input, length, &parts);

    bool is_ip = host_is_ip_address(parts.host, parts.host_length);
    bool host_valid = !is_ip && host_is_valid_name(parts.host, parts.host_length);
    unsigned port = parts.port != NULL ? port_value(parts.port, parts.port_length) : 443;
    char suggestion[HALYARD_INSTANCE_URL_MAX + 32] = "";
    if (host_valid && port != 0) {
        char corrected[HALYARD_INSTANCE_URL_MAX + 1];
        format_normal(corrected, sizeof corrected, &parts, port);
        snprintf(suggestion, sizeof suggestion, "; use %s", corrected);
    }

    /* Step 3: the first problem found is the one reported, in the order a person reads. */
    if (parts.scheme == NULL) {
        halyard_message_write(message, message_size,
                              "the instance URL '%s' has no scheme: it must start with https://%s",
                              quoted, suggestion);
        return -1;
    }
    if (parts.scheme_length != 5 || strncasecmp(parts.scheme, "https", 5) != 0) {
        halyard_message_write(
            message, message_size,
            "the instance URL '%s' does not use HTTPS: halyard talks to HaloPSA only over "
            "HTTPS%s",
            quoted, suggestion);
        return -1;
    }
    if (parts.has_credentials) {
        halyard_message_write(
            message, message_size,
            "the instance URL '%s' contains credentials: enter the Client ID and Secret "
            "separately, never in the URL%s",
            quoted, suggestion);
        return -1;
    }
    if (parts.host_length == 0) {
        halyard_message_write(
            message, message_size,
            "the instance URL '%s' has no host name: enter the address you open HaloPSA "
            "at, for example https://acme.halopsa.com",
            quoted);
        return -1;
    }
    if (is_ip) {
        halyard_message_write(
            message, message_size,
            "the instance URL '%s' uses an IP address: enter the instance's host name, "
            "the one its TLS certificate is issued for",
            quoted);
        return -1;
    }
    if (!host_valid) {
        halyard_message_write(
            message, message_size,
            "the instance URL '%s' has an invalid host name: a host name has letters, "
            "digits, hyphens and dots, like acme.halopsa.com (write international "
            "names in their xn-- form)",
            quoted);
        return -1;
    }
    if (port == 0) {
        halyard_message_write(
            message, message_size,
            "the instance URL '%s' has an invalid port: use a number from 1 to 65535, "
            "or leave the port out for 443",
            quoted);
        return -1;
    }
    if (parts.rest[0] == '/' && parts.rest + 1 == input + length) {
        halyard_message_write(message, message_size, "the instance URL '%s' ends with a slash%s",
                              quoted, suggestion);
        return -1;
    }
    if (parts.rest[0] == '/') {
        halyard_message_write(
            message, message_size,
            "the instance URL '%s' contains a path: enter only the address, halyard "
            "adds /api and /auth itself%s",
            quoted, suggestion);
        return -1;
    }
    if (parts.rest[0] == '?') {
        halyard_message_write(message, message_size, "the instance URL '%s' contains a query%s",
                              quoted, suggestion);
        return -1;
    }
    if (parts.rest[0] == '#') {
        halyard_message_write(message, message_size, "the instance URL '%s' contains a fragment%s",
                              quoted, suggestion);
        return -1;
    }

    /* Step 4: the normal form. */
    int needed = format_normal(normalized, normalized_size, &parts, port);
    if (needed < 0 || (size_t)needed >= normalized_size) {
        normalized[0] = '\0';
        halyard_message_write(message, message_size, "the instance URL '%s' is too long", quoted);
        return -1;
    }
    return 0;
}
