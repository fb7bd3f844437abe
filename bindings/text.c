/* memmem, a linear search in glibc and the BSDs. */
#define _GNU_SOURCE

#include "lua_text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <sodium.h>

#include "lua_meter.h"

/* Bytes of linear work (normalising, searching) that count as one step of the instruction
 * budget: a byte costs far less than a Lua instruction. An estimate, not a measurement. */
#define TEXT_BYTES_PER_STEP 16

/* A word inside a normalised text. */
typedef struct {
    const char *start;
    size_t length;
} text_word;

/* True for the bytes a word is made of: ASCII letters and digits, and every byte of a UTF-8
 * character that text_fold_character keeps (so "日本" stays one word). */
static int text_is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* What text_fold_character makes of one UTF-8 character. */
typedef enum {
    TEXT_FOLD_KEEP,    /* not folded: its first byte is read as a word byte */
    TEXT_FOLD_DROP,    /* removed, joining the text on its two sides */
    TEXT_FOLD_SPACE,   /* a space */
    TEXT_FOLD_LETTERS, /* the ASCII text in letters */
} text_fold_kind;

typedef struct {
    text_fold_kind kind;
    size_t consumed; /* the bytes of the character, for DROP, SPACE and LETTERS */
    const char *letters;
    size_t letters_length;
} text_fold;

/* The base letters of U+00C0 to U+017F by code point - 0xC0 ("é" is "e", "Œ" is "OE"). The
 * multiplication and division signs have NULL and are kept. */
/* clang-format off */
static const char *const text_base_letters[192] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", /* U+00C0 */
    "D", "N", "O", "O", "O", "O", "O", NULL, "O", "U", "U", "U", "U", "Y", "TH", "ss", /* U+00D0 */
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", /* U+00E0 */
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y", /* U+00F0 */
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d", /* U+0100 */
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g", /* U+0110 */
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i", /* U+0120 */
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L", /* U+0130 */
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "NG", "ng", "O", "o", "O", "o", /* U+0140 */
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", /* U+0150 */
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", /* U+0160 */
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s", /* U+0170 */
};
/* clang-format on */

/* One ASCII character per code point, for the folds below that map to a single character. */
static const char text_ascii[] = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/* Sets fold to the ASCII character code (0x20 to 0x7E) read from consumed bytes. */
static void text_fold_ascii(text_fold *fold, unsigned code, size_t consumed)
{
    fold->kind = TEXT_FOLD_LETTERS;
    fold->consumed = consumed;
    fold->letters = &text_ascii[code - 0x20];
    fold->letters_length = 1;
}

/* Sets fold to kind for a character of consumed bytes. */
static void text_fold_as(text_fold *fold, text_fold_kind kind, size_t consumed)
{
    fold->kind = kind;
    fold->consumed = consumed;
}

/*
 * Reads the UTF-8 character at text (length bytes left, text[0] >= 0x80) into fold, a minimal
 * NFKC for Latin text. Fullwidth forms, mathematical letters and digits and circled letters
 * become ASCII, and accented Latin letters (U+00C0 to U+017F) become their base letters.
 * Combining marks, variation selectors, invisible characters (soft hyphen, zero-width
 * characters, bidirectional controls, word joiner, invisible operators, Hangul fillers, tag
 * characters, byte order mark) and U+2019, the typographic apostrophe, are dropped. The other
 * Unicode spaces become a space. Anything else, including a malformed sequence, is kept.
 */
static void text_fold_character(const unsigned char *text, size_t length, text_fold *fold)
{
    unsigned b1 = length > 1 ? text[1] : 0;
    unsigned b2 = length > 2 ? text[2] : 0;
    unsigned b3 = length > 3 ? text[3] : 0;
    int tail1 = (b1 & 0xC0) == 0x80;
    int tail2 = tail1 && (b2 & 0xC0) == 0x80;
    int tail3 = tail2 && (b3 & 0xC0) == 0x80;

    fold->kind = TEXT_FOLD_KEEP;
    fold->consumed = 1;
    switch (text[0]) {
    case 0xC2:
        if (b1 == 0xA0) {
            text_fold_as(fold, TEXT_FOLD_SPACE, 2);
        } else if (b1 == 0xAD) {
            text_fold_as(fold, TEXT_FOLD_DROP, 2);
        }
        break;
    case 0xC3:
    case 0xC4:
    case 0xC5:
        if (tail1) {
            const char *base = text_base_letters[(((text[0] & 0x1Fu) << 6) | (b1 & 0x3Fu)) - 0xC0];
            if (base != NULL) {
                fold->kind = TEXT_FOLD_LETTERS;
                fold->consumed = 2;
                fold->letters = base;
                fold->letters_length = strlen(base);
            }
        }
        break;
    case 0xCC: /* U+0300 to U+033F */
        if (tail1) {
            text_fold_as(fold, TEXT_FOLD_DROP, 2);
        }
        break;
    case 0xCD: /* U+0340 to U+036F */
        if (b1 >= 0x80 && b1 <= 0xAF) {
            text_fold_as(fold, TEXT_FOLD_DROP, 2);
        }
        break;
    case 0xE1:
        if (!tail2) {
            break;
        }
        if ((b1 == 0x85 && (b2 == 0x9F || b2 == 0xA0)) || (b1 == 0xA0 && b2 == 0x8E) ||
            (b1 == 0xAA && b2 >= 0xB0) || b1 == 0xAB || b1 == 0xB7) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        }
        break;
    case 0xE2:
        if (!tail2) {
            break;
        }
        if (b1 == 0x80) {
            if (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) {
                text_fold_as(fold, TEXT_FOLD_SPACE, 3);
            } else if ((b2 >= 0x8B && b2 <= 0x8F) || b2 == 0x99 || (b2 >= 0xAA && b2 <= 0xAE)) {
                text_fold_as(fold, TEXT_FOLD_DROP, 3);
            }
        } else if (b1 == 0x81) {
            if (b2 == 0x9F) {
                text_fold_as(fold, TEXT_FOLD_SPACE, 3);
            } else if ((b2 >= 0xA0 && b2 <= 0xA4) || (b2 >= 0xA6 && b2 <= 0xA9)) {
                text_fold_as(fold, TEXT_FOLD_DROP, 3);
            }
        } else if (b1 == 0x83 && b2 >= 0x90) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        } else if (b1 == 0x92 || b1 == 0x93) {
            unsigned code = 0x2000 + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
            if (code >= 0x24B6 && code <= 0x24CF) {
                text_fold_ascii(fold, 'A' + (code - 0x24B6), 3);
            } else if (code >= 0x24D0 && code <= 0x24E9) {
                text_fold_ascii(fold, 'a' + (code - 0x24D0), 3);
            }
        }
        break;
    case 0xE3:
        if (tail2 && b1 == 0x80 && b2 == 0x80) {
            text_fold_as(fold, TEXT_FOLD_SPACE, 3);
        } else if (tail2 && b1 == 0x85 && b2 == 0xA4) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        }
        break;
    case 0xEF:
        if (!tail2) {
            break;
        }
        if ((b1 == 0xB8 && (b2 <= 0x8F || (b2 >= 0xA0 && b2 <= 0xAF))) ||
            (b1 == 0xBB && b2 == 0xBF) || (b1 == 0xBE && b2 == 0xA0)) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        } else if (b1 == 0xBC || b1 == 0xBD) {
            unsigned code = 0xF000 + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
            if (code >= 0xFF01 && code <= 0xFF5E) {
                text_fold_ascii(fold, code - 0xFF00 + 0x20, 3);
            }
        }
        break;
    case 0xF0:
        if (tail3 && b1 == 0x9D && b2 >= 0x90 && b2 <= 0x9F) {
            unsigned code = 0x1D000 + ((b2 & 0x3Fu) << 6) + (b3 & 0x3Fu);
            if (code <= 0x1D6A3) {
                unsigned offset = (code - 0x1D400) % 52;
                text_fold_ascii(fold, offset < 26 ? 'A' + offset : 'a' + offset - 26, 4);
            } else if (code >= 0x1D7CE) {
                text_fold_ascii(fold, '0' + (code - 0x1D7CE) % 10, 4);
            }
        }
        break;
    case 0xF3:
        if (tail3 && b1 == 0xA0 && (b2 == 0x80 || b2 == 0x81)) {
            text_fold_as(fold, TEXT_FOLD_DROP, 4);
        }
        break;
    default:
        break;
    }
}

/* Appends byte c of a word to out, after one space when a separator came before it. */
static void text_put_word_byte(char *out, size_t *used, int *separator_pending, unsigned char c)
{
    if (*separator_pending && *used > 0) {
        out[(*used)++] = ' ';
    }
    *separator_pending = 0;
    out[(*used)++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
}

/* The maximum number of letters and digits in a spelled-out run that is joined ("M F A" has
 * 3). */
#define TEXT_SPELLED_MAX 5

static int text_is_ascii_letter(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static int text_is_ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* True when the word at position of the normalised text (used bytes) is one ASCII letter or
 * digit. */
static int text_single_at(const char *text, size_t used, size_t position)
{
    unsigned char c = (unsigned char)text[position];
    return (text_is_ascii_letter(c) || text_is_ascii_digit(c)) &&
           (position + 1 == used || text[position + 1] == ' ');
}

/*
 * Joins letters spelled out one by one in a normalised text, in place, as speech-to-text
 * writes an acronym: "m f a" (from "M F A", "M. F. A." or "M.F.A.") becomes "mfa", "2 f a"
 * becomes "2fa", and "two f a" becomes "2fa". A run of 2 to TEXT_SPELLED_MAX single letters or
 * digits with a letter among them is joined, with digits only before the letters ("p i n 1 2"
 * gives "pin 1 2"). A leading "a" or "i" of a run of 3 to TEXT_SPELLED_MAX stays a word
 * ("a m f a" gives "a mfa"), and a longer run stays as it is ("a b c d e f"). Returns the new
 * length, never more than used.
 */
static size_t text_join_spelled_letters(char *text, size_t used)
{
    size_t read = 0;
    size_t written = 0;
    while (read < used) {
        size_t end = read;
        while (end < used && text[end] != ' ') {
            end++;
        }

        /* Step 1: the run of single letters or digits at read, or after a "two" there. */
        int two = end - read == 3 && memcmp(text + read, "two", 3) == 0;
        size_t start = two ? end + 1 : read;
        char letters[TEXT_SPELLED_MAX + 2];
        size_t count = 0;
        int letter_seen = 0;
        size_t after = start;
        while (after < used && text_single_at(text, used, after)) {
            unsigned char c = (unsigned char)text[after];
            if (text_is_ascii_digit(c) && letter_seen) {
                break;
            }
            if (two && count == 0 && !text_is_ascii_letter(c)) {
                break;
            }
            letter_seen = letter_seen || text_is_ascii_letter(c);
            if (count < sizeof letters) {
                letters[count] = (char)c;
            }
            count++;
            after += 2; /* the character and the space after it */
        }
        size_t run_end = after > start ? after - 1 : start; /* one past the run's last byte */

        /* Step 2: join the run, or copy it unchanged so that no part of it is joined. */
        if (two && count >= 2 && count < TEXT_SPELLED_MAX) {
            memmove(letters + 1, letters, count < sizeof letters - 1 ? count : sizeof letters - 1);
            letters[0] = '2';
            count++;
        } else if (two) {
            count = 0; /* "two" before no letter is a word like any other */
        }
        if (count >= 2) {
            size_t first = 0;
            if (!two && count >= 3 && count <= TEXT_SPELLED_MAX &&
                (letters[0] == 'a' || letters[0] == 'i')) {
                first = 1;
            }
            int joinable = letter_seen && count - first >= 2 && count - first <= TEXT_SPELLED_MAX;
            if (written > 0) {
                text[written++] = ' ';
            }
            if (joinable) {
                if (first == 1) {
                    text[written++] = letters[0];
                    text[written++] = ' ';
                }
                memcpy(text + written, letters + first, count - first);
                written += count - first;
            } else {
                memmove(text + written, text + read, run_end - read);
                written += run_end - read;
            }
            read = run_end + 1;
            continue;
        }

        if (written > 0) {
            text[written++] = ' ';
        }
        memmove(text + written, text + read, end - read);
        written += end - read;
        read = end + 1;
    }
    return written;
}

/* A folded character takes at least as many bytes as its result, and a separator is written
 * only in place of at least one byte read, so the result is never longer than text. An ASCII
 * apostrophe, as a fold's result too, is dropped like U+2019. */
size_t halyard_text_normalise_into(const char *text, size_t length, char *out)
{
    size_t used = 0;
    int separator_pending = 0;
    size_t i = 0;

    while (i < length) {
        unsigned char c = (unsigned char)text[i];
        text_fold fold = {TEXT_FOLD_KEEP, 1, NULL, 0};
        if (c >= 0x80) {
            text_fold_character((const unsigned char *)text + i, length - i, &fold);
        }
        i += fold.consumed;

        if (fold.kind == TEXT_FOLD_DROP) {
            continue;
        }
        if (fold.kind == TEXT_FOLD_SPACE) {
            separator_pending = 1;
            continue;
        }
        if (fold.kind == TEXT_FOLD_LETTERS) {
            for (size_t k = 0; k < fold.letters_length; k++) {
                unsigned char letter = (unsigned char)fold.letters[k];
                if (letter == '\'') {
                    continue;
                }
                if (!text_is_word_byte(letter)) {
                    separator_pending = 1;
                    continue;
                }
                text_put_word_byte(out, &used, &separator_pending, letter);
            }
            continue;
        }
        if (c == '\'') {
            continue;
        }
        if (!text_is_word_byte(c)) {
            separator_pending = 1;
            continue;
        }
        text_put_word_byte(out, &used, &separator_pending, c);
    }
    return text_join_spelled_letters(out, used);
}

/* Normalises argument index into a scratch userdata pushed on the stack and returns it, with
 * its length in *normalised_length. Raises for a non-string argument. Stack: [] -> [scratch]. */
static const char *text_push_normalised(lua_State *L, int index, halyard_lua_meter *meter,
                                        size_t *normalised_length)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, index, &length);
    char *scratch = lua_newuserdatauv(L, length > 0 ? length : 1, 0);

    halyard_lua_meter_charge(meter, 1 + length / TEXT_BYTES_PER_STEP);
    *normalised_length = halyard_text_normalise_into(text, length, scratch);
    return scratch;
}

/*
 * Splits a normalised text into its words, in a userdata pushed on the stack. Returns the
 * words and sets *count. Stack: [] -> [words].
 */
static text_word *text_push_words(lua_State *L, const char *normalised, size_t length,
                                  size_t *count)
{
    /* Words and spaces alternate, so there are at most (length + 1) / 2 words. */
    size_t capacity = (length + 1) / 2;
    text_word *words = lua_newuserdatauv(L, (capacity > 0 ? capacity : 1) * sizeof *words, 0);
    size_t found = 0;
    size_t start = 0;

    for (size_t i = 0; i <= length; i++) {
        if (i == length || normalised[i] == ' ') {
            if (i > start) {
                words[found].start = normalised + start;
                words[found].length = i - start;
                found++;
            }
            start = i + 1;
        }
    }
    *count = found;
    return words;
}

static int text_normalise(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.normalise", length);
    halyard_lua_meter_charge(&meter, 1 + length / TEXT_BYTES_PER_STEP);
    halyard_lua_meter_end(&meter);

    luaL_Buffer buffer;
    char *out = luaL_buffinitsize(L, &buffer, length);
    luaL_pushresultsize(&buffer, halyard_text_normalise_into(text, length, out));
    return 1;
}

static int text_tokens(lua_State *L)
{
    size_t length = 0;
    luaL_checklstring(L, 1, &length);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.tokens", length);

    /* Stack: [s] -> [s, normalised, words] -> [s, normalised, words, tokens]. */
    size_t normalised_length = 0;
    size_t count = 0;
    const char *normalised = text_push_normalised(L, 1, &meter, &normalised_length);
    text_word *words = text_push_words(L, normalised, normalised_length, &count);
    halyard_lua_meter_charge(&meter, count);
    halyard_lua_meter_end(&meter);

    lua_createtable(L, count > INT_MAX ? INT_MAX : (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        lua_pushlstring(L, words[i].start, words[i].length);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* Orders words by their bytes, as memcmp does, a shorter prefix first. */
static int text_word_compare(const void *left, const void *right)
{
    const text_word *a = left;
    const text_word *b = right;
    size_t shorter = a->length < b->length ? a->length : b->length;
    int order = memcmp(a->start, b->start, shorter);
    if (order != 0) {
        return order;
    }
    return (a->length > b->length) - (a->length < b->length);
}

/* Sorts words and drops repeats; returns how many distinct words are left. */
static size_t text_sort_unique(text_word *words, size_t count, halyard_lua_meter *meter)
{
    if (count == 0) {
        return 0;
    }

    /* qsort makes about count * log2(count) comparisons. */
    size_t depth = 1;
    for (size_t n = count; n > 1; n /= 2) {
        depth++;
    }
    halyard_lua_meter_charge(meter, count * depth);
    qsort(words, count, sizeof *words, text_word_compare);

    size_t distinct = 1;
    for (size_t i = 1; i < count; i++) {
        if (text_word_compare(&words[distinct - 1], &words[i]) != 0) {
            words[distinct++] = words[i];
        }
    }
    return distinct;
}

static int text_similarity(lua_State *L)
{
    luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.similarity", lua_rawlen(L, 1) + lua_rawlen(L, 2));

    /* Stack: [a, b] -> [a, b, normalised a, words a, normalised b, words b]. */
    size_t length_a = 0;
    size_t length_b = 0;
    size_t count_a = 0;
    size_t count_b = 0;
    const char *normalised_a = text_push_normalised(L, 1, &meter, &length_a);
    text_word *words_a = text_push_words(L, normalised_a, length_a, &count_a);
    const char *normalised_b = text_push_normalised(L, 2, &meter, &length_b);
    text_word *words_b = text_push_words(L, normalised_b, length_b, &count_b);
    count_a = text_sort_unique(words_a, count_a, &meter);
    count_b = text_sort_unique(words_b, count_b, &meter);

    /* Both lists are sorted: walk them together and count the words they share. */
    size_t shared = 0;
    size_t i = 0;
    size_t j = 0;
    while (i < count_a && j < count_b) {
        int order = text_word_compare(&words_a[i], &words_b[j]);
        if (order == 0) {
            shared++;
            i++;
            j++;
        } else if (order < 0) {
            i++;
        } else {
            j++;
        }
    }
    halyard_lua_meter_charge(&meter, count_a + count_b);
    halyard_lua_meter_end(&meter);

    size_t total = count_a + count_b - shared;
    lua_pushnumber(L, total == 0 ? 1.0 : (lua_Number)shared / (lua_Number)total);
    return 1;
}

static int text_contains_any(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    luaL_checktype(L, 2, LUA_TTABLE);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.contains_any", length);

    /* Stack: [s, list] -> [s, list, haystack]. The normalised text sits between two spaces,
     * so a phrase found in it, also between spaces, starts and ends at word boundaries. */
    char *haystack = lua_newuserdatauv(L, length + 2, 0);
    halyard_lua_meter_charge(&meter, 1 + length / TEXT_BYTES_PER_STEP);
    size_t haystack_length = halyard_text_normalise_into(text, length, haystack + 1) + 2;
    haystack[0] = ' ';
    haystack[haystack_length - 1] = ' ';

    /* Raw reads: a metamethod of the list would run script code outside this check. */
    lua_Integer count = (lua_Integer)lua_rawlen(L, 2);
    for (lua_Integer i = 1; i <= count; i++) {
        /* Stack: [..., haystack] -> [..., haystack, phrase, needle]. */
        lua_rawgeti(L, 2, i);
        if (lua_type(L, -1) != LUA_TSTRING) {
            return luaL_argerror(L, 2,
                                 lua_pushfstring(L, "phrase %I is a %s, expected a string", i,
                                                 luaL_typename(L, -1)));
        }
        size_t phrase_length = 0;
        const char *phrase = lua_tolstring(L, -1, &phrase_length);
        char *needle = lua_newuserdatauv(L, phrase_length + 2, 0);
        size_t needle_length = halyard_text_normalise_into(phrase, phrase_length, needle + 1) + 2;
        if (needle_length == 2) {
            return luaL_argerror(L, 2,
                                 lua_pushfstring(L, "phrase %I (\"%s\") has no words", i, phrase));
        }
        needle[0] = ' ';
        needle[needle_length - 1] = ' ';

        halyard_lua_meter_charge(&meter,
                                 1 + (haystack_length + phrase_length) / TEXT_BYTES_PER_STEP);
        if (memmem(haystack, haystack_length, needle, needle_length) != NULL) {
            halyard_lua_meter_end(&meter);
            lua_pop(L, 1);
            return 1;
        }
        lua_pop(L, 2);
    }
    halyard_lua_meter_end(&meter);
    lua_pushnil(L);
    return 1;
}

/* The bytes text.sha256 hashes between two charges of the meter, so that the budget and the
 * deadline can stop the hash of a long text part way. */
#define TEXT_HASH_CHUNK_BYTES (64 * 1024)

/* text.sha256(s): the SHA-256 digest of the bytes of s as 64 lowercase hexadecimal digits.
 * Raises when s is not a string (a number is converted). */
static int text_sha256(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.sha256", length);

    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    size_t done = 0;
    do {
        size_t chunk =
            length - done < TEXT_HASH_CHUNK_BYTES ? length - done : TEXT_HASH_CHUNK_BYTES;
        halyard_lua_meter_charge(&meter, 1 + chunk / TEXT_BYTES_PER_STEP);
        crypto_hash_sha256_update(&state, (const unsigned char *)text + done, chunk);
        done += chunk;
    } while (done < length);
    halyard_lua_meter_end(&meter);

    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256_final(&state, digest);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    lua_pushlstring(L, hex, sizeof hex - 1);
    return 1;
}

int halyard_open_text(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"normalise", text_normalise},   {"tokens", text_tokens},
        {"similarity", text_similarity}, {"contains_any", text_contains_any},
        {"sha256", text_sha256},         {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}
