#ifndef HALYARD_TESTS_LUA_TEST_ALLOCATOR_H
#define HALYARD_TESTS_LUA_TEST_ALLOCATOR_H

#include <stddef.h>

/* The bytes a capped test state uses and its cap, the user data of test_capped_allocate. */
typedef struct {
    size_t used;
    size_t limit;
} test_memory;

/* A lua_Alloc that fails any allocation past memory->limit, as halyard's host allocator does:
 * lua_newstate(test_capped_allocate, &memory). */
void *test_capped_allocate(void *user_data, void *block, size_t old_size, size_t new_size);

#endif
