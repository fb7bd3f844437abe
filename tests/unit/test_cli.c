#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Output of one CLI run, captured in memory. */
typedef struct {
    int status;
    char *out;
    char *err;
} cli_result;

static cli_result run_cli(int argc, char **argv)
{
    cli_result result = {0};
    size_t out_size = 0;
    size_t err_size = 0;
    FILE *out = open_memstream(&result.out, &out_size);
    FILE *err = open_memstream(&result.err, &err_size);
    assert_non_null(out);
    assert_non_null(err);

    result.status = halyard_cli_run(argc, argv, out, err);
    fclose(out);
    fclose(err);
    return result;
}

static void free_result(cli_result *result)
{
    free(result->out);
    free(result->err);
}

static void version_prints_version(void **state)
{
    (void)state;
    char *argv[] = {"halyard", "version", NULL};

    cli_result result = run_cli(2, argv);

    assert_int_equal(result.status, HALYARD_EXIT_OK);
    assert_non_null(strstr(result.out, "halyard "));
    assert_string_equal(result.err, "");
    free_result(&result);
}

static void no_command_prints_usage(void **state)
{
    (void)state;
    char *argv[] = {"halyard", NULL};

    cli_result result = run_cli(1, argv);

    assert_int_equal(result.status, HALYARD_EXIT_USAGE);
    assert_non_null(strstr(result.err, "usage: halyard [--config FILE]"));
    free_result(&result);
}

static void unknown_command_is_named(void **state)
{
    (void)state;
    char *argv[] = {"halyard", "frobnicate", NULL};

    cli_result result = run_cli(2, argv);

    assert_int_equal(result.status, HALYARD_EXIT_USAGE);
    assert_non_null(strstr(result.err, "unknown command 'frobnicate'"));
    assert_non_null(strstr(result.err, "halyard help"));
    free_result(&result);
}

static void option_without_value_rejected(void **state)
{
    (void)state;
    char *argv[] = {"halyard", "version", "--msp", NULL};

    cli_result result = run_cli(3, argv);

    assert_int_equal(result.status, HALYARD_EXIT_USAGE);
    assert_non_null(strstr(result.err, "need a value"));
    free_result(&result);
}

/* An MSP name is a folder name: a path in it never reaches any command. */
static void invalid_msp_name_rejected(void **state)
{
    (void)state;
    const char *names[] = {"../scripts2/acme", "ACME", "acme/it", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *argv[] = {"halyard", "--msp", (char *)names[i], "workflows", "lint", NULL};

        cli_result result = run_cli(5, argv);

        assert_int_equal(result.status, HALYARD_EXIT_USAGE);
        assert_non_null(strstr(result.err, "--msp: the MSP name"));
        assert_string_equal(result.out, "");
        free_result(&result);
    }
}

static void global_options_anywhere(void **state)
{
    (void)state;
    char *argv[] = {"halyard", "--msp",    "acme",
                    "version", "--config", HALYARD_SOURCE_DIR "/config/halyard.example.lua",
                    NULL};

    cli_result result = run_cli(6, argv);

    assert_int_equal(result.status, HALYARD_EXIT_OK);
    assert_non_null(strstr(result.out, "halyard "));
    free_result(&result);
}

static void broken_config_reported(void **state)
{
    (void)state;
    char *argv[] = {"halyard", "--config", "/nonexistent/halyard.lua", "version", NULL};

    cli_result result = run_cli(4, argv);

    assert_int_equal(result.status, HALYARD_EXIT_FAILURE);
    assert_non_null(strstr(result.err, "/nonexistent/halyard.lua"));
    free_result(&result);
}

static void config_from_environment(void **state)
{
    (void)state;
    char *argv[] = {"halyard", "version", NULL};
    setenv("HALYARD_CONFIG", "/nonexistent/from-environment.lua", 1);

    cli_result result = run_cli(2, argv);
    unsetenv("HALYARD_CONFIG");

    assert_int_equal(result.status, HALYARD_EXIT_FAILURE);
    assert_non_null(strstr(result.err, "from-environment.lua"));
    free_result(&result);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_prints_version),   cmocka_unit_test(no_command_prints_usage),
        cmocka_unit_test(unknown_command_is_named), cmocka_unit_test(option_without_value_rejected),
        cmocka_unit_test(global_options_anywhere),  cmocka_unit_test(broken_config_reported),
        cmocka_unit_test(config_from_environment),  cmocka_unit_test(invalid_msp_name_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
