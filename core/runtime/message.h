#ifndef HALYARD_MESSAGE_H
#define HALYARD_MESSAGE_H

#include <stddef.h>

/* Writes a formatted error message into the caller's buffer, the "message, message_size" pair
 * that halyard's C functions take: truncated to fit, always NUL-terminated, and nothing at all
 * when message_size is 0. */
void halyard_message_write(char *message, size_t message_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
