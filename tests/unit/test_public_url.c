#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "public_url.h"

typedef struct {
    const char *input;
    const char *expected; /* the normalized URL, or the part the message must contain */
} url_case;

/* A trailing slash made every callback URL "...//hooks/verify/...", which halyard rejected
 * with 404: the normal form has none. */
static void normalize_accepts_and_trims(void **state)
{
    (void)state;
    static const url_case cases[] = {
        {"https://halyard.msp.example", "https://halyard.msp.example"},
        {"https://halyard.msp.example/", "https://halyard.msp.example"},
        {"https://halyard.msp.example///", "https://halyard.msp.example"},
        {"http://127.0.0.1:18921/", "http://127.0.0.1:18921"},
        {"HTTPS://Halyard.Example:8443", "HTTPS://Halyard.Example:8443"},
        {"http://[::1]:8080/", "http://[::1]:8080"},
        {"http://localhost", "http://localhost"},
        {"https://a-b.msp-1.example", "https://a-b.msp-1.example"},
        {"https://xn--bcher-kva.example", "https://xn--bcher-kva.example"},
        {"https://h1", "https://h1"},
        {"https://1h.example", "https://1h.example"},
        {"https://192.0.2.10:8443", "https://192.0.2.10:8443"},
        {"https://0.0.0.0", "https://0.0.0.0"},
        {"https://255.255.255.255", "https://255.255.255.255"},
        {"https://10.1.2.3.example", "https://10.1.2.3.example"},
        {"https://[2001:db8::10]:8443", "https://[2001:db8::10]:8443"},
        {"https://[2001:DB8:0:0:0:0:0:10]", "https://[2001:DB8:0:0:0:0:0:10]"},
        {"https://[::ffff:192.0.2.1]", "https://[::ffff:192.0.2.1]"},
        {"https://[::]", "https://[::]"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char normalized[HALYARD_PUBLIC_URL_MAX + 1];
        char message[512] = "";
        int status = halyard_public_url_normalize(cases[i].input, normalized, sizeof normalized,
                                                  message, sizeof message);
        if (status != 0) {
            fail_msg("'%s' was rejected: %s", cases[i].input, message);
        }
        assert_string_equal(normalized, cases[i].expected);
    }
}

static void normalize_rejects_invalid(void **state)
{
    (void)state;
    static const url_case cases[] = {
        {"", "is empty"},
        {"halyard.msp.example", "does not start with https://"},
        {"ftp://halyard.msp.example", "does not start with https://"},
        {"https://", "has no host name"},
        {"https:///hooks", "has no host name"},
        {"https://:8443", "has no host name"},
        {"https://h.example/a b", "contains a space"},
        {"https://h\xc3\xa4lyard.example", "non-ASCII"},
        {"https://user:pw@h.example", "must not contain user credentials"},
        {"https://h_x.example", "invalid host"},
        {"https://[::1", "invalid host"},
        {"https://[::1]x:80", "invalid host"},
        {"https://h.example:0", "invalid port"},
        {"https://h.example:65536", "invalid port"},
        {"https://h.example:", "invalid port"},
        {"https://h.example:80a", "invalid port"},
        {"https://h.example/halyard", "has a path after the host"},
        {"https://h.example//halyard/", "has a path after the host"},
        {"https://h.example/?a=1", "has a query after the host"},
        {"https://h.example#top", "has a fragment after the host"},
        {"https://example.com/\"><", "has a path after the host"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char normalized[HALYARD_PUBLIC_URL_MAX + 1] = "unchanged";
        char message[512] = "";
        int status = halyard_public_url_normalize(cases[i].input, normalized, sizeof normalized,
                                                  message, sizeof message);
        if (status != -1) {
            fail_msg("'%s' was accepted as '%s'", cases[i].input, normalized);
        }
        assert_string_equal(normalized, "");
        if (strstr(message, cases[i].expected) == NULL) {
            fail_msg("'%s': message '%s' lacks '%s'", cases[i].input, message, cases[i].expected);
        }
    }
}

/* Writes "https://" and a host name of length bytes (at least 64) to url: labels of 63 letters
 * joined by dots, the last one shorter. */
static void write_long_url(char *url, size_t url_size, size_t length)
{
    size_t prefix = (size_t)snprintf(url, url_size, "https://");
    assert_true(prefix + length < url_size);
    for (size_t i = 0; i < length; i++) {
        url[prefix + i] = (i + 1) % 64 == 0 ? '.' : 'a';
    }
    url[prefix + length] = '\0';
    assert_true(url[prefix + length - 1] != '.');
}

/* "https://-" and "https://[:::::]" were accepted: the host was checked only for its
 * characters, so a name with a hyphen at a label's edge, an empty label or an invalid address
 * passed, and HaloPSA would have been given a webhook URL it cannot call. Each case names the
 * reason the message gives. */
static void normalize_rejects_invalid_hosts(void **state)
{
    (void)state;
    char letters[65];
    char long_label[128];
    char long_name[300];
    memset(letters, 'a', 64);
    letters[64] = '\0';
    snprintf(long_label, sizeof long_label, "https://%s.example", letters);
    write_long_url(long_name, sizeof long_name, 254);

    const url_case cases[] = {
        {"https://-", "a label starts or ends with a hyphen"},
        {"https://-h.example", "a label starts or ends with a hyphen"},
        {"https://h-.example", "a label starts or ends with a hyphen"},
        {"https://h.-x.example", "a label starts or ends with a hyphen"},
        {"https://h.example-", "a label starts or ends with a hyphen"},
        {"https://.h.example", "empty label"},
        {"https://h..example", "empty label"},
        {"https://h.example.", "empty label"},
        {"https://.", "empty label"},
        {long_label, "a label is longer than 63 characters"},
        {long_name, "longer than 253 characters"},
        {"https://h_x.example", "other than letters, digits, hyphens and dots"},
        {"https://h%41.example", "other than letters, digits, hyphens and dots"},
        {"https://999.1.1.1", "not an IPv4 address"},
        {"https://256.0.0.1", "not an IPv4 address"},
        {"https://1.2.3", "not an IPv4 address"},
        {"https://1.2.3.4.5", "not an IPv4 address"},
        {"https://01.2.3.4", "not an IPv4 address"},
        {"https://1.2.3.0004", "not an IPv4 address"},
        {"https://123", "not an IPv4 address"},
        {"https://h.example.123", "not an IPv4 address"},
        {"https://[:::::]", "not a valid IPv6 address"},
        {"https://[]", "not a valid IPv6 address"},
        {"https://[h.example]", "not a valid IPv6 address"},
        {"https://[1:2:3:4:5:6:7:8:9]", "not a valid IPv6 address"},
        {"https://[2001:db8::g]", "not a valid IPv6 address"},
        {"https://[::1%25eth0]", "not a valid IPv6 address"},
        {"https://[192.0.2.1]", "not a valid IPv6 address"},
        {"https://[::1", "not a valid IPv6 address"},
        {"https://[::1]x:80", "not a valid IPv6 address"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char normalized[HALYARD_PUBLIC_URL_MAX + 1] = "unchanged";
        char message[512] = "";
        int status = halyard_public_url_normalize(cases[i].input, normalized, sizeof normalized,
                                                  message, sizeof message);
        if (status != -1) {
            fail_msg("'%s' was accepted as '%s'", cases[i].input, normalized);
        }
        assert_string_equal(normalized, "");
        if (strstr(message, "has an invalid host") == NULL) {
            fail_msg("'%s': message '%s' lacks 'has an invalid host'", cases[i].input, message);
        }
        if (strstr(message, cases[i].expected) == NULL) {
            fail_msg("'%s': message '%s' lacks '%s'", cases[i].input, message, cases[i].expected);
        }
    }
}

/* A label of the maximum 63 bytes and a name of the maximum 253 bytes are accepted. */
static void normalize_accepts_longest_host(void **state)
{
    (void)state;
    char letters[64];
    char label[128];
    char name[300];
    memset(letters, 'a', 63);
    letters[63] = '\0';
    snprintf(label, sizeof label, "https://%s.example", letters);
    write_long_url(name, sizeof name, 253);

    const char *inputs[] = {label, name};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char normalized[HALYARD_PUBLIC_URL_MAX + 1];
        char message[512] = "";
        if (halyard_public_url_normalize(inputs[i], normalized, sizeof normalized, message,
                                         sizeof message) != 0) {
            fail_msg("'%s' was rejected: %s", inputs[i], message);
        }
        assert_string_equal(normalized, inputs[i]);
    }
}

/* The message for a path names the address that would work. */
static void path_message_names_fix(void **state)
{
    (void)state;
    char normalized[HALYARD_PUBLIC_URL_MAX + 1];
    char message[512];

    halyard_public_url_normalize("https://h.example:8443/halyard", normalized, sizeof normalized,
                                 message, sizeof message);

    assert_non_null(strstr(message, "like https://h.example:8443,"));
}

/* A password in the URL must not be repeated in the error, which may reach a log. */
static void credentials_not_echoed(void **state)
{
    (void)state;
    char normalized[HALYARD_PUBLIC_URL_MAX + 1];
    char message[512];

    halyard_public_url_normalize("https://svc:Hunter2Secret@h.example", normalized,
                                 sizeof normalized, message, sizeof message);

    assert_null(strstr(message, "Hunter2Secret"));
}

/* A prefix check let http://127.0.0.1.example through, so HaloPSA would have sent the webhook
 * password unencrypted to another host. */
static void transport_allows_loopback_only(void **state)
{
    (void)state;
    static const char *const allowed[] = {
        "https://h.example",     "https://127.0.0.1.example", "http://127.0.0.1",
        "http://127.0.0.1:8080", "http://127.255.3.4:80",     "http://LOCALHOST:8080",
        "http://localhost",      "http://[::1]:8080",         "http://[::1]",
    };
    static const char *const rejected[] = {
        "http://127.0.0.1.example",
        "http://localhost.example",
        "http://localhost.",
        "http://127.0.0.1.",
        "http://127.0.0",
        "http://127.0.0.1.2",
        "http://127.0.0.256",
        "http://127..0.1",
        "http://128.0.0.1",
        "http://1270.0.0.1",
        "http://[::2]",
        "http://[::1]x",
        "http://localhostx:80",
        "http://h.example",
        "http://10.0.0.5:8080",
    };

    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        char message[512] = "";
        if (halyard_public_url_check_transport(allowed[i], message, sizeof message) != 0) {
            fail_msg("'%s' was rejected: %s", allowed[i], message);
        }
    }
    for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
        char message[512] = "";
        if (halyard_public_url_check_transport(rejected[i], message, sizeof message) != -1) {
            fail_msg("'%s' was allowed over plain HTTP", rejected[i]);
        }
        if (strstr(message, "is not HTTPS") == NULL) {
            fail_msg("'%s': message '%s' lacks 'is not HTTPS'", rejected[i], message);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalize_accepts_and_trims),
        cmocka_unit_test(normalize_rejects_invalid),
        cmocka_unit_test(normalize_rejects_invalid_hosts),
        cmocka_unit_test(normalize_accepts_longest_host),
        cmocka_unit_test(path_message_names_fix),
        cmocka_unit_test(credentials_not_echoed),
        cmocka_unit_test(transport_allows_loopback_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
