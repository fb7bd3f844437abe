#ifndef HALYARD_BINDINGS_LUA_LOG_H
#define HALYARD_BINDINGS_LUA_LOG_H

#include <lua.h>
#include <stddef.h>

/* The script log lines of one call or run, against the host's log budget. */
typedef struct {
    unsigned int lines;               /* lines written */
    size_t bytes;                     /* bytes of their text */
    unsigned long dropped_lines;      /* lines dropped once the budget was spent */
    unsigned long long dropped_bytes; /* bytes of their text */
} halyard_lua_log_spending;

/* Opens the `log` module and pushes its table: log.error, log.warning, log.info and log.debug,
 * each taking a string.format pattern and its values. Every line goes to halyard_log with the
 * subsystem "lua" and starts with the calling script's file:line. This table is for halyard's own
 * modules, and its lines are never cut or dropped. lua_CFunction convention: returns 1. */
int halyard_open_log(lua_State *L);

/* Opens the `log` module of MSP scripts (the global script_log, which the loader gives scripts
 * as `log`): the same functions under the budget of the running call or run, the host's
 * log_line_limit and log_byte_limit. A line longer than HALYARD_LUA_LOG_LINE_MAX_BYTES, or than
 * the bytes left, is cut with a mark, and lines past the budget are dropped and counted.
 * lua_CFunction convention: returns 1. */
int halyard_open_script_log(lua_State *L);

/* Writes one warning line with the number of script log lines that spending dropped, and the
 * MSP and run (run_label, or NULL outside a run). Writes nothing when none were dropped. */
void halyard_lua_log_report_dropped(const char *msp, const char *run_label,
                                    const halyard_lua_log_spending *spending,
                                    unsigned int line_limit, size_t byte_limit);

#endif
