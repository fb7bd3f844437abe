/* memmem, a linear plain search in glibc and the BSDs. */
#define _GNU_SOURCE

#include "pattern.h"

#include <ctype.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lua_meter.h"

/*
 * Lua 5.4's pattern language, matched by backtracking in the same order as Lua's own matcher
 * (lstrlib.c), so every call finds the same match and raises the same error. Lua's limits are
 * kept: 32 captures, and a nesting of 200 matcher calls before "pattern too complex".
 */

#define PATTERN_ESCAPE       '%'
#define PATTERN_MAX_CAPTURES 32
#define PATTERN_MAX_DEPTH    200
#define PATTERN_SPECIALS     "^$*+?.([%-"

/* A capture's length while it is still open, and the length that marks a position capture. */
#define CAPTURE_UNFINISHED ((ptrdiff_t)-1)
#define CAPTURE_POSITION   ((ptrdiff_t)-2)

/* Bytes of a back-reference comparison that count as one step. */
#define PATTERN_COMPARE_BYTES_PER_STEP 32

/* Appended to the error when a pattern runs past the limits. */
static const char pattern_advice[] =
    "the pattern backtracks too much; anchor it with '^' or use fewer '*', '+' and '-' items";

typedef struct {
    const char *subject;
    const char *subject_end;
    const char *pattern_end;
    lua_State *L;
    halyard_lua_meter *meter;

    /* Matcher calls left before "pattern too complex". */
    int depth_left;

    int capture_count;
    struct {
        const char *start;
        ptrdiff_t length;
    } captures[PATTERN_MAX_CAPTURES];
} pattern_state;

static const char *pattern_match(pattern_state *state, const char *s, const char *p);

static void pattern_state_init(pattern_state *state, lua_State *L, const char *subject,
                               size_t subject_length, const char *pattern, size_t pattern_length)
{
    state->subject = subject;
    state->subject_end = subject + subject_length;
    state->pattern_end = pattern + pattern_length;
    state->L = L;
    state->meter = NULL;
    state->depth_left = PATTERN_MAX_DEPTH;
    state->capture_count = 0;
}

static inline void pattern_step(pattern_state *state, size_t steps)
{
    halyard_lua_meter_charge(state->meter, steps);
}

/* Returns the 0-based offset of a 1-based string position that may count from the end, as
 * string.find's init: 0 and positions before the start mean the start. */
static size_t pattern_start_offset(lua_Integer position, size_t length)
{
    if (position > 0) {
        return (size_t)position - 1;
    }
    if (position == 0 || position < -(lua_Integer)length) {
        return 0;
    }
    return length - (size_t)(-position);
}

/*
 * Returns the end of the single-character class at p: after "%x", after the "]" of a set, or
 * after one character. Raises on a pattern that ends inside the class. The pattern, like
 * every Lua string, is followed by a NUL, so reading one byte past its end is safe.
 */
static const char *pattern_class_end(pattern_state *state, const char *p)
{
    char first = *p++;

    if (first == PATTERN_ESCAPE) {
        if (p == state->pattern_end) {
            luaL_error(state->L, "malformed pattern (ends with '%%')");
        }
        return p + 1;
    }
    if (first != '[') {
        return p;
    }

    /* The first character of a set belongs to it even when it is ']', as in "[]]". */
    if (*p == '^') {
        p++;
    }
    do {
        if (p == state->pattern_end) {
            luaL_error(state->L, "malformed pattern (missing ']')");
        }
        char member = *p++;
        if (member == PATTERN_ESCAPE && p < state->pattern_end) {
            p++;
        }
    } while (*p != ']');
    return p + 1;
}

/* True when byte c is in the class named by letter ("%a" has letter 'a'). An upper-case letter
 * names the complement, and any other character stands for itself. */
static int pattern_class_contains(int c, int letter)
{
    int found;

    switch (tolower(letter)) {
    case 'a':
        found = isalpha(c);
        break;
    case 'c':
        found = iscntrl(c);
        break;
    case 'd':
        found = isdigit(c);
        break;
    case 'g':
        found = isgraph(c);
        break;
    case 'l':
        found = islower(c);
        break;
    case 'p':
        found = ispunct(c);
        break;
    case 's':
        found = isspace(c);
        break;
    case 'u':
        found = isupper(c);
        break;
    case 'w':
        found = isalnum(c);
        break;
    case 'x':
        found = isxdigit(c);
        break;
    case 'z':
        found = c == 0;
        break;
    default:
        return letter == c;
    }
    return islower(letter) ? found != 0 : found == 0;
}

/* True when byte c is in the set that starts at open ("[") and ends at close ("]"). */
static int pattern_set_contains(int c, const char *open, const char *close)
{
    const char *p = open + 1;
    int inside = 1;

    if (*p == '^') {
        inside = 0;
        p++;
    }
    for (; p < close; p++) {
        if (*p == PATTERN_ESCAPE) {
            p++;
            if (pattern_class_contains(c, (unsigned char)*p)) {
                return inside;
            }
        } else if (p[1] == '-' && p + 2 < close) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) {
                return inside;
            }
            p += 2;
        } else if ((unsigned char)*p == c) {
            return inside;
        }
    }
    return !inside;
}

/* True when the subject byte at s matches the single-character class p..class_end. */
static int pattern_single_matches(const pattern_state *state, const char *s, const char *p,
                                  const char *class_end)
{
    if (s >= state->subject_end) {
        return 0;
    }
    int c = (unsigned char)*s;
    switch (*p) {
    case '.':
        return 1;
    case PATTERN_ESCAPE:
        return pattern_class_contains(c, (unsigned char)p[1]);
    case '[':
        return pattern_set_contains(c, p, class_end - 1);
    default:
        return (unsigned char)*p == c;
    }
}

/* "%bxy" with p at x: returns the end of the balanced run starting at s, or NULL. */
static const char *pattern_balance(pattern_state *state, const char *s, const char *p)
{
    if (p >= state->pattern_end - 1) {
        luaL_error(state->L, "malformed pattern (missing arguments to '%%b')");
    }
    if (*s != *p) {
        return NULL;
    }

    char open = p[0];
    char close = p[1];
    int depth = 1;
    while (++s < state->subject_end) {
        pattern_step(state, 1);
        if (*s == close) {
            if (--depth == 0) {
                return s + 1;
            }
        } else if (*s == open) {
            depth++;
        }
    }
    return NULL;
}

/* "x*": takes as many repetitions as match, then gives them back one by one until the rest
 * of the pattern (after class_end's suffix) matches. */
static const char *pattern_longest(pattern_state *state, const char *s, const char *p,
                                   const char *class_end)
{
    ptrdiff_t count = 0;
    while (pattern_single_matches(state, s + count, p, class_end)) {
        pattern_step(state, 1);
        count++;
    }
    for (; count >= 0; count--) {
        const char *end = pattern_match(state, s + count, class_end + 1);
        if (end != NULL) {
            return end;
        }
    }
    return NULL;
}

/* "x-": tries the rest of the pattern first, and takes one more repetition each time it
 * fails. */
static const char *pattern_shortest(pattern_state *state, const char *s, const char *p,
                                    const char *class_end)
{
    for (;;) {
        const char *end = pattern_match(state, s, class_end + 1);
        if (end != NULL) {
            return end;
        }
        if (!pattern_single_matches(state, s, p, class_end)) {
            return NULL;
        }
        s++;
    }
}

static const char *pattern_open_capture(pattern_state *state, const char *s, const char *p,
                                        ptrdiff_t kind)
{
    int index = state->capture_count;
    if (index >= PATTERN_MAX_CAPTURES) {
        luaL_error(state->L, "too many captures");
    }
    state->captures[index].start = s;
    state->captures[index].length = kind;
    state->capture_count = index + 1;

    const char *end = pattern_match(state, s, p);
    if (end == NULL) {
        state->capture_count--;
    }
    return end;
}

static const char *pattern_close_capture(pattern_state *state, const char *s, const char *p)
{
    int index = state->capture_count - 1;
    while (index >= 0 && state->captures[index].length != CAPTURE_UNFINISHED) {
        index--;
    }
    if (index < 0) {
        luaL_error(state->L, "invalid pattern capture");
    }
    state->captures[index].length = s - state->captures[index].start;

    const char *end = pattern_match(state, s, p);
    if (end == NULL) {
        state->captures[index].length = CAPTURE_UNFINISHED;
    }
    return end;
}

/* "%1".."%9" (digit is the character): the text of that closed capture again, or NULL. A
 * position capture never matches, as in Lua, whose length check fails for it. */
static const char *pattern_back_reference(pattern_state *state, const char *s, int digit)
{
    int index = digit - '1';
    if (index < 0 || index >= state->capture_count ||
        state->captures[index].length == CAPTURE_UNFINISHED) {
        luaL_error(state->L, "invalid capture index %%%d", index + 1);
    }
    ptrdiff_t length = state->captures[index].length;
    if (length < 0 || state->subject_end - s < length) {
        return NULL;
    }
    pattern_step(state, 1 + (size_t)length / PATTERN_COMPARE_BYTES_PER_STEP);
    if (memcmp(state->captures[index].start, s, (size_t)length) != 0) {
        return NULL;
    }
    return s + length;
}

/*
 * Matches the pattern from p against the subject from s. Returns the end of the match, or
 * NULL. Recursion (captures, repetitions, '?') is limited by depth_left; the items that need
 * no backtracking continue in the loop instead. Every turn of the loop is one step.
 */
static const char *pattern_match(pattern_state *state, const char *s, const char *p)
{
    if (state->depth_left-- == 0) {
        luaL_error(state->L, "pattern too complex");
    }

    while (p != state->pattern_end) {
        pattern_step(state, 1);

        switch (*p) {
        case '(':
            if (p[1] == ')') {
                s = pattern_open_capture(state, s, p + 2, CAPTURE_POSITION);
            } else {
                s = pattern_open_capture(state, s, p + 1, CAPTURE_UNFINISHED);
            }
            goto done;
        case ')':
            s = pattern_close_capture(state, s, p + 1);
            goto done;
        case '$':
            /* Only a final '$' anchors; elsewhere it is a plain character. */
            if (p + 1 == state->pattern_end) {
                s = s == state->subject_end ? s : NULL;
                goto done;
            }
            break;
        case PATTERN_ESCAPE:
            if (p[1] == 'b') {
                s = pattern_balance(state, s, p + 2);
                if (s == NULL) {
                    goto done;
                }
                p += 4;
                continue;
            }
            if (p[1] == 'f') {
                p += 2;
                if (*p != '[') {
                    luaL_error(state->L, "missing '[' after '%%f' in pattern");
                }
                const char *set_end = pattern_class_end(state, p);
                int previous = s == state->subject ? 0 : (unsigned char)s[-1];
                int current = (unsigned char)*s;
                if (!pattern_set_contains(previous, p, set_end - 1) &&
                    pattern_set_contains(current, p, set_end - 1)) {
                    p = set_end;
                    continue;
                }
                s = NULL;
                goto done;
            }
            if (p[1] >= '0' && p[1] <= '9') {
                s = pattern_back_reference(state, s, (unsigned char)p[1]);
                if (s == NULL) {
                    goto done;
                }
                p += 2;
                continue;
            }
            break;
        default:
            break;
        }

        /* A single-character class with an optional suffix: '?', '*', '+' or '-'. */
        const char *class_end = pattern_class_end(state, p);
        char suffix = *class_end;
        if (!pattern_single_matches(state, s, p, class_end)) {
            if (suffix == '*' || suffix == '?' || suffix == '-') {
                p = class_end + 1;
                continue;
            }
            s = NULL;
            goto done;
        }
        if (suffix == '?') {
            const char *end = pattern_match(state, s + 1, class_end + 1);
            if (end != NULL) {
                s = end;
                goto done;
            }
            p = class_end + 1;
            continue;
        }
        if (suffix == '+') {
            s = pattern_longest(state, s + 1, p, class_end);
            goto done;
        }
        if (suffix == '*') {
            s = pattern_longest(state, s, p, class_end);
            goto done;
        }
        if (suffix == '-') {
            s = pattern_shortest(state, s, p, class_end);
            goto done;
        }
        s++;
        p = class_end;
    }

done:
    state->depth_left++;
    return s;
}

/*
 * Returns capture index (from 0) and its length, with *text set to its start. Without
 * captures, index 0 is the whole match s..end. A position capture pushes its position and
 * returns CAPTURE_POSITION. Raises for an index past the captures or an open capture.
 */
static ptrdiff_t pattern_capture(pattern_state *state, int index, const char *s, const char *end,
                                 const char **text)
{
    if (index >= state->capture_count) {
        if (index != 0) {
            luaL_error(state->L, "invalid capture index %%%d", index + 1);
        }
        *text = s;
        return end - s;
    }

    ptrdiff_t length = state->captures[index].length;
    *text = state->captures[index].start;
    if (length == CAPTURE_UNFINISHED) {
        luaL_error(state->L, "unfinished capture");
    } else if (length == CAPTURE_POSITION) {
        lua_pushinteger(state->L, (state->captures[index].start - state->subject) + 1);
    }
    return length;
}

/* Pushes capture index (from 0). Stack: [] -> [capture]. */
static void pattern_push_capture(pattern_state *state, int index, const char *s, const char *end)
{
    const char *text = NULL;
    ptrdiff_t length = pattern_capture(state, index, s, end, &text);
    if (length != CAPTURE_POSITION) {
        lua_pushlstring(state->L, text, (size_t)length);
    }
}

/* Pushes every capture, or the whole match s..end when there are none and s is not NULL.
 * Returns how many values were pushed. */
static int pattern_push_captures(pattern_state *state, const char *s, const char *end)
{
    int count = state->capture_count == 0 && s != NULL ? 1 : state->capture_count;
    luaL_checkstack(state->L, count, "too many captures");
    for (int i = 0; i < count; i++) {
        pattern_push_capture(state, i, s, end);
    }
    return count;
}

/* True when the pattern has none of the characters that make it more than plain text. */
static int pattern_is_plain(const char *pattern, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (pattern[i] != '\0' && strchr(PATTERN_SPECIALS, pattern[i]) != NULL) {
            return 0;
        }
    }
    return 1;
}

/* string.find (find = 1) and string.match (find = 0). */
static int pattern_find_or_match(lua_State *L, int find)
{
    size_t subject_length = 0;
    size_t pattern_length = 0;
    const char *subject = luaL_checklstring(L, 1, &subject_length);
    const char *pattern = luaL_checklstring(L, 2, &pattern_length);
    lua_Integer init_position = luaL_optinteger(L, 3, 1);
    size_t init = pattern_start_offset(init_position, subject_length);
    if (init > subject_length) {
        luaL_pushfail(L);
        return 1;
    }

    /* A plain search is linear (glibc's memmem uses the two-way algorithm). */
    if (find && (lua_toboolean(L, 4) || pattern_is_plain(pattern, pattern_length))) {
        const char *found = pattern_length == 0 ? subject + init
                                                : memmem(subject + init, subject_length - init,
                                                         pattern, pattern_length);
        if (found == NULL) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (found - subject) + 1);
        lua_pushinteger(L, (lua_Integer)(found - subject) + (lua_Integer)pattern_length);
        return 2;
    }

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, find ? "string.find" : "string.match", subject_length);
    meter.advice = pattern_advice;

    int anchored = pattern[0] == '^';
    if (anchored) {
        pattern++;
        pattern_length--;
    }
    pattern_state state;
    pattern_state_init(&state, L, subject, subject_length, pattern, pattern_length);
    state.meter = &meter;

    const char *start = subject + init;
    do {
        state.capture_count = 0;
        const char *end = pattern_match(&state, start, pattern);
        if (end != NULL) {
            halyard_lua_meter_end(&meter);
            if (!find) {
                return pattern_push_captures(&state, start, end);
            }
            lua_pushinteger(L, (start - subject) + 1);
            lua_pushinteger(L, end - subject);
            return pattern_push_captures(&state, NULL, NULL) + 2;
        }
    } while (start++ < state.subject_end && !anchored);

    halyard_lua_meter_end(&meter);
    luaL_pushfail(L);
    return 1;
}

static int pattern_find(lua_State *L)
{
    return pattern_find_or_match(L, 1);
}

static int pattern_match_function(lua_State *L)
{
    return pattern_find_or_match(L, 0);
}

/* The state of one string.gmatch loop, kept in a userdata beside the subject and pattern. */
typedef struct {
    const char *next;
    const char *pattern;
    const char *last_end;
    pattern_state state;
} pattern_loop;

/* The iterator string.gmatch returns. Upvalues: subject, pattern, pattern_loop. */
static int pattern_gmatch_next(lua_State *L)
{
    pattern_loop *loop = lua_touserdata(L, lua_upvalueindex(3));
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "string.gmatch",
                            (size_t)(loop->state.subject_end - loop->state.subject));
    meter.advice = pattern_advice;
    loop->state.L = L;
    loop->state.meter = &meter;

    /* An error raised inside the matcher (a limit, say) left the depth count short. */
    loop->state.depth_left = PATTERN_MAX_DEPTH;

    for (const char *start = loop->next; start <= loop->state.subject_end; start++) {
        loop->state.capture_count = 0;
        const char *end = pattern_match(&loop->state, start, loop->pattern);

        /* An empty match right where the last match ended is skipped, as in Lua 5.4. */
        if (end != NULL && end != loop->last_end) {
            loop->next = end;
            loop->last_end = end;
            halyard_lua_meter_end(&meter);
            return pattern_push_captures(&loop->state, start, end);
        }
    }
    halyard_lua_meter_end(&meter);
    return 0;
}

static int pattern_gmatch(lua_State *L)
{
    size_t subject_length = 0;
    size_t pattern_length = 0;
    const char *subject = luaL_checklstring(L, 1, &subject_length);
    const char *pattern = luaL_checklstring(L, 2, &pattern_length);
    lua_Integer init_position = luaL_optinteger(L, 3, 1);
    size_t init = pattern_start_offset(init_position, subject_length);
    if (init > subject_length) {
        init = subject_length + 1;
    }

    /* Stack: [subject, pattern] -> [subject, pattern, loop] -> [iterator]. */
    lua_settop(L, 2);
    pattern_loop *loop = lua_newuserdatauv(L, sizeof *loop, 0);
    pattern_state_init(&loop->state, L, subject, subject_length, pattern, pattern_length);
    loop->next = subject + init;
    loop->pattern = pattern;
    loop->last_end = NULL;
    lua_pushcclosure(L, pattern_gmatch_next, 3);
    return 1;
}

/* Appends gsub's replacement string (argument 3) for the match s..end, expanding "%0" to
 * "%9" and "%%". */
static void pattern_add_template(pattern_state *state, luaL_Buffer *buffer, const char *s,
                                 const char *end)
{
    lua_State *L = state->L;
    size_t length = 0;
    const char *text = lua_tolstring(L, 3, &length);
    const char *escape;

    while ((escape = memchr(text, PATTERN_ESCAPE, length)) != NULL) {
        luaL_addlstring(buffer, text, (size_t)(escape - text));
        char next = escape[1];
        if (next == PATTERN_ESCAPE) {
            luaL_addchar(buffer, PATTERN_ESCAPE);
        } else if (next == '0') {
            luaL_addlstring(buffer, s, (size_t)(end - s));
        } else if (isdigit((unsigned char)next)) {
            const char *capture = NULL;
            ptrdiff_t capture_length = pattern_capture(state, next - '1', s, end, &capture);
            if (capture_length == CAPTURE_POSITION) {
                luaL_addvalue(buffer);
            } else {
                luaL_addlstring(buffer, capture, (size_t)capture_length);
            }
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", PATTERN_ESCAPE);
        }
        length -= (size_t)(escape + 2 - text);
        text = escape + 2;
    }
    luaL_addlstring(buffer, text, length);
}

/*
 * Appends the replacement of the match s..end: the template, the function's result or the
 * table's value (kind is argument 3's type). A nil or false result keeps the match. Returns
 * true when the subject changed.
 */
static int pattern_add_replacement(pattern_state *state, luaL_Buffer *buffer, const char *s,
                                   const char *end, int kind)
{
    lua_State *L = state->L;

    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int count = pattern_push_captures(state, s, end);
        lua_call(L, count, 1);
    } else if (kind == LUA_TTABLE) {
        pattern_push_capture(state, 0, s, end);
        lua_gettable(L, 3);
    } else {
        pattern_add_template(state, buffer, s, end);
        return 1;
    }

    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(buffer, s, (size_t)(end - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) {
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    }
    luaL_addvalue(buffer);
    return 1;
}

static int pattern_gsub(lua_State *L)
{
    size_t subject_length = 0;
    size_t pattern_length = 0;
    const char *subject = luaL_checklstring(L, 1, &subject_length);
    const char *pattern = luaL_checklstring(L, 2, &pattern_length);
    int kind = lua_type(L, 3);
    lua_Integer max_replacements = luaL_optinteger(L, 4, (lua_Integer)subject_length + 1);
    luaL_argexpected(L,
                     kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION ||
                         kind == LUA_TTABLE,
                     3, "string/function/table");

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "string.gsub", subject_length);
    meter.advice = pattern_advice;

    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    int anchored = pattern[0] == '^';
    if (anchored) {
        pattern++;
        pattern_length--;
    }
    pattern_state state;
    pattern_state_init(&state, L, subject, subject_length, pattern, pattern_length);
    state.meter = &meter;

    const char *s = subject;
    const char *last_end = NULL;
    lua_Integer replacements = 0;
    int changed = 0;
    while (replacements < max_replacements) {
        state.capture_count = 0;
        const char *end = pattern_match(&state, s, pattern);
        if (end != NULL && end != last_end) {
            replacements++;
            changed = pattern_add_replacement(&state, &buffer, s, end, kind) | changed;
            s = end;
            last_end = end;
        } else if (s < state.subject_end) {
            luaL_addchar(&buffer, *s++);
        } else {
            break;
        }
        if (anchored) {
            break;
        }
    }
    halyard_lua_meter_end(&meter);

    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&buffer, s, (size_t)(state.subject_end - s));
        luaL_pushresult(&buffer);
    }
    lua_pushinteger(L, replacements);
    return 2;
}

void halyard_pattern_install(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"find", pattern_find},
        {"match", pattern_match_function},
        {"gmatch", pattern_gmatch},
        {"gsub", pattern_gsub},
        {NULL, NULL},
    };

    lua_getglobal(L, LUA_STRLIBNAME);
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 1);
}
