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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(special_characters_become_entities),
        cmocka_unit_test(bidi_controls_are_left_out),
        cmocka_unit_test(quoted_marker_is_broken),
        cmocka_unit_test(quoted_marker_is_not_found_on_retry),
        cmocka_unit_test(cut_keeps_whole_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
