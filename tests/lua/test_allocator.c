#include "test_allocator.h"

#include <stdlib.h>

void *test_capped_allocate(void *user_data, void *block, size_t old_size, size_t new_size)
{
    test_memory *memory = user_data;

    /* For a new block, old_size is the kind of object being made, not a size. */
    size_t old_bytes = block != NULL ? old_size : 0;
    if (new_size == 0) {
        free(block);
        memory->used -= old_bytes;
        return NULL;
    }
    if (new_size > old_bytes && memory->used + (new_size - old_bytes) > memory->limit) {
        return NULL;
    }
    void *moved = realloc(block, new_size);
    if (moved != NULL) {
        memory->used = memory->used - old_bytes + new_size;
    }
    return moved;
}
