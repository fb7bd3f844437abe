#include "lua_script_files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *file_name_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

halyard_script_file *halyard_script_files_add(halyard_script_files *files, const char *path,
                                              const char *kind)
{
    char *copy = strdup(path);
    halyard_script_file *grown =
        copy != NULL ? realloc(files->items, (files->count + 1) * sizeof *grown) : NULL;
    if (grown == NULL) {
        free(copy);
        return NULL;
    }
    files->items = grown;

    /* The views into the strings are set again on every growth, since realloc moves them. */
    halyard_script_file *file = &files->items[files->count];
    memset(file, 0, sizeof *file);
    file->path = copy;
    file->info.kind = kind;
    file->info.state = HALYARD_LUA_FILE_SKIPPED;
    files->count++;
    for (size_t i = 0; i < files->count; i++) {
        files->items[i].info.path = files->items[i].path;
        files->items[i].info.serving_path = files->items[i].serving_path;
    }
    return file;
}

int halyard_script_file_serve(halyard_script_file *file, halyard_lua_file_state state,
                              const char *serving_path, char *text, size_t length)
{
    char *copy = strdup(serving_path);
    if (copy == NULL) {
        free(text);
        return -1;
    }
    free(file->serving_path);
    free(file->text);
    file->serving_path = copy;
    file->text = text;
    file->length = length;
    file->info.state = state;
    file->info.serving_path = copy;
    return 0;
}

const halyard_script_file *halyard_script_files_find(const halyard_script_files *files,
                                                     const char *kind, const char *path)
{
    if (files == NULL) {
        return NULL;
    }
    const char *name = file_name_of(path);
    for (size_t i = 0; i < files->count; i++) {
        const halyard_script_file *file = &files->items[i];
        if (file->text != NULL && strcmp(file->info.kind, kind) == 0 &&
            strcmp(file_name_of(file->path), name) == 0) {
            return file;
        }
    }
    return NULL;
}

void halyard_script_files_clear(halyard_script_files *files)
{
    for (size_t i = 0; i < files->count; i++) {
        free(files->items[i].path);
        free(files->items[i].serving_path);
        free(files->items[i].text);
    }
    free(files->items);
    files->items = NULL;
    files->count = 0;
}

int halyard_source_names_path(const char *source, size_t source_length, const char *path)
{
    size_t path_length = strlen(path);
    if (source_length == path_length && memcmp(source, path, path_length) == 0) {
        return 1;
    }
    if (source_length > 3 && memcmp(source, "...", 3) == 0) {
        size_t tail_length = source_length - 3;
        return tail_length <= path_length &&
               memcmp(source + 3, path + path_length - tail_length, tail_length) == 0;
    }
    return 0;
}

int halyard_traceback_line(const char *traceback, const char *path)
{
    /* A frame line reads "\t<source>:<line>: in <what>"; the innermost frame comes first. */
    for (const char *line = strstr(traceback, "\n\t"); line != NULL;
         line = strstr(line + 1, "\n\t")) {
        const char *source = line + 2;
        const char *end = strchr(source, '\n');
        if (end == NULL) {
            end = source + strlen(source);
        }

        /* The source may itself hold ':', so try each ':' followed by digits and ':'. */
        for (const char *colon = memchr(source, ':', (size_t)(end - source)); colon != NULL;
             colon = memchr(colon + 1, ':', (size_t)(end - colon - 1))) {
            size_t digits = strspn(colon + 1, "0123456789");
            if (digits == 0 || digits > 9 || colon[1 + digits] != ':') {
                continue;
            }
            if (halyard_source_names_path(source, (size_t)(colon - source), path)) {
                return atoi(colon + 1);
            }
        }
    }
    return 0;
}

int halyard_script_file_check_inside(int fd, const char *path, const char *root, char *message,
                                     size_t message_size)
{
    char link[64];
    char opened[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, opened, sizeof opened - 1);
    if (length < 0 || (size_t)length >= sizeof opened - 1) {
        snprintf(message, message_size, "%s: cannot resolve the file's path: %s", path,
                 length < 0 ? strerror(errno) : "the path is too long");
        return -1;
    }
    opened[length] = '\0';

    char *resolved_root = realpath(root, NULL);
    if (resolved_root == NULL) {
        snprintf(message, message_size, "%s: cannot resolve the scripts folder %s: %s", path, root,
                 strerror(errno));
        return -1;
    }
    size_t root_length = strlen(resolved_root);
    int inside = strncmp(opened, resolved_root, root_length) == 0 &&
                 (opened[root_length] == '/' || root_length == 1);
    free(resolved_root);
    if (!inside) {
        snprintf(message, message_size,
                 "%s: a symbolic link to a file outside the MSP's scripts folder %s, which is "
                 "not read; copy the file into the folder instead",
                 path, root);
        return 1;
    }
    return 0;
}
