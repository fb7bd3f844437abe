#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret_box.h"

#define CONTEXT "msp=default;field=halopsa_client_secret"

static const char secret_text[] = "s3cr3t-Client-Secret-value";

/* A scratch folder per test, removed with its files afterwards. */
typedef struct {
    char folder[64];
    char key_path[128];
} scratch;

static int make_scratch(void **state)
{
    scratch *paths = calloc(1, sizeof *paths);
    assert_non_null(paths);
    strcpy(paths->folder, "/tmp/halyard-secret-XXXXXX");
    assert_non_null(mkdtemp(paths->folder));
    snprintf(paths->key_path, sizeof paths->key_path, "%s/secret.key", paths->folder);
    *state = paths;
    return 0;
}

static int remove_scratch(void **state)
{
    scratch *paths = *state;
    unlink(paths->key_path);
    rmdir(paths->folder);
    free(paths);
    return 0;
}

static void write_text(const char *path, const char *text, mode_t mode)
{
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    chmod(path, mode);
}

static void key_created_with_mode_0600(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";

    int status = halyard_secret_key_load(paths->key_path, true, &key, message, sizeof message);

    assert_int_equal(status, HALYARD_SECRET_OK);
    struct stat info;
    assert_int_equal(stat(paths->key_path, &info), 0);
    assert_int_equal(info.st_mode & 0777, 0600);
}

static void key_reloads_same_bytes(void **state)
{
    scratch *paths = *state;
    halyard_secret_key first;
    halyard_secret_key second;
    char message[256] = "";

    assert_int_equal(
        halyard_secret_key_load(paths->key_path, true, &first, message, sizeof message),
        HALYARD_SECRET_OK);
    assert_int_equal(
        halyard_secret_key_load(paths->key_path, false, &second, message, sizeof message),
        HALYARD_SECRET_OK);

    assert_memory_equal(first.bytes, second.bytes, sizeof first.bytes);
}

static void missing_key_without_create_fails(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";

    int status = halyard_secret_key_load(paths->key_path, false, &key, message, sizeof message);

    assert_int_equal(status, HALYARD_SECRET_ERROR);
    assert_non_null(strstr(message, "is missing"));
    assert_non_null(strstr(message, paths->key_path));
}

static void readable_key_rejected(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";
    write_text(paths->key_path, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0644);

    int status = halyard_secret_key_load(paths->key_path, false, &key, message, sizeof message);

    assert_int_equal(status, HALYARD_SECRET_ERROR);
    assert_non_null(strstr(message, "chmod 600"));
}

static void garbage_key_rejected(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";
    write_text(paths->key_path, "not a key\n", 0600);

    int status = halyard_secret_key_load(paths->key_path, false, &key, message, sizeof message);

    assert_int_equal(status, HALYARD_SECRET_ERROR);
    assert_non_null(strstr(message, "not a halyard key"));
}

static void seal_open_round_trip(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";
    char *sealed = NULL;
    unsigned char *opened = NULL;
    size_t opened_length = 0;
    assert_int_equal(halyard_secret_key_load(paths->key_path, true, &key, message, sizeof message),
                     HALYARD_SECRET_OK);

    assert_int_equal(halyard_secret_seal(&key, CONTEXT, (const unsigned char *)secret_text,
                                         strlen(secret_text), &sealed, message, sizeof message),
                     HALYARD_SECRET_OK);
    assert_int_equal(halyard_secret_open(&key, CONTEXT, sealed, &opened, &opened_length, message,
                                         sizeof message),
                     HALYARD_SECRET_OK);

    assert_int_equal(opened_length, strlen(secret_text));
    assert_string_equal((const char *)opened, secret_text);
    assert_null(strstr(sealed, secret_text));
    assert_int_equal(strncmp(sealed, "v1:", 3), 0);
    halyard_secret_free(opened, opened_length);
    free(sealed);
}

/* The text forms round-trip a string, pass a value that is not set (NULL) through as NULL,
 * and open nothing under another context. */
static void text_round_trip_and_null(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";
    char *sealed = NULL;
    char *opened = NULL;
    char *nothing = (char *)"not touched";
    assert_int_equal(halyard_secret_key_load(paths->key_path, true, &key, message, sizeof message),
                     HALYARD_SECRET_OK);

    assert_int_equal(
        halyard_secret_seal_text(&key, CONTEXT, secret_text, &sealed, message, sizeof message),
        HALYARD_SECRET_OK);
    assert_int_equal(
        halyard_secret_open_text(&key, CONTEXT, sealed, &opened, message, sizeof message),
        HALYARD_SECRET_OK);
    assert_string_equal(opened, secret_text);
    free(opened);
    assert_int_equal(
        halyard_secret_open_text(&key, "another context", sealed, &opened, message, sizeof message),
        HALYARD_SECRET_WRONG_KEY);
    assert_null(opened);
    free(sealed);

    assert_int_equal(
        halyard_secret_seal_text(&key, CONTEXT, NULL, &nothing, message, sizeof message),
        HALYARD_SECRET_OK);
    assert_null(nothing);
    nothing = (char *)"not touched";
    assert_int_equal(
        halyard_secret_open_text(&key, CONTEXT, NULL, &nothing, message, sizeof message),
        HALYARD_SECRET_OK);
    assert_null(nothing);
}

static void wrong_key_fails_clearly(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    halyard_secret_key other_key;
    char message[256] = "";
    char *sealed = NULL;
    unsigned char *opened = NULL;
    size_t opened_length = 0;
    assert_int_equal(halyard_secret_key_load(paths->key_path, true, &key, message, sizeof message),
                     HALYARD_SECRET_OK);
    memcpy(&other_key, &key, sizeof key);
    other_key.bytes[0] ^= 1;
    assert_int_equal(halyard_secret_seal(&key, CONTEXT, (const unsigned char *)secret_text,
                                         strlen(secret_text), &sealed, message, sizeof message),
                     HALYARD_SECRET_OK);

    int status = halyard_secret_open(&other_key, CONTEXT, sealed, &opened, &opened_length, message,
                                     sizeof message);

    assert_int_equal(status, HALYARD_SECRET_WRONG_KEY);
    assert_null(opened);
    assert_non_null(strstr(message, "enter the secret again"));
    free(sealed);
}

static void other_context_fails(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";
    char *sealed = NULL;
    unsigned char *opened = NULL;
    size_t opened_length = 0;
    assert_int_equal(halyard_secret_key_load(paths->key_path, true, &key, message, sizeof message),
                     HALYARD_SECRET_OK);
    assert_int_equal(halyard_secret_seal(&key, CONTEXT, (const unsigned char *)secret_text,
                                         strlen(secret_text), &sealed, message, sizeof message),
                     HALYARD_SECRET_OK);

    int status = halyard_secret_open(&key, "msp=other;field=halopsa_client_secret", sealed, &opened,
                                     &opened_length, message, sizeof message);

    assert_int_equal(status, HALYARD_SECRET_WRONG_KEY);
    free(sealed);
}

static void tampered_value_fails(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";
    char *sealed = NULL;
    unsigned char *opened = NULL;
    size_t opened_length = 0;
    assert_int_equal(halyard_secret_key_load(paths->key_path, true, &key, message, sizeof message),
                     HALYARD_SECRET_OK);
    assert_int_equal(halyard_secret_seal(&key, CONTEXT, (const unsigned char *)secret_text,
                                         strlen(secret_text), &sealed, message, sizeof message),
                     HALYARD_SECRET_OK);
    size_t middle = strlen(sealed) / 2;
    sealed[middle] = sealed[middle] == 'A' ? 'B' : 'A';

    int status = halyard_secret_open(&key, CONTEXT, sealed, &opened, &opened_length, message,
                                     sizeof message);

    assert_int_equal(status, HALYARD_SECRET_WRONG_KEY);
    free(sealed);
}

static void malformed_values_rejected(void **state)
{
    scratch *paths = *state;
    halyard_secret_key key;
    char message[256] = "";
    unsigned char *opened = NULL;
    size_t opened_length = 0;
    static const char *values[] = {"", "plain text", "v1:", "v1:!!!!", "v1:AAAA", "v2:AAAA"};
    assert_int_equal(halyard_secret_key_load(paths->key_path, true, &key, message, sizeof message),
                     HALYARD_SECRET_OK);

    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        int status = halyard_secret_open(&key, CONTEXT, values[i], &opened, &opened_length, message,
                                         sizeof message);
        if (status != HALYARD_SECRET_ERROR) {
            fail_msg("value '%s' gave status %d", values[i], status);
        }
        assert_null(opened);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(key_created_with_mode_0600, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(key_reloads_same_bytes, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(missing_key_without_create_fails, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(readable_key_rejected, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(garbage_key_rejected, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(seal_open_round_trip, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(text_round_trip_and_null, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(wrong_key_fails_clearly, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(other_context_fails, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(tampered_value_fails, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(malformed_values_rejected, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
