#ifndef HALYARD_JSON_READER_H
#define HALYARD_JSON_READER_H

#include <stddef.h>

/* Reads values out of JSON text in C through SQLite's JSON functions (a private in-memory
 * connection), so the runtime needs neither Lua nor a parser of its own. Paths are SQLite JSON
 * paths: "$.access_token", "$.clients[0].id", "$[2]". One reader serves one thread. */
typedef struct halyard_json_reader halyard_json_reader;

/* Results of the read functions. */
enum {
    HALYARD_JSON_FOUND = 0,
    HALYARD_JSON_MISSING = 1,  /* no value at the path, or JSON null there */
    HALYARD_JSON_INVALID = -1, /* the document is not JSON, or the value has the wrong type */
};

int halyard_json_reader_create(halyard_json_reader **reader, char *message, size_t message_size);
void halyard_json_reader_free(halyard_json_reader *reader);

/* Returns 1 when document is well-formed JSON, else 0. */
int halyard_json_valid(halyard_json_reader *reader, const char *document, size_t length);

/* Reads a string (or a number, as its text) into *text, which the caller frees. A C string
 * cannot contain a NUL, so each escaped NUL ("\u0000") in the string reads as U+FFFD. The text
 * is kept whole instead of cut short or rejected. */
int halyard_json_read_text(halyard_json_reader *reader, const char *document, size_t length,
                           const char *path, char **text);

/* Reads a string (or a number, as its text) into *text like halyard_json_read_text, but a
 * string containing an escaped NUL is HALYARD_JSON_INVALID. It serves values that must arrive
 * exactly as sent, such as a secret, a URL or a mode in an operator's request. */
int halyard_json_read_exact_text(halyard_json_reader *reader, const char *document, size_t length,
                                 const char *path, char **text);

/* Reads an integer. HaloPSA sends ids as 3, 3.0 or "3"; all three read as 3. A fractional
 * number, a non-numeric string or a value outside int64 is HALYARD_JSON_INVALID. */
int halyard_json_read_integer(halyard_json_reader *reader, const char *document, size_t length,
                              const char *path, long long *value);

/* Reads the JSON text of the value at path (an object or array stays JSON) into *json. A
 * string at path is read as halyard_json_read_text reads it and quoted again, so its NULs are
 * U+FFFD. The strings inside an object or array keep their escapes. */
int halyard_json_read_json(halyard_json_reader *reader, const char *document, size_t length,
                           const char *path, char **json);

/* Returns the number of elements of the array at path, or -1 when there is none. */
long long halyard_json_array_length(halyard_json_reader *reader, const char *document,
                                    size_t length, const char *path);

/* Finds a key written twice in one object of document, anywhere in it. Parsers disagree on
 * which of the two wins (SQLite's JSON functions take the first, most others the last), so a
 * request with one is ambiguous. Returns HALYARD_JSON_FOUND with the key's path ("$.mode",
 * "$.a.b") in *path, which the caller frees; HALYARD_JSON_MISSING when every key is unique; or
 * HALYARD_JSON_INVALID when document is not JSON or memory runs out. */
int halyard_json_find_duplicate_key(halyard_json_reader *reader, const char *document,
                                    size_t length, char **path);

/* Finds a key of document's top-level object that is not one of known_keys, a JSON array of
 * the keys a request may send ("[\"mode\"]"). Returns HALYARD_JSON_FOUND with the first such
 * key in *key, which the caller frees; HALYARD_JSON_MISSING when every key is known; or
 * HALYARD_JSON_INVALID when document is not JSON or memory runs out. */
int halyard_json_find_unknown_key(halyard_json_reader *reader, const char *document, size_t length,
                                  const char *known_keys, char **key);

/* Writes text as a JSON string literal, quotes and escapes included, into *quoted (caller
 * frees). Returns 0, or -1 when out of memory. */
int halyard_json_quote(halyard_json_reader *reader, const char *text, char **quoted);

#endif
