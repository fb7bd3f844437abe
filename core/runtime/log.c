#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static halyard_log_level log_max_level = HALYARD_LOG_INFO;
static FILE *log_stream;

static const struct {
    const char *name;
    halyard_log_level level;
} log_level_names[] = {
    {"error", HALYARD_LOG_ERROR},
    {"warning", HALYARD_LOG_WARNING},
    {"info", HALYARD_LOG_INFO},
    {"debug", HALYARD_LOG_DEBUG},
};

int halyard_log_parse_level(const char *text, halyard_log_level *level)
{
    for (size_t i = 0; i < sizeof log_level_names / sizeof log_level_names[0]; i++) {
        if (text != NULL && strcasecmp(text, log_level_names[i].name) == 0) {
            *level = log_level_names[i].level;
            return 0;
        }
    }
    return -1;
}

const char *halyard_log_level_name(halyard_log_level level)
{
    for (size_t i = 0; i < sizeof log_level_names / sizeof log_level_names[0]; i++) {
        if (log_level_names[i].level == level) {
            return log_level_names[i].name;
        }
    }
    return "unknown";
}

void halyard_log_configure(halyard_log_level max_level, FILE *stream)
{
    log_max_level = max_level;
    log_stream = stream;
}

size_t halyard_log_format(char *buffer, size_t size, halyard_log_level level, const char *subsystem,
                          const char *format, va_list args)
{
    if (size == 0) {
        return 0;
    }

    /* The time prefix: second resolution in UTC, as ISO 8601. */
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);

    int prefix = snprintf(buffer, size, "%s %s %s: ", stamp, halyard_log_level_name(level),
                          subsystem != NULL ? subsystem : "-");
    if (prefix < 0) {
        buffer[0] = '\0';
        return 0;
    }
    size_t used = (size_t)prefix < size ? (size_t)prefix : size - 1;

    /* The message, with control characters flattened so one event stays one line. */
    int written = vsnprintf(buffer + used, size - used, format, args);
    size_t message_end = used;
    if (written > 0) {
        message_end += (size_t)written < size - used ? (size_t)written : size - used - 1;
    }
    for (size_t i = used; i < message_end; i++) {
        if ((unsigned char)buffer[i] < 0x20 || buffer[i] == 0x7f) {
            buffer[i] = ' ';
        }
    }

    /* The newline, replacing the last character when the line was cut. */
    if (message_end + 1 >= size) {
        message_end = size >= 2 ? size - 2 : 0;
    }
    if (size >= 2) {
        buffer[message_end++] = '\n';
    }
    buffer[message_end] = '\0';
    return message_end;
}

bool halyard_log_enabled(halyard_log_level level)
{
    return level <= log_max_level;
}

void halyard_log(halyard_log_level level, const char *subsystem, const char *format, ...)
{
    if (level > log_max_level) {
        return;
    }

    char line[2048];
    va_list args;
    va_start(args, format);
    size_t length = halyard_log_format(line, sizeof line, level, subsystem, format, args);
    va_end(args);

    FILE *stream = log_stream != NULL ? log_stream : stderr;
    fwrite(line, 1, length, stream);
    fflush(stream);
}
