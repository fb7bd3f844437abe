#include "script_reload.h"

#include "json_reader.h"
#include "log.h"
#include "script_texts.h"
#include "script_watch.h"
#include "store.h"
#include "text_buffer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char reload_subsystem[] = "reload";

typedef struct reload_msp reload_msp;

struct halyard_script_version {
    reload_msp *msp;
    halyard_lua_host *host;
    long long number;
    long long loaded_at_ms;  /* wall clock when it was swapped in */
    long long changed_at_ms; /* wall clock when the change it was built for was seen; 0: none */
    double queued_ms;        /* from the request to the start of the build */
    double build_ms;
    long long swap_us;
    size_t holders;
    bool retired;
};

/* One MSP's scripts. */
struct reload_msp {
    halyard_script_reload *reload;
    char *name;
    halyard_script_version *current; /* NULL until the first load succeeds */
    size_t retired_held;             /* retired versions that holders still use */
    long long last_number;

    bool building;
    bool again; /* a change came while building: build once more */
    long long again_changed_at_ms;

    /* Why the last build failed as a whole ("" when it did not), and when. */
    char last_error[1024];
    long long last_error_at_ms;
    reload_msp *next;
};

/* Work for the build thread: build a version, or destroy a retired version's host. */
typedef enum { JOB_BUILD, JOB_DESTROY } job_kind;

typedef struct reload_job {
    job_kind kind;

    /* A build's input. msp and previous belong to the loop; the thread reads only options,
     * whose strings point into msp_name and script_dir, and previous's file texts. */
    reload_msp *msp;
    halyard_script_version *previous;
    halyard_lua_host_options options;
    char *msp_name;
    char script_dir[4096];
    long long changed_at_ms;
    struct timespec queued_at;

    /* Set by the thread: a build's result (or, for a destroy, the host to destroy). */
    halyard_lua_host *host;
    double queued_ms;
    double build_ms;
    char message[1024];
    struct reload_job *next;
} reload_job;

/* A FIFO of jobs. */
typedef struct {
    reload_job *head;
    reload_job *tail;
} job_queue;

struct halyard_script_reload {
    struct event_base *base;
    const halyard_config *config;
    halyard_script_watch *watch;
    halyard_json_reader *json;
    reload_msp *msps;
    halyard_script_reload_listener listener;
    void *listener_argument;

    /* The build thread. lock guards queue, done and stopping. */
    pthread_t thread;
    bool thread_running;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job_queue queue;
    job_queue done;
    bool stopping;
    atomic_int cancel;
    struct event *done_event; /* activated by the thread, runs on the loop */

    /* halyard's database for the scripts' store module; "" means none. */
    char database_path[4096];
};

static void queue_push(job_queue *queue, reload_job *job)
{
    job->next = NULL;
    if (queue->tail != NULL) {
        queue->tail->next = job;
    } else {
        queue->head = job;
    }
    queue->tail = job;
}

static reload_job *queue_pop(job_queue *queue)
{
    reload_job *job = queue->head;
    if (job != NULL) {
        queue->head = job->next;
        if (queue->head == NULL) {
            queue->tail = NULL;
        }
        job->next = NULL;
    }
    return job;
}

static double elapsed_ms(const struct timespec *since, const struct timespec *until)
{
    return (double)(until->tv_sec - since->tv_sec) * 1000.0 +
           (double)(until->tv_nsec - since->tv_nsec) / 1e6;
}

static struct timespec monotonic_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now;
}

static long long wall_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Writes a wall-clock time in milliseconds as "2026-12-04T21:24:17.123Z". */
static void format_time(long long milliseconds, char *text, size_t size)
{
    time_t seconds = (time_t)(milliseconds / 1000);
    struct tm parts;
    gmtime_r(&seconds, &parts);
    char whole[32];
    strftime(whole, sizeof whole, "%Y-%m-%dT%H:%M:%S", &parts);
    snprintf(text, size, "%s.%03lldZ", whole, milliseconds % 1000);
}

/* --- The build thread ----------------------------------------------------------------------- */

/* Stores the serving texts of the MSP's own files in host, replacing the set stored before.
 * A failure is logged: the host serves all the same, but after a restart a file whose text on
 * disk fails would find an older text, or none. */
static void store_serving_texts(halyard_store *store, const char *msp, const halyard_lua_host *host)
{
    size_t file_count = halyard_lua_host_file_count(host);
    halyard_script_text *texts = calloc(file_count > 0 ? file_count : 1, sizeof *texts);
    if (texts == NULL) {
        halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                    "msp=%s out of memory storing the serving script texts", msp);
        return;
    }
    size_t count = 0;
    for (size_t i = 0; i < file_count; i++) {
        const halyard_lua_file *file = halyard_lua_host_file(host, i);
        size_t length = 0;
        const char *text = halyard_lua_host_file_text(host, i, &length);
        if (!file->msp_file || text == NULL) {
            continue;
        }
        texts[count].kind = file->kind;
        texts[count].path = file->path;
        texts[count].serving_path = file->serving_path;
        texts[count].text = text;
        texts[count].length = length;
        count++;
    }

    char message[512];
    if (halyard_script_texts_save(store, msp, texts, count, message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                    "msp=%s serving script texts not stored: %s; after a restart, a file whose "
                    "text on disk fails falls back to an older stored text or is skipped",
                    msp, message);
    } else {
        halyard_log(HALYARD_LOG_DEBUG, reload_subsystem, "msp=%s stored %zu serving script texts",
                    msp, count);
    }
    free(texts);
}

/*
 * Builds a host from the job's options. With a database, a build at start (no previous host)
 * first reads the texts stored before the restart. Every build that succeeds then stores its
 * serving texts, here on the build thread so that the loop never waits for the write.
 * NOTE: the texts are stored before the loop swaps the host in. When halyard stops between
 * the two, the stored set is one that loaded but never served.
 */
static void build_host(reload_job *job)
{
    const char *msp = job->options.msp;
    halyard_store *store = NULL;
    halyard_script_text_set restored = {0};
    char message[512];

    if (job->options.store_database_path != NULL &&
        halyard_store_open(job->options.store_database_path, &store, message, sizeof message) !=
            0) {
        halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                    "msp=%s serving script texts neither read nor stored: %s", msp, message);
        store = NULL;
    }
    if (store != NULL && job->options.previous == NULL) {
        if (halyard_script_texts_load(store, msp, &restored, message, sizeof message) != 0) {
            halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                        "msp=%s script texts stored before the restart not read: %s; a file "
                        "whose text on disk fails is skipped",
                        msp, message);
        }
        job->options.restored_texts = restored.items;
        job->options.restored_text_count = restored.count;
    }

    if (halyard_lua_host_create(&job->options, &job->host, job->message, sizeof job->message) !=
        0) {
        job->host = NULL;
    }
    job->options.restored_texts = NULL;
    job->options.restored_text_count = 0;
    halyard_script_text_set_clear(&restored);

    if (store != NULL && job->host != NULL) {
        store_serving_texts(store, msp, job->host);
    }
    halyard_store_close(store);
}

static void run_job(reload_job *job)
{
    if (job->kind == JOB_DESTROY) {
        halyard_lua_host_destroy(job->host);
        job->host = NULL;
        return;
    }
    struct timespec started = monotonic_now();
    job->queued_ms = elapsed_ms(&job->queued_at, &started);
    build_host(job);
    struct timespec ended = monotonic_now();
    job->build_ms = elapsed_ms(&started, &ended);
}

static void free_job(reload_job *job)
{
    free(job->msp_name);
    free(job);
}

/* Runs jobs in order until halyard_script_reload_free stops the thread. A build's result goes
 * back to the loop. */
static void *run_jobs(void *argument)
{
    halyard_script_reload *reload = argument;
    pthread_mutex_lock(&reload->lock);
    while (!reload->stopping) {
        reload_job *job = queue_pop(&reload->queue);
        if (job == NULL) {
            pthread_cond_wait(&reload->wake, &reload->lock);
            continue;
        }
        pthread_mutex_unlock(&reload->lock);

        run_job(job);

        pthread_mutex_lock(&reload->lock);
        if (job->kind == JOB_BUILD) {
            queue_push(&reload->done, job);
            event_active(reload->done_event, 0, 0);
        } else {
            free_job(job);
        }
    }
    pthread_mutex_unlock(&reload->lock);
    return NULL;
}

/* Hands a job to the thread, or runs a destroy at once when the thread has stopped. */
static void submit(halyard_script_reload *reload, reload_job *job)
{
    if (!reload->thread_running) {
        run_job(job);
        free_job(job);
        return;
    }
    pthread_mutex_lock(&reload->lock);
    queue_push(&reload->queue, job);
    pthread_cond_signal(&reload->wake);
    pthread_mutex_unlock(&reload->lock);
}

/* --- Versions and their holders --------------------------------------------------------------- */

/* Frees a version without holders. Its host is destroyed on the build thread, because closing
 * a large state takes a while and the loop must keep replying to webhooks. */
static void destroy_version(halyard_script_version *version)
{
    halyard_script_reload *reload = version->msp->reload;
    reload_job *job = calloc(1, sizeof *job);
    if (job != NULL) {
        job->kind = JOB_DESTROY;
        job->host = version->host;
        submit(reload, job);
    } else {
        halyard_lua_host_destroy(version->host);
    }
    free(version);
}

halyard_script_version *halyard_script_reload_acquire(halyard_script_reload *reload,
                                                      const char *msp)
{
    for (reload_msp *entry = reload->msps; entry != NULL; entry = entry->next) {
        if (strcmp(entry->name, msp) == 0) {
            if (entry->current != NULL) {
                entry->current->holders++;
            }
            return entry->current;
        }
    }
    return NULL;
}

void halyard_script_version_release(halyard_script_version *version)
{
    if (version == NULL) {
        return;
    }
    version->holders--;
    if (version->retired && version->holders == 0) {
        version->msp->retired_held--;
        destroy_version(version);
    }
}

halyard_lua_host *halyard_script_version_host(const halyard_script_version *version)
{
    return version->host;
}

long long halyard_script_version_number(const halyard_script_version *version)
{
    return version->number;
}

void halyard_script_version_id(const halyard_script_version *version, char *id, size_t id_size)
{
    snprintf(id, id_size, "%lld.%lld", version->number, version->loaded_at_ms);
}

/* Takes a version out of service. It is destroyed now when it has no holders, else by the
 * last release. */
static void retire(halyard_script_version *version)
{
    version->retired = true;
    if (version->holders == 0) {
        destroy_version(version);
    } else {
        version->msp->retired_held++;
    }
}

/* --- Builds --------------------------------------------------------------------------------- */

static reload_msp *find_msp(const halyard_script_reload *reload, const char *name)
{
    for (reload_msp *entry = reload->msps; entry != NULL; entry = entry->next) {
        if (strcmp(entry->name, name) == 0) {
            return entry;
        }
    }
    return NULL;
}

/* Queues a build of an MSP's scripts from the files on disk, given the serving version to
 * keep the texts of files that fail now. */
static void start_build(reload_msp *msp, long long changed_at_ms)
{
    halyard_script_reload *reload = msp->reload;
    reload_job *job = calloc(1, sizeof *job);
    if (job == NULL || (job->msp_name = strdup(msp->name)) == NULL) {
        free(job);
        halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                    "msp=%s out of memory starting a build of its scripts", msp->name);
        return;
    }
    job->kind = JOB_BUILD;
    job->msp = msp;
    job->changed_at_ms = changed_at_ms;
    job->queued_at = monotonic_now();
    halyard_config_msp_scripts(reload->config, msp->name, job->script_dir, sizeof job->script_dir);
    job->options.msp = job->msp_name;
    job->options.msp_script_dir = job->script_dir;
    job->options.cancel = &reload->cancel;
    /* The daemon's hosts only serve: `halyard workflows test` and lint load hosts of their own. */
    job->options.serving = 1;
    if (reload->database_path[0] != '\0') {
        job->options.store_database_path = reload->database_path;
    }
    halyard_config_lua_limits_for(reload->config, msp->name, &job->options.memory_limit_bytes,
                                  &job->options.instruction_limit, &job->options.time_limit_ms);
    halyard_config_lua_run_limits_for(reload->config, msp->name, &job->options.run_time_limit_ms,
                                      &job->options.call_limit);
    halyard_config_lua_log_limits_for(reload->config, msp->name, &job->options.log_line_limit,
                                      &job->options.log_byte_limit);
    if (msp->current != NULL) {
        msp->current->holders++;
        job->previous = msp->current;
        job->options.previous = msp->current->host;
        halyard_log(HALYARD_LOG_INFO, reload_subsystem,
                    "msp=%s reloading scripts from %s; version %lld serves until the new one is "
                    "ready",
                    msp->name, job->script_dir, msp->current->number);
    } else {
        halyard_log(HALYARD_LOG_INFO, reload_subsystem, "msp=%s loading scripts from %s", msp->name,
                    job->script_dir);
    }
    msp->building = true;
    submit(reload, job);
}

/* Counts a host's files by state. */
static void count_files(const halyard_lua_host *host, size_t *previous, size_t *skipped)
{
    *previous = 0;
    *skipped = 0;
    for (size_t i = 0; i < halyard_lua_host_file_count(host); i++) {
        halyard_lua_file_state state = halyard_lua_host_file(host, i)->state;
        *previous += state == HALYARD_LUA_FILE_PREVIOUS;
        *skipped += state == HALYARD_LUA_FILE_SKIPPED;
    }
}

/* Swaps a built host in as the MSP's serving version and retires the one before. */
static void install(reload_msp *msp, reload_job *job)
{
    struct timespec started = monotonic_now();
    halyard_script_version *version = calloc(1, sizeof *version);
    if (version == NULL) {
        halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                    "msp=%s out of memory swapping in new scripts; the old ones keep serving",
                    msp->name);
        halyard_lua_host_destroy(job->host);
        return;
    }
    version->msp = msp;
    version->host = job->host;
    version->number = ++msp->last_number;
    version->changed_at_ms = job->changed_at_ms;
    version->queued_ms = job->queued_ms;
    version->build_ms = job->build_ms;
    halyard_script_version *old = msp->current;
    msp->current = version;
    if (old != NULL) {
        retire(old);
    }
    struct timespec ended = monotonic_now();
    version->swap_us = (long long)(elapsed_ms(&started, &ended) * 1000.0);
    version->loaded_at_ms = wall_ms();
    msp->last_error[0] = '\0';

    /* One line per swap, with the figures a benchmark reads. previous and skipped count the
     * files whose text on disk failed, by what serves for them instead. */
    size_t previous = 0;
    size_t skipped = 0;
    count_files(version->host, &previous, &skipped);
    char seen[64] = "";
    if (version->changed_at_ms > 0) {
        snprintf(seen, sizeof seen, " seen_to_serving_ms=%lld",
                 version->loaded_at_ms - version->changed_at_ms);
    }
    halyard_log(HALYARD_LOG_INFO, reload_subsystem,
                "msp=%s version=%lld serving: files=%zu previous=%zu skipped=%zu workflows=%zu "
                "problems=%zu queued_ms=%.1f build_ms=%.1f swap_us=%lld%s",
                msp->name, version->number, halyard_lua_host_file_count(version->host), previous,
                skipped, halyard_lua_host_workflow_count(version->host),
                halyard_lua_host_problem_count(version->host), version->queued_ms,
                version->build_ms, version->swap_us, seen);
}

/* Ends a build on the loop: swaps its version in, or records why it failed. */
static void finish_build(halyard_script_reload *reload, reload_job *job)
{
    reload_msp *msp = job->msp;
    msp->building = false;
    halyard_script_version_release(job->previous);

    if (job->host != NULL) {
        install(msp, job);
    } else {
        snprintf(msp->last_error, sizeof msp->last_error, "%s", job->message);
        msp->last_error_at_ms = wall_ms();
        if (msp->current != NULL) {
            halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                        "msp=%s scripts not reloaded: %s; version %lld keeps serving", msp->name,
                        job->message, msp->current->number);
        } else {
            halyard_log(HALYARD_LOG_ERROR, reload_subsystem, "msp=%s scripts not loaded: %s",
                        msp->name, job->message);
        }
    }
    if (reload->listener != NULL) {
        reload->listener(msp->name, msp->current != NULL, job->host != NULL ? "" : job->message,
                         reload->listener_argument);
    }
    free_job(job);

    if (msp->again) {
        msp->again = false;
        start_build(msp, msp->again_changed_at_ms);
        msp->again_changed_at_ms = 0;
    }
}

/* Runs on the loop when the thread finished builds. */
static void on_builds_done(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_script_reload *reload = argument;
    pthread_mutex_lock(&reload->lock);
    reload_job *finished = reload->done.head;
    reload->done.head = NULL;
    reload->done.tail = NULL;
    pthread_mutex_unlock(&reload->lock);

    while (finished != NULL) {
        reload_job *next = finished->next;
        finish_build(reload, finished);
        finished = next;
    }
}

/* Builds once more, now or after the build that runs. */
static void request_build(reload_msp *msp, long long changed_at_ms)
{
    if (!msp->building) {
        start_build(msp, changed_at_ms);
        return;
    }
    if (!msp->again || (changed_at_ms > 0 && changed_at_ms < msp->again_changed_at_ms)) {
        msp->again_changed_at_ms = changed_at_ms;
    }
    msp->again = true;
}

void halyard_script_reload_set_database(halyard_script_reload *reload, const char *path)
{
    snprintf(reload->database_path, sizeof reload->database_path, "%s", path != NULL ? path : "");
}

void halyard_script_reload_load(halyard_script_reload *reload, const char *msp)
{
    reload_msp *entry = find_msp(reload, msp);
    if (entry == NULL) {
        entry = calloc(1, sizeof *entry);
        if (entry == NULL || (entry->name = strdup(msp)) == NULL) {
            free(entry);
            halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                        "msp=%s out of memory loading its scripts", msp);
            return;
        }
        entry->reload = reload;
        entry->next = reload->msps;
        reload->msps = entry;
    }
    if (entry->current == NULL && !entry->building) {
        start_build(entry, 0);
    }
}

void halyard_script_reload_request(halyard_script_reload *reload, const char *msp,
                                   long long changed_at_ms)
{
    if (msp == NULL) {
        for (reload_msp *entry = reload->msps; entry != NULL; entry = entry->next) {
            request_build(entry, changed_at_ms);
        }
        return;
    }
    reload_msp *entry = find_msp(reload, msp);
    if (entry == NULL) {
        halyard_log(HALYARD_LOG_DEBUG, reload_subsystem,
                    "msp=%s scripts changed; not loaded yet, so nothing to reload", msp);
        return;
    }
    request_build(entry, changed_at_ms);
}

bool halyard_script_reload_serving(const halyard_script_reload *reload, const char *msp)
{
    const reload_msp *entry = find_msp(reload, msp);
    return entry != NULL && entry->current != NULL;
}

void halyard_script_reload_set_listener(halyard_script_reload *reload,
                                        halyard_script_reload_listener listener, void *argument)
{
    reload->listener = listener;
    reload->listener_argument = argument;
}

/* --- Status --------------------------------------------------------------------------------- */

/* Returns the line a problem names right after path ("<path>:<line>: ..."), or 0. */
static long problem_line(const char *problem, const char *path)
{
    if (path == NULL) {
        return 0;
    }
    size_t length = strlen(path);
    if (strncmp(problem, path, length) != 0 || problem[length] != ':') {
        return 0;
    }
    return strtol(problem + length + 1, NULL, 10);
}

/* Appends "name":<quoted text> (or null) with a leading comma. */
static void append_text(halyard_text_buffer *body, halyard_json_reader *json, const char *name,
                        const char *text)
{
    char *quoted = NULL;
    if (text != NULL && halyard_json_quote(json, text, &quoted) == 0) {
        halyard_text_buffer_printf(body, ",\"%s\":%s", name, quoted);
        free(quoted);
    } else {
        halyard_text_buffer_printf(body, ",\"%s\":null", name);
    }
}

static void append_time(halyard_text_buffer *body, const char *name, long long milliseconds)
{
    if (milliseconds <= 0) {
        halyard_text_buffer_printf(body, ",\"%s\":null", name);
        return;
    }
    char text[40];
    format_time(milliseconds, text, sizeof text);
    halyard_text_buffer_printf(body, ",\"%s\":\"%s\"", name, text);
}

/* Appends the serving version's problems, each with its file, line and what serves instead. */
static void append_problems(halyard_text_buffer *body, halyard_json_reader *json,
                            const halyard_lua_host *host)
{
    halyard_text_buffer_append_text(body, ",\"problems\":[");
    bool first = true;
    for (size_t i = 0; host != NULL && i < halyard_lua_host_file_count(host); i++) {
        const halyard_lua_file *file = halyard_lua_host_file(host, i);
        for (size_t p = 0; p < file->problem_count; p++) {
            const char *problem = halyard_lua_host_problem(host, file->first_problem + p);
            if (problem == NULL) {
                continue;
            }
            long line = problem_line(problem, file->path);
            if (line == 0) {
                line = problem_line(problem, file->serving_path);
            }
            halyard_text_buffer_printf(body, "%s{\"serving\":\"%s\"", first ? "" : ",",
                                       file->state == HALYARD_LUA_FILE_PREVIOUS ? "previous"
                                                                                : "none");
            first = false;
            append_text(body, json, "file", file->path);
            if (line > 0) {
                halyard_text_buffer_printf(body, ",\"line\":%ld", line);
            } else {
                halyard_text_buffer_append_text(body, ",\"line\":null");
            }
            append_text(body, json, "kind", file->kind);
            append_text(body, json, "serving_file",
                        file->state == HALYARD_LUA_FILE_PREVIOUS ? file->serving_path : NULL);
            append_text(body, json, "message", problem);
            halyard_text_buffer_append_text(body, "}");
        }
    }
    halyard_text_buffer_append_text(body, "]");
}

/* Finds the file a warning is about: the loader starts each warning with the path of the text
 * it loaded, which is the serving path of that file. Sets *line to the line the warning names.
 * Returns NULL, with *line 0, when no serving file matches. */
static const halyard_lua_file *warning_file(const halyard_lua_host *host, const char *warning,
                                            long *line)
{
    for (size_t i = 0; i < halyard_lua_host_file_count(host); i++) {
        const halyard_lua_file *file = halyard_lua_host_file(host, i);
        if (file->state == HALYARD_LUA_FILE_SKIPPED) {
            continue;
        }
        *line = problem_line(warning, file->serving_path);
        if (*line > 0) {
            return file;
        }
    }
    *line = 0;
    return NULL;
}

/* Appends the serving version's warnings in the shape of its problems. A warning's file
 * serves, so "serving" is "current" for the text on disk or "previous" for an earlier text. */
static void append_warnings(halyard_text_buffer *body, halyard_json_reader *json,
                            const halyard_lua_host *host)
{
    halyard_text_buffer_append_text(body, ",\"warnings\":[");
    size_t count = host != NULL ? halyard_lua_host_problem_count(host) : 0;
    size_t warnings = host != NULL ? halyard_lua_host_warning_count(host) : 0;
    for (size_t i = count - warnings; i < count; i++) {
        const char *warning = halyard_lua_host_problem(host, i);
        long line = 0;
        const halyard_lua_file *file = warning_file(host, warning, &line);
        bool previous = file != NULL && file->state == HALYARD_LUA_FILE_PREVIOUS;
        halyard_text_buffer_printf(body, "%s{\"serving\":\"%s\"", i == count - warnings ? "" : ",",
                                   previous ? "previous" : "current");
        append_text(body, json, "file", file != NULL ? file->path : NULL);
        if (line > 0) {
            halyard_text_buffer_printf(body, ",\"line\":%ld", line);
        } else {
            halyard_text_buffer_append_text(body, ",\"line\":null");
        }
        append_text(body, json, "kind", file != NULL ? file->kind : NULL);
        append_text(body, json, "serving_file", previous ? file->serving_path : NULL);
        append_text(body, json, "message", warning);
        halyard_text_buffer_append_text(body, "}");
    }
    halyard_text_buffer_append_text(body, "]");
}

int halyard_script_reload_status(halyard_script_reload *reload, const char *msp, char **json,
                                 char *message, size_t message_size)
{
    *json = NULL;
    const reload_msp *entry = find_msp(reload, msp);
    const halyard_script_version *version = entry != NULL ? entry->current : NULL;
    const char *state = version != NULL                              ? "serving"
                        : entry != NULL && entry->building           ? "loading"
                        : entry != NULL && entry->last_error[0] != 0 ? "failed"
                                                                     : "not_loaded";

    halyard_text_buffer body;
    halyard_text_buffer_init(&body, 64 * 1024 * 1024);
    halyard_text_buffer_append_text(&body, "{\"msp\":");
    char *quoted = NULL;
    if (halyard_json_quote(reload->json, msp, &quoted) != 0) {
        snprintf(message, message_size, "out of memory writing the scripts' status");
        halyard_text_buffer_free(&body);
        return -1;
    }
    halyard_text_buffer_append_text(&body, quoted);
    free(quoted);
    halyard_text_buffer_printf(
        &body, ",\"state\":\"%s\",\"watch\":\"%s\"", state,
        reload->watch != NULL ? halyard_script_watch_method_name(reload->watch) : "off");

    if (version != NULL) {
        halyard_text_buffer_printf(&body, ",\"version\":%lld", version->number);
        append_time(&body, "loaded_at", version->loaded_at_ms);
        append_time(&body, "change_seen_at", version->changed_at_ms);
        halyard_text_buffer_printf(
            &body,
            ",\"queued_ms\":%.1f,\"build_ms\":%.1f,\"swap_us\":%lld,\"files\":%zu,"
            "\"workflows\":%zu",
            version->queued_ms, version->build_ms, version->swap_us,
            halyard_lua_host_file_count(version->host),
            halyard_lua_host_workflow_count(version->host));
    } else {
        halyard_text_buffer_append_text(&body, ",\"version\":null");
    }
    halyard_text_buffer_printf(&body, ",\"reloading\":%s,\"retired_versions_in_use\":%zu",
                               entry != NULL && entry->building ? "true" : "false",
                               entry != NULL ? entry->retired_held : 0);
    append_text(&body, reload->json, "last_error",
                entry != NULL && entry->last_error[0] != '\0' ? entry->last_error : NULL);
    append_time(&body, "last_error_at",
                entry != NULL && entry->last_error[0] != '\0' ? entry->last_error_at_ms : 0);
    append_problems(&body, reload->json, version != NULL ? version->host : NULL);
    append_warnings(&body, reload->json, version != NULL ? version->host : NULL);
    halyard_text_buffer_append_text(&body, "}");

    if (halyard_text_buffer_failed(&body)) {
        snprintf(message, message_size, "out of memory writing the scripts' status");
        halyard_text_buffer_free(&body);
        return -1;
    }
    *json = halyard_text_buffer_take(&body);
    return 0;
}

/* --- Starting and stopping ------------------------------------------------------------------- */

static void on_files_changed(const char *msp, long long changed_at_ms, void *argument)
{
    halyard_script_reload_request(argument, msp, changed_at_ms);
}

int halyard_script_reload_start(struct event_base *base, const halyard_config *config,
                                halyard_script_reload **out, char *message, size_t message_size)
{
    *out = NULL;
    halyard_script_reload *reload = calloc(1, sizeof *reload);
    if (reload == NULL) {
        snprintf(message, message_size, "out of memory starting hot reload");
        return -1;
    }
    reload->base = base;
    reload->config = config;
    atomic_init(&reload->cancel, 0);
    pthread_mutex_init(&reload->lock, NULL);
    pthread_cond_init(&reload->wake, NULL);

    /* Step 1: the build thread and the event that brings its results back. */
    reload->done_event = event_new(base, -1, 0, on_builds_done, reload);
    if (reload->done_event == NULL) {
        snprintf(message, message_size, "out of memory starting hot reload");
        goto fail;
    }
    if (halyard_json_reader_create(&reload->json, message, message_size) != 0) {
        goto fail;
    }
    if (pthread_create(&reload->thread, NULL, run_jobs, reload) != 0) {
        snprintf(message, message_size, "cannot start the thread that builds Lua hosts");
        goto fail;
    }
    reload->thread_running = true;

    /* Step 2: the watch on the script folders. */
    char scripts_root[4096];
    halyard_config_scripts_root(config, scripts_root, sizeof scripts_root);
    halyard_script_watch_options watch_options = {
        .base = base,
        .share_dir = halyard_lua_host_share_dir(),
        .scripts_root = scripts_root,
        .method = config->script_reload.watch,
        .poll_ms = config->script_reload.poll_ms,
        .debounce_ms = config->script_reload.debounce_ms,
        .callback = on_files_changed,
        .argument = reload,
    };
    if (halyard_script_watch_start(&watch_options, &reload->watch, message, message_size) != 0) {
        goto fail;
    }
    *out = reload;
    return 0;

fail:
    halyard_script_reload_free(reload);
    return -1;
}

/* Frees a job the thread never finished, or finished but the loop never saw. */
static void discard_job(reload_job *job)
{
    if (job->kind == JOB_BUILD) {
        halyard_script_version_release(job->previous);
    }
    halyard_lua_host_destroy(job->host);
    free_job(job);
}

void halyard_script_reload_free(halyard_script_reload *reload)
{
    if (reload == NULL) {
        return;
    }
    halyard_script_watch_free(reload->watch);

    /* Step 1: stop the thread; a build in progress stops before its next file. */
    if (reload->thread_running) {
        pthread_mutex_lock(&reload->lock);
        reload->stopping = true;
        atomic_store(&reload->cancel, 1);
        pthread_cond_signal(&reload->wake);
        pthread_mutex_unlock(&reload->lock);
        pthread_join(reload->thread, NULL);
        reload->thread_running = false;
    }

    /* Step 2: what it left, then every version (destroyed here, now the thread is gone). */
    reload_job *job;
    while ((job = queue_pop(&reload->done)) != NULL) {
        discard_job(job);
    }
    while ((job = queue_pop(&reload->queue)) != NULL) {
        discard_job(job);
    }
    while (reload->msps != NULL) {
        reload_msp *entry = reload->msps;
        reload->msps = entry->next;
        if (entry->current != NULL) {
            retire(entry->current);
        }
        if (entry->retired_held > 0) {
            halyard_log(HALYARD_LOG_ERROR, reload_subsystem,
                        "msp=%s %zu script versions are still held at shutdown and are not freed",
                        entry->name, entry->retired_held);
        }
        free(entry->name);
        free(entry);
    }

    if (reload->done_event != NULL) {
        event_free(reload->done_event);
    }
    halyard_json_reader_free(reload->json);
    pthread_cond_destroy(&reload->wake);
    pthread_mutex_destroy(&reload->lock);
    free(reload);
}
