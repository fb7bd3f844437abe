#include "text_buffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void halyard_text_buffer_init(halyard_text_buffer *buffer, size_t max_length)
{
    memset(buffer, 0, sizeof *buffer);
    buffer->max_length = max_length;
}

void halyard_text_buffer_append(halyard_text_buffer *buffer, const char *text, size_t length)
{
    if (buffer->failed) {
        return;
    }
    if (length > buffer->max_length - buffer->length) {
        buffer->failed = true;
        return;
    }
    size_t needed = buffer->length + length + 1;
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity != 0 ? buffer->capacity : 256;
        while (capacity < needed) {
            capacity *= 2;
        }
        char *grown = realloc(buffer->data, capacity);
        if (grown == NULL) {
            buffer->failed = true;
            return;
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, text, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

void halyard_text_buffer_append_text(halyard_text_buffer *buffer, const char *text)
{
    halyard_text_buffer_append(buffer, text, strlen(text));
}

void halyard_text_buffer_printf(halyard_text_buffer *buffer, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    va_list copy;
    va_copy(copy, args);
    int needed = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (needed < 0) {
        buffer->failed = true;
        va_end(args);
        return;
    }
    char *text = malloc((size_t)needed + 1);
    if (text == NULL) {
        buffer->failed = true;
        va_end(args);
        return;
    }
    vsnprintf(text, (size_t)needed + 1, format, args);
    va_end(args);
    halyard_text_buffer_append(buffer, text, (size_t)needed);
    free(text);
}

bool halyard_text_buffer_failed(const halyard_text_buffer *buffer)
{
    return buffer->failed;
}

const char *halyard_text_buffer_text(const halyard_text_buffer *buffer)
{
    return buffer->data != NULL ? buffer->data : "";
}

char *halyard_text_buffer_take(halyard_text_buffer *buffer)
{
    char *text = NULL;
    if (!buffer->failed) {
        text = buffer->data != NULL ? buffer->data : strdup("");
        buffer->data = NULL;
    }
    halyard_text_buffer_free(buffer);
    return text;
}

void halyard_text_buffer_free(halyard_text_buffer *buffer)
{
    free(buffer->data);
    size_t max_length = buffer->max_length;
    memset(buffer, 0, sizeof *buffer);
    buffer->max_length = max_length;
}
