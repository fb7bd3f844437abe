#ifndef HALYARD_BINDINGS_LUA_SCRIPT_FILES_H
#define HALYARD_BINDINGS_LUA_SCRIPT_FILES_H

#include "lua_host.h"

#include <stddef.h>

/*
 * The script files one Lua host found, each with the text it serves. The host built next, on
 * a hot reload, looks a file up here by kind and file name when the file's new text fails, and
 * loads the text that served before. Internal to the Lua host; not thread-safe, but read-only
 * once the host that owns it is created.
 */
typedef struct {
    halyard_lua_file info; /* info.path and info.serving_path point at the strings below */
    char *path;
    char *serving_path;
    char *text; /* the serving text, NULL when the file is skipped */
    size_t length;
} halyard_script_file;

typedef struct {
    halyard_script_file *items;
    size_t count;
} halyard_script_files;

/* Appends a record of path with kind (a static string: "tool", "workflow", "policy" or
 * "verifier"), skipped and without text. Returns the record, or NULL when out of memory. The
 * record moves when the next one is added. */
halyard_script_file *halyard_script_files_add(halyard_script_files *files, const char *path,
                                              const char *kind);

/* Makes text (malloc'd, length bytes, taken over even on failure) the serving text of file, read
 * from serving_path, in the given state. Returns 0, or -1 when out of memory. */
int halyard_script_file_serve(halyard_script_file *file, halyard_lua_file_state state,
                              const char *serving_path, char *text, size_t length);

/* Finds the record of kind whose file name (what follows the last '/') equals path's, with a
 * serving text; NULL when there is none. */
const halyard_script_file *halyard_script_files_find(const halyard_script_files *files,
                                                     const char *kind, const char *path);

/* Checks that fd, the open script file path, lies inside the folder root once every symbolic
 * link is resolved. So a link in an MSP's scripts folder cannot make halyard read a file outside
 * it, such as a system file, the data folder's key or another MSP's script. It reads the file
 * the descriptor has open (/proc/self/fd), so swapping the link after the open changes
 * nothing. Returns 0 when it is inside, 1 when it is not, with a message that names path and
 * root but nothing of the target, or -1 with a message when either cannot be resolved. */
int halyard_script_file_check_inside(int fd, const char *path, const char *root, char *message,
                                     size_t message_size);

/* Frees every record. */
void halyard_script_files_clear(halyard_script_files *files);

/* True when source (source_length bytes, not NUL-terminated) is how Lua shows path as a
 * chunk's short source: the whole path, or "..." and the path's tail when the path is longer
 * than 59 characters. */
int halyard_source_names_path(const char *source, size_t source_length, const char *path);

/* Returns the line of the innermost frame in path that a Lua traceback shows, or 0 when it
 * shows none, matching frames with halyard_source_names_path. */
int halyard_traceback_line(const char *traceback, const char *path);

#endif
