#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdbool.h>

/* Log levels of halosim's stderr lines, most severe first. */
typedef enum {
    SIM_LOG_ERROR,
    SIM_LOG_WARNING,
    SIM_LOG_INFO,
    SIM_LOG_DEBUG,
} sim_log_level;

/* Parses "error", "warning", "info" or "debug" into *level. Returns 0, or -1 for any other
 * text. */
int sim_log_parse_level(const char *text, sim_log_level *level);

/* Sets whether info and debug lines are written. Errors and warnings always are. */
void sim_log_set_verbose(bool verbose);

/* Returns whether a line of this level would be written. */
bool sim_log_enabled(sim_log_level level);

/* Writes one line to stderr: "halosim <level> <message>". Control characters in the message
 * become spaces, so one event is always one line; a message longer than 8 KiB is cut. */
void sim_log(sim_log_level level, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
