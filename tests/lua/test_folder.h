#ifndef HALYARD_TESTS_LUA_TEST_FOLDER_H
#define HALYARD_TESTS_LUA_TEST_FOLDER_H

/* Scratch folders for the Lua tests. */

/* Makes a new folder from pattern, which ends in XXXXXX (mkdtemp), and returns its path, which
 * the caller frees. Fails the running cmocka test when the folder cannot be made. */
char *test_folder_make(const char *pattern);

/* Removes the folder at path and everything below it, as far as it can. Links are removed,
 * never followed. */
void test_folder_remove(const char *path);

#endif
