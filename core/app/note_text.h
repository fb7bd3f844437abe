#ifndef HALYARD_NOTE_TEXT_H
#define HALYARD_NOTE_TEXT_H

#include "text_buffer.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Appends text from outside (a ticket, a reply, a provider, a tool's result) to a note halyard
 * writes to HaloPSA. The five HTML special characters become entities, and Unicode
 * bidirectional controls (U+202A..U+202E, U+2066..U+2069) are left out. A word joiner (U+2060)
 * goes between "halyard" and " run" wherever they meet, so quoted text never carries halyard's
 * write marker "halyard run <label>", which halyard looks for on retries. The text is cut to
 * at most limit bytes (0: no limit) without splitting a UTF-8 character, with "..." after a
 * cut. bindings/lua/note.lua's note.escape does the same for notes written in Lua.
 */
void halyard_note_append_text(halyard_text_buffer *out, const char *text, size_t limit);

/* Appends a list of reason codes joined by commas ("password_reset,payment_change") as text
 * joined by ", ", each code escaped as halyard_note_append_text does. */
void halyard_note_append_reasons(halyard_text_buffer *out, const char *reasons);

/*
 * Tells whether text contains a character that a note shows as nothing or almost nothing, so a
 * technician reading the note cannot see it: format and direction controls (U+061C, U+200B to
 * U+200F, U+202A to U+202E, U+2060 to U+206F, U+FEFF, U+FFF9 to U+FFFB), line and paragraph
 * separators (U+2028, U+2029), the soft hyphen (U+00AD), fillers drawn blank (U+034F, U+115F,
 * U+1160, U+17B4, U+17B5, U+180B to U+180F, U+3164, U+FFA0), variation selectors (U+FE00 to
 * U+FE0F, U+E0100 to U+E01EF), musical format characters (U+1D173 to U+1D17A) and tag
 * characters (U+E0000 to U+E007F). Bytes that are not valid UTF-8 count too.
 */
bool halyard_note_text_has_invisible(const char *text);

#endif
