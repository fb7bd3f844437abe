#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "instance_url.h"

typedef struct {
    const char *input;
    const char *normalized;
} accepted_case;

typedef struct {
    const char *input;
    const char *message_part; /* the cause the message must name */
    const char *suggestion;   /* "use https://..." expected in the message, or NULL */
} rejected_case;

static void accepts_valid_urls(void **state)
{
    (void)state;
    static const accepted_case cases[] = {
        {"https://acme.halopsa.com", "https://acme.halopsa.com"},
        {"  https://acme.halopsa.com\n", "https://acme.halopsa.com"},
        {"HTTPS://ACME.HaloPSA.com", "https://acme.halopsa.com"},
        {"https://acme.halopsa.com:443", "https://acme.halopsa.com"},
        {"https://localhost:8443", "https://localhost:8443"},
        {"https://halo.msp-one.example", "https://halo.msp-one.example"},
        {"https://xn--bcher-kva.example", "https://xn--bcher-kva.example"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char normalized[HALYARD_INSTANCE_URL_MAX + 1];
        char message[512] = "";
        int status = halyard_instance_url_validate(cases[i].input, normalized, sizeof normalized,
                                                   message, sizeof message);
        if (status != 0) {
            fail_msg("'%s' was rejected: %s", cases[i].input, message);
        }
        assert_string_equal(normalized, cases[i].normalized);
    }
}

static void rejects_invalid_urls(void **state)
{
    (void)state;
    static const rejected_case cases[] = {
        {"", "is empty", NULL},
        {"   ", "is empty", NULL},
        {"acme.halopsa.com", "has no scheme", "use https://acme.halopsa.com"},
        {"http://acme.halopsa.com", "does not use HTTPS", "use https://acme.halopsa.com"},
        {"ftp://acme.halopsa.com/x", "does not use HTTPS", "use https://acme.halopsa.com"},
        {"https://user:pw@acme.halopsa.com", "contains credentials",
         "use https://acme.halopsa.com"},
        {"https://", "has no host name", NULL},
        {"https://:8443", "has no host name", NULL},
        {"https://10.0.0.5", "uses an IP address", NULL},
        {"https://[::1]:8443", "uses an IP address", NULL},
        {"https://acme_halo.com", "invalid host name", NULL},
        {"https://-acme.com", "invalid host name", NULL},
        {"https://acme-.com", "invalid host name", NULL},
        {"https://acme..com", "invalid host name", NULL},
        {"https://acme.com.", "invalid host name", NULL},
        {"https://b\xc3\xbc"
         "cher.example",
         "invalid host name", NULL},
        {"https://acme.halopsa.com:0", "invalid port", NULL},
        {"https://acme.halopsa.com:65536", "invalid port", NULL},
        {"https://acme.halopsa.com:", "invalid port", NULL},
        {"https://acme.halopsa.com:80a", "invalid port", NULL},
        {"https://acme.halopsa.com/", "ends with a slash", "use https://acme.halopsa.com"},
        {"https://acme.halopsa.com/api", "contains a path", "use https://acme.halopsa.com"},
        {"https://acme.halopsa.com:8443/auth/", "contains a path",
         "use https://acme.halopsa.com:8443"},
        {"https://acme.halopsa.com?tenant=x", "contains a query", "use https://acme.halopsa.com"},
        {"https://acme.halopsa.com#top", "contains a fragment", "use https://acme.halopsa.com"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char normalized[HALYARD_INSTANCE_URL_MAX + 1] = "unchanged";
        char message[512] = "";
        int status = halyard_instance_url_validate(cases[i].input, normalized, sizeof normalized,
                                                   message, sizeof message);
        if (status != -1) {
            fail_msg("'%s' was accepted as '%s'", cases[i].input, normalized);
        }
        assert_string_equal(normalized, "");
        if (strstr(message, cases[i].message_part) == NULL) {
            fail_msg("'%s': message '%s' lacks '%s'", cases[i].input, message,
                     cases[i].message_part);
        }
        if (cases[i].suggestion != NULL && strstr(message, cases[i].suggestion) == NULL) {
            fail_msg("'%s': message '%s' lacks '%s'", cases[i].input, message, cases[i].suggestion);
        }
    }
}

/* A password pasted into the URL must not be repeated in the error, which may reach a log. */
static void credentials_not_echoed(void **state)
{
    (void)state;
    char normalized[HALYARD_INSTANCE_URL_MAX + 1];
    char message[512];

    halyard_instance_url_validate("https://svc:Hunter2Secret@acme.halopsa.com", normalized,
                                  sizeof normalized, message, sizeof message);

    assert_null(strstr(message, "Hunter2Secret"));
    assert_null(strstr(message, "svc"));
    assert_non_null(strstr(message, "https://***@acme.halopsa.com"));
}

static void control_characters_not_echoed(void **state)
{
    (void)state;
    char normalized[HALYARD_INSTANCE_URL_MAX + 1];
    char message[512];

    halyard_instance_url_validate("http://acme\x1b[31m.com", normalized, sizeof normalized, message,
                                  sizeof message);

    assert_null(strchr(message, '\x1b'));
}

static void long_input_is_cut(void **state)
{
    (void)state;
    char input[2000];
    memset(input, 'a', sizeof input - 1);
    input[sizeof input - 1] = '\0';
    memcpy(input, "http://", 7);
    char normalized[HALYARD_INSTANCE_URL_MAX + 1];
    char message[512];

    int status = halyard_instance_url_validate(input, normalized, sizeof normalized, message,
                                               sizeof message);

    assert_int_equal(status, -1);
    assert_true(strlen(message) < 400);
    assert_non_null(strstr(message, "..."));
}

static void small_output_buffer_fails(void **state)
{
    (void)state;
    char normalized[10];
    char message[512];

    int status = halyard_instance_url_validate("https://acme.halopsa.com", normalized,
                                               sizeof normalized, message, sizeof message);

    assert_int_equal(status, -1);
    assert_string_equal(normalized, "");
    assert_non_null(strstr(message, "too long"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_valid_urls),     cmocka_unit_test(rejects_invalid_urls),
        cmocka_unit_test(credentials_not_echoed), cmocka_unit_test(control_characters_not_echoed),
        cmocka_unit_test(long_input_is_cut),      cmocka_unit_test(small_output_buffer_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
