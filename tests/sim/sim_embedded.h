#ifndef SIM_EMBEDDED_H
#define SIM_EMBEDDED_H

#include <stddef.h>

/* A Lua module compiled into halosim: the source text of one file of tests/sim/lua/. The
 * definitions are generated at build time by embed_lua.cmake. */
struct sim_embedded_module {
    const char *name;       /* the require name: path below lua/ without .lua, "/" as "." */
    const char *chunk_name; /* "@tests/sim/lua/<path>", so errors name the source file */
    const unsigned char *source;
    size_t length;
};

extern const struct sim_embedded_module sim_embedded_modules[];
extern const size_t sim_embedded_module_count;

#endif
