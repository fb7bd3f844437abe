#ifndef HALYARD_BINDINGS_MATCH_OUTPUT_H
#define HALYARD_BINDINGS_MATCH_OUTPUT_H

/* The text the `match_index` module writes (match_index.c): a reason as a technician reads it,
 * plainly or escaped for a JSON string. Nothing outside bindings/ includes this. */

#include <stddef.h>

#include <lauxlib.h>

/* Where text goes: a Lua buffer, escaped as inside a JSON string when json is set. The caller
 * keeps to luaL_Buffer's rule: the stack is at the buffer's height when these run. */
typedef struct {
    luaL_Buffer *buffer;
    int json;
} halyard_match_output;

/*
 * Writes bytes. With json set, escapes them as lua-cjson 2.1 encodes a string, so that the
 * output compares equal to halyard's canonical JSON. The escapes are \" \\ \/ \b \t \n \f \r,
 * and \u00XX (in lower case) for the other bytes below 0x20 and for 0x7F. Bytes from 0x80 pass
 * unchanged.
 */
void halyard_match_output_bytes(halyard_match_output *output, const char *bytes, size_t length);

/*
 * Writes a reason {rule, phrase, field} as match.describe always has:
 *   none    excluded because <field> contains <quoted phrase>
 *   score   score function: <phrase>
 *   error   score function failed: <phrase>
 *   other   <field> contains <quoted phrase>
 * where the quoted phrase is what Lua 5.4's string.format("%q") makes of it in the C locale,
 * the only locale halyard runs in.
 */
void halyard_match_output_reason(halyard_match_output *output, const char *rule, size_t rule_length,
                                 const char *phrase, size_t phrase_length, const char *field,
                                 size_t field_length);

/* The maximum bytes the writers below write for one input byte: \u00XX in JSON. */
#define HALYARD_MATCH_JSON_MAX_PER_BYTE 6

/* Writes length bytes escaped as halyard_match_output_bytes escapes them for JSON into out, which
 * has room for HALYARD_MATCH_JSON_MAX_PER_BYTE * length bytes. Returns the position after them. */
char *halyard_match_put_json(char *out, const char *bytes, size_t length);

/* Writes phrase as a reason quotes it (Lua's %q), escaped for a JSON string, into out, which has
 * room for HALYARD_MATCH_JSON_MAX_PER_BYTE * length + 4 bytes. Returns the position after it. */
char *halyard_match_put_quoted_json(char *out, const char *phrase, size_t length);

/*
 * Write one match of the JSON array host.match returns, whose keys canonical JSON sorts as
 * file, reasons, score, workflow: open_match writes the separator (unless first), the file and
 * the start of the reasons; json_reason writes one reason as a JSON string; close_match ends the
 * reasons and writes the score (already formatted) and the workflow's name. Use them with json
 * set.
 */
void halyard_match_output_open_match(halyard_match_output *output, int first, const char *file,
                                     size_t file_length);
void halyard_match_output_json_reason(halyard_match_output *output, int first, const char *rule,
                                      size_t rule_length, const char *phrase, size_t phrase_length,
                                      const char *field, size_t field_length);
void halyard_match_output_close_match(halyard_match_output *output, const char *score,
                                      const char *name, size_t name_length);

#endif
