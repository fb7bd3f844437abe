/* Tests of the text halyard quotes into its notes (core/app/note_text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "note_text.h"
#include "run_writes.h"

/* Returns text as halyard_note_append_text writes it (malloc'd). */
static char *quoted(const char *text, size_t limit)
{
    halyard_text_buffer out;
    halyard_text_buffer_init(&out, 1024 * 1024);
    halyard_note_append_text(&out, text, limit);
    return halyard_text_buffer_take(&out);
}

static void special_characters_become_entities(void **state)
{
    (void)state;
    char *text = quoted("<b>\"Tom\" & 'Jo'</b>", 0);

    assert_string_equal(text, "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jo&#39;&lt;/b&gt;");
    free(text);
}

static void bidi_controls_are_left_out(void **state)
{
    (void)state;
    char *text = quoted("Jane\xE2\x80\xAE"
                        "eoD\xE2\x81\xA6!",
                        0);

    assert_string_equal(text, "JaneeoD!");
    free(text);
}

/* Bug: control characters and the bidirectional marks passed into notes. They were an escape
 * sequence, a backspace that hides the letter before it, C1 controls, and the marks U+200E,
 * U+200F and U+061C, which reorder the digits beside them. */
static void control_characters_are_left_out(void **state)
{
    (void)state;
    char *text = quoted("a\x1B[31mb\x08"
                        "c\x7F\x01"
                        "d\xC2\x85"
                        "e\xC2\x9B"
                        "f1\xE2\x80\x8F-\xE2\x80\x8E"
                        "2\xD8\x9C-3\t4\n5\r6\xC2\xA0!",
                        0);

    assert_string_equal(text, "a[31mbcdef1-2-3\t4\n5\r6\xC2\xA0!");
    free(text);
}

/* A requester who types halyard's write marker into a reply that halyard quotes must not make
 * halyard's own note carry the marker: a retry would take the note for the write. */
static void quoted_marker_is_broken(void **state)
{
    (void)state;
    char *text = quoted("ref: halyard run 25.step.a570cfb8.2 and HALYARD RUN 7", 0);

    assert_null(strstr(text, "halyard run"));
    assert_non_null(strstr(text, "halyard\xE2\x81\xA0 run 25.step.a570cfb8.2"));
    assert_non_null(strstr(text, "HALYARD\xE2\x81\xA0 RUN 7"));
    free(text);
}

static void quoted_marker_is_not_found_on_retry(void **state)
{
    (void)state;
    char *text = quoted("halyard run 25.step.a570cfb8.2", 0);
    halyard_text_buffer actions;
    halyard_text_buffer_init(&actions, 1024 * 1024);
    halyard_text_buffer_printf(&actions,
                               "[{\"id\":4,\"who_agentid\":1,\"note_html\":\"<p>%s</p>\","
                               "\"note\":\"%s\"}]",
                               text, text);
    char *json_text = halyard_text_buffer_take(&actions);
    halyard_json_reader *json = NULL;
    char message[256];
    assert_int_equal(halyard_json_reader_create(&json, message, sizeof message), 0);
    long long action_id = 0;

    bool found =
        halyard_run_writes_find_marker(json, json_text, "25.step.a570cfb8.2", 1, &action_id);

    assert_false(found);
    halyard_json_reader_free(json);
    free(json_text);
    free(text);
}

static void cut_keeps_whole_characters(void **state)
{
    (void)state;
    char *text = quoted("caf\xC3\xA9 au lait", 4);

    assert_string_equal(text, "caf...");
    free(text);
}

/* Bug: only zero-width, bidi and tag characters were flagged, so a soft hyphen, a Hangul filler
 * or an Arabic letter mark in a step's arguments went into an approval request unseen. */
static void invisible_characters_are_found(void **state)
{
    (void)state;
    static const char *const invisible[] = {
        "a\xC2\xAD"
        "b", /* U+00AD soft hyphen */
        "a\xCD\x8F"
        "b", /* U+034F combining grapheme joiner */
        "a\xD8\x9C"
        "b", /* U+061C Arabic letter mark */
        "a\xE1\xA0\x8E"
        "b", /* U+180E Mongolian vowel separator */
        "a\xE2\x80\x8B"
        "b", /* U+200B zero width space */
        "a\xE2\x80\xA8"
        "b", /* U+2028 line separator */
        "a\xE2\x80\xAE"
        "b", /* U+202E right-to-left override */
        "a\xE2\x81\xA0"
        "b", /* U+2060 word joiner */
        "a\xE3\x85\xA4"
        "b", /* U+3164 Hangul filler */
        "a\xEF\xB8\x8F"
        "b", /* U+FE0F variation selector 16 */
        "a\xEF\xBB\xBF"
        "b", /* U+FEFF byte order mark */
        "a\xEF\xBF\xB9"
        "b", /* U+FFF9 interlinear annotation anchor */
        "a\xF0\x9D\x85\xB3"
        "b", /* U+1D173 musical symbol begin beam */
        "a\xF3\xA0\x80\x81"
        "b", /* U+E0001 language tag */
        "a\xF3\xA0\x84\x80"
        "b", /* U+E0100 variation selector 17 */
        "a\xFF"
        "b",         /* not UTF-8 */
        "a\xE2\x80", /* a cut character */
    };
    for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
        if (!halyard_note_text_has_invisible(invisible[i])) {
            fail_msg("case %zu was not flagged", i);
        }
    }
    static const char *const visible[] = {
        "plain text",       "caf\xC3\xA9",
        "\xE2\x82\xAC 5",   "\xE6\x97\xA5\xE6\x9C\xAC",
        "\xF0\x9F\x98\x80", "",
    };
    for (size_t i = 0; i < sizeof visible / sizeof visible[0]; i++) {
        if (halyard_note_text_has_invisible(visible[i])) {
            fail_msg("visible case %zu was flagged", i);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(special_characters_become_entities),
        cmocka_unit_test(bidi_controls_are_left_out),
        cmocka_unit_test(control_characters_are_left_out),
        cmocka_unit_test(quoted_marker_is_broken),
        cmocka_unit_test(quoted_marker_is_not_found_on_retry),
        cmocka_unit_test(cut_keeps_whole_characters),
        cmocka_unit_test(invisible_characters_are_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
