#ifndef HALYARD_BINDINGS_LUA_TEXT_H
#define HALYARD_BINDINGS_LUA_TEXT_H

#include <stddef.h>

#include <lua.h>

/*
 * Opens the `text` module and pushes its table: the word rules that workflow match rules use,
 * for scripts and for halyard's own match module, which calls text.normalise so that both
 * follow one implementation.
 *
 *   text.normalise(s)            characters folded (fullwidth, mathematical, circled and
 *                                accented Latin letters to ASCII, combining marks and
 *                                invisible characters removed, Unicode spaces to a space);
 *                                lower case; apostrophes (' and U+2019) dropped; every run of
 *                                bytes that are not ASCII letters, digits or bytes of UTF-8
 *                                characters becomes one space; no space at either end
 *   text.tokens(s)               the words of text.normalise(s), as an array
 *   text.similarity(a, b)        the Jaccard index of the two sets of words, from 0 to 1
 *   text.contains_any(s, list)   the first phrase of list whose words occur in s next to each
 *                                other, or nil
 *
 * Each function takes time linear in its input, except similarity (n log n) and contains_any
 * (one search of the text per phrase). The work is charged to the running call's instruction
 * budget (see lua_meter.h). Scratch memory comes from the state's allocator, so the memory
 * limit applies. lua_CFunction convention: returns 1.
 */
int halyard_open_text(lua_State *L);

/*
 * Writes the normalised form of text (the rules of text.normalise above) into out, which has
 * room for length bytes, because the result is never longer. Returns the result's length.
 * Charges nothing: a caller in a Lua call charges the work to its own meter.
 */
size_t halyard_text_normalise_into(const char *text, size_t length, char *out);

#endif
