#ifndef HALYARD_CONFIG_MSP_NAMES_H
#define HALYARD_CONFIG_MSP_NAMES_H

#include "config.h"

#include <sqlite3.h>
#include <stddef.h>

/* Logs a warning for every MSP name in the config that names no MSP in the database: the
 * per-MSP entries of lua_limits, http_allow and verification, and the folders under the scripts
 * root. Such an entry applies to nothing, most often because of a typo, and without the warning
 * its MSP would silently run on the defaults. "default" is never reported. Returns the number
 * of warnings; 0 also when the MSPs could not be read (that error is logged). */
size_t halyard_config_report_unknown_msps(const halyard_config *config, sqlite3 *database);

#endif
