#include "config_msp_names.h"

#include "log.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Capacity for the MSP names read from the database. */
#define MSP_NAMES_MAX    256
#define MSP_NAME_SIZE    40
#define KNOWN_LIST_SIZE  512
#define FOLDER_PATH_SIZE 4096

typedef struct {
    char names[MSP_NAMES_MAX][MSP_NAME_SIZE];
    size_t count;
    bool truncated; /* more MSPs than fit in names, so no name is reported as unknown */
    char known[KNOWN_LIST_SIZE];
    size_t reported;
} msp_names;

static bool is_known(const msp_names *msps, const char *name)
{
    for (size_t i = 0; i < msps->count; i++) {
        if (strcmp(msps->names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* Logs one warning when name, from a per-MSP entry ("an entry") or folder ("a folder") of setting,
 * is no MSP in the database. "default" is every MSP's fallback entry and always valid. */
static void check_name(msp_names *msps, const char *setting, const char *what, const char *name)
{
    if (strcmp(name, "default") == 0 || msps->truncated || is_known(msps, name)) {
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "config",
                "%s has %s for MSP \"%s\", but no MSP of that name is connected "
                "(connected: %s), so it applies to no MSP. Check the spelling, or connect the "
                "MSP with `halyard connect --msp %s`",
                setting, what, name, msps->known[0] != '\0' ? msps->known : "none", name);
    msps->reported++;
}

static int read_names(sqlite3 *database, msp_names *msps)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database, "SELECT name FROM msps ORDER BY name", -1, &statement, NULL) !=
        SQLITE_OK) {
        halyard_log(HALYARD_LOG_ERROR, "config",
                    "reading the MSPs failed: %s; MSP names in the config are not checked",
                    sqlite3_errmsg(database));
        return -1;
    }
    size_t used = 0;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(statement, 0);
        if (name == NULL) {
            continue;
        }
        if (msps->count == MSP_NAMES_MAX) {
            msps->truncated = true;
            break;
        }
        snprintf(msps->names[msps->count], MSP_NAME_SIZE, "%s", name);
        msps->count++;
        int written = snprintf(msps->known + used, sizeof msps->known - used, "%s%s",
                               used > 0 ? ", " : "", name);
        if (written > 0 && (size_t)written < sizeof msps->known - used) {
            used += (size_t)written;
        }
    }
    sqlite3_finalize(statement);
    return 0;
}

/* Checks the folders of <scripts root>/: each one is an MSP's own scripts. */
static void check_script_folders(const halyard_config *config, msp_names *msps)
{
    char root[FOLDER_PATH_SIZE];
    halyard_config_scripts_root(config, root, sizeof root);
    DIR *folder = opendir(root);
    if (folder == NULL) {
        return; /* no MSP has scripts of its own yet */
    }
    struct dirent *entry = NULL;
    while ((entry = readdir(folder)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char path[FOLDER_PATH_SIZE];
        struct stat status;
        int length = snprintf(path, sizeof path, "%s/%s", root, entry->d_name);
        if (length < 0 || (size_t)length >= sizeof path || stat(path, &status) != 0 ||
            !S_ISDIR(status.st_mode)) {
            continue;
        }
        check_name(msps, "scripts_dir", "a folder", entry->d_name);
    }
    closedir(folder);
}

size_t halyard_config_report_unknown_msps(const halyard_config *config, sqlite3 *database)
{
    msp_names msps;
    memset(&msps, 0, sizeof msps);
    if (read_names(database, &msps) != 0) {
        return 0;
    }

    for (size_t i = 0; i < config->lua_limit_count; i++) {
        check_name(&msps, "lua_limits", "an entry", config->lua_limits[i].msp);
    }
    for (size_t i = 0; i < config->http_allow_list_count; i++) {
        check_name(&msps, "http_allow", "an entry", config->http_allow_lists[i]);
    }
    for (size_t i = 0; i < config->verification_count; i++) {
        check_name(&msps, "verification", "an entry", config->verification[i].msp);
    }
    check_script_folders(config, &msps);
    return msps.reported;
}
