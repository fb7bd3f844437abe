#ifndef HALYARD_BINDINGS_PATTERN_H
#define HALYARD_BINDINGS_PATTERN_H

#include <lua.h>

/*
 * Replaces string.find, string.match, string.gmatch and string.gsub in the state's string
 * library with metered versions. They take the same arguments, return the same results and
 * raise the same errors as Lua 5.4's, but every step of the pattern matcher is charged to the
 * running call's count hook (see lua_meter.h). Lua's own matcher runs in C where the hook
 * cannot fire, so a pattern that backtracks over a long subject could hold the thread far
 * past the call's deadline. The metered matcher is stopped by the instruction budget and the
 * deadline like any loop in Lua.
 *
 * A plain search (string.find with plain = true, or a pattern without special characters) is
 * linear and is not charged.
 *
 * Must run after the string library is open. Stack: unchanged. Raises on out-of-memory only.
 */
void halyard_pattern_install(lua_State *L);

#endif
