#ifndef HALYARD_STORE_SCHEMA_H
#define HALYARD_STORE_SCHEMA_H

#include <stddef.h>

/* The number of migrations, which is also the newest schema version. */
size_t halyard_store_migration_count(void);

/* The SQL that brings the schema from version index to index + 1, or NULL past the end. */
const char *halyard_store_migration(size_t index);

#endif
