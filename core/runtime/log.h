#ifndef HALYARD_LOG_H
#define HALYARD_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

/* Log levels in syslog order: a smaller number is more severe. */
typedef enum {
    HALYARD_LOG_QUIET = 0, /* as a maximum level: write nothing */
    HALYARD_LOG_ERROR = 3,
    HALYARD_LOG_WARNING = 4,
    HALYARD_LOG_INFO = 6,
    HALYARD_LOG_DEBUG = 7,
} halyard_log_level;

/* Parses "error", "warning", "info" or "debug" (any case) into *level.
 * Returns 0, or -1 and leaves *level untouched for any other text. */
int halyard_log_parse_level(const char *text, halyard_log_level *level);

/* Returns the lower-case name of a level ("info"), or "unknown". */
const char *halyard_log_level_name(halyard_log_level level);

/* Returns whether a line at level is written, given the configured level. */
bool halyard_log_enabled(halyard_log_level level);

/* Sets the most verbose level that is written (default: info) and the stream lines go to
 * (default: stderr). Not thread-safe: call before other threads log. */
void halyard_log_configure(halyard_log_level max_level, FILE *stream);

/* Formats one log line into buffer: "<UTC time> <level> <subsystem>: <message>\n".
 * Control characters in the message become spaces so a line is always one line.
 * Returns the length written, truncated to fit size (always NUL-terminated when size > 0). */
size_t halyard_log_format(char *buffer, size_t size, halyard_log_level level, const char *subsystem,
                          const char *format, va_list args);

/* Writes one line for an event when level is at or above the configured one. The message names
 * the ids involved (msp, ticket, run, job) and the cause; it never contains a secret. */
void halyard_log(halyard_log_level level, const char *subsystem, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
