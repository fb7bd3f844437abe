#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

static const char token_body[] =
    "{\"token_type\":\"Bearer\",\"access_token\":\"eyJabc\",\"expires_in\":3600,"
    "\"scope\":null,\"nested\":{\"ids\":[3, 3.0, \"3\", 3.5, \"x\"]},\"ok\":true,"
    "\"quote\":\"say \\\"hi\\\"\"}";

/* U+FFFD REPLACEMENT CHARACTER in UTF-8, which the reader writes for each NUL. */
#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

static int make_reader(void **state)
{
    halyard_json_reader *reader = NULL;
    char message[128];
    assert_int_equal(halyard_json_reader_create(&reader, message, sizeof message), 0);
    *state = reader;
    return 0;
}

static int free_reader(void **state)
{
    halyard_json_reader_free(*state);
    return 0;
}

static void reads_text(void **state)
{
    char *text = NULL;

    assert_int_equal(
        halyard_json_read_text(*state, token_body, strlen(token_body), "$.access_token", &text),
        HALYARD_JSON_FOUND);

    assert_string_equal(text, "eyJabc");
    free(text);
}

static void null_and_absent_are_missing(void **state)
{
    char *text = NULL;

    assert_int_equal(
        halyard_json_read_text(*state, token_body, strlen(token_body), "$.scope", &text),
        HALYARD_JSON_MISSING);
    assert_int_equal(
        halyard_json_read_text(*state, token_body, strlen(token_body), "$.absent", &text),
        HALYARD_JSON_MISSING);
    assert_null(text);
}

static void integers_in_every_halopsa_form(void **state)
{
    static const char *paths[] = {"$.nested.ids[0]", "$.nested.ids[1]", "$.nested.ids[2]"};
    for (size_t i = 0; i < 3; i++) {
        long long value = 0;
        assert_int_equal(
            halyard_json_read_integer(*state, token_body, strlen(token_body), paths[i], &value),
            HALYARD_JSON_FOUND);
        assert_int_equal(value, 3);
    }
}

static void fractions_and_words_not_integers(void **state)
{
    long long value = 0;

    assert_int_equal(halyard_json_read_integer(*state, token_body, strlen(token_body),
                                               "$.nested.ids[3]", &value),
                     HALYARD_JSON_INVALID);
    assert_int_equal(halyard_json_read_integer(*state, token_body, strlen(token_body),
                                               "$.nested.ids[4]", &value),
                     HALYARD_JSON_INVALID);
    assert_int_equal(
        halyard_json_read_integer(*state, token_body, strlen(token_body), "$.ok", &value),
        HALYARD_JSON_INVALID);
}

static void malformed_document_invalid(void **state)
{
    char *text = NULL;
    const char *broken = "{\"access_token\": \"abc\"";

    assert_int_equal(halyard_json_valid(*state, broken, strlen(broken)), 0);
    assert_int_equal(
        halyard_json_read_text(*state, broken, strlen(broken), "$.access_token", &text),
        HALYARD_JSON_INVALID);
    assert_int_equal(halyard_json_valid(*state, token_body, strlen(token_body)), 1);
}

static void reads_nested_json(void **state)
{
    char *json = NULL;

    assert_int_equal(
        halyard_json_read_json(*state, token_body, strlen(token_body), "$.nested", &json),
        HALYARD_JSON_FOUND);
    assert_string_equal(json, "{\"ids\":[3,3.0,\"3\",3.5,\"x\"]}");
    free(json);
    assert_int_equal(
        halyard_json_read_json(*state, token_body, strlen(token_body), "$.quote", &json),
        HALYARD_JSON_FOUND);
    assert_string_equal(json, "\"say \\\"hi\\\"\"");
    free(json);
    assert_int_equal(halyard_json_read_json(*state, token_body, strlen(token_body), "$.ok", &json),
                     HALYARD_JSON_FOUND);
    assert_string_equal(json, "true");
    free(json);
}

/* Regression: a string containing an escaped NUL read as invalid, so a reply "Deny.\u0000" or a
 * summary with a NUL was lost. Each NUL now reads as U+FFFD and the text after it stays. */
static void nul_in_string_replaced(void **state)
{
    char *text = NULL;
    const char *document = "{\"secret\": \"halyard\\u0000junk\", \"plain\": \"ok\","
                           " \"ends\": \"Deny.\\u0000\", \"starts\": \"\\u0000Deny\","
                           " \"twice\": \"a\\u0000\\u0000b\\n\\u00e9\"}";

    assert_int_equal(halyard_json_read_text(*state, document, strlen(document), "$.secret", &text),
                     HALYARD_JSON_FOUND);
    assert_string_equal(text, "halyard" REPLACEMENT_CHARACTER "junk");
    free(text);
    assert_int_equal(halyard_json_read_text(*state, document, strlen(document), "$.ends", &text),
                     HALYARD_JSON_FOUND);
    assert_string_equal(text, "Deny." REPLACEMENT_CHARACTER);
    free(text);
    assert_int_equal(halyard_json_read_text(*state, document, strlen(document), "$.starts", &text),
                     HALYARD_JSON_FOUND);
    assert_string_equal(text, REPLACEMENT_CHARACTER "Deny");
    free(text);
    assert_int_equal(halyard_json_read_text(*state, document, strlen(document), "$.twice", &text),
                     HALYARD_JSON_FOUND);
    assert_string_equal(text, "a" REPLACEMENT_CHARACTER REPLACEMENT_CHARACTER "b\n\xc3\xa9");
    free(text);
    assert_int_equal(halyard_json_read_text(*state, document, strlen(document), "$.plain", &text),
                     HALYARD_JSON_FOUND);
    assert_string_equal(text, "ok");
    free(text);
}

static void exact_text_rejects_nul(void **state)
{
    char *text = NULL;
    const char *document = "{\"secret\": \"halyard\\u0000junk\", \"plain\": \"ok\","
                           " \"path\": \"C:\\\\u0000\"}";

    assert_int_equal(
        halyard_json_read_exact_text(*state, document, strlen(document), "$.secret", &text),
        HALYARD_JSON_INVALID);
    assert_null(text);
    assert_int_equal(
        halyard_json_read_exact_text(*state, document, strlen(document), "$.plain", &text),
        HALYARD_JSON_FOUND);
    assert_string_equal(text, "ok");
    free(text);
    assert_int_equal(
        halyard_json_read_exact_text(*state, document, strlen(document), "$.path", &text),
        HALYARD_JSON_FOUND);
    assert_string_equal(text, "C:\\u0000");
    free(text);
}

/* An escaped backslash followed by "u0000" is text, not a NUL. */
static void escaped_backslash_not_nul(void **state)
{
    char *text = NULL;
    const char *document = "{\"path\": \"C:\\\\u0000\\\\\\u0000x\"}";

    assert_int_equal(halyard_json_read_text(*state, document, strlen(document), "$.path", &text),
                     HALYARD_JSON_FOUND);
    assert_string_equal(text, "C:\\u0000\\" REPLACEMENT_CHARACTER "x");
    free(text);
}

static void nul_in_json_string_replaced(void **state)
{
    char *json = NULL;
    const char *document = "{\"note\": \"Deny.\\u0000 now\", \"action\": {\"note\": \"a\\u0000\"}}";

    assert_int_equal(halyard_json_read_json(*state, document, strlen(document), "$.note", &json),
                     HALYARD_JSON_FOUND);
    assert_string_equal(json, "\"Deny." REPLACEMENT_CHARACTER " now\"");
    free(json);
    assert_int_equal(halyard_json_read_json(*state, document, strlen(document), "$.action", &json),
                     HALYARD_JSON_FOUND);
    assert_string_equal(json, "{\"note\":\"a\\u0000\"}");
    free(json);
}

static void counts_array(void **state)
{
    assert_int_equal(
        halyard_json_array_length(*state, token_body, strlen(token_body), "$.nested.ids"), 5);
    assert_int_equal(halyard_json_array_length(*state, token_body, strlen(token_body), "$.nested"),
                     -1);
    assert_int_equal(halyard_json_array_length(*state, "[1,2]", 5, "$"), 2);
}

static void quotes_text(void **state)
{
    char *quoted = NULL;

    assert_int_equal(halyard_json_quote(*state, "a \"b\"\n\\c", &quoted), 0);

    assert_string_equal(quoted, "\"a \\\"b\\\"\\n\\\\c\"");
    free(quoted);
}

/* Finds the path of the first key written twice in one object, at any depth. */
static void finds_duplicate_keys(void **state)
{
    static const struct {
        const char *document;
        const char *path; /* NULL: no key is written twice */
    } cases[] = {
        {"{\"mode\":\"execute\",\"mode\":\"plan\"}", "$.mode"},
        {"{\"a\":{\"b\":1,\"b\":1}}", "$.a.b"},
        {"[1,{\"x\":1},{\"x\":1,\"x\":2}]", "$[2].x"},
        {"{\"a\":{\"b\":1},\"c\":{\"b\":1}}", NULL},
        {"[1,1,1]", NULL},
        {"{}", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = NULL;
        const char *document = cases[i].document;
        int found = halyard_json_find_duplicate_key(*state, document, strlen(document), &path);
        if (cases[i].path != NULL) {
            assert_int_equal(found, HALYARD_JSON_FOUND);
            assert_string_equal(path, cases[i].path);
        } else {
            assert_int_equal(found, HALYARD_JSON_MISSING);
            assert_null(path);
        }
        free(path);
    }

    char *path = NULL;
    assert_int_equal(halyard_json_find_duplicate_key(*state, "{\"a\":", 5, &path),
                     HALYARD_JSON_INVALID);
    assert_null(path);
}

/* Finds the first top-level key a request may not send, leaving nested keys alone. */
static void finds_unknown_keys(void **state)
{
    static const struct {
        const char *document;
        const char *key; /* NULL: every key is known */
    } cases[] = {
        {"{\"mode\":\"plan\",\"modee\":\"x\"}", "modee"},
        {"{\"name\":1,\"mode\":\"plan\"}", "name"},
        {"{\"mode\":{\"other\":1}}", NULL},
        {"{\"mode\":\"plan\"}", NULL},
        {"{}", NULL},
        {"[\"other\"]", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *key = NULL;
        const char *document = cases[i].document;
        int found =
            halyard_json_find_unknown_key(*state, document, strlen(document), "[\"mode\"]", &key);
        if (cases[i].key != NULL) {
            assert_int_equal(found, HALYARD_JSON_FOUND);
            assert_string_equal(key, cases[i].key);
        } else {
            assert_int_equal(found, HALYARD_JSON_MISSING);
            assert_null(key);
        }
        free(key);
    }

    char *key = NULL;
    assert_int_equal(halyard_json_find_unknown_key(*state, "{\"a\":", 5, "[]", &key),
                     HALYARD_JSON_INVALID);
    assert_null(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_text, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(null_and_absent_are_missing, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(integers_in_every_halopsa_form, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(fractions_and_words_not_integers, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(malformed_document_invalid, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(reads_nested_json, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(counts_array, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(nul_in_string_replaced, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(escaped_backslash_not_nul, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(exact_text_rejects_nul, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(nul_in_json_string_replaced, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(quotes_text, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(finds_duplicate_keys, make_reader, free_reader),
        cmocka_unit_test_setup_teardown(finds_unknown_keys, make_reader, free_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
