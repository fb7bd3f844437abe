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
        cmocka_unit_test(path_message_names_fix),
        cmocka_unit_test(credentials_not_echoed),
        cmocka_unit_test(transport_allows_loopback_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
