#include "intake_batch.h"

#include <stdbool.h>

size_t halyard_intake_batch_count(const unsigned char *body, size_t length, size_t stop_after)
{
    size_t position = 0;
    while (position < length && (body[position] == ' ' || body[position] == '\t' ||
                                 body[position] == '\n' || body[position] == '\r')) {
        position++;
    }
    if (position == length || body[position] != '[') {
        return 1;
    }
    position++;

    /* An entry starts at the first byte that is not white space after "[" or a top-level
     * comma, so "[]" counts none and "[1,]" counts one. */
    size_t count = 0;
    size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    bool expecting_entry = true;
    for (; position < length; position++) {
        unsigned char byte = body[position];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (byte == '\\') {
                escaped = true;
            } else if (byte == '"') {
                in_string = false;
            }
            continue;
        }
        if (byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r') {
            continue;
        }
        if (depth == 0 && byte == ']') {
            break;
        }
        if (depth == 0 && byte == ',') {
            expecting_entry = true;
            continue;
        }
        if (expecting_entry) {
            expecting_entry = false;
            count++;
            if (count > stop_after) {
                return stop_after + 1;
            }
        }
        if (byte == '"') {
            in_string = true;
        } else if (byte == '{' || byte == '[') {
            depth++;
        } else if ((byte == '}' || byte == ']') && depth > 0) {
            depth--;
        }
    }
    return count;
}
