#include "note_text.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* True when c starts a UTF-8 bidirectional control: U+202A..U+202E or U+2066..U+2069. */
static bool is_bidi_control(const unsigned char *c)
{
    if (c[0] != 0xE2) {
        return false;
    }
    return (c[1] == 0x80 && c[2] >= 0xAA && c[2] <= 0xAE) ||
           (c[1] == 0x81 && c[2] >= 0xA6 && c[2] <= 0xA9);
}

void halyard_note_append_text(halyard_text_buffer *out, const char *text, size_t limit)
{
    static const char marker_word[] = "halyard";
    static const char word_joiner[] = "\xE2\x81\xA0";
    size_t length = strlen(text);
    bool cut = limit > 0 && length > limit;
    if (cut) {
        length = limit;
        while (length > 0 && ((unsigned char)text[length] & 0xC0) == 0x80) {
            length--;
        }
    }

    for (size_t i = 0; i < length; i++) {
        const unsigned char *c = (const unsigned char *)&text[i];
        if (i + 2 < length && is_bidi_control(c)) {
            i += 2;
            continue;
        }
        switch (text[i]) {
        case '&':
            halyard_text_buffer_append_text(out, "&amp;");
            break;
        case '<':
            halyard_text_buffer_append_text(out, "&lt;");
            break;
        case '>':
            halyard_text_buffer_append_text(out, "&gt;");
            break;
        case '"':
            halyard_text_buffer_append_text(out, "&quot;");
            break;
        case '\'':
            halyard_text_buffer_append_text(out, "&#39;");
            break;
        default:
            halyard_text_buffer_append(out, &text[i], 1);
        }

        /* "halyard" followed by " run": the joiner goes between them. */
        size_t word = sizeof marker_word - 1;
        if (i + 1 >= word && strncasecmp(&text[i + 1 - word], marker_word, word) == 0 &&
            i + 4 < length && strncasecmp(&text[i + 1], " run", 4) == 0) {
            halyard_text_buffer_append_text(out, word_joiner);
        }
    }
    if (cut) {
        halyard_text_buffer_append_text(out, "...");
    }
}
