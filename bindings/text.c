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
 * character (so "café" stays one word). */
static int text_is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* U+2019 (bytes E2 80 99) is dropped wherever it starts, scanning from the left, before the
 * other rules apply, like the gsub calls these rules were first written as. */
size_t halyard_text_normalise_into(const char *text, size_t length, char *out)
{
    size_t used = 0;
    int separator_pending = 0;
    size_t i = 0;

    while (i < length) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0xE2 && i + 2 < length && (unsigned char)text[i + 1] == 0x80 &&
            (unsigned char)text[i + 2] == 0x99) {
            i += 3;
            continue;
        }
        i++;
        if (c == '\'') {
            continue;
        }
        if (!text_is_word_byte(c)) {
            separator_pending = 1;
            continue;
        }
        if (separator_pending && used > 0) {
            out[used++] = ' ';
        }
        separator_pending = 0;
        out[used++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
    }
    return used;
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
