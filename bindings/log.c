#include "lua_log.h"

#include <lauxlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "log.h"
#include "lua_host_private.h"

/* Returns how many bytes of text (length bytes) fit in max_bytes without splitting a UTF-8
 * sequence. */
static size_t cut_length(const char *text, size_t length, size_t max_bytes)
{
    if (length <= max_bytes) {
        return length;
    }
    size_t cut = max_bytes;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) {
        cut--;
    }
    return cut;
}

/*
 * Writes one line at the level stored in the closure's upvalue. The arguments are those of
 * string.format. A formatting error (a missing value, say) raises with string.format's
 * wording, so a broken log call fails where it is written. When the second upvalue is true
 * (script_log), the call's log budget applies: past it the line is only counted, and a line
 * longer than HALYARD_LUA_LOG_LINE_MAX_BYTES or than the bytes left is cut, with a mark giving
 * the bytes left out.
 */
static int log_write(lua_State *L)
{
    halyard_log_level level = (halyard_log_level)lua_tointeger(L, lua_upvalueindex(1));

    luaL_checkstring(L, 1);
    int argument_count = lua_gettop(L);

    /* string.format(...) with the caller's arguments: [args] -> [args, message]. */
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "format");
    lua_remove(L, -2);
    for (int i = 1; i <= argument_count; i++) {
        lua_pushvalue(L, i);
    }
    lua_call(L, argument_count, 1);
    size_t length = 0;
    const char *text = lua_tolstring(L, -1, &length);
    if (text == NULL) {
        text = "";
        length = 0;
    }

    /* A line below the log level is not written, so it spends no budget. */
    if (!halyard_log_enabled(level)) {
        return 0;
    }

    /* The call's budget: a line past it is counted, not written. halyard's own modules write
     * through the log table without a budget, so their lines are kept. */
    bool budgeted = lua_toboolean(L, lua_upvalueindex(2));
    halyard_lua_host *host = host_of(L);
    halyard_lua_log_spending *spending = &host->log_spending;
    size_t line_limit = budgeted ? host->log_line_limit : SIZE_MAX;
    size_t byte_limit = budgeted ? host->log_byte_limit : SIZE_MAX;
    if (spending->lines >= line_limit || spending->bytes >= byte_limit) {
        spending->dropped_lines++;
        spending->dropped_bytes += length;
        return 0;
    }
    size_t room = byte_limit - spending->bytes;
    size_t shown =
        cut_length(text, length,
                   room < HALYARD_LUA_LOG_LINE_MAX_BYTES ? room : HALYARD_LUA_LOG_LINE_MAX_BYTES);
    char mark[64] = "";
    if (shown < length) {
        snprintf(mark, sizeof mark, " [cut: %zu more bytes]", length - shown);
    }

    /* The script's position: level 1 is the function that called log.<level>. */
    lua_Debug caller;
    const char *source = "?";
    int line = 0;
    if (lua_getstack(L, 1, &caller) && lua_getinfo(L, "Sl", &caller)) {
        source = caller.short_src;
        line = caller.currentline;
    }

    halyard_log(level, "lua", "%s:%d: %.*s%s", source, line, (int)shown, text, mark);
    if (budgeted) {
        spending->lines++;
        spending->bytes += shown;
    }
    return 0;
}

void halyard_lua_log_report_dropped(const char *msp, const char *run_label,
                                    const halyard_lua_log_spending *spending,
                                    unsigned int line_limit, size_t byte_limit)
{
    if (spending->dropped_lines == 0) {
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "lua",
                "msp=%s%s%s dropped %lu script log lines (%llu bytes) past the log budget of %u "
                "lines and %zu bytes per call; raise lua_limits log_lines or log_kb to keep more",
                msp != NULL ? msp : "?", run_label != NULL ? " run=" : "",
                run_label != NULL ? run_label : "", spending->dropped_lines,
                spending->dropped_bytes, line_limit, byte_limit);
}

/* Pushes a table of the four log functions, under the call's log budget when budgeted is true. */
static void push_log_table(lua_State *L, bool budgeted)
{
    static const struct {
        const char *name;
        halyard_log_level level;
    } levels[] = {
        {"error", HALYARD_LOG_ERROR},
        {"warning", HALYARD_LOG_WARNING},
        {"info", HALYARD_LOG_INFO},
        {"debug", HALYARD_LOG_DEBUG},
    };

    lua_createtable(L, 0, (int)(sizeof levels / sizeof levels[0]));
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        lua_pushinteger(L, levels[i].level);
        lua_pushboolean(L, budgeted);
        lua_pushcclosure(L, log_write, 2);
        lua_setfield(L, -2, levels[i].name);
    }
}

int halyard_open_log(lua_State *L)
{
    push_log_table(L, false);
    return 1;
}

int halyard_open_script_log(lua_State *L)
{
    push_log_table(L, true);
    return 1;
}
