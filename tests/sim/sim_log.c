#include "sim_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool log_verbose;

static const char *const log_level_names[] = {
    [SIM_LOG_ERROR] = "error",
    [SIM_LOG_WARNING] = "warning",
    [SIM_LOG_INFO] = "info",
    [SIM_LOG_DEBUG] = "debug",
};

int sim_log_parse_level(const char *text, sim_log_level *level)
{
    for (size_t i = 0; i < sizeof log_level_names / sizeof log_level_names[0]; i++) {
        if (strcmp(text, log_level_names[i]) == 0) {
            *level = (sim_log_level)i;
            return 0;
        }
    }
    return -1;
}

void sim_log_set_verbose(bool verbose)
{
    log_verbose = verbose;
}

bool sim_log_enabled(sim_log_level level)
{
    return level <= SIM_LOG_WARNING || log_verbose;
}

void sim_log(sim_log_level level, const char *format, ...)
{
    if (!sim_log_enabled(level)) {
        return;
    }

    char line[8192];
    int prefix = snprintf(line, sizeof line, "halosim %s ", log_level_names[level]);

    va_list args;
    va_start(args, format);
    int written = vsnprintf(line + prefix, sizeof line - (size_t)prefix - 1, format, args);
    va_end(args);

    size_t end = (size_t)prefix;
    if (written > 0) {
        size_t room = sizeof line - (size_t)prefix - 2;
        end += (size_t)written < room ? (size_t)written : room;
    }

    /* Flatten control characters so a multi-line message (a Lua traceback) stays one line. */
    for (size_t i = (size_t)prefix; i < end; i++) {
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f) {
            line[i] = ' ';
        }
    }
    line[end++] = '\n';
    fwrite(line, 1, end, stderr);
    fflush(stderr);
}
