#ifndef HALYARD_NOTE_TEXT_H
#define HALYARD_NOTE_TEXT_H

#include "text_buffer.h"

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

#endif
