#include "json_reader.h"

#include "message.h"

#include <math.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct halyard_json_reader {
    sqlite3 *database;
    sqlite3_stmt *valid;
    sqlite3_stmt *extract; /* type, value and JSON text at a path */
    sqlite3_stmt *unquote; /* the text of a JSON string literal */
    sqlite3_stmt *array_length;
    sqlite3_stmt *quote;
    sqlite3_stmt *duplicate_key;
};

int halyard_json_reader_create(halyard_json_reader **out, char *message, size_t message_size)
{
    *out = NULL;
    halyard_json_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) {
        halyard_message_write(message, message_size, "out of memory creating a JSON reader");
        return -1;
    }
    if (sqlite3_open_v2(":memory:", &reader->database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(reader->database, "SELECT json_valid(?1)", -1, &reader->valid, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(reader->database,
                           "SELECT json_type(?1, ?2), json_extract(?1, ?2), ?1 -> ?2", -1,
                           &reader->extract, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(reader->database, "SELECT json_extract(?1, '$')", -1, &reader->unquote,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(reader->database,
                           "SELECT CASE json_type(?1, ?2) WHEN 'array' THEN "
                           "json_array_length(?1, ?2) ELSE -1 END",
                           -1, &reader->array_length, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(reader->database, "SELECT json_quote(?1)", -1, &reader->quote, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(reader->database,
                           /* An array's keys are its indexes, so only an object's repeat. */
                           "SELECT min(fullkey) FROM json_tree(?1)"
                           " WHERE json_valid(?1) AND parent IS NOT NULL"
                           " GROUP BY parent, key HAVING count(*) > 1 LIMIT 1",
                           -1, &reader->duplicate_key, NULL) != SQLITE_OK) {
        halyard_message_write(message, message_size, "cannot create a JSON reader: %s",
                              reader->database != NULL ? sqlite3_errmsg(reader->database)
                                                       : "out of memory");
        halyard_json_reader_free(reader);
        return -1;
    }
    *out = reader;
    return 0;
}

void halyard_json_reader_free(halyard_json_reader *reader)
{
    if (reader == NULL) {
        return;
    }
    sqlite3_finalize(reader->valid);
    sqlite3_finalize(reader->extract);
    sqlite3_finalize(reader->unquote);
    sqlite3_finalize(reader->array_length);
    sqlite3_finalize(reader->quote);
    sqlite3_finalize(reader->duplicate_key);
    sqlite3_close(reader->database);
    free(reader);
}

int halyard_json_valid(halyard_json_reader *reader, const char *document, size_t length)
{
    sqlite3_stmt *statement = reader->valid;
    sqlite3_bind_text(statement, 1, document, (int)length, SQLITE_STATIC);
    int valid = sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_int(statement, 0) == 1;
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return valid;
}

/* Steps the extract statement for path; on HALYARD_JSON_FOUND the row is left for the caller to
 * read and reset. Invalid JSON makes json_type raise, which reads as HALYARD_JSON_INVALID. */
static int extract(halyard_json_reader *reader, const char *document, size_t length,
                   const char *path)
{
    sqlite3_stmt *statement = reader->extract;
    sqlite3_bind_text(statement, 1, document, (int)length, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, path, -1, SQLITE_STATIC);
    int step = sqlite3_step(statement);
    if (step != SQLITE_ROW) {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        return HALYARD_JSON_INVALID;
    }
    const char *type = (const char *)sqlite3_column_text(statement, 0);
    if (type == NULL || strcmp(type, "null") == 0) {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        return HALYARD_JSON_MISSING;
    }
    return HALYARD_JSON_FOUND;
}

static void finish_extract(halyard_json_reader *reader)
{
    sqlite3_reset(reader->extract);
    sqlite3_clear_bindings(reader->extract);
}

static int copy_column_text(sqlite3_stmt *statement, int column, char **text)
{
    const unsigned char *value = sqlite3_column_text(statement, column);
    *text = strdup(value != NULL ? (const char *)value : "");
    return *text != NULL ? HALYARD_JSON_FOUND : HALYARD_JSON_INVALID;
}

/* Returns the number of escaped NULs ("\u0000") in literal, a JSON string literal. An escape
 * starts only at a backslash that is not itself escaped, so "\\u0000" contains none. */
static size_t count_escaped_nuls(const char *literal)
{
    size_t count = 0;
    for (const char *at = literal; *at != '\0'; at++) {
        if (*at != '\\') {
            continue;
        }
        if (strncmp(at + 1, "u0000", 5) == 0) {
            count++;
        }
        if (at[1] != '\0') {
            at++; /* the escaped character is never the start of another escape */
        }
    }
    return count;
}

/* Unquotes literal, a JSON string literal containing nul_count escaped NULs, into *text with each
 * NUL written as U+FFFD (caller frees). Returns HALYARD_JSON_FOUND, or HALYARD_JSON_INVALID when
 * out of memory. */
static int unquote_replacing_nuls(halyard_json_reader *reader, const char *literal,
                                  size_t nul_count, char **text)
{
    /* "\u0000" and "\ufffd" have the same length, so the copy is as long as literal. */
    size_t length = strlen(literal);
    char *replaced = malloc(length + 1);
    if (replaced == NULL) {
        return HALYARD_JSON_INVALID;
    }
    memcpy(replaced, literal, length + 1);
    for (char *at = replaced; *at != '\0' && nul_count > 0; at++) {
        if (*at != '\\') {
            continue;
        }
        if (strncmp(at + 1, "u0000", 5) == 0) {
            memcpy(at + 1, "ufffd", 5);
            nul_count--;
        }
        if (at[1] != '\0') {
            at++;
        }
    }

    sqlite3_stmt *statement = reader->unquote;
    sqlite3_bind_text(statement, 1, replaced, (int)length, SQLITE_STATIC);
    int status = HALYARD_JSON_INVALID;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        status = copy_column_text(statement, 0, text);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    free(replaced);
    return status;
}

/* Copies the string of the current extract row into *text. SQLite 3.40's json_extract cuts a
 * string at an escaped NUL, so "Deny.\u0000" would read as "Deny." and "a\u0000b" as "a".
 * Such a string is decoded again from its JSON text with each NUL written as U+FFFD. */
static int copy_extracted_string(halyard_json_reader *reader, char **text)
{
    const char *literal = (const char *)sqlite3_column_text(reader->extract, 2);
    size_t nul_count = literal != NULL ? count_escaped_nuls(literal) : 0;
    if (nul_count == 0) {
        return copy_column_text(reader->extract, 1, text);
    }
    return unquote_replacing_nuls(reader, literal, nul_count, text);
}

/* Reads the string or number at path into *text. A string containing an escaped NUL reads
 * with U+FFFD in place of each NUL when replace_nuls is true, else as HALYARD_JSON_INVALID. */
static int read_text(halyard_json_reader *reader, const char *document, size_t length,
                     const char *path, bool replace_nuls, char **text)
{
    *text = NULL;
    int found = extract(reader, document, length, path);
    if (found != HALYARD_JSON_FOUND) {
        return found;
    }
    const char *type = (const char *)sqlite3_column_text(reader->extract, 0);
    int status = HALYARD_JSON_INVALID;
    if (strcmp(type, "text") == 0) {
        const char *literal = (const char *)sqlite3_column_text(reader->extract, 2);
        bool contains_nul = literal != NULL && count_escaped_nuls(literal) > 0;
        if (replace_nuls || !contains_nul) {
            status = copy_extracted_string(reader, text);
        }
    } else if (strcmp(type, "integer") == 0 || strcmp(type, "real") == 0) {
        status = copy_column_text(reader->extract, 1, text);
    }
    finish_extract(reader);
    return status;
}

int halyard_json_read_text(halyard_json_reader *reader, const char *document, size_t length,
                           const char *path, char **text)
{
    return read_text(reader, document, length, path, true, text);
}

int halyard_json_read_exact_text(halyard_json_reader *reader, const char *document, size_t length,
                                 const char *path, char **text)
{
    return read_text(reader, document, length, path, false, text);
}

int halyard_json_read_json(halyard_json_reader *reader, const char *document, size_t length,
                           const char *path, char **json)
{
    *json = NULL;
    int found = extract(reader, document, length, path);
    if (found != HALYARD_JSON_FOUND) {
        return found;
    }
    const char *type = (const char *)sqlite3_column_text(reader->extract, 0);
    int status;
    if (strcmp(type, "text") == 0) {
        /* json_extract unquotes strings; quote it back so the result is JSON. */
        char *plain = NULL;
        status = copy_extracted_string(reader, &plain);
        finish_extract(reader);
        if (status == HALYARD_JSON_FOUND && halyard_json_quote(reader, plain, json) != 0) {
            status = HALYARD_JSON_INVALID;
        }
        free(plain);
        return status;
    }
    if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0) {
        *json = strdup(type);
        status = *json != NULL ? HALYARD_JSON_FOUND : HALYARD_JSON_INVALID;
    } else {
        status = copy_column_text(reader->extract, 1, json);
    }
    finish_extract(reader);
    return status;
}

/* Parses the whole of text as a decimal integer; returns 0 on success. */
static int parse_integer_text(const char *text, long long *value)
{
    if (text == NULL || *text == '\0') {
        return -1;
    }
    char *end = NULL;
    double number = strtod(text, &end);
    while (*end == ' ') {
        end++;
    }
    if (*end != '\0' || !isfinite(number) || number != floor(number) || number < -9.2e18 ||
        number > 9.2e18) {
        return -1;
    }
    *value = (long long)number;
    return 0;
}

int halyard_json_read_integer(halyard_json_reader *reader, const char *document, size_t length,
                              const char *path, long long *value)
{
    int found = extract(reader, document, length, path);
    if (found != HALYARD_JSON_FOUND) {
        return found;
    }
    const char *type = (const char *)sqlite3_column_text(reader->extract, 0);
    int status = HALYARD_JSON_INVALID;
    if (strcmp(type, "integer") == 0) {
        *value = sqlite3_column_int64(reader->extract, 1);
        status = HALYARD_JSON_FOUND;
    } else if (strcmp(type, "real") == 0 || strcmp(type, "text") == 0) {
        const char *text = (const char *)sqlite3_column_text(reader->extract, 1);
        status = parse_integer_text(text, value) == 0 ? HALYARD_JSON_FOUND : HALYARD_JSON_INVALID;
    }
    finish_extract(reader);
    return status;
}

long long halyard_json_array_length(halyard_json_reader *reader, const char *document,
                                    size_t length, const char *path)
{
    sqlite3_stmt *statement = reader->array_length;
    sqlite3_bind_text(statement, 1, document, (int)length, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, path, -1, SQLITE_STATIC);
    long long count = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return count;
}

int halyard_json_quote(halyard_json_reader *reader, const char *text, char **quoted)
{
    *quoted = NULL;
    sqlite3_stmt *statement = reader->quote;
    sqlite3_bind_text(statement, 1, text, -1, SQLITE_STATIC);
    int status = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        status = copy_column_text(statement, 0, quoted) == HALYARD_JSON_FOUND ? 0 : -1;
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return status;
}

int halyard_json_find_unknown_key(halyard_json_reader *reader, const char *document, size_t length,
                                  const char *known_keys, char **key)
{
    *key = NULL;
    if (!halyard_json_valid(reader, document, length)) {
        return HALYARD_JSON_INVALID;
    }
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(reader->database,
                           "SELECT key FROM json_each(?1) WHERE json_type(?1) = 'object' AND key"
                           " NOT IN (SELECT value FROM json_each(?2)) ORDER BY id LIMIT 1",
                           -1, &statement, NULL) != SQLITE_OK) {
        return HALYARD_JSON_INVALID;
    }
    sqlite3_bind_text(statement, 1, document, (int)length, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, known_keys, -1, SQLITE_STATIC);
    int result = HALYARD_JSON_MISSING;
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(statement, 0);
        *key = text != NULL ? strdup((const char *)text) : NULL;
        result = *key != NULL ? HALYARD_JSON_FOUND : HALYARD_JSON_INVALID;
    } else if (step != SQLITE_DONE) {
        result = HALYARD_JSON_INVALID;
    }
    sqlite3_finalize(statement);
    return result;
}

int halyard_json_find_duplicate_key(halyard_json_reader *reader, const char *document,
                                    size_t length, char **path)
{
    *path = NULL;
    if (!halyard_json_valid(reader, document, length)) {
        return HALYARD_JSON_INVALID;
    }
    sqlite3_stmt *statement = reader->duplicate_key;
    sqlite3_bind_text(statement, 1, document, (int)length, SQLITE_STATIC);
    int result = HALYARD_JSON_MISSING;
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(statement, 0);
        *path = text != NULL ? strdup((const char *)text) : NULL;
        result = *path != NULL ? HALYARD_JSON_FOUND : HALYARD_JSON_INVALID;
    } else if (step != SQLITE_DONE) {
        result = HALYARD_JSON_INVALID;
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return result;
}
