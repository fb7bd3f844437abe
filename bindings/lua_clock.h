#ifndef HALYARD_BINDINGS_LUA_CLOCK_H
#define HALYARD_BINDINGS_LUA_CLOCK_H

#include <lua.h>

/*
 * Opens the `clock` module and pushes its table. Times are seconds since the Unix epoch (UTC)
 * with millisecond precision, an integer when whole; "now" is halyard's business clock
 * (halyard_clock_now_ms), which a test clock moves forward.
 *
 *   clock.now()                          the business clock in seconds
 *   clock.now_ms()                       the business clock in milliseconds, an integer
 *   clock.format(seconds [, offset])     ISO 8601 text: "2024-05-01T09:30:00Z", with ".mmm"
 *                                        when there are milliseconds, "+02:00" for an offset
 *   clock.parse(text)                    seconds, or nil and a message
 *   clock.parts(seconds [, offset])      {year, month, day, hour, minute, second,
 *                                        millisecond, weekday, yearday}
 *   clock.weekday(seconds [, offset])    1 (Monday) to 7 (Sunday), as ISO 8601 numbers them
 *   clock.hour(seconds [, offset])       0 to 23
 *
 * offset is a fixed UTC offset in minutes (60 for UTC+01:00), from -1080 to 1080; there are
 * no time-zone rules, so the caller picks the offset in force (summer time included). Times
 * must fall in the years 1 to 9999. Misuse raises with lauxlib's argument wording.
 * lua_CFunction convention: returns 1.
 */
int halyard_open_clock(lua_State *L);

#endif
