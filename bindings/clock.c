#include "lua_clock.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "clock.h"

/* The times the module accepts: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, in ms. */
#define CLOCK_MIN_MS (-62135596800000LL)
#define CLOCK_MAX_MS (253402300799999LL)

/* The widest UTC offset accepted, in minutes: 18 hours (offsets in use run from -12:00 to
 * +14:00). */
#define CLOCK_MAX_OFFSET_MINUTES 1080

/* HaloPSA writes 1900-01-01T00:00:00 where a date is empty (deadlinedate, say). */
#define CLOCK_HALO_NO_DATE_MS (-2208988800000LL)

/* Days from 0001-01-01 to 1970-01-01. */
#define CLOCK_EPOCH_DAY 719162LL

#define CLOCK_MS_PER_DAY 86400000LL

/* A moment split into calendar fields. */
typedef struct {
    int year;
    int month;
    int day;
    int hour;
    int minute;
    int second;
    int millisecond;
    int weekday; /* 1 Monday .. 7 Sunday */
    int yearday; /* 1 .. 366 */
} clock_fields;

static bool clock_is_leap_year(long long year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int clock_days_in_month(long long year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && clock_is_leap_year(year) ? 29 : days[month - 1];
}

/* Days from 0001-01-01 to January 1st of year (year >= 1). */
static long long clock_days_before_year(long long year)
{
    long long previous = year - 1;
    return previous * 365 + previous / 4 - previous / 100 + previous / 400;
}

/* Days from 1970-01-01 to the date (year 1 to 9999, month and day valid). */
static long long clock_epoch_day(long long year, int month, int day)
{
    long long days = clock_days_before_year(year);
    for (int m = 1; m < month; m++) {
        days += clock_days_in_month(year, m);
    }
    return days + day - 1 - CLOCK_EPOCH_DAY;
}

/* Splits ms since the epoch (within CLOCK_MIN_MS..CLOCK_MAX_MS) into calendar fields. */
static void clock_split(long long ms, clock_fields *fields)
{
    long long day = ms / CLOCK_MS_PER_DAY;
    long long in_day = ms % CLOCK_MS_PER_DAY;
    if (in_day < 0) {
        in_day += CLOCK_MS_PER_DAY;
        day--;
    }

    /* Guess the year from the average year length, then correct it by a year or two. */
    long long since_start = day + CLOCK_EPOCH_DAY;
    long long year = since_start * 400 / 146097 + 1;
    while (clock_days_before_year(year + 1) <= since_start) {
        year++;
    }
    while (clock_days_before_year(year) > since_start) {
        year--;
    }
    long long in_year = since_start - clock_days_before_year(year);
    int month = 1;
    long long rest = in_year;
    while (rest >= clock_days_in_month(year, month)) {
        rest -= clock_days_in_month(year, month);
        month++;
    }

    fields->year = (int)year;
    fields->month = month;
    fields->day = (int)rest + 1;
    fields->yearday = (int)in_year + 1;
    fields->hour = (int)(in_day / 3600000);
    fields->minute = (int)(in_day / 60000 % 60);
    fields->second = (int)(in_day / 1000 % 60);
    fields->millisecond = (int)(in_day % 1000);

    /* 1970-01-01 was a Thursday, ISO day 4. */
    fields->weekday = (int)(((day % 7) + 7 + 3) % 7) + 1;
}

/* Pushes a time in ms as seconds: an integer when whole, else a float. */
static void clock_push_seconds(lua_State *L, long long ms)
{
    if (ms % 1000 == 0) {
        lua_pushinteger(L, (lua_Integer)(ms / 1000));
    } else {
        lua_pushnumber(L, (lua_Number)ms / 1000.0);
    }
}

/* Reads argument index as seconds and returns the time in ms (rounded to the nearest ms).
 * Raises when it is not a number or falls outside the years 1 to 9999. */
static long long clock_check_ms(lua_State *L, int index)
{
    static const char range[] = "time out of range; use seconds since 1970 within the years "
                                "1 to 9999";
    if (lua_isinteger(L, index)) {
        lua_Integer seconds = lua_tointeger(L, index);
        if (seconds < CLOCK_MIN_MS / 1000 || seconds > CLOCK_MAX_MS / 1000) {
            luaL_argerror(L, index, range);
        }
        return (long long)seconds * 1000;
    }
    lua_Number seconds = luaL_checknumber(L, index);
    lua_Number ms = floor(seconds * 1000.0 + 0.5);
    if (!(ms >= (lua_Number)CLOCK_MIN_MS && ms <= (lua_Number)CLOCK_MAX_MS)) {
        luaL_argerror(L, index, range);
    }
    return (long long)ms;
}

/* Reads the optional offset argument in minutes (default 0). */
static int clock_check_offset(lua_State *L, int index)
{
    lua_Integer offset = luaL_optinteger(L, index, 0);
    if (offset < -CLOCK_MAX_OFFSET_MINUTES || offset > CLOCK_MAX_OFFSET_MINUTES) {
        luaL_argerror(L, index,
                      lua_pushfstring(L, "offset %I minutes out of range; use -%d to %d", offset,
                                      CLOCK_MAX_OFFSET_MINUTES, CLOCK_MAX_OFFSET_MINUTES));
    }
    return (int)offset;
}

/* Reads seconds (argument 1) and an offset (argument 2) and splits the local time. Raises
 * when the local time leaves the years 1 to 9999. Returns the offset in minutes. */
static int clock_check_fields(lua_State *L, clock_fields *fields)
{
    long long ms = clock_check_ms(L, 1);
    int offset = clock_check_offset(L, 2);
    long long local = ms + (long long)offset * 60000;
    if (local < CLOCK_MIN_MS || local > CLOCK_MAX_MS) {
        luaL_argerror(L, 1, "time out of range once the offset is added");
    }
    clock_split(local, fields);
    return offset;
}

static int clock_now(lua_State *L)
{
    clock_push_seconds(L, halyard_clock_now_ms());
    return 1;
}

static int clock_now_ms(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)halyard_clock_now_ms());
    return 1;
}

static int clock_format(lua_State *L)
{
    clock_fields fields;
    int offset = clock_check_fields(L, &fields);

    char text[64];
    int used = snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", fields.year,
                        fields.month, fields.day, fields.hour, fields.minute, fields.second);
    if (fields.millisecond != 0) {
        used += snprintf(text + used, sizeof text - (size_t)used, ".%03d", fields.millisecond);
    }
    if (offset == 0) {
        snprintf(text + used, sizeof text - (size_t)used, "Z");
    } else {
        int size = offset < 0 ? -offset : offset;
        snprintf(text + used, sizeof text - (size_t)used, "%c%02d:%02d", offset < 0 ? '-' : '+',
                 size / 60, size % 60);
    }
    lua_pushstring(L, text);
    return 1;
}

static int clock_parts(lua_State *L)
{
    clock_fields fields;
    clock_check_fields(L, &fields);

    static const char *const names[] = {"year",   "month",       "day",     "hour",   "minute",
                                        "second", "millisecond", "weekday", "yearday"};
    const int values[] = {fields.year,        fields.month,   fields.day,
                          fields.hour,        fields.minute,  fields.second,
                          fields.millisecond, fields.weekday, fields.yearday};
    lua_createtable(L, 0, (int)(sizeof names / sizeof names[0]));
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        lua_pushinteger(L, values[i]);
        lua_setfield(L, -2, names[i]);
    }
    return 1;
}

static int clock_weekday(lua_State *L)
{
    clock_fields fields;
    clock_check_fields(L, &fields);
    lua_pushinteger(L, fields.weekday);
    return 1;
}

static int clock_hour(lua_State *L)
{
    clock_fields fields;
    clock_check_fields(L, &fields);
    lua_pushinteger(L, fields.hour);
    return 1;
}

/* A cursor over the text being parsed. */
typedef struct {
    const char *at;
    const char *end;
} clock_cursor;

/* Reads exactly count digits as a number; returns false when they are not there. */
static bool clock_read_digits(clock_cursor *cursor, int count, int *value)
{
    if (cursor->end - cursor->at < count) {
        return false;
    }
    int number = 0;
    for (int i = 0; i < count; i++) {
        char c = cursor->at[i];
        if (c < '0' || c > '9') {
            return false;
        }
        number = number * 10 + (c - '0');
    }
    cursor->at += count;
    *value = number;
    return true;
}

static bool clock_read_char(clock_cursor *cursor, const char *choices)
{
    if (cursor->at < cursor->end && *cursor->at != '\0' && strchr(choices, *cursor->at) != NULL) {
        cursor->at++;
        return true;
    }
    return false;
}

/*
 * Parses an ISO 8601 date or date-time into ms since the epoch. Accepted: YYYY-MM-DD, then
 * optionally 'T' (or a space) and HH:MM, :SS, a fraction of any length (kept to the ms,
 * truncated), and a zone: Z, +HH:MM, +HHMM or +HH (or '-'). Without a zone the time is UTC,
 * as HaloPSA means it. Returns 0, or -1 with what is wrong in reason.
 */
static int clock_parse_text(const char *text, size_t length, long long *ms, char *reason,
                            size_t reason_size)
{
    clock_cursor cursor = {text, text + length};
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millisecond = 0;
    int offset = 0;

    /* Step 1: the date. */
    if (!clock_read_digits(&cursor, 4, &year) || !clock_read_char(&cursor, "-") ||
        !clock_read_digits(&cursor, 2, &month) || !clock_read_char(&cursor, "-") ||
        !clock_read_digits(&cursor, 2, &day)) {
        snprintf(reason, reason_size, "expected a date as YYYY-MM-DD at the start");
        return -1;
    }
    if (year < 1) {
        snprintf(reason, reason_size, "year 0000 is out of range; use 0001 to 9999");
        return -1;
    }
    if (month < 1 || month > 12) {
        snprintf(reason, reason_size, "month %02d is out of range", month);
        return -1;
    }
    if (day < 1 || day > clock_days_in_month(year, month)) {
        snprintf(reason, reason_size, "day %02d does not exist in %04d-%02d", day, year, month);
        return -1;
    }

    /* Step 2: the time of day, when there is one. */
    if (cursor.at < cursor.end) {
        if (!clock_read_char(&cursor, "Tt ") || !clock_read_digits(&cursor, 2, &hour) ||
            !clock_read_char(&cursor, ":") || !clock_read_digits(&cursor, 2, &minute)) {
            snprintf(reason, reason_size, "expected the time as THH:MM after the date");
            return -1;
        }
        if (clock_read_char(&cursor, ":") && !clock_read_digits(&cursor, 2, &second)) {
            snprintf(reason, reason_size, "expected seconds as two digits after HH:MM:");
            return -1;
        }
        if (cursor.at < cursor.end && (*cursor.at == '.' || *cursor.at == ',')) {
            cursor.at++;
            int digits = 0;
            while (cursor.at < cursor.end && *cursor.at >= '0' && *cursor.at <= '9') {
                if (digits < 3) {
                    millisecond = millisecond * 10 + (*cursor.at - '0');
                }
                digits++;
                cursor.at++;
            }
            if (digits == 0) {
                snprintf(reason, reason_size, "expected digits after the decimal point");
                return -1;
            }
            for (; digits < 3; digits++) {
                millisecond *= 10;
            }
        }
        if (hour > 23 || minute > 59 || second > 59) {
            snprintf(reason, reason_size, "time %02d:%02d:%02d is out of range", hour, minute,
                     second);
            return -1;
        }

        /* Step 3: the zone. */
        if (clock_read_char(&cursor, "Zz")) {
            offset = 0;
        } else if (cursor.at < cursor.end && (*cursor.at == '+' || *cursor.at == '-')) {
            int sign = *cursor.at == '-' ? -1 : 1;
            int offset_hours = 0;
            int offset_minutes = 0;
            cursor.at++;
            if (!clock_read_digits(&cursor, 2, &offset_hours)) {
                snprintf(reason, reason_size, "expected the offset as +HH:MM");
                return -1;
            }
            bool colon = clock_read_char(&cursor, ":");
            if ((colon || cursor.at < cursor.end) &&
                !clock_read_digits(&cursor, 2, &offset_minutes)) {
                snprintf(reason, reason_size, "expected the offset as +HH:MM");
                return -1;
            }
            offset = sign * (offset_hours * 60 + offset_minutes);
            if (offset_minutes > 59 || offset < -CLOCK_MAX_OFFSET_MINUTES ||
                offset > CLOCK_MAX_OFFSET_MINUTES) {
                snprintf(reason, reason_size, "offset %c%02d:%02d is out of range",
                         sign < 0 ? '-' : '+', offset_hours, offset_minutes);
                return -1;
            }
        }
    }
    if (cursor.at != cursor.end) {
        snprintf(reason, reason_size, "unexpected text after the date-time");
        return -1;
    }

    /* Step 4: the moment, back to UTC. */
    long long local = clock_epoch_day(year, month, day) * CLOCK_MS_PER_DAY +
                      ((long long)hour * 3600 + minute * 60 + second) * 1000 + millisecond;
    long long moment = local - (long long)offset * 60000;
    if (moment < CLOCK_MIN_MS || moment > CLOCK_MAX_MS) {
        snprintf(reason, reason_size, "the time leaves the years 0001 to 9999 in UTC");
        return -1;
    }
    *ms = moment;
    return 0;
}

static int clock_parse(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);

    /* Spaces around the text are allowed; the text shown in a message is kept short. */
    while (length > 0 && (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')) {
        text++;
        length--;
    }
    while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t' ||
                          text[length - 1] == '\r' || text[length - 1] == '\n')) {
        length--;
    }
    char shown[48];
    snprintf(shown, sizeof shown, "%.*s%s", length > 40 ? 40 : (int)length, text,
             length > 40 ? "..." : "");

    long long ms = 0;
    char reason[128];
    if (clock_parse_text(text, length, &ms, reason, sizeof reason) != 0) {
        luaL_pushfail(L);
        lua_pushfstring(L,
                        "invalid date-time \"%s\": %s; use ISO 8601 such as "
                        "2024-05-01T09:30:00Z",
                        shown, reason);
        return 2;
    }
    if (ms == CLOCK_HALO_NO_DATE_MS) {
        luaL_pushfail(L);
        lua_pushfstring(L, "no date: \"%s\" is HaloPSA's placeholder for an empty date", shown);
        return 2;
    }
    clock_push_seconds(L, ms);
    return 1;
}

int halyard_open_clock(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"now", clock_now},       {"now_ms", clock_now_ms},
        {"format", clock_format}, {"parse", clock_parse},
        {"parts", clock_parts},   {"weekday", clock_weekday},
        {"hour", clock_hour},     {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}
