#include "message.h"

#include <stdarg.h>
#include <stdio.h>

void halyard_message_write(char *message, size_t message_size, const char *format, ...)
{
    if (message == NULL || message_size == 0) {
        return;
    }
    va_list args;
    va_start(args, format);
    vsnprintf(message, message_size, format, args);
    va_end(args);
}
