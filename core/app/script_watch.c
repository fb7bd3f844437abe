#include "script_watch.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/inotify.h>
#define WATCH_HAVE_INOTIFY 1
#else
#define WATCH_HAVE_INOTIFY 0
#endif

static const char watch_subsystem[] = "reload";

/* A change keeps being held back at most this many debounce periods after the first one. */
#define WATCH_MAX_DELAY_FACTOR 5

/* The key of the shipped scripts among the MSP folder names. */
static const char watch_shipped_key[] = "";

/* What a watched folder is, which decides the events it reports. */
typedef enum {
    FOLDER_ROOT,    /* <scripts_root>: MSP folders appear and go */
    FOLDER_MSP,     /* <scripts_root>/<msp>: its script folders appear and go */
    FOLDER_SCRIPTS, /* a folder of .lua files */
} folder_role;

/* A folder watched through inotify. */
typedef struct {
    int descriptor;
    folder_role role;
    char *key; /* owner: an MSP folder name or watch_shipped_key; NULL for the root */
} watched_folder;

/* An owner of script folders: an MSP, or the shipped scripts. */
typedef struct {
    char *key;

    /* A change not yet reported: monotonic times of the first and the last event, and the
     * wall-clock time of the first. */
    bool pending;
    long long first_ms;
    long long last_ms;
    long long first_wall_ms;

    /* Polling: the fingerprint of the owner's folders at the last scan, whether that scan
     * found the owner, and whether the running scan has found it yet. */
    uint64_t fingerprint;
    bool present;
    bool seen;
} watch_owner;

struct halyard_script_watch {
    struct event_base *base;
    char *share_dir;
    char *scripts_root;
    halyard_script_watch_method method;
    long long poll_ms;
    long long debounce_ms;
    halyard_script_watch_callback callback;
    void *argument;

    int inotify_fd;
    struct event *inotify_event;
    watched_folder *folders;
    size_t folder_count;

    watch_owner *owners;
    size_t owner_count;

    struct event *poll_timer;
    struct event *debounce_timer;
    bool debounce_scheduled;
    bool scanned_once;
};

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static long long wall_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void schedule(struct event *timer, long long delay_ms)
{
    if (delay_ms < 0) {
        delay_ms = 0;
    }
    struct timeval delay = {(time_t)(delay_ms / 1000), (suseconds_t)((delay_ms % 1000) * 1000)};
    evtimer_add(timer, &delay);
}

/* True for a file name the Lua host loads: "*.lua", not hidden. */
static bool is_script_name(const char *name)
{
    size_t length = strlen(name);
    return name[0] != '.' && length > 4 && strcmp(name + length - 4, ".lua") == 0;
}

/* Returns the owner with key, made when missing; NULL when out of memory. */
static watch_owner *owner_for(halyard_script_watch *watch, const char *key)
{
    for (size_t i = 0; i < watch->owner_count; i++) {
        if (strcmp(watch->owners[i].key, key) == 0) {
            return &watch->owners[i];
        }
    }
    char *copy = strdup(key);
    watch_owner *grown =
        copy != NULL ? realloc(watch->owners, (watch->owner_count + 1) * sizeof *grown) : NULL;
    if (grown == NULL) {
        free(copy);
        return NULL;
    }
    watch->owners = grown;
    watch_owner *owner = &watch->owners[watch->owner_count++];
    memset(owner, 0, sizeof *owner);
    owner->key = copy;
    return owner;
}

/* --- Debouncing ----------------------------------------------------------------------------- */

/* Marks an owner's files changed now and arms the debounce timer. */
static void mark_changed(halyard_script_watch *watch, const char *key)
{
    watch_owner *owner = owner_for(watch, key);
    if (owner == NULL) {
        halyard_log(HALYARD_LOG_ERROR, watch_subsystem, "out of memory noting a change of '%s'",
                    key);
        return;
    }
    long long now = monotonic_ms();
    if (!owner->pending) {
        owner->pending = true;
        owner->first_ms = now;
        owner->first_wall_ms = wall_ms();
    }
    owner->last_ms = now;
    if (!watch->debounce_scheduled) {
        watch->debounce_scheduled = true;
        schedule(watch->debounce_timer, watch->debounce_ms);
    }
}

/* Returns when an owner's pending change is due: once it went quiet for the debounce time, or
 * WATCH_MAX_DELAY_FACTOR debounce times after the first change, whichever comes first. */
static long long due_at(const halyard_script_watch *watch, const watch_owner *owner)
{
    long long quiet_at = owner->last_ms + watch->debounce_ms;
    long long latest_at = owner->first_ms + watch->debounce_ms * WATCH_MAX_DELAY_FACTOR;
    return quiet_at < latest_at ? quiet_at : latest_at;
}

/* A change taken off the pending list, to report after the list is walked. */
typedef struct {
    char *key; /* NULL for the shipped scripts */
    long long first_wall_ms;
} due_change;

/* Reports every owner whose change is due, and sleeps until the next one is. A change of the
 * shipped scripts is reported alone and takes every pending change with it, since every MSP
 * reloads for it. */
static void on_debounce(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_script_watch *watch = argument;
    watch->debounce_scheduled = false;
    long long now = monotonic_ms();

    /* Step 1: take the due changes off the pending list. */
    due_change *due = calloc(watch->owner_count + 1, sizeof *due);
    if (due == NULL) {
        halyard_log(HALYARD_LOG_ERROR, watch_subsystem, "out of memory reporting script changes");
        schedule(watch->debounce_timer, watch->debounce_ms);
        watch->debounce_scheduled = true;
        return;
    }
    size_t due_count = 0;
    bool shipped_due = false;
    long long first_wall_ms = 0;
    for (size_t i = 0; i < watch->owner_count; i++) {
        const watch_owner *owner = &watch->owners[i];
        if (owner->pending && due_at(watch, owner) <= now) {
            shipped_due = shipped_due || strcmp(owner->key, watch_shipped_key) == 0;
        }
    }
    long long next_due = -1;
    for (size_t i = 0; i < watch->owner_count; i++) {
        watch_owner *owner = &watch->owners[i];
        if (!owner->pending) {
            continue;
        }
        if (shipped_due) {
            owner->pending = false;
            if (first_wall_ms == 0 || owner->first_wall_ms < first_wall_ms) {
                first_wall_ms = owner->first_wall_ms;
            }
        } else if (due_at(watch, owner) <= now) {
            owner->pending = false;
            due[due_count].key = strdup(owner->key);
            due[due_count].first_wall_ms = owner->first_wall_ms;
            if (due[due_count].key != NULL) {
                due_count++;
            }
        } else if (next_due < 0 || due_at(watch, owner) < next_due) {
            next_due = due_at(watch, owner);
        }
    }

    /* Step 2: report them. */
    if (shipped_due) {
        halyard_log(HALYARD_LOG_DEBUG, watch_subsystem, "shipped scripts changed");
        watch->callback(NULL, first_wall_ms, watch->argument);
    }
    for (size_t i = 0; i < due_count; i++) {
        halyard_log(HALYARD_LOG_DEBUG, watch_subsystem, "msp=%s scripts changed", due[i].key);
        watch->callback(due[i].key, due[i].first_wall_ms, watch->argument);
        free(due[i].key);
    }
    free(due);

    if (next_due >= 0 && !watch->debounce_scheduled) {
        watch->debounce_scheduled = true;
        schedule(watch->debounce_timer, next_due - monotonic_ms());
    }
}

/* --- Polling -------------------------------------------------------------------------------- */

/* FNV-1a over bytes, continuing from hash. */
static uint64_t hash_bytes(uint64_t hash, const void *bytes, size_t length)
{
    const unsigned char *byte = bytes;
    for (size_t i = 0; i < length; i++) {
        hash ^= byte[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

/* Fingerprints one folder's scripts: whether the folder exists, and each script's name, size,
 * inode, mode and modification and change times. Files are combined by addition, so the order
 * readdir returns them in does not matter. */
static uint64_t fingerprint_folder(const char *folder)
{
    uint64_t combined = 14695981039346656037ULL;
    DIR *directory = opendir(folder);
    if (directory == NULL) {
        return combined;
    }
    combined += 0x9e3779b97f4a7c15ULL; /* the folder exists */

    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        if (!is_script_name(entry->d_name)) {
            continue;
        }
        char path[4096 + 256]; /* a folder path and a file name of at most 255 bytes */
        struct stat info;
        snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
        uint64_t hash = hash_bytes(14695981039346656037ULL, entry->d_name, strlen(entry->d_name));
        if (stat(path, &info) == 0) {
            long long fields[] = {(long long)info.st_size,         (long long)info.st_ino,
                                  (long long)info.st_mode,         (long long)info.st_mtim.tv_sec,
                                  (long long)info.st_mtim.tv_nsec, (long long)info.st_ctim.tv_sec,
                                  (long long)info.st_ctim.tv_nsec};
            hash = hash_bytes(hash, fields, sizeof fields);
        }
        combined += hash;
    }
    closedir(directory);
    return combined;
}

/* The script folders, shipped (under the share folder) and each MSP's (under its folder), in
 * the same order. An MSP's file overrides the shipped file of the same name and kind. */
static const char *const watch_shipped_folders[] = {"workflows", "config/policies", "config/tools",
                                                    "config/verifiers"};
static const char *const watch_msp_folders[] = {"workflows", "policies", "tools", "verifiers"};
#define WATCH_FOLDER_KINDS (sizeof watch_msp_folders / sizeof watch_msp_folders[0])

/* Fingerprints an owner's script folders, each named by base and one of names. */
static uint64_t fingerprint_owner(const char *base, const char *const *names)
{
    uint64_t hash = 0;
    for (size_t i = 0; i < WATCH_FOLDER_KINDS; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", base, names[i]);
        hash = hash_bytes(hash, &(uint64_t){fingerprint_folder(path)}, sizeof(uint64_t));
    }
    return hash;
}

/* Compares an owner's fingerprint with the last scan's; marks it changed when it differs (or
 * the owner is new, after the first scan). */
static void compare_owner(halyard_script_watch *watch, const char *key, uint64_t fingerprint)
{
    watch_owner *owner = owner_for(watch, key);
    if (owner == NULL) {
        halyard_log(HALYARD_LOG_ERROR, watch_subsystem, "out of memory noting a change of '%s'",
                    key);
        return;
    }
    bool changed = !owner->present || owner->fingerprint != fingerprint;
    owner->fingerprint = fingerprint;
    owner->present = true;
    owner->seen = true;
    if (changed && watch->scanned_once) {
        mark_changed(watch, key);
    }
}

/* One polling scan of every folder. */
static void scan_folders(halyard_script_watch *watch)
{
    for (size_t i = 0; i < watch->owner_count; i++) {
        watch->owners[i].seen = false;
    }

    /* Step 1: the shipped folders. */
    compare_owner(watch, watch_shipped_key,
                  fingerprint_owner(watch->share_dir, watch_shipped_folders));

    /* Step 2: each MSP folder. */
    DIR *root = opendir(watch->scripts_root);
    if (root != NULL) {
        struct dirent *entry;
        while ((entry = readdir(root)) != NULL) {
            char folder[3072]; /* leaves room for "/workflows" in a 4096-byte path */
            struct stat info;
            snprintf(folder, sizeof folder, "%s/%s", watch->scripts_root, entry->d_name);
            if (entry->d_name[0] == '.' || stat(folder, &info) != 0 || !S_ISDIR(info.st_mode)) {
                continue;
            }
            compare_owner(watch, entry->d_name, fingerprint_owner(folder, watch_msp_folders));
        }
        closedir(root);
    }

    /* Step 3: an MSP folder that went away changed too. */
    for (size_t i = 0; i < watch->owner_count; i++) {
        watch_owner *owner = &watch->owners[i];
        if (owner->present && !owner->seen) {
            owner->present = false;
            mark_changed(watch, owner->key);
        }
    }
}

/* --- inotify -------------------------------------------------------------------------------- */

#if WATCH_HAVE_INOTIFY

static const uint32_t watch_folder_mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                          IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
static const uint32_t watch_scripts_mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                           IN_DELETE_SELF | IN_MOVE_SELF | IN_CLOSE_WRITE |
                                           IN_MODIFY | IN_ATTRIB | IN_ONLYDIR;

static watched_folder *folder_by_descriptor(halyard_script_watch *watch, int descriptor)
{
    for (size_t i = 0; i < watch->folder_count; i++) {
        if (watch->folders[i].descriptor == descriptor) {
            return &watch->folders[i];
        }
    }
    return NULL;
}

static void forget_folder(halyard_script_watch *watch, int descriptor)
{
    for (size_t i = 0; i < watch->folder_count; i++) {
        if (watch->folders[i].descriptor == descriptor) {
            free(watch->folders[i].key);
            watch->folders[i] = watch->folders[--watch->folder_count];
            return;
        }
    }
}

/*
 * Watches a folder when it exists and is not watched yet. A folder that appeared after the
 * first look marks its owner changed, since files may have been written into it before the
 * watch existed. Returns 0, or -1 when inotify ran out of watches or memory.
 */
static int watch_folder(halyard_script_watch *watch, const char *path, folder_role role,
                        const char *key, bool initial)
{
    uint32_t mask = role == FOLDER_SCRIPTS ? watch_scripts_mask : watch_folder_mask;
    int descriptor = inotify_add_watch(watch->inotify_fd, path, mask);
    if (descriptor < 0) {
        if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) {
            return 0;
        }
        halyard_log(HALYARD_LOG_WARNING, watch_subsystem, "cannot watch %s with inotify: %s", path,
                    strerror(errno));
        return -1;
    }
    if (folder_by_descriptor(watch, descriptor) != NULL) {
        return 0;
    }

    char *copy = key != NULL ? strdup(key) : NULL;
    watched_folder *grown = key == NULL || copy != NULL
                                ? realloc(watch->folders, (watch->folder_count + 1) * sizeof *grown)
                                : NULL;
    if (grown == NULL) {
        free(copy);
        inotify_rm_watch(watch->inotify_fd, descriptor);
        return -1;
    }
    watch->folders = grown;
    watch->folders[watch->folder_count++] =
        (watched_folder){.descriptor = descriptor, .role = role, .key = copy};
    if (!initial && key != NULL) {
        mark_changed(watch, key);
    }
    return 0;
}

/* Watches every folder that exists now: the shipped ones, the root, each MSP folder and its
 * script folders. Returns 0, or -1 when inotify ran out of watches or memory. */
static int watch_folders(halyard_script_watch *watch, bool initial)
{
    char path[4096];
    for (size_t i = 0; i < WATCH_FOLDER_KINDS; i++) {
        snprintf(path, sizeof path, "%s/%s", watch->share_dir, watch_shipped_folders[i]);
        if (watch_folder(watch, path, FOLDER_SCRIPTS, watch_shipped_key, initial) != 0) {
            return -1;
        }
    }
    if (watch_folder(watch, watch->scripts_root, FOLDER_ROOT, NULL, initial) != 0) {
        return -1;
    }

    DIR *root = opendir(watch->scripts_root);
    if (root == NULL) {
        return 0;
    }
    int status = 0;
    struct dirent *entry;
    while (status == 0 && (entry = readdir(root)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", watch->scripts_root, entry->d_name);
        status = watch_folder(watch, path, FOLDER_MSP, entry->d_name, initial);
        for (size_t i = 0; status == 0 && i < WATCH_FOLDER_KINDS; i++) {
            snprintf(path, sizeof path, "%s/%s/%s", watch->scripts_root, entry->d_name,
                     watch_msp_folders[i]);
            status = watch_folder(watch, path, FOLDER_SCRIPTS, entry->d_name, initial);
        }
    }
    closedir(root);
    return status;
}

static void switch_to_polling(halyard_script_watch *watch, const char *reason);

static bool is_msp_folder_name(const char *name)
{
    for (size_t i = 0; i < WATCH_FOLDER_KINDS; i++) {
        if (strcmp(name, watch_msp_folders[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Handles one inotify event; sets *look_again when the folder set may have changed. */
static void handle_event(halyard_script_watch *watch, const struct inotify_event *event,
                         bool *look_again)
{
    if ((event->mask & IN_Q_OVERFLOW) != 0) {
        /* Events were lost: reload everything, which the shipped key does. */
        mark_changed(watch, watch_shipped_key);
        *look_again = true;
        return;
    }
    watched_folder *folder = folder_by_descriptor(watch, event->wd);
    if (folder == NULL) {
        return;
    }
    if ((event->mask & IN_IGNORED) != 0) {
        if (folder->key != NULL) {
            mark_changed(watch, folder->key);
        }
        forget_folder(watch, event->wd);
        *look_again = true;
        return;
    }
    const char *name = event->len > 0 ? event->name : "";
    bool self = (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0;

    switch (folder->role) {
    case FOLDER_ROOT:
        if (name[0] != '\0' && name[0] != '.') {
            mark_changed(watch, name);
        }
        *look_again = true;
        break;
    case FOLDER_MSP:
        if (self || is_msp_folder_name(name)) {
            mark_changed(watch, folder->key);
            *look_again = true;
        }
        break;
    case FOLDER_SCRIPTS:
        if (self) {
            mark_changed(watch, folder->key);
            *look_again = true;
        } else if ((event->mask & IN_ISDIR) == 0 && is_script_name(name)) {
            mark_changed(watch, folder->key);
        }
        break;
    }
}

/* Reads every event inotify has queued. */
static void on_inotify(evutil_socket_t fd, short events, void *argument)
{
    (void)events;
    halyard_script_watch *watch = argument;
    bool look_again = false;
    _Alignas(struct inotify_event) char buffer[16384];

    for (;;) {
        ssize_t length = read(fd, buffer, sizeof buffer);
        if (length <= 0) {
            if (length < 0 && errno == EINTR) {
                continue;
            }
            break;
        }
        for (char *at = buffer; at < buffer + length;) {
            const struct inotify_event *event = (const struct inotify_event *)(void *)at;
            handle_event(watch, event, &look_again);
            at += sizeof *event + event->len;
        }
    }
    if (look_again && watch_folders(watch, false) != 0) {
        switch_to_polling(watch, "inotify ran out of watches or memory");
    }
}

static int start_inotify(halyard_script_watch *watch)
{
    watch->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (watch->inotify_fd < 0) {
        halyard_log(HALYARD_LOG_WARNING, watch_subsystem,
                    "inotify is unavailable (%s); polling the script folders every %lld ms instead",
                    strerror(errno), watch->poll_ms);
        return -1;
    }
    if (watch_folders(watch, true) != 0) {
        halyard_log(HALYARD_LOG_WARNING, watch_subsystem,
                    "inotify cannot watch every script folder; polling them every %lld ms instead "
                    "(raise fs.inotify.max_user_watches to use inotify)",
                    watch->poll_ms);
        return -1;
    }
    watch->inotify_event =
        event_new(watch->base, watch->inotify_fd, EV_READ | EV_PERSIST, on_inotify, watch);
    if (watch->inotify_event == NULL || event_add(watch->inotify_event, NULL) != 0) {
        return -1;
    }
    return 0;
}

#endif

static void stop_inotify(halyard_script_watch *watch)
{
    if (watch->inotify_event != NULL) {
        event_free(watch->inotify_event);
        watch->inotify_event = NULL;
    }
    if (watch->inotify_fd >= 0) {
        close(watch->inotify_fd);
        watch->inotify_fd = -1;
    }
    for (size_t i = 0; i < watch->folder_count; i++) {
        free(watch->folders[i].key);
    }
    free(watch->folders);
    watch->folders = NULL;
    watch->folder_count = 0;
}

#if WATCH_HAVE_INOTIFY
/* Falls back to polling after inotify failed while running; everything reloads once, since
 * changes may have been missed. */
static void switch_to_polling(halyard_script_watch *watch, const char *reason)
{
    halyard_log(HALYARD_LOG_WARNING, watch_subsystem,
                "%s; polling the script folders every %lld ms instead", reason, watch->poll_ms);
    stop_inotify(watch);
    watch->method = HALYARD_SCRIPT_WATCH_POLLING;
    watch->scanned_once = false;
    scan_folders(watch);
    watch->scanned_once = true;
    mark_changed(watch, watch_shipped_key);
}
#endif

/* --- Starting and stopping ------------------------------------------------------------------- */

/* Every poll_ms: a scan when polling; with inotify, a look for folders made since (the root or
 * a shipped folder that did not exist, say). */
static void on_poll(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_script_watch *watch = argument;
    if (watch->method == HALYARD_SCRIPT_WATCH_POLLING) {
        scan_folders(watch);
    }
#if WATCH_HAVE_INOTIFY
    else if (watch->method == HALYARD_SCRIPT_WATCH_INOTIFY && watch_folders(watch, false) != 0) {
        switch_to_polling(watch, "inotify ran out of watches or memory");
    }
#endif
    schedule(watch->poll_timer, watch->poll_ms);
}

int halyard_script_watch_start(const halyard_script_watch_options *options,
                               halyard_script_watch **out, char *message, size_t message_size)
{
    *out = NULL;
    halyard_script_watch *watch = calloc(1, sizeof *watch);
    if (watch == NULL) {
        snprintf(message, message_size, "out of memory starting the script watch");
        return -1;
    }
    watch->inotify_fd = -1;
    watch->base = options->base;
    watch->method = options->method;
    watch->poll_ms = options->poll_ms > 0 ? options->poll_ms : 1000;
    watch->debounce_ms = options->debounce_ms > 0 ? options->debounce_ms : 100;
    watch->callback = options->callback;
    watch->argument = options->argument;
    watch->share_dir = strdup(options->share_dir);
    watch->scripts_root = strdup(options->scripts_root);
    watch->poll_timer = evtimer_new(options->base, on_poll, watch);
    watch->debounce_timer = evtimer_new(options->base, on_debounce, watch);
    if (watch->share_dir == NULL || watch->scripts_root == NULL || watch->poll_timer == NULL ||
        watch->debounce_timer == NULL) {
        snprintf(message, message_size, "out of memory starting the script watch");
        halyard_script_watch_free(watch);
        return -1;
    }
    if (watch->method == HALYARD_SCRIPT_WATCH_OFF) {
        halyard_log(HALYARD_LOG_INFO, watch_subsystem,
                    "script files are not watched (script_reload.watch is \"off\"); a restart "
                    "loads changes");
        *out = watch;
        return 0;
    }

#if WATCH_HAVE_INOTIFY
    if (watch->method == HALYARD_SCRIPT_WATCH_INOTIFY && start_inotify(watch) != 0) {
        stop_inotify(watch);
        watch->method = HALYARD_SCRIPT_WATCH_POLLING;
    }
#else
    if (watch->method == HALYARD_SCRIPT_WATCH_INOTIFY) {
        halyard_log(HALYARD_LOG_WARNING, watch_subsystem,
                    "inotify is unavailable on this system; polling the script folders every "
                    "%lld ms instead",
                    watch->poll_ms);
        watch->method = HALYARD_SCRIPT_WATCH_POLLING;
    }
#endif
    if (watch->method == HALYARD_SCRIPT_WATCH_POLLING) {
        scan_folders(watch);
    }
    watch->scanned_once = true;
    schedule(watch->poll_timer, watch->poll_ms);

    halyard_log(HALYARD_LOG_INFO, watch_subsystem,
                "watching scripts with %s: %s/{workflows,config/policies,config/tools,"
                "config/verifiers} and %s/<msp>/{workflows,policies,tools,verifiers}",
                halyard_script_watch_method_name(watch), watch->share_dir, watch->scripts_root);
    *out = watch;
    return 0;
}

const char *halyard_script_watch_method_name(const halyard_script_watch *watch)
{
    switch (watch->method) {
    case HALYARD_SCRIPT_WATCH_INOTIFY:
        return "inotify";
    case HALYARD_SCRIPT_WATCH_POLLING:
        return "polling";
    case HALYARD_SCRIPT_WATCH_OFF:
        return "off";
    }
    return "off";
}

void halyard_script_watch_free(halyard_script_watch *watch)
{
    if (watch == NULL) {
        return;
    }
    stop_inotify(watch);
    if (watch->poll_timer != NULL) {
        event_free(watch->poll_timer);
    }
    if (watch->debounce_timer != NULL) {
        event_free(watch->debounce_timer);
    }
    for (size_t i = 0; i < watch->owner_count; i++) {
        free(watch->owners[i].key);
    }
    free(watch->owners);
    free(watch->share_dir);
    free(watch->scripts_root);
    free(watch);
}
