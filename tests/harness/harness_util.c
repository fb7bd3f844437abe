/*
 * Lua module `util`: small helpers for tests.
 *
 *   util.sleep_ms(ms)
 *   util.now_ms()               wall-clock milliseconds since the epoch (integer)
 *   util.monotonic_ms()         milliseconds on a clock that never jumps, for measuring waits
 *   util.tmpdir()               a new empty folder, removed with its contents when the runner
 *                               exits normally
 *   util.read_file(path)        -> text, or nil, message
 *   util.write_file(path, text) -> true, or nil, message
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "halytest.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#define TMPDIRS_MAX 256

static char *tmpdirs[TMPDIRS_MAX];
static int tmpdir_count;

static int util_sleep_ms(lua_State *L)
{
    lua_Integer ms = luaL_checkinteger(L, 1);
    struct timespec pause;

    luaL_argcheck(L, ms >= 0 && ms <= 600000, 1, "milliseconds must be from 0 to 600000");
    pause.tv_sec = (time_t)(ms / 1000);
    pause.tv_nsec = (long)(ms % 1000) * 1000000;
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        ;
    return 0;
}

static int util_now_ms(lua_State *L)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    lua_pushinteger(L, (lua_Integer)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    return 1;
}

static int util_monotonic_ms(lua_State *L)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    lua_pushinteger(L, (lua_Integer)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    return 1;
}

static int util_tmpdir(lua_State *L)
{
    const char *base = getenv("TMPDIR");
    char pattern[4096];

    if (tmpdir_count == TMPDIRS_MAX)
        return luaL_error(L, "tmpdir: more than %d temporary folders in one test file",
                          TMPDIRS_MAX);
    snprintf(pattern, sizeof(pattern), "%s/halytest-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(pattern) == NULL) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot create a temporary folder from '%s': %s", pattern,
                        strerror(errno));
        return 2;
    }
    tmpdirs[tmpdir_count] = strdup(pattern);
    if (tmpdirs[tmpdir_count] == NULL)
        return luaL_error(L, "tmpdir: out of memory");
    tmpdir_count++;
    lua_pushstring(L, pattern);
    return 1;
}

static int remove_entry(const char *path, const struct stat *status, int type, struct FTW *walk)
{
    (void)status;
    (void)type;
    (void)walk;
    remove(path);
    return 0;
}

void halytest_tmpdirs_remove_all(void)
{
    for (int i = 0; i < tmpdir_count; i++) {
        nftw(tmpdirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmpdirs[i]);
    }
    tmpdir_count = 0;
}

static int util_read_file(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    FILE *file = fopen(path, "rb");
    luaL_Buffer buffer;
    size_t count;

    if (file == NULL) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot open '%s': %s", path, strerror(errno));
        return 2;
    }
    luaL_buffinit(L, &buffer);
    do {
        char *space = luaL_prepbuffer(&buffer);

        count = fread(space, 1, LUAL_BUFFERSIZE, file);
        luaL_addsize(&buffer, count);
    } while (count == LUAL_BUFFERSIZE);
    if (ferror(file)) {
        int saved = errno;

        fclose(file);
        lua_pushnil(L);
        lua_pushfstring(L, "cannot read '%s': %s", path, strerror(saved));
        return 2;
    }
    fclose(file);
    luaL_pushresult(&buffer);
    return 1;
}

static int util_write_file(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    size_t length;
    const char *text = luaL_checklstring(L, 2, &length);
    FILE *file = fopen(path, "wb");

    if (file == NULL) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot create '%s': %s", path, strerror(errno));
        return 2;
    }
    if (fwrite(text, 1, length, file) != length) {
        int saved = errno;

        fclose(file);
        lua_pushnil(L);
        lua_pushfstring(L, "cannot write '%s': %s", path, strerror(saved));
        return 2;
    }
    if (fclose(file) != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot write '%s': %s", path, strerror(errno));
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

int halytest_open_util(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"sleep_ms", util_sleep_ms},
        {"now_ms", util_now_ms},
        {"monotonic_ms", util_monotonic_ms},
        {"tmpdir", util_tmpdir},
        {"read_file", util_read_file},
        {"write_file", util_write_file},
        {NULL, NULL},
    };

    luaL_newlib(L, functions);
    return 1;
}
