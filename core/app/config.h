#ifndef HALYARD_CONFIG_H
#define HALYARD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* Limits of an MSP's Lua scripts; 0 in a field means "not set here". */
typedef struct {
    char msp[40]; /* an MSP name, or "default" for every MSP without its own entry */
    long long memory_mb;
    long long instructions;
    long long time_ms;
    long long run_time_ms; /* from a run's start until its HaloPSA and HTTP calls fail */
    long long calls;       /* halo and http calls per run */
    long long log_lines;   /* script log lines per call */
    long long log_kb;      /* script log text per call, in KiB */
} halyard_config_lua_limits;

#define HALYARD_CONFIG_MAX_LUA_LIMITS 32

/* How `halyard serve` notices changed script files (hot reload). */
typedef enum {
    HALYARD_SCRIPT_WATCH_INOTIFY = 0, /* inotify, or polling where inotify is unavailable */
    HALYARD_SCRIPT_WATCH_POLLING,     /* a scan of names, sizes and times every poll_ms */
    HALYARD_SCRIPT_WATCH_OFF,         /* scripts load once; changes need a restart */
} halyard_script_watch_method;

typedef struct {
    halyard_script_watch_method watch;
    long long poll_ms;     /* between two scans when polling */
    long long debounce_ms; /* quiet time after a change before the reload starts */
} halyard_config_script_reload;

/* One host an MSP's scripts may reach with the http module. */
typedef struct {
    char msp[40];       /* an MSP name, or "default" for every MSP without its own list */
    char host[254];     /* lower case; an IPv6 address without brackets */
    unsigned int port;  /* 0: the scheme's default port */
    bool allow_private; /* may be reached at a loopback, private or other internal address */
} halyard_config_http_allow;

/* How an MSP's identity verification waits and what happens when it does not pass. */
typedef struct {
    char msp[40];          /* an MSP name, or "default" for every MSP without its own entry */
    long long timeout_s;   /* business-clock seconds a requester has to answer; 0: not set */
    char failed_team[128]; /* HaloPSA team name a ticket goes to when not verified; "": none */
} halyard_config_verification;

#define HALYARD_CONFIG_MAX_VERIFICATION        32
#define HALYARD_VERIFICATION_TIMEOUT_S_DEFAULT 300

#define HALYARD_CONFIG_MAX_HTTP_ALLOW       256
#define HALYARD_CONFIG_MAX_HTTP_ALLOW_LISTS 32

/* The daemon's settings, read from a Lua file that returns a table (config/halyard.example.lua
 * documents every key). Every string is owned by the config; absent keys take the defaults
 * named in the example file. */
typedef struct {
    char *data_dir;      /* folder of halyard.db and secret.key */
    char *listen;        /* "host:port" the HTTP server binds */
    char *public_url;    /* where HaloPSA reaches halyard (the webhook's base), or NULL */
    char *ca_file;       /* PEM bundle trusted for HaloPSA instead of the system store, or NULL */
    char *halo_scope;    /* OAuth scope string requested from HaloPSA */
    char *note_outcome;  /* HaloPSA outcome name of halyard's internal notes */
    char *reply_outcome; /* HaloPSA outcome name of halyard's replies to the requester */
    char *log_level;     /* error, warning, info or debug */
    char *scripts_dir;   /* MSPs' own scripts, <scripts_dir>/<msp>/; NULL: <data_dir>/scripts */
    int webhook_events[16]; /* HaloPSA event numbers halyard's webhook subscribes to */
    size_t webhook_event_count;
    int closed_statuses[16]; /* HaloPSA status ids that mean a ticket is closed */
    size_t closed_status_count;
    halyard_config_lua_limits lua_limits[HALYARD_CONFIG_MAX_LUA_LIMITS];
    size_t lua_limit_count;
    halyard_config_script_reload script_reload;
    /* How long an approval request waits for the assigned technician's answer before it
     * expires, in minutes of the business clock. */
    long long approval_expiry_minutes;
    /* How often halyard reads the ticket of a run awaiting approval for new replies, in
     * seconds of the business clock, whether or not a webhook reported that the ticket changed. */
    long long approval_check_seconds;
    /* How long halyard keeps webhook bodies, finished jobs and the text of ended runs' replies,
     * in days of the business clock (retention.h). */
    int retention_days;

    halyard_config_http_allow *http_allow; /* each MSP's entries next to each other */
    size_t http_allow_count;
    char http_allow_lists[HALYARD_CONFIG_MAX_HTTP_ALLOW_LISTS][40]; /* MSPs with a list */
    size_t http_allow_list_count;

    halyard_config_verification verification[HALYARD_CONFIG_MAX_VERIFICATION];
    size_t verification_count;
} halyard_config;

/* Fills config with the defaults, then, when path is not NULL, with the file's values. The file
 * runs in a Lua state of its own with only the base functions (no io, os or require) and an
 * instruction budget. Unknown keys and values of the wrong type are errors, so a typo never
 * silently keeps a default. Returns 0, or -1 with a message naming the file, key and problem
 * (config is then freed). */
int halyard_config_load(const char *path, halyard_config *config, char *message,
                        size_t message_size);

void halyard_config_free(halyard_config *config);

/* Writes the folder that contains every MSP's script folder, scripts_dir or
 * <data_dir>/scripts, into folder. */
void halyard_config_scripts_root(const halyard_config *config, char *folder, size_t folder_size);

/* Writes the folder of an MSP's own scripts, <scripts_dir>/<msp>, into folder. */
void halyard_config_msp_scripts(const halyard_config *config, const char *msp, char *folder,
                                size_t folder_size);

/* Reads the Lua limits of an MSP: its own entry's fields, then the "default" entry's, then 0
 * (which the Lua host reads as its built-in defaults). */
void halyard_config_lua_limits_for(const halyard_config *config, const char *msp,
                                   size_t *memory_bytes, unsigned long long *instructions,
                                   unsigned int *time_ms);

/* Reads the limits of an MSP's runs (halyard_config_lua_limits_for's rule): the time in
 * milliseconds after which a run's halo and http calls fail, and the number of those calls;
 * 0 takes the Lua host's default. */
void halyard_config_lua_run_limits_for(const halyard_config *config, const char *msp,
                                       unsigned int *run_time_ms, unsigned int *calls);

/* Reads the script log budget of an MSP's calls (halyard_config_lua_limits_for's rule): lines,
 * and bytes; 0 takes the Lua host's default. */
void halyard_config_lua_log_limits_for(const halyard_config *config, const char *msp,
                                       unsigned int *lines, size_t *bytes);

/* Finds the http allow-list of an MSP: its own list when the config has one (even an empty
 * one), else the "default" list. Sets *entries to the first entry and returns the count. */
/* Reads an MSP's verification settings: each field from its own entry when set there, else
 * from "default", else the built-in default (5 minutes, no team). team needs 128 bytes. */
void halyard_config_verification_for(const halyard_config *config, const char *msp,
                                     long long *timeout_s, char *team, size_t team_size);

size_t halyard_config_http_allow_for(const halyard_config *config, const char *msp,
                                     const halyard_config_http_allow **entries);

#endif
