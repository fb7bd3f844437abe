#define _XOPEN_SOURCE 700

#include "test_folder.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

char *test_folder_make(const char *pattern)
{
    char *path = strdup(pattern);
    assert_non_null(path);
    assert_non_null(mkdtemp(path));
    return path;
}

static int test_folder_remove_entry(const char *path, const struct stat *info, int flag,
                                    struct FTW *walk)
{
    (void)info;
    (void)flag;
    (void)walk;
    return remove(path);
}

void test_folder_remove(const char *path)
{
    nftw(path, test_folder_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
