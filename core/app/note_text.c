#include "note_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* True when c starts a UTF-8 bidirectional control: U+202A..U+202E or U+2066..U+2069, or the
 * marks U+200E and U+200F, which reorder the digits and punctuation beside them. */
static bool is_bidi_control(const unsigned char *c)
{
    if (c[0] != 0xE2) {
        return false;
    }
    return (c[1] == 0x80 && ((c[2] >= 0xAA && c[2] <= 0xAE) || c[2] == 0x8E || c[2] == 0x8F)) ||
           (c[1] == 0x81 && c[2] >= 0xA6 && c[2] <= 0xA9);
}

/* Returns the bytes of a control character at c (length bytes left) that a note leaves out, or
 * 0. They are the C0 controls but tab, line feed and carriage return, DEL, the C1 controls
 * (U+0080..U+009F) and the Arabic letter mark U+061C, a bidirectional mark. No note needs them,
 * and a terminal that shows the text acts on them. */
static size_t control_length(const unsigned char *c, size_t length)
{
    if ((c[0] < 0x20 && c[0] != '\t' && c[0] != '\n' && c[0] != '\r') || c[0] == 0x7F) {
        return 1;
    }
    if (length >= 2 &&
        ((c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F) || (c[0] == 0xD8 && c[1] == 0x9C))) {
        return 2;
    }
    return 0;
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
        size_t control = control_length(c, length - i);
        if (control > 0) {
            i += control - 1;
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

/* Decodes the UTF-8 character at text into *code_point. Returns its length in bytes, or 0 when
 * the bytes are not valid UTF-8. */
static size_t decode_utf8(const unsigned char *text, unsigned long *code_point)
{
    size_t length = text[0] < 0x80 ? 1 : text[0] >= 0xF0 ? 4 : text[0] >= 0xE0 ? 3 : 2;
    if (text[0] >= 0x80 && text[0] < 0xC2) {
        return 0;
    }
    if (text[0] > 0xF4) {
        return 0;
    }
    unsigned long value = length == 1   ? text[0]
                          : length == 2 ? text[0] & 0x1Fu
                          : length == 3 ? text[0] & 0x0Fu
                                        : text[0] & 0x07u;
    for (size_t i = 1; i < length; i++) {
        if ((text[i] & 0xC0) != 0x80) {
            return 0;
        }
        value = (value << 6) | (text[i] & 0x3Fu);
    }
    *code_point = value;
    return length;
}

bool halyard_note_text_has_invisible(const char *text)
{
    static const unsigned long ranges[][2] = {
        {0x00AD, 0x00AD},   {0x034F, 0x034F}, {0x061C, 0x061C},   {0x115F, 0x1160},
        {0x17B4, 0x17B5},   {0x180B, 0x180F}, {0x200B, 0x200F},   {0x2028, 0x202E},
        {0x2060, 0x206F},   {0x3164, 0x3164}, {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},
        {0xFFA0, 0xFFA0},   {0xFFF9, 0xFFFB}, {0x1D173, 0x1D17A}, {0xE0000, 0xE007F},
        {0xE0100, 0xE01EF},
    };
    const unsigned char *at = (const unsigned char *)text;
    while (*at != '\0') {
        unsigned long code_point = 0;
        size_t length = decode_utf8(at, &code_point);
        if (length == 0) {
            return true;
        }
        for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
            if (code_point >= ranges[i][0] && code_point <= ranges[i][1]) {
                return true;
            }
        }
        at += length;
    }
    return false;
}

void halyard_note_append_reasons(halyard_text_buffer *out, const char *reasons)
{
    const char *start = reasons;
    while (*start != '\0') {
        size_t length = strcspn(start, ",");
        if (start != reasons) {
            halyard_text_buffer_append_text(out, ", ");
        }
        char reason[128];
        snprintf(reason, sizeof reason, "%.*s", (int)length, start);
        halyard_note_append_text(out, reason, 0);
        start += length;
        if (*start == ',') {
            start++;
        }
    }
}
