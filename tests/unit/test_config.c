#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* Writes text to a fresh temporary file and returns its path (static storage). */
static const char *write_config(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/halyard-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

/* Loads text as a config; returns the status and leaves the message in message. */
static int load_text(const char *text, halyard_config *config, char *message, size_t size)
{
    const char *path = write_config(text);
    int status = halyard_config_load(path, config, message, size);
    unlink(path);
    return status;
}

static void defaults_without_file(void **state)
{
    (void)state;
    halyard_config config;
    char message[256];

    assert_int_equal(halyard_config_load(NULL, &config, message, sizeof message), 0);

    assert_string_equal(config.data_dir, "data");
    assert_string_equal(config.listen, "127.0.0.1:8080");
    assert_string_equal(config.halo_scope, "all:standard all:teams admin:webhooks");
    assert_null(config.public_url);
    assert_int_equal(config.webhook_event_count, 3);
    assert_int_equal(config.closed_status_count, 1);
    assert_int_equal(config.closed_statuses[0], 9);
    halyard_config_free(&config);
}

static void example_file_loads(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = halyard_config_load(HALYARD_SOURCE_DIR "/config/halyard.example.lua", &config,
                                     message, sizeof message);

    if (status != 0) {
        fail_msg("the example config failed: %s", message);
    }
    assert_string_equal(config.note_outcome, "Private Note");
    halyard_config_free(&config);
}

static void file_values_override(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("local port = 9000\n"
                           "return { listen = '0.0.0.0:' .. port, public_url = "
                           "'https://h.example', webhook_events = {3, 1072} }",
                           &config, message, sizeof message);

    assert_int_equal(status, 0);
    assert_string_equal(config.listen, "0.0.0.0:9000");
    assert_string_equal(config.public_url, "https://h.example");
    assert_int_equal(config.webhook_event_count, 2);
    assert_int_equal(config.webhook_events[1], 1072);
    assert_string_equal(config.data_dir, "data");
    halyard_config_free(&config);
}

static void unknown_key_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("return { lisen = '1.2.3.4:1' }", &config, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "unknown setting 'lisen'"));
}

static void wrong_type_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("return { listen = 8080 }", &config, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "listen must be a string, not a number"));
}

static void bad_events_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    assert_int_equal(
        load_text("return { webhook_events = {3, 'x'} }", &config, message, sizeof message), -1);
    assert_non_null(strstr(message, "webhook_events[2] is not a HaloPSA id"));
    assert_int_equal(load_text("return { webhook_events = {} }", &config, message, sizeof message),
                     -1);
    assert_int_equal(load_text("return { webhook_events = 3 }", &config, message, sizeof message),
                     -1);
}

/* A number written as a string is a typo that must not pass as the number. */
static void number_as_string_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    static const struct {
        const char *text;
        const char *expected;
    } cases[] = {
        {"return { webhook_events = {3, '19'} }", "webhook_events[2] is not a HaloPSA id"},
        {"return { approval_check_seconds = '120' }", "approval_check_seconds must be a whole"},
        {"return { approval_expiry_minutes = '60' }", "approval_expiry_minutes must be a whole"},
        {"return { retention_days = '30' }", "retention_days must be a whole number of days"},
        {"return { lua_limits = { default = { memory_mb = '64' } } }", "memory_mb must be a whole"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        message[0] = '\0';
        assert_int_equal(load_text(cases[i].text, &config, message, sizeof message), -1);
        if (strstr(message, cases[i].expected) == NULL) {
            fail_msg("%s: expected \"%s\" in \"%s\"", cases[i].text, cases[i].expected, message);
        }
    }
}

static void retention_days_read(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    assert_int_equal(load_text("return {}", &config, message, sizeof message), 0);
    assert_int_equal(config.retention_days, 30);
    halyard_config_free(&config);
    assert_int_equal(load_text("return { retention_days = 7 }", &config, message, sizeof message),
                     0);
    assert_int_equal(config.retention_days, 7);
    halyard_config_free(&config);
    assert_int_equal(load_text("return { retention_days = 0 }", &config, message, sizeof message),
                     -1);
    assert_non_null(
        strstr(message, "retention_days must be a whole number of days from 1 to 3650"));
    assert_non_null(strstr(message, "not 0"));
    assert_int_equal(
        load_text("return { retention_days = '30' }", &config, message, sizeof message), -1);
    assert_non_null(strstr(message, "not the text \"30\""));
}

static void syntax_error_named(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("return { listen = }", &config, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, ":1:"));
}

static void not_a_table_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("return 'listen'", &config, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "must return a table"));
}

static void file_access_unavailable(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    assert_int_equal(load_text("return { data_dir = io.open('/etc/passwd'):read() }", &config,
                               message, sizeof message),
                     -1);
    assert_int_equal(
        load_text("return { data_dir = dofile('/etc/passwd') }", &config, message, sizeof message),
        -1);
    assert_int_equal(
        load_text("return { data_dir = os.getenv('HOME') }", &config, message, sizeof message), -1);
}

static void endless_loop_stopped(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("while true do end", &config, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "ran too long"));
}

static void empty_value_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("return { halo_scope = '  ' }", &config, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "halo_scope is empty"));
}

/* Regression: a config that doubled a string forty times used gigabytes before failing. */
static void memory_bomb_stopped(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = load_text("local s = 'x' for i = 1, 40 do s = s .. s end return {}", &config,
                           message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "memory"));
}

static void lua_limits_per_msp(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    size_t memory = 0;
    unsigned long long instructions = 0;
    unsigned int time_ms = 0;

    int status = load_text("return { lua_limits = { default = { time_ms = 500, memory_mb = 32 },"
                           " ['acme-it'] = { memory_mb = 8, instructions = 20000 } } }",
                           &config, message, sizeof message);

    assert_int_equal(status, 0);
    halyard_config_lua_limits_for(&config, "acme-it", &memory, &instructions, &time_ms);
    assert_int_equal(memory, 8 * 1024 * 1024);
    assert_int_equal(instructions, 20000);
    assert_int_equal(time_ms, 500);
    halyard_config_lua_limits_for(&config, "other", &memory, &instructions, &time_ms);
    assert_int_equal(memory, 32 * 1024 * 1024);
    assert_int_equal(instructions, 0);
    halyard_config_free(&config);
}

static void lua_limits_without_setting(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    size_t memory = 1;
    unsigned long long instructions = 1;
    unsigned int time_ms = 1;

    assert_int_equal(halyard_config_load(NULL, &config, message, sizeof message), 0);
    halyard_config_lua_limits_for(&config, "default", &memory, &instructions, &time_ms);

    assert_int_equal(memory, 0);
    assert_int_equal(instructions, 0);
    assert_int_equal(time_ms, 0);
    halyard_config_free(&config);
}

static void bad_lua_limits_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    static const char *const cases[][2] = {
        {"return { lua_limits = 5 }", "must be a table"},
        {"return { lua_limits = { default = 5 } }", "MSP name"},
        {"return { lua_limits = { default = { memory = 5 } } }", "unknown field 'memory'"},
        {"return { lua_limits = { default = { time_ms = 1 } } }", "time_ms must be"},
        {"return { lua_limits = { acme = { memory_mb = 1.5 } } }", "memory_mb must be"},
        {"return { lua_limits = { acme = { instructions = 10 } } }", "instructions must be"},
        {"return { lua_limits = { acme = { log_lines = 0 } } }", "log_lines must be"},
        {"return { lua_limits = { acme = { log_lines = 100001 } } }", "log_lines must be"},
        {"return { lua_limits = { acme = { log_kb = 0.5 } } }", "log_kb must be"},
        {"return { lua_limits = { acme = { log_kb = 65537 } } }", "log_kb must be"},
        {"return { lua_limits = { acme = { log_bytes = 10 } } }", "log_lines or log_kb"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = load_text(cases[i][0], &config, message, sizeof message);
        if (status != -1 || strstr(message, cases[i][1]) == NULL) {
            fail_msg("'%s' gave %d: %s", cases[i][0], status, message);
        }
    }
}

static void run_limits_per_msp(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    unsigned int run_time_ms = 1;
    unsigned int calls = 1;

    int status = load_text("return { lua_limits = { default = { run_time_ms = 20000, calls = 9 },"
                           " ['acme-it'] = { calls = 40 } } }",
                           &config, message, sizeof message);

    assert_int_equal(status, 0);
    halyard_config_lua_run_limits_for(&config, "acme-it", &run_time_ms, &calls);
    assert_int_equal(run_time_ms, 20000);
    assert_int_equal(calls, 40);
    halyard_config_lua_run_limits_for(&config, "other", &run_time_ms, &calls);
    assert_int_equal(calls, 9);
    halyard_config_free(&config);
}

static void log_limits_per_msp(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    unsigned int lines = 1;
    size_t bytes = 1;

    int status = load_text("return { lua_limits = { default = { log_lines = 50, log_kb = 8 },"
                           " ['acme-it'] = { log_kb = 256 } } }",
                           &config, message, sizeof message);

    assert_int_equal(status, 0);
    halyard_config_lua_log_limits_for(&config, "acme-it", &lines, &bytes);
    assert_int_equal(lines, 50);
    assert_int_equal(bytes, 256 * 1024);
    halyard_config_lua_log_limits_for(&config, "other", &lines, &bytes);
    assert_int_equal(lines, 50);
    assert_int_equal(bytes, 8 * 1024);
    halyard_config_free(&config);
}

static void http_allow_per_msp(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    const halyard_config_http_allow *entries = NULL;

    int status = load_text("return { http_allow = {"
                           " default = { 'Hooks.Example.com', { host = '[::1]', port = 8443 } },"
                           " ['acme-it'] = { { host = '127.0.0.1', port = 9000, private = true } },"
                           " locked = {} } }",
                           &config, message, sizeof message);

    if (status != 0) {
        fail_msg("config not loaded: %s", message);
    }
    assert_int_equal(halyard_config_http_allow_for(&config, "other", &entries), 2);
    assert_string_equal(entries[0].host, "hooks.example.com");
    assert_int_equal(entries[0].port, 0);
    assert_false(entries[0].allow_private);
    assert_string_equal(entries[1].host, "::1");
    assert_int_equal(entries[1].port, 8443);
    assert_int_equal(halyard_config_http_allow_for(&config, "acme-it", &entries), 1);
    assert_string_equal(entries[0].host, "127.0.0.1");
    assert_int_equal(entries[0].port, 9000);
    assert_true(entries[0].allow_private);
    assert_int_equal(halyard_config_http_allow_for(&config, "locked", &entries), 0);
    halyard_config_free(&config);
}

static void http_allow_absent_allows_nothing(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";
    const halyard_config_http_allow *entries = NULL;

    assert_int_equal(halyard_config_load(NULL, &config, message, sizeof message), 0);

    assert_int_equal(halyard_config_http_allow_for(&config, "default", &entries), 0);
    halyard_config_free(&config);
}

static void bad_http_allow_rejected(void **state)
{
    (void)state;
    halyard_config config;
    char message[512] = "";
    static const char *const cases[][2] = {
        {"return { http_allow = 5 }", "http_allow must be a table"},
        {"return { http_allow = { default = 'x.example' } }", "MSP name (or default) with a list"},
        {"return { http_allow = { default = { 5 } } }",
         "http_allow[\"default\"][1] must be a host"},
        {"return { http_allow = { default = { 'bad host' } } }", "is not a host name"},
        {"return { http_allow = { default = { '2130706433' } } }", "another notation"},
        {"return { http_allow = { default = { { host = 'x.example', port = 0 } } } }",
         "port must be a whole number from 1 to 65535"},
        {"return { http_allow = { default = { { host = 'x.example', private = 'yes' } } } }",
         "private must be true or false"},
        {"return { http_allow = { default = { { host = 'x.example', prot = 80 } } } }",
         "unknown field 'prot'"},
        {"return { lua_limits = { default = { calls = 0 } } }", "calls must be"},
        {"return { lua_limits = { default = { run_time_ms = 5 } } }", "run_time_ms must be"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = load_text(cases[i][0], &config, message, sizeof message);
        if (status != -1 || strstr(message, cases[i][1]) == NULL) {
            fail_msg("'%s' gave %d: %s", cases[i][0], status, message);
        }
    }
}

static void missing_file_named(void **state)
{
    (void)state;
    halyard_config config;
    char message[256] = "";

    int status = halyard_config_load("/nonexistent/halyard.lua", &config, message, sizeof message);

    assert_int_equal(status, -1);
    assert_non_null(strstr(message, "/nonexistent/halyard.lua"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_without_file),
        cmocka_unit_test(example_file_loads),
        cmocka_unit_test(file_values_override),
        cmocka_unit_test(unknown_key_rejected),
        cmocka_unit_test(wrong_type_rejected),
        cmocka_unit_test(bad_events_rejected),
        cmocka_unit_test(number_as_string_rejected),
        cmocka_unit_test(retention_days_read),
        cmocka_unit_test(syntax_error_named),
        cmocka_unit_test(not_a_table_rejected),
        cmocka_unit_test(file_access_unavailable),
        cmocka_unit_test(endless_loop_stopped),
        cmocka_unit_test(missing_file_named),
        cmocka_unit_test(empty_value_rejected),
        cmocka_unit_test(memory_bomb_stopped),
        cmocka_unit_test(lua_limits_per_msp),
        cmocka_unit_test(lua_limits_without_setting),
        cmocka_unit_test(bad_lua_limits_rejected),
        cmocka_unit_test(run_limits_per_msp),
        cmocka_unit_test(log_limits_per_msp),
        cmocka_unit_test(http_allow_per_msp),
        cmocka_unit_test(http_allow_absent_allows_nothing),
        cmocka_unit_test(bad_http_allow_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
