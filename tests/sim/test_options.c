/* Unit tests of halosim's command-line parser: defaults, every option's valid and invalid
 * values, and the messages that name the option, the value and the fix. */
#include "sim_options.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char options_message[1024];
static struct sim_options options;

/* Parses the arguments after "halosim" and returns the result of sim_options_parse. */
#define PARSE(...)                                                                                 \
    parse_arguments((char *const[]){"halosim", __VA_ARGS__},                                       \
                    (int)(sizeof((char *const[]){"halosim", __VA_ARGS__}) / sizeof(char *)))

static int parse_arguments(char *const argv[], int argc)
{
    options_message[0] = '\0';
    return sim_options_parse(&options, argc, argv, options_message, sizeof options_message);
}

static void assert_message_contains(const char *expected)
{
    if (strstr(options_message, expected) == NULL) {
        fail_msg("message '%s' does not contain '%s'", options_message, expected);
    }
}

/* A readable temporary file, removed by the test's teardown. */
static char temporary_path[64];

static int create_temporary_file(void **state)
{
    (void)state;
    snprintf(temporary_path, sizeof temporary_path, "/tmp/halosim-options-XXXXXX");
    int fd = mkstemp(temporary_path);
    if (fd < 0) {
        return -1;
    }
    if (write(fd, "{}\n", 3) != 3) {
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

static int remove_temporary_file(void **state)
{
    (void)state;
    unlink(temporary_path);
    return 0;
}

static void defaults_without_arguments(void **state)
{
    (void)state;
    char *const argv[] = {"halosim"};
    assert_int_equal(parse_arguments(argv, 1), 0);

    assert_int_equal(options.port, 8080);
    assert_string_equal(options.bind, "127.0.0.1");
    assert_null(options.seed_path);
    assert_string_equal(options.client_id, "halyard-sim");
    assert_string_equal(options.client_secret, "halyard-sim-secret");
    assert_null(options.tenant);
    assert_string_equal(options.scopes, "all all:standard all:teams admin admin:webhooks "
                                        "read:tickets edit:tickets read:customers read:teams "
                                        "read:assets");
    assert_int_equal(options.token_lifetime_seconds, 3600);
    assert_true(options.rate_limit_enabled);
    assert_int_equal(options.rate_limit_requests, 500);
    assert_int_equal(options.rate_limit_window_seconds, 300);
    assert_false(options.strict);
    assert_null(options.tls_cert_path);
    assert_null(options.tls_key_path);
    assert_null(options.delivery_ca_path);
    assert_int_equal(options.token_error_status, 401);
    assert_string_equal(options.team_list, "bare");
    assert_string_equal(options.app_name, "halyard-sim app");
    assert_null(options.lua_dir);
    assert_false(options.verbose);
    assert_false(options.help);
}

static void every_option_stored(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--port", "9000", "--bind", "::1", "--seed", temporary_path,
                           "--client-id", "id", "--client-secret", "secret", "--tenant", "acme",
                           "--scopes", "all", "--token-lifetime", "60", "--rate-limit", "10/20",
                           "--strict", "--delivery-ca-file", temporary_path, "--token-error-status",
                           "400", "--team-list", "wrapped", "--app-name", "App", "--lua-dir",
                           "/tmp", "--verbose"),
                     0);

    assert_int_equal(options.port, 9000);
    assert_string_equal(options.bind, "::1");
    assert_string_equal(options.seed_path, temporary_path);
    assert_string_equal(options.client_id, "id");
    assert_string_equal(options.client_secret, "secret");
    assert_string_equal(options.tenant, "acme");
    assert_string_equal(options.scopes, "all");
    assert_int_equal(options.token_lifetime_seconds, 60);
    assert_true(options.rate_limit_enabled);
    assert_int_equal(options.rate_limit_requests, 10);
    assert_int_equal(options.rate_limit_window_seconds, 20);
    assert_true(options.strict);
    assert_string_equal(options.delivery_ca_path, temporary_path);
    assert_int_equal(options.token_error_status, 400);
    assert_string_equal(options.team_list, "wrapped");
    assert_string_equal(options.app_name, "App");
    assert_string_equal(options.lua_dir, "/tmp");
    assert_true(options.verbose);
}

static void equals_form_accepted(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--port=9001", "--client-secret=--starts-with-dashes"), 0);
    assert_int_equal(options.port, 9001);
    assert_string_equal(options.client_secret, "--starts-with-dashes");
}

static void repeated_option_keeps_last(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--port", "9000", "--port", "9002"), 0);
    assert_int_equal(options.port, 9002);
}

static void tls_default_port_8443(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--tls-cert", temporary_path, "--tls-key", temporary_path), 0);
    assert_int_equal(options.port, 8443);
    assert_string_equal(options.tls_cert_path, temporary_path);
    assert_string_equal(options.tls_key_path, temporary_path);
}

static void port_zero_and_bounds_accepted(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--port", "0"), 0);
    assert_int_equal(options.port, 0);
    assert_int_equal(PARSE("--port", "1"), 0);
    assert_int_equal(options.port, 1);
    assert_int_equal(PARSE("--port", "65535"), 0);
    assert_int_equal(options.port, 65535);
}

static void port_invalid_values_rejected(void **state)
{
    (void)state;
    const char *values[] = {"", "abc", "65536", "-1", "80x", " 80", "+80", "99999999999999999999"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char argument[64];
        snprintf(argument, sizeof argument, "--port=%s", values[i]);
        assert_int_equal(PARSE(argument), -1);
        assert_message_contains("invalid --port value");
        assert_message_contains(values[i]);
        assert_message_contains("1 to 65535");
    }
}

static void rate_limit_off_disables(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--rate-limit", "off"), 0);
    assert_false(options.rate_limit_enabled);
}

static void rate_limit_invalid_values_rejected(void **state)
{
    (void)state;
    const char *values[] = {"10",  "10/",     "/60",    "0/60", "10/0",
                            "a/b", "10/60/5", "1.5/60", "OFF",  ""};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char argument[64];
        snprintf(argument, sizeof argument, "--rate-limit=%s", values[i]);
        assert_int_equal(PARSE(argument), -1);
        assert_message_contains("invalid --rate-limit value");
        assert_message_contains("500/300");
        assert_message_contains("off");
    }
}

static void token_lifetime_invalid_rejected(void **state)
{
    (void)state;
    const char *values[] = {"0", "-5", "abc", "1e3", "2147483648", ""};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char argument[64];
        snprintf(argument, sizeof argument, "--token-lifetime=%s", values[i]);
        assert_int_equal(PARSE(argument), -1);
        assert_message_contains("invalid --token-lifetime value");
        assert_message_contains("seconds");
    }
}

static void token_error_status_only_401_400(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--token-error-status", "403"), -1);
    assert_message_contains("invalid --token-error-status value '403'");
    assert_message_contains("401 or 400");
}

static void team_list_only_bare_wrapped(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--team-list", "list"), -1);
    assert_message_contains("invalid --team-list value 'list'");
    assert_message_contains("bare or wrapped");
}

static void bind_needs_address(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--bind", "localhost"), 0);
    assert_int_equal(PARSE("--bind", "0.0.0.0"), 0);

    const char *values[] = {"example.com", "256.1.1.1", "", "127.0.0.1:80"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char argument[64];
        snprintf(argument, sizeof argument, "--bind=%s", values[i]);
        assert_int_equal(PARSE(argument), -1);
        assert_message_contains("invalid --bind value");
        assert_message_contains("IPv4 or IPv6 address");
    }
}

static void tls_cert_without_key_rejected(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--tls-cert", temporary_path), -1);
    assert_message_contains("--tls-cert is given without --tls-key");
    assert_int_equal(PARSE("--tls-key", temporary_path), -1);
    assert_message_contains("--tls-key is given without --tls-cert");
}

static void missing_files_rejected(void **state)
{
    (void)state;
    const char *missing = "/nonexistent/halosim/file.pem";
    const char *file_options[] = {"--tls-cert", "--tls-key", "--delivery-ca-file", "--seed"};
    for (size_t i = 0; i < sizeof file_options / sizeof file_options[0]; i++) {
        char argument[128];
        snprintf(argument, sizeof argument, "%s=%s", file_options[i], missing);
        assert_int_equal(PARSE(argument), -1);
        assert_message_contains("cannot read");
        assert_message_contains(file_options[i]);
        assert_message_contains(missing);
        assert_message_contains("No such file or directory");
    }
}

static void seed_folder_rejected(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--seed", "/tmp"), -1);
    assert_message_contains("invalid --seed file '/tmp': not a regular file");
}

static void lua_dir_must_be_folder(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--lua-dir", temporary_path), -1);
    assert_message_contains("invalid --lua-dir value");
    assert_message_contains("not a folder");
}

static void empty_names_rejected(void **state)
{
    (void)state;
    char *name_options[] = {"--client-id=", "--client-secret=", "--tenant=", "--app-name="};
    for (size_t i = 0; i < sizeof name_options / sizeof name_options[0]; i++) {
        assert_int_equal(PARSE(name_options[i]), -1);
        assert_message_contains("value ''");
        assert_message_contains("non-empty");
    }
}

static void empty_scopes_accepted(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--scopes="), 0);
    assert_string_equal(options.scopes, "");
}

static void unknown_option_rejected(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--prot", "80"), -1);
    assert_message_contains("unknown option '--prot'");
    assert_message_contains("--help");
}

static void missing_value_rejected(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--port"), -1);
    assert_message_contains("missing value for --port");

    /* An option name is never taken as the previous option's value. */
    assert_int_equal(PARSE("--tenant", "--strict"), -1);
    assert_message_contains("missing value for --tenant");
}

static void flag_with_value_rejected(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--strict=yes"), -1);
    assert_message_contains("--strict takes no value");
}

static void positional_argument_rejected(void **state)
{
    (void)state;
    assert_int_equal(PARSE("serve"), -1);
    assert_message_contains("unexpected argument 'serve'");
    assert_int_equal(PARSE("-p", "80"), -1);
    assert_message_contains("unexpected argument '-p'");
}

static void tls_generate_takes_folder(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--tls-generate", "/tmp"), 0);
    assert_string_equal(options.tls_generate_dir, "/tmp");
    assert_int_equal(options.port, 8443);
}

static void tls_generate_needs_folder(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--tls-generate", temporary_path), -1);
    assert_message_contains("invalid --tls-generate value");
    assert_message_contains("not a folder");
    assert_int_equal(PARSE("--tls-generate", "/nonexistent/halosim-certs"), -1);
    assert_message_contains("not a folder");
}

static void tls_generate_excludes_cert(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--tls-generate", "/tmp", "--tls-cert", temporary_path, "--tls-key",
                           temporary_path),
                     -1);
    assert_message_contains("--tls-generate and --tls-cert");
}

static void help_wins_over_errors(void **state)
{
    (void)state;
    assert_int_equal(PARSE("--port", "abc", "--help"), 0);
    assert_true(options.help);
}

static void help_lists_every_option(void **state)
{
    (void)state;
    char *text = NULL;
    size_t length = 0;
    FILE *stream = open_memstream(&text, &length);
    assert_non_null(stream);
    sim_options_print_help(stream);
    fclose(stream);

    const char *names[] = {"--port",
                           "--bind",
                           "--seed",
                           "--client-id",
                           "--client-secret",
                           "--tenant",
                           "--scopes",
                           "--token-lifetime",
                           "--rate-limit",
                           "--strict",
                           "--tls-cert",
                           "--tls-key",
                           "--tls-generate",
                           "--delivery-ca-file",
                           "--token-error-status",
                           "--team-list",
                           "--app-name",
                           "--lua-dir",
                           "--verbose",
                           "--help"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strstr(text, names[i]) == NULL) {
            fail_msg("help text does not mention %s", names[i]);
        }
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_without_arguments),
        cmocka_unit_test_setup_teardown(every_option_stored, create_temporary_file,
                                        remove_temporary_file),
        cmocka_unit_test(equals_form_accepted),
        cmocka_unit_test(repeated_option_keeps_last),
        cmocka_unit_test_setup_teardown(tls_default_port_8443, create_temporary_file,
                                        remove_temporary_file),
        cmocka_unit_test(port_zero_and_bounds_accepted),
        cmocka_unit_test(port_invalid_values_rejected),
        cmocka_unit_test(rate_limit_off_disables),
        cmocka_unit_test(rate_limit_invalid_values_rejected),
        cmocka_unit_test(token_lifetime_invalid_rejected),
        cmocka_unit_test(token_error_status_only_401_400),
        cmocka_unit_test(team_list_only_bare_wrapped),
        cmocka_unit_test(bind_needs_address),
        cmocka_unit_test_setup_teardown(tls_cert_without_key_rejected, create_temporary_file,
                                        remove_temporary_file),
        cmocka_unit_test(missing_files_rejected),
        cmocka_unit_test(seed_folder_rejected),
        cmocka_unit_test_setup_teardown(lua_dir_must_be_folder, create_temporary_file,
                                        remove_temporary_file),
        cmocka_unit_test(empty_names_rejected),
        cmocka_unit_test(empty_scopes_accepted),
        cmocka_unit_test(unknown_option_rejected),
        cmocka_unit_test(missing_value_rejected),
        cmocka_unit_test(flag_with_value_rejected),
        cmocka_unit_test(positional_argument_rejected),
        cmocka_unit_test(tls_generate_takes_folder),
        cmocka_unit_test_setup_teardown(tls_generate_needs_folder, create_temporary_file,
                                        remove_temporary_file),
        cmocka_unit_test_setup_teardown(tls_generate_excludes_cert, create_temporary_file,
                                        remove_temporary_file),
        cmocka_unit_test(help_wins_over_errors),
        cmocka_unit_test(help_lists_every_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
