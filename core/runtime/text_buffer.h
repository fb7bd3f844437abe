#ifndef HALYARD_TEXT_BUFFER_H
#define HALYARD_TEXT_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

/* A growable NUL-terminated text with a hard maximum. After a failed append (out of memory or
 * past the maximum) the buffer is marked failed, ignores further appends, and
 * halyard_text_buffer_failed says so: build the whole text, then check once. */
typedef struct {
    char *data;
    size_t length;
    size_t capacity;
    size_t max_length;
    bool failed;
} halyard_text_buffer;

/* Starts an empty buffer that may grow to max_length bytes (plus the NUL). */
void halyard_text_buffer_init(halyard_text_buffer *buffer, size_t max_length);

void halyard_text_buffer_append(halyard_text_buffer *buffer, const char *text, size_t length);
void halyard_text_buffer_append_text(halyard_text_buffer *buffer, const char *text);
void halyard_text_buffer_printf(halyard_text_buffer *buffer, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

bool halyard_text_buffer_failed(const halyard_text_buffer *buffer);

/* The text so far ("" when nothing was appended); owned by the buffer. */
const char *halyard_text_buffer_text(const halyard_text_buffer *buffer);

/* Hands the text to the caller (free it with free()) and resets the buffer. Returns NULL when the
 * buffer failed. */
char *halyard_text_buffer_take(halyard_text_buffer *buffer);

void halyard_text_buffer_free(halyard_text_buffer *buffer);

#endif
