#ifndef HALYARD_BINDINGS_LOOP_GUARD_H
#define HALYARD_BINDINGS_LOOP_GUARD_H

#include <lua.h>

/*
 * Replaces the library functions whose C loops run as many times as their arguments request,
 * where the count hook cannot fire: string.rep and table.move, sort, insert, remove and concat.
 * Each charges its work to the running call's instruction budget (lua_meter.h) before it
 * starts, so a count of a billion, or a __len that claims one, raises at once instead of
 * holding the event loop for seconds. Then it does the original work. Call it after the string
 * and table libraries are open and before they are made read-only. Stack: unchanged.
 */
void halyard_loop_guard_install(lua_State *L);

#endif
