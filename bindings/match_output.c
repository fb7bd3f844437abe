#include "match_output.h"

#include <stdio.h>
#include <string.h>

#include "lua_meter.h"
#include "match_index_private.h"

/* The bytes a JSON string escapes: those below 0x20, '"', '/', '\\' and 0x7F. */
/* clang-format off */
static const unsigned char output_json_special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['/'] = 1, ['\\'] = 1, [0x7F] = 1,
};
/* clang-format on */

/* Input bytes written per reservation of buffer room by halyard_match_output_bytes, so a long
 * text never reserves more than a few KiB at once. */
#define OUTPUT_CHUNK 1024

#define OUTPUT_MAX_PER_BYTE HALYARD_MATCH_JSON_MAX_PER_BYTE

/* The maximum bytes a reason writes besides its field and phrase: "score function failed: " is the
 * longest fixed text, and a quoted phrase adds two escaped quotes. */
#define OUTPUT_REASON_OVERHEAD 32

/* Writes byte c into out, escaped as in a JSON string when json is set and c needs it, and
 * returns the position after it. */
static char *output_put(char *out, unsigned char c, int json)
{
    static const char hex[] = "0123456789abcdef";
    if (!json || !output_json_special[c]) {
        *out++ = (char)c;
        return out;
    }
    *out++ = '\\';
    switch (c) {
    case '"':
    case '\\':
    case '/':
        *out++ = (char)c;
        return out;
    case '\b':
        *out++ = 'b';
        return out;
    case '\t':
        *out++ = 't';
        return out;
    case '\n':
        *out++ = 'n';
        return out;
    case '\f':
        *out++ = 'f';
        return out;
    case '\r':
        *out++ = 'r';
        return out;
    default:
        break;
    }
    *out++ = 'u';
    *out++ = '0';
    *out++ = '0';
    *out++ = hex[c >> 4];
    *out++ = hex[c & 0xF];
    return out;
}

/* Writes length bytes into out (room for OUTPUT_MAX_PER_BYTE * length) and returns the
 * position after them. */
static char *output_put_bytes(char *out, const char *bytes, size_t length, int json)
{
    /* Bytes that need no escape are copied in runs. */
    size_t start = 0;
    while (start < length) {
        size_t end = start;
        while (end < length && (!json || !output_json_special[(unsigned char)bytes[end]])) {
            end++;
        }
        memcpy(out, bytes + start, end - start);
        out += end - start;
        if (end == length) {
            break;
        }
        out = output_put(out, (unsigned char)bytes[end], json);
        start = end + 1;
    }
    return out;
}

/* True for the bytes iscntrl and isdigit accept in the C locale. */
static int output_is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7F;
}

static int output_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Writes phrase as Lua 5.4's string.format("%q") quotes a string: in double quotes, with a
 * backslash before '"', '\\' and a newline, and other control bytes as decimal escapes, three
 * digits wide when a digit follows. out has room for OUTPUT_MAX_PER_BYTE * length + 4 bytes,
 * because the widest byte takes five (a backslash, escaped in JSON, and three digits).
 * Returns the position after the closing quote.
 */
static char *output_put_quoted(char *out, const char *phrase, size_t length, int json)
{
    out = output_put(out, '"', json);
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)phrase[i];
        if (c == '"' || c == '\\' || c == '\n') {
            out = output_put(out, '\\', json);
            out = output_put(out, c, json);
        } else if (output_is_control(c)) {
            out = output_put(out, '\\', json);
            int wide = i + 1 < length && output_is_digit((unsigned char)phrase[i + 1]);
            if (wide || c >= 100) {
                *out++ = (char)('0' + c / 100);
            }
            if (wide || c >= 10) {
                *out++ = (char)('0' + c / 10 % 10);
            }
            *out++ = (char)('0' + c % 10);
        } else if (!json || !output_json_special[c]) {
            *out++ = (char)c;
        } else {
            out = output_put(out, c, json);
        }
    }
    return output_put(out, '"', json);
}

char *halyard_match_put_json(char *out, const char *bytes, size_t length)
{
    return output_put_bytes(out, bytes, length, 1);
}

char *halyard_match_put_quoted_json(char *out, const char *phrase, size_t length)
{
    return output_put_quoted(out, phrase, length, 1);
}

/* Writes the fixed text, which has no byte a JSON string escapes, into out and returns the
 * position after it. */
static char *output_put_text(char *out, const char *text)
{
    size_t length = strlen(text);
    memcpy(out, text, length);
    return out + length;
}

/* True when the length bytes of text are the NUL-terminated word. */
static int output_equals(const char *text, size_t length, const char *word)
{
    return length == strlen(word) && memcmp(text, word, length) == 0;
}

void halyard_match_output_bytes(halyard_match_output *output, const char *bytes, size_t length)
{
    while (length > 0) {
        size_t chunk = length < OUTPUT_CHUNK ? length : OUTPUT_CHUNK;
        char *room = luaL_prepbuffsize(output->buffer, OUTPUT_MAX_PER_BYTE * chunk);
        char *end = output_put_bytes(room, bytes, chunk, output->json);
        luaL_addsize(output->buffer, (size_t)(end - room));
        bytes += chunk;
        length -= chunk;
    }
}

/* Appends the fixed text, which has no byte a JSON string escapes. */
static void output_text(halyard_match_output *output, const char *text)
{
    luaL_addstring(output->buffer, text);
}

/*
 * Writes a reason between the fixed texts before and after (which may be ""). A short reason
 * goes in one reservation of buffer room. A long one, such as a score function's long message,
 * goes piece by piece, so that its room is never reserved whole.
 */
static void output_reason(halyard_match_output *output, const char *before, const char *rule,
                          size_t rule_length, const char *phrase, size_t phrase_length,
                          const char *field, size_t field_length, const char *after)
{
    int quoted = 0;
    const char *prefix = "";
    if (output_equals(rule, rule_length, "score")) {
        prefix = "score function: ";
    } else if (output_equals(rule, rule_length, "error")) {
        prefix = "score function failed: ";
    } else {
        quoted = 1;
        prefix = output_equals(rule, rule_length, "none") ? "excluded because " : "";
    }

    if (field_length > OUTPUT_CHUNK || phrase_length > OUTPUT_CHUNK) {
        output_text(output, before);
        output_text(output, prefix);
        if (quoted) {
            halyard_match_output_bytes(output, field, field_length);
            output_text(output, " contains ");
            char *room = luaL_prepbuffsize(output->buffer, OUTPUT_MAX_PER_BYTE * phrase_length + 4);
            char *end = output_put_quoted(room, phrase, phrase_length, output->json);
            luaL_addsize(output->buffer, (size_t)(end - room));
        } else {
            halyard_match_output_bytes(output, phrase, phrase_length);
        }
        output_text(output, after);
        return;
    }

    size_t room_size = strlen(before) + OUTPUT_REASON_OVERHEAD +
                       OUTPUT_MAX_PER_BYTE * (field_length + phrase_length) + strlen(after);
    char *room = luaL_prepbuffsize(output->buffer, room_size);
    char *end = output_put_text(room, before);
    end = output_put_text(end, prefix);
    if (quoted) {
        end = output_put_bytes(end, field, field_length, output->json);
        end = output_put_text(end, " contains ");
        end = output_put_quoted(end, phrase, phrase_length, output->json);
    } else {
        end = output_put_bytes(end, phrase, phrase_length, output->json);
    }
    end = output_put_text(end, after);
    luaL_addsize(output->buffer, (size_t)(end - room));
}

void halyard_match_output_reason(halyard_match_output *output, const char *rule, size_t rule_length,
                                 const char *phrase, size_t phrase_length, const char *field,
                                 size_t field_length)
{
    output_reason(output, "", rule, rule_length, phrase, phrase_length, field, field_length, "");
}

/* Writes before, then bytes (escaped when output->json is set), then after, in one reservation
 * when bytes are short. */
static void output_between(halyard_match_output *output, const char *before, const char *bytes,
                           size_t length, const char *after)
{
    if (length > OUTPUT_CHUNK) {
        output_text(output, before);
        halyard_match_output_bytes(output, bytes, length);
        output_text(output, after);
        return;
    }
    char *room = luaL_prepbuffsize(output->buffer,
                                   strlen(before) + OUTPUT_MAX_PER_BYTE * length + strlen(after));
    char *end = output_put_text(room, before);
    end = output_put_bytes(end, bytes, length, output->json);
    end = output_put_text(end, after);
    luaL_addsize(output->buffer, (size_t)(end - room));
}

void halyard_match_output_open_match(halyard_match_output *output, int first, const char *file,
                                     size_t file_length)
{
    output_between(output, first ? "{\"file\":\"" : ",{\"file\":\"", file, file_length,
                   "\",\"reasons\":[");
}

void halyard_match_output_json_reason(halyard_match_output *output, int first, const char *rule,
                                      size_t rule_length, const char *phrase, size_t phrase_length,
                                      const char *field, size_t field_length)
{
    output_reason(output, first ? "\"" : ",\"", rule, rule_length, phrase, phrase_length, field,
                  field_length, "\"");
}

void halyard_match_output_close_match(halyard_match_output *output, const char *score,
                                      const char *name, size_t name_length)
{
    output_text(output, "],\"score\":");
    output_text(output, score);
    output_between(output, ",\"workflow\":\"", name, name_length, "\"}");
}

int halyard_match_describe(lua_State *L)
{
    size_t rule_length = 0;
    size_t phrase_length = 0;
    size_t field_length = 0;
    const char *rule = luaL_checklstring(L, 1, &rule_length);
    const char *phrase = luaL_checklstring(L, 2, &phrase_length);
    const char *field = luaL_checklstring(L, 3, &field_length);

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "match_index.describe", phrase_length);
    halyard_lua_meter_charge(&meter, 1 + phrase_length / MATCH_BYTES_PER_STEP);
    halyard_lua_meter_end(&meter);

    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    halyard_match_output output = {.buffer = &buffer, .json = 0};
    halyard_match_output_reason(&output, rule, rule_length, phrase, phrase_length, field,
                                field_length);
    luaL_pushresult(&buffer);
    return 1;
}

/* What encode_matches writes of one match, read before the buffer is touched. The strings
 * stay valid after they are popped because the matches table keeps them. */
typedef struct {
    const char *name;
    size_t name_length;
    const char *file;
    size_t file_length;
    lua_Integer reason_count;
    /* The score as canonical JSON writes a number: an integer without a fraction. */
    char score[64];
} match_encoded;

/* Writes the number on top of the stack into text as canonical JSON does (integers without a
 * fraction, others with 17 digits). Returns 0, or -1 for NaN, an infinity or no number. */
static int match_format_number(lua_State *L, char *text, size_t size)
{
    int is_integer = 0;
    lua_Integer integer = lua_tointegerx(L, -1, &is_integer);
    if (lua_type(L, -1) != LUA_TNUMBER) {
        return -1;
    }
    if (is_integer) {
        snprintf(text, size, LUA_INTEGER_FMT, integer);
        return 0;
    }
    lua_Number value = lua_tonumber(L, -1);
    if (value != value || value - value != 0) {
        return -1;
    }
    snprintf(text, size, "%.17g", (double)value);
    return 0;
}

/* Reads matches[number] (matches at stack position 1): its workflow's name and file, its
 * score and how many reasons it has. Raises argument error 1 for a malformed match.
 * Stack: unchanged. */
static void match_read_encoded(lua_State *L, lua_Integer number, match_encoded *encoded)
{
    if (lua_rawgeti(L, 1, number) != LUA_TTABLE) {
        luaL_argerror(L, 1, lua_pushfstring(L, "match %I is not a table", number));
    }
    if (match_raw_field(L, -1, "key") != LUA_TTABLE ||
        match_raw_field(L, -1, "name") != LUA_TSTRING ||
        match_raw_field(L, -2, "file") != LUA_TSTRING) {
        luaL_argerror(L, 1,
                      lua_pushfstring(L, "match %I has no key with a name and a file", number));
    }
    encoded->name = lua_tolstring(L, -2, &encoded->name_length);
    encoded->file = lua_tolstring(L, -1, &encoded->file_length);
    lua_pop(L, 3);

    match_raw_field(L, -1, "score");
    if (match_format_number(L, encoded->score, sizeof encoded->score) != 0) {
        luaL_argerror(L, 1,
                      lua_pushfstring(L, "match %I has no finite number as its score", number));
    }
    lua_pop(L, 1);
    if (match_raw_field(L, -1, "reasons") != LUA_TTABLE) {
        luaL_argerror(L, 1, lua_pushfstring(L, "match %I has no reasons table", number));
    }
    encoded->reason_count = (lua_Integer)lua_rawlen(L, -1);
    lua_pop(L, 2);
}

/* Reads reason number of matches[match_number] (matches at stack position 1). Raises argument
 * error 1 for a malformed reason. Stack: unchanged. */
static void match_read_reason(lua_State *L, lua_Integer match_number, lua_Integer number,
                              const char *strings[3], size_t lengths[3])
{
    static const char *const names[3] = {"rule", "phrase", "field"};
    lua_rawgeti(L, 1, match_number);
    match_raw_field(L, -1, "reasons");
    if (lua_rawgeti(L, -1, number) != LUA_TTABLE) {
        luaL_argerror(
            L, 1, lua_pushfstring(L, "reason %I of match %I is not a table", number, match_number));
    }
    for (int i = 0; i < 3; i++) {
        if (match_raw_field(L, -1, names[i]) != LUA_TSTRING) {
            luaL_argerror(L, 1,
                          lua_pushfstring(L, "reason %I of match %I has no %s string", number,
                                          match_number, names[i]));
        }
        strings[i] = lua_tolstring(L, -1, &lengths[i]);
        lua_pop(L, 1);
    }
    lua_pop(L, 3);
}

int halyard_match_encode_matches(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_Integer count = (lua_Integer)lua_rawlen(L, 1);

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "match_index.encode_matches", 0);

    /* Stack: [matches, buffer]. Every read below pops what it pushed, because a buffer may
     * only be used with the stack at the height it left. */
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    halyard_match_output output = {.buffer = &buffer, .json = 1};
    luaL_addchar(&buffer, '[');
    for (lua_Integer number = 1; number <= count; number++) {
        size_t before = luaL_bufflen(&buffer);
        match_encoded encoded;
        match_read_encoded(L, number, &encoded);

        halyard_match_output_open_match(&output, number == 1, encoded.file, encoded.file_length);
        for (lua_Integer reason = 1; reason <= encoded.reason_count; reason++) {
            const char *strings[3];
            size_t lengths[3];
            match_read_reason(L, number, reason, strings, lengths);
            halyard_match_output_json_reason(&output, reason == 1, strings[0], lengths[0],
                                             strings[1], lengths[1], strings[2], lengths[2]);
        }
        halyard_match_output_close_match(&output, encoded.score, encoded.name, encoded.name_length);
        halyard_lua_meter_charge(&meter,
                                 1 + (luaL_bufflen(&buffer) - before) / MATCH_BYTES_PER_STEP);
    }
    luaL_addchar(&buffer, ']');
    halyard_lua_meter_end(&meter);
    luaL_pushresult(&buffer);
    return 1;
}
