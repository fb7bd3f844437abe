#include "match_output.h"

#include <stdio.h>
#include <string.h>

#include "lua_meter.h"
#include "match_index_private.h"

/* Returns the JSON escape of byte c, one that needs escaping, written into scratch when it is
 * \u00XX. */
static const char *output_json_escape(unsigned char c, char scratch[8])
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '/':
        return "\\/";
    case '\b':
        return "\\b";
    case '\t':
        return "\\t";
    case '\n':
        return "\\n";
    case '\f':
        return "\\f";
    case '\r':
        return "\\r";
    default:
        break;
    }
    snprintf(scratch, 8, "\\u%04x", c);
    return scratch;
}

void halyard_match_output_bytes(halyard_match_output *output, const char *bytes, size_t length)
{
    if (!output->json) {
        luaL_addlstring(output->buffer, bytes, length);
        return;
    }

    /* Bytes that stand for themselves go in runs. */
    size_t run = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != '/' && c != 0x7F) {
            continue;
        }
        char scratch[8];
        luaL_addlstring(output->buffer, bytes + run, i - run);
        luaL_addstring(output->buffer, output_json_escape(c, scratch));
        run = i + 1;
    }
    luaL_addlstring(output->buffer, bytes + run, length - run);
}

static void output_string(halyard_match_output *output, const char *text)
{
    halyard_match_output_bytes(output, text, strlen(text));
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

/* Writes phrase as Lua 5.4's string.format("%q") quotes a string: in double quotes, with a
 * backslash before '"', '\\' and a newline, and other control bytes as decimal escapes, three
 * digits wide when a digit follows. */
static void output_quoted(halyard_match_output *output, const char *phrase, size_t length)
{
    output_string(output, "\"");
    size_t run = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)phrase[i];
        if (c != '"' && c != '\\' && c != '\n' && !output_is_control(c)) {
            continue;
        }
        halyard_match_output_bytes(output, phrase + run, i - run);
        run = i + 1;

        char escape[8];
        if (c == '"' || c == '\\' || c == '\n') {
            escape[0] = '\\';
            escape[1] = (char)c;
            escape[2] = '\0';
        } else if (i + 1 < length && output_is_digit((unsigned char)phrase[i + 1])) {
            snprintf(escape, sizeof escape, "\\%03d", c);
        } else {
            snprintf(escape, sizeof escape, "\\%d", c);
        }
        output_string(output, escape);
    }
    halyard_match_output_bytes(output, phrase + run, length - run);
    output_string(output, "\"");
}

/* True when the length bytes of text are the NUL-terminated word. */
static int output_equals(const char *text, size_t length, const char *word)
{
    return length == strlen(word) && memcmp(text, word, length) == 0;
}

void halyard_match_output_reason(halyard_match_output *output, const char *rule, size_t rule_length,
                                 const char *phrase, size_t phrase_length, const char *field,
                                 size_t field_length)
{
    if (output_equals(rule, rule_length, "score")) {
        output_string(output, "score function: ");
        halyard_match_output_bytes(output, phrase, phrase_length);
        return;
    }
    if (output_equals(rule, rule_length, "error")) {
        output_string(output, "score function failed: ");
        halyard_match_output_bytes(output, phrase, phrase_length);
        return;
    }
    if (output_equals(rule, rule_length, "none")) {
        output_string(output, "excluded because ");
    }
    halyard_match_output_bytes(output, field, field_length);
    output_string(output, " contains ");
    output_quoted(output, phrase, phrase_length);
}

void halyard_match_output_open_match(halyard_match_output *output, int first, const char *file,
                                     size_t file_length)
{
    luaL_addstring(output->buffer, first ? "{\"file\":\"" : ",{\"file\":\"");
    halyard_match_output_bytes(output, file, file_length);
    luaL_addstring(output->buffer, "\",\"reasons\":[");
}

void halyard_match_output_json_reason(halyard_match_output *output, int first, const char *rule,
                                      size_t rule_length, const char *phrase, size_t phrase_length,
                                      const char *field, size_t field_length)
{
    luaL_addstring(output->buffer, first ? "\"" : ",\"");
    halyard_match_output_reason(output, rule, rule_length, phrase, phrase_length, field,
                                field_length);
    luaL_addchar(output->buffer, '"');
}

void halyard_match_output_close_match(halyard_match_output *output, const char *score,
                                      const char *name, size_t name_length)
{
    luaL_addstring(output->buffer, "],\"score\":");
    luaL_addstring(output->buffer, score);
    luaL_addstring(output->buffer, ",\"workflow\":\"");
    halyard_match_output_bytes(output, name, name_length);
    luaL_addstring(output->buffer, "\"}");
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
