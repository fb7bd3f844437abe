/*
 * lua-bench: the figures of `scripts/bench.sh lua`, measured through the Lua host's C API.
 *
 *   lua-bench --work DIR [--share DIR] [--tickets FILE] [--rounds N] [--reloads N]
 *
 * Prints, each against its goal where there is one:
 *   - matching time per ticket (halyard_lua_host_match) with 10, 100 and 1,000 generated
 *     workflows of each kind: narrow and broad keyword rules, and score functions;
 *   - the time to create a host from 1,000 workflow files;
 *   - the bytes an MSP's Lua state has allocated, with the shipped scripts and with 1,000
 *     workflows;
 * The measured hosts are created with the serving option, as `halyard serve` creates them.
 * Samples are checked in hosts of their own, which are not timed.
 *   - plan time per ticket (halyard_lua_host_plan) with the shipped workflows.
 * Tickets come from FILE (default tests/data/endava_tickets.jsonl); tests/bench/lua_bench.lua
 * turns them into host inputs and writes the generated workflows under DIR, which must exist.
 * A goal that is not met is printed, not failed: the exit status is 1 only when the
 * benchmark itself cannot run (a file missing, a workflow that does not load).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "log.h"
#include "lua_host.h"

#ifndef HALYARD_SOURCE_DIR
#error "HALYARD_SOURCE_DIR must name the source folder"
#endif

/* lua-cjson's entry point; Debian's lua-cjson-dev ships it without a usable header. */
int luaopen_cjson(lua_State *L);

/* The Lua host's performance goals. */
#define GOAL_MATCH_MEAN_US   50.0
#define GOAL_RELOAD_MEAN_MS  500.0
#define GOAL_MEMORY_SHIPPED  (2.0 * 1024 * 1024)
#define GENERATOR_SEED       20240601
#define MEBIBYTE             (1024.0 * 1024.0)
#define WORKFLOW_COUNT_LARGE 1000
#define BENCH_PATH_SIZE      4096

/* One ticket as the host's three inputs; all strings are owned. */
typedef struct {
    char *match_json;
    char *halo_json;
    char *client_json;
} bench_ticket;

typedef struct {
    /* The folder holding tests/bench/lua_bench.lua, and the folder holding the bindings/lua/
     * and workflows/ the hosts load (--share). */
    const char *source_dir;
    const char *halyard_share_dir;
    const char *work_dir;
    const char *tickets_path;
    int rounds;
    int reloads;
    lua_State *data;
    bench_ticket *tickets;
    size_t ticket_count;
    /* <work>/share: the share folder for generated workflows, without shipped ones. */
    char generated_share_dir[BENCH_PATH_SIZE];
} bench_context;

/* Durations of one measured series, in the series' unit. */
typedef struct {
    double *values;
    size_t count;
    size_t capacity;
} bench_series;

static double bench_now_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e6 + (double)now.tv_nsec / 1e3;
}

static int bench_series_add(bench_series *series, double value)
{
    if (series->count == series->capacity) {
        size_t capacity = series->capacity == 0 ? 1024 : series->capacity * 2;
        double *grown = realloc(series->values, capacity * sizeof *grown);
        if (grown == NULL) {
            fprintf(stderr, "lua-bench: out of memory\n");
            return -1;
        }
        series->values = grown;
        series->capacity = capacity;
    }
    series->values[series->count++] = value;
    return 0;
}

static void bench_series_clear(bench_series *series)
{
    free(series->values);
    series->values = NULL;
    series->count = 0;
    series->capacity = 0;
}

static double bench_series_mean(const bench_series *series)
{
    double sum = 0;
    for (size_t i = 0; i < series->count; i++) {
        sum += series->values[i];
    }
    return series->count > 0 ? sum / (double)series->count : 0;
}

static int bench_compare_double(const void *left, const void *right)
{
    double a = *(const double *)left;
    double b = *(const double *)right;
    return (a > b) - (a < b);
}

/* The nearest-rank percentile (0 < percent <= 100); sorts the series in place. */
static double bench_series_percentile(bench_series *series, double percent)
{
    if (series->count == 0) {
        return 0;
    }
    qsort(series->values, series->count, sizeof series->values[0], bench_compare_double);
    size_t rank = (size_t)ceil(percent / 100.0 * (double)series->count);
    return series->values[rank > 0 ? rank - 1 : 0];
}

static const char *bench_verdict(int met)
{
    return met ? "met" : "NOT met";
}

/* Counts the matches in a halyard_lua_host_match result. "workflow": can occur only as a key,
 * because inside a JSON string every quote is escaped. */
static size_t bench_count_matches(const char *matches_json)
{
    size_t count = 0;
    for (const char *found = strstr(matches_json, "\"workflow\":"); found != NULL;
         found = strstr(found + 1, "\"workflow\":")) {
        count++;
    }
    return count;
}

/* Writes "<base>/<name>" into path. Returns 0, or -1 after printing why when it does not fit. */
static int bench_join_path(char *path, size_t path_size, const char *base, const char *name)
{
    int length = snprintf(path, path_size, "%s/%s", base, name);
    if (length < 0 || (size_t)length >= path_size) {
        fprintf(stderr, "lua-bench: the path %s/%s is too long; use a shorter --work folder\n",
                base, name);
        return -1;
    }
    return 0;
}

/* Calls data.<name> with the nargs values on top of the stack; leaves nresults results.
 * Stack: [data, ..., args] -> [data, ..., results]. Returns 0, or -1 after printing why. */
static int bench_call_data(lua_State *L, const char *name, int nargs, int nresults)
{
    lua_getfield(L, 1, name);
    lua_insert(L, lua_gettop(L) - nargs);
    if (lua_pcall(L, nargs, nresults, 0) != LUA_OK) {
        fprintf(stderr, "lua-bench: lua_bench.lua %s: %s\n", name, lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    return 0;
}

/* Opens tests/bench/lua_bench.lua in a Lua state of the benchmark's own and reads the tickets
 * into context->tickets. Returns 0, or -1 after printing why. */
static int bench_load_tickets(bench_context *context)
{
    lua_State *L = luaL_newstate();
    if (L == NULL) {
        fprintf(stderr, "lua-bench: out of memory\n");
        return -1;
    }
    context->data = L;
    luaL_openlibs(L);
    luaL_requiref(L, "cjson", luaopen_cjson, 0);
    lua_pop(L, 1);

    char path[BENCH_PATH_SIZE];
    if (bench_join_path(path, sizeof path, context->source_dir, "tests/bench/lua_bench.lua") != 0) {
        return -1;
    }
    if (luaL_loadfile(L, path) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "lua-bench: %s\n", lua_tostring(L, -1));
        return -1;
    }

    /* Stack: [data]. */
    lua_pushstring(L, context->tickets_path);
    if (bench_call_data(L, "read_tickets", 1, 2) != 0) {
        return -1;
    }
    if (lua_isnil(L, -2)) {
        fprintf(stderr, "lua-bench: %s\n", lua_tostring(L, -1));
        return -1;
    }
    size_t count = (size_t)lua_tointeger(L, -2);
    lua_settop(L, 1);

    context->tickets = calloc(count, sizeof *context->tickets);
    if (context->tickets == NULL) {
        fprintf(stderr, "lua-bench: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        lua_pushinteger(L, (lua_Integer)i + 1);
        if (bench_call_data(L, "ticket", 1, 3) != 0) {
            return -1;
        }
        bench_ticket *ticket = &context->tickets[i];
        ticket->match_json = strdup(lua_tostring(L, 2));
        ticket->halo_json = strdup(lua_tostring(L, 3));
        ticket->client_json = strdup(lua_tostring(L, 4));
        context->ticket_count++;
        lua_settop(L, 1);
        if (ticket->match_json == NULL || ticket->halo_json == NULL ||
            ticket->client_json == NULL) {
            fprintf(stderr, "lua-bench: out of memory\n");
            return -1;
        }
    }
    return 0;
}

static int bench_make_folder(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "lua-bench: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Links <work>/share/<name> to the --share folder's <name>. Returns 0, or -1 with a message
 * on stderr. */
static int bench_link_share(bench_context *context, const char *name)
{
    char link_path[BENCH_PATH_SIZE];
    char target[BENCH_PATH_SIZE];
    if (bench_join_path(link_path, sizeof link_path, context->generated_share_dir, name) != 0 ||
        bench_join_path(target, sizeof target, context->halyard_share_dir, name) != 0) {
        return -1;
    }
    unlink(link_path);
    if (symlink(target, link_path) != 0) {
        fprintf(stderr, "lua-bench: cannot link %s to %s: %s\n", link_path, target,
                strerror(errno));
        return -1;
    }
    return 0;
}

/*
 * Makes <work>/share: a share folder whose bindings/ and config/tools/ link to the --share
 * folder's and which has no workflows/, so a host created on it loads only the MSP folder's
 * workflows, checked against the shipped tools.
 */
static int bench_make_share(bench_context *context)
{
    char config[BENCH_PATH_SIZE];
    if (bench_join_path(context->generated_share_dir, sizeof context->generated_share_dir,
                        context->work_dir, "share") != 0 ||
        bench_make_folder(context->generated_share_dir) != 0 ||
        bench_join_path(config, sizeof config, context->generated_share_dir, "config") != 0 ||
        bench_make_folder(config) != 0) {
        return -1;
    }
    if (bench_link_share(context, "bindings") != 0 ||
        bench_link_share(context, "config/tools") != 0) {
        return -1;
    }
    return 0;
}

/* Writes count generated workflows of kind (one of bench_kinds) into
 * <work>/<kind>-<count>/workflows/ and puts <work>/<kind>-<count> into msp_dir. */
static int bench_write_workflows(bench_context *context, const char *kind, int count, char *msp_dir,
                                 size_t msp_dir_size)
{
    char set_name[64];
    char folder[BENCH_PATH_SIZE];
    snprintf(set_name, sizeof set_name, "%s-%d", kind, count);
    if (bench_join_path(msp_dir, msp_dir_size, context->work_dir, set_name) != 0 ||
        bench_join_path(folder, sizeof folder, msp_dir, "workflows") != 0 ||
        bench_make_folder(msp_dir) != 0 || bench_make_folder(folder) != 0) {
        return -1;
    }

    lua_State *L = context->data;
    lua_pushstring(L, folder);
    lua_pushstring(L, kind);
    lua_pushinteger(L, count);
    lua_pushinteger(L, GENERATOR_SEED + count);
    if (bench_call_data(L, "write_workflows", 4, 2) != 0) {
        return -1;
    }
    if (lua_isnil(L, -2)) {
        fprintf(stderr, "lua-bench: %s\n", lua_tostring(L, -1));
        lua_settop(L, 1);
        return -1;
    }
    lua_settop(L, 1);
    return 0;
}

/*
 * Creates a host for the MSP folder (NULL for the shipped scripts alone) and checks that
 * every workflow loaded (expected_workflows, or any number when it is -1). serving is the host
 * option: 1 for a host like the ones `halyard serve` builds, 0 for one that checks samples.
 * Returns the host, or NULL after printing why.
 */
static halyard_lua_host *bench_create_host(const bench_context *context, const char *msp_dir,
                                           long expected_workflows, int serving)
{
    halyard_lua_host_options options = {
        .msp = "bench",
        .share_dir = msp_dir != NULL ? context->generated_share_dir : context->halyard_share_dir,
        .msp_script_dir = msp_dir,
        .serving = serving,
    };
    halyard_lua_host *host = NULL;
    char message[2048];

    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fprintf(stderr, "lua-bench: %s\n", message);
        return NULL;
    }
    if (halyard_lua_host_problem_count(host) > 0) {
        fprintf(stderr, "lua-bench: %zu workflow files did not load, the first: %s\n",
                halyard_lua_host_problem_count(host), halyard_lua_host_problem(host, 0));
        goto failure;
    }
    if (expected_workflows >= 0 &&
        halyard_lua_host_workflow_count(host) != (size_t)expected_workflows) {
        fprintf(stderr, "lua-bench: %zu workflows loaded from %s, expected %ld\n",
                halyard_lua_host_workflow_count(host), msp_dir, expected_workflows);
        goto failure;
    }
    return host;

failure:
    halyard_lua_host_destroy(host);
    return NULL;
}

/*
 * Checks that every workflow's samples pass, so generated rules are known to match what they
 * were written for. The workflows are those of the MSP folder (NULL for the shipped scripts
 * alone), loaded again into a host that keeps their samples. Run after the measurements,
 * because checking builds each rule set's own index, which a serving host never has.
 * Returns 0, or -1 after printing why.
 */
static int bench_check_samples(const bench_context *context, const char *msp_dir)
{
    char message[2048];
    char *report = NULL;
    halyard_lua_host *host = bench_create_host(context, msp_dir, -1, 0);
    if (host == NULL) {
        return -1;
    }
    if (halyard_lua_host_check_samples(host, &report, message, sizeof message) != 0) {
        fprintf(stderr, "lua-bench: checking samples failed: %s\n", message);
        halyard_lua_host_destroy(host);
        return -1;
    }
    int passed = strstr(report, "\"failures\":[]") != NULL;
    if (!passed) {
        fprintf(stderr, "lua-bench: a workflow's sample does not match its rules: %.500s\n",
                report);
    }
    free(report);
    halyard_lua_host_destroy(host);
    return passed ? 0 : -1;
}

/*
 * A host's allocated bytes: right after loading, and the minimum and maximum seen between
 * calls. The count includes garbage not yet collected. Lua's incremental collector lets that
 * grow to about the size of the live data before a cycle ends (its default pause is 200 %).
 * So the minimum between calls comes close to the live data, and the maximum is the peak.
 */
typedef struct {
    size_t loaded;
    size_t minimum;
    size_t maximum;
} bench_memory;

static void bench_memory_start(bench_memory *memory, const halyard_lua_host *host)
{
    memory->loaded = halyard_lua_host_memory_used(host);
    memory->minimum = memory->loaded;
    memory->maximum = memory->loaded;
}

static void bench_memory_observe(bench_memory *memory, const halyard_lua_host *host)
{
    size_t used = halyard_lua_host_memory_used(host);
    if (used < memory->minimum) {
        memory->minimum = used;
    }
    if (used > memory->maximum) {
        memory->maximum = used;
    }
}

static void bench_memory_print(const char *label, const bench_memory *memory)
{
    printf("  %-34s %6.2f MiB after loading, %6.2f to %6.2f MiB between calls\n", label,
           (double)memory->loaded / MEBIBYTE, (double)memory->minimum / MEBIBYTE,
           (double)memory->maximum / MEBIBYTE);
}

/* The result of matching every ticket rounds times with one host. */
typedef struct {
    double mean_us;
    double p50_us;
    double p99_us;
    size_t matches;
    size_t tickets_matched;
    bench_memory memory;
} bench_match_result;

/*
 * Matches every ticket once untimed (to count matches and warm up), then rounds times timed.
 * Returns 0, or -1 after printing why.
 */
static int bench_match_tickets(const bench_context *context, halyard_lua_host *host,
                               bench_match_result *result)
{
    bench_series series = {0};
    char message[2048];
    int status = -1;
    memset(result, 0, sizeof *result);
    bench_memory_start(&result->memory, host);

    for (int round = 0; round <= context->rounds; round++) {
        for (size_t i = 0; i < context->ticket_count; i++) {
            const bench_ticket *ticket = &context->tickets[i];
            char *matches = NULL;
            double started = bench_now_us();
            int called = halyard_lua_host_match(host, ticket->match_json, ticket->client_json,
                                                &matches, message, sizeof message);
            double elapsed = bench_now_us() - started;
            if (called != 0) {
                fprintf(stderr, "lua-bench: matching ticket %zu failed: %s\n", i + 1, message);
                goto cleanup;
            }
            bench_memory_observe(&result->memory, host);
            if (round == 0) {
                size_t count = bench_count_matches(matches);
                result->matches += count;
                result->tickets_matched += count > 0;
            } else if (bench_series_add(&series, elapsed) != 0) {
                free(matches);
                goto cleanup;
            }
            free(matches);
        }
    }
    result->mean_us = bench_series_mean(&series);
    result->p50_us = bench_series_percentile(&series, 50);
    result->p99_us = bench_series_percentile(&series, 99);
    status = 0;

cleanup:
    bench_series_clear(&series);
    return status;
}

/* The generated workflow sets: "narrow" and "broad" keyword rules (see SHAPES in
 * lua_bench.lua) and score functions. */
#define BENCH_KIND_COUNT 3
static const char *const bench_kinds[BENCH_KIND_COUNT] = {"narrow", "broad", "score"};

/* What bench_matching leaves for the later sections, per kind: the folder of its 1,000
 * workflows and the memory of a host of them. */
typedef struct {
    char large_dir[BENCH_KIND_COUNT][BENCH_PATH_SIZE];
    bench_memory large_memory[BENCH_KIND_COUNT];
} bench_sets;

/*
 * Writes count workflows of kind, creates a host on them, matches every ticket and prints one
 * row of the table labelled label. Sets *result and puts the MSP folder into msp_dir.
 * Returns 0, or -1 after printing why.
 */
static int bench_match_row(bench_context *context, const char *label, const char *kind, int count,
                           bench_match_result *result, char *msp_dir, size_t msp_dir_size)
{
    if (bench_write_workflows(context, kind, count, msp_dir, msp_dir_size) != 0) {
        return -1;
    }
    halyard_lua_host *host = bench_create_host(context, msp_dir, count, 1);
    if (host == NULL) {
        return -1;
    }
    int status = bench_match_tickets(context, host, result);
    halyard_lua_host_destroy(host);
    if (status == 0) {
        status = bench_check_samples(context, msp_dir);
    }
    if (status != 0) {
        return -1;
    }
    printf("  %-7s %9d %8.1f %8.1f %8.1f %8zu %9zu of %zu\n", label, count, result->mean_us,
           result->p50_us, result->p99_us, result->matches, result->tickets_matched,
           context->ticket_count);
    return 0;
}

/*
 * Section 1: matching time per ticket for every workflow set, after a row with no workflows
 * at all: the cost of the call itself (decoding, normalising, encoding the empty result).
 */
static int bench_matching(bench_context *context, bench_sets *sets)
{
    static const int counts[] = {10, 100, WORKFLOW_COUNT_LARGE};
    double large_mean[BENCH_KIND_COUNT] = {0};
    bench_match_result result;
    char msp_dir[BENCH_PATH_SIZE];

    printf("\nmatching: halyard_lua_host_match per ticket (JSON in and out included), "
           "%zu tickets x %d timed rounds\n",
           context->ticket_count, context->rounds);
    printf("  %-7s %9s %8s %8s %8s %8s %16s\n", "kind", "workflows", "mean us", "p50 us", "p99 us",
           "matches", "tickets matched");
    if (bench_match_row(context, "none", bench_kinds[0], 0, &result, msp_dir, sizeof msp_dir) !=
        0) {
        return -1;
    }
    for (size_t k = 0; k < BENCH_KIND_COUNT; k++) {
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            if (bench_match_row(context, bench_kinds[k], bench_kinds[k], counts[c], &result,
                                msp_dir, sizeof msp_dir) != 0) {
                return -1;
            }
            if (counts[c] == WORKFLOW_COUNT_LARGE) {
                large_mean[k] = result.mean_us;
                sets->large_memory[k] = result.memory;
                snprintf(sets->large_dir[k], sizeof sets->large_dir[k], "%s", msp_dir);
            }
        }
    }

    /* The goal is for keyword rules; score functions run one by one and have none. */
    for (size_t k = 0; k < 2; k++) {
        printf("  goal: mean under %.0f us per ticket at %d %s keyword workflows: %.1f us, %s\n",
               GOAL_MATCH_MEAN_US, WORKFLOW_COUNT_LARGE, bench_kinds[k], large_mean[k],
               bench_verdict(large_mean[k] < GOAL_MATCH_MEAN_US));
    }
    return 0;
}

/* Section 2: creating a host from each kind's 1,000 workflow files, reloads times each. */
static int bench_reload(const bench_context *context, const bench_sets *sets)
{
    bench_series series = {0};
    char message[2048];

    printf("\nreload: halyard_lua_host_create from %d workflow files, %d times each\n",
           WORKFLOW_COUNT_LARGE, context->reloads);
    for (size_t k = 0; k < BENCH_KIND_COUNT; k++) {
        for (int i = 0; i < context->reloads; i++) {
            halyard_lua_host_options options = {
                .msp = "bench",
                .share_dir = context->generated_share_dir,
                .msp_script_dir = sets->large_dir[k],
                .serving = 1,
            };
            halyard_lua_host *host = NULL;
            double started = bench_now_us();
            int created = halyard_lua_host_create(&options, &host, message, sizeof message);
            double elapsed_ms = (bench_now_us() - started) / 1000.0;
            if (created != 0) {
                fprintf(stderr, "lua-bench: %s\n", message);
                bench_series_clear(&series);
                return -1;
            }
            halyard_lua_host_destroy(host);
            if (bench_series_add(&series, elapsed_ms) != 0) {
                bench_series_clear(&series);
                return -1;
            }
        }

        double mean = bench_series_mean(&series);
        double worst = bench_series_percentile(&series, 100);
        double best = series.values[0];
        printf("  %-7s mean %6.1f ms, min %6.1f ms, max %6.1f ms; goal: mean under %.0f ms, "
               "%s\n",
               bench_kinds[k], mean, best, worst, GOAL_RELOAD_MEAN_MS,
               bench_verdict(mean < GOAL_RELOAD_MEAN_MS));
        series.count = 0;
    }
    bench_series_clear(&series);
    return 0;
}

/*
 * Sections 3 and 4: a host with the shipped scripts alone; its memory while it plans every
 * ticket, and plan time per ticket. Prints the memory of the 1,000-workflow sets measured by
 * bench_matching beside it.
 */
static int bench_shipped(const bench_context *context, const bench_sets *sets)
{
    bench_series series = {0};
    char message[2048];
    int status = -1;
    size_t with_workflow = 0;

    halyard_lua_host *host = bench_create_host(context, NULL, -1, 1);
    if (host == NULL) {
        return -1;
    }
    bench_memory memory;
    bench_memory_start(&memory, host);

    for (int round = 0; round <= context->rounds; round++) {
        for (size_t i = 0; i < context->ticket_count; i++) {
            const bench_ticket *ticket = &context->tickets[i];
            halyard_lua_plan plan = {0};
            char run_id[64];
            snprintf(run_id, sizeof run_id, "bench-%d-%zu", round, i + 1);
            double started = bench_now_us();
            int called = halyard_lua_host_plan(host, ticket->halo_json, "[]", ticket->client_json,
                                               run_id, &plan, message, sizeof message);
            double elapsed = bench_now_us() - started;
            if (called != 0) {
                fprintf(stderr, "lua-bench: planning ticket %zu failed: %s\n", i + 1, message);
                goto cleanup;
            }
            if (round == 0) {
                with_workflow += strstr(plan.summary_json, "\"workflows\":[]") == NULL;
            } else if (bench_series_add(&series, elapsed) != 0) {
                halyard_lua_plan_clear(&plan);
                goto cleanup;
            }
            halyard_lua_plan_clear(&plan);
            bench_memory_observe(&memory, host);
        }
    }

    printf("\nmemory per MSP state: the bytes its allocator has allocated, garbage not yet "
           "collected included\n");
    char label[128];
    snprintf(label, sizeof label,
             "shipped scripts (%zu workflows):", halyard_lua_host_workflow_count(host));
    bench_memory_print(label, &memory);
    for (size_t k = 0; k < BENCH_KIND_COUNT; k++) {
        snprintf(label, sizeof label, "%d %s workflows:", WORKFLOW_COUNT_LARGE, bench_kinds[k]);
        bench_memory_print(label, &sets->large_memory[k]);
    }
    size_t shipped_maximum = memory.loaded > memory.maximum ? memory.loaded : memory.maximum;
    printf("  goal: under 2 MiB with the shipped scripts at the maximum seen: %.2f MiB, %s\n",
           (double)shipped_maximum / MEBIBYTE,
           bench_verdict((double)shipped_maximum < GOAL_MEMORY_SHIPPED));

    printf("\nplan: halyard_lua_host_plan per ticket with the shipped workflows, %zu tickets x "
           "%d timed rounds\n",
           context->ticket_count, context->rounds);
    double mean = bench_series_mean(&series);
    double p50 = bench_series_percentile(&series, 50);
    double p99 = bench_series_percentile(&series, 99);
    printf("  mean %.1f us, p50 %.1f us, p99 %.1f us; %zu of %zu plans name a matched workflow\n",
           mean, p50, p99, with_workflow, context->ticket_count);
    status = bench_check_samples(context, NULL);

cleanup:
    bench_series_clear(&series);
    halyard_lua_host_destroy(host);
    return status;
}

static int bench_usage(const char *program)
{
    fprintf(stderr,
            "usage: %s --work DIR [--share DIR] [--tickets FILE] [--rounds N] [--reloads N]\n"
            "  --work DIR      an existing folder for the generated workflows\n"
            "  --share DIR     the folder with the bindings/lua/ and workflows/ to measure "
            "(default: the source folder)\n"
            "  --tickets FILE  JSON-lines tickets (default: "
            "tests/data/endava_tickets.jsonl in the source folder)\n"
            "  --rounds N      timed passes over the tickets per measurement (default 3)\n"
            "  --reloads N     host creations timed for the reload figure (default 5)\n",
            program);
    return 2;
}

/* Parses a count from 1 to 1000; returns it, or 0 for anything else. */
static int bench_parse_count(const char *text)
{
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < 1 || value > 1000) {
        return 0;
    }
    return (int)value;
}

int main(int argc, char **argv)
{
    char default_tickets[BENCH_PATH_SIZE];
    snprintf(default_tickets, sizeof default_tickets, "%s/tests/data/endava_tickets.jsonl",
             HALYARD_SOURCE_DIR);
    bench_context context = {
        .source_dir = HALYARD_SOURCE_DIR,
        .halyard_share_dir = HALYARD_SOURCE_DIR,
        .tickets_path = default_tickets,
        .rounds = 3,
        .reloads = 5,
    };
    for (int i = 1; i < argc; i++) {
        int has_value = i + 1 < argc;
        if (strcmp(argv[i], "--work") == 0 && has_value) {
            context.work_dir = argv[++i];
        } else if (strcmp(argv[i], "--share") == 0 && has_value) {
            context.halyard_share_dir = argv[++i];
        } else if (strcmp(argv[i], "--tickets") == 0 && has_value) {
            context.tickets_path = argv[++i];
        } else if ((strcmp(argv[i], "--rounds") == 0 || strcmp(argv[i], "--reloads") == 0) &&
                   has_value) {
            int value = bench_parse_count(argv[i + 1]);
            if (value == 0) {
                fprintf(stderr, "lua-bench: %s %s is invalid; give a whole number from 1 to 1000\n",
                        argv[i], argv[i + 1]);
                return 2;
            }
            *(strcmp(argv[i], "--rounds") == 0 ? &context.rounds : &context.reloads) = value;
            i++;
        } else {
            return bench_usage(argv[0]);
        }
    }
    if (context.work_dir == NULL) {
        return bench_usage(argv[0]);
    }

    /* The generated share folder links to bindings/ by this path, so it must be absolute. */
    char share_path[PATH_MAX];
    if (realpath(context.halyard_share_dir, share_path) == NULL) {
        fprintf(stderr,
                "lua-bench: --share %s cannot be read: %s; pass the folder holding bindings/lua/\n",
                context.halyard_share_dir, strerror(errno));
        return 2;
    }
    context.halyard_share_dir = share_path;

    int status = 1;
    bench_sets sets = {0};

    /* Only warnings and errors: the figures are the output. */
    halyard_log_configure(HALYARD_LOG_WARNING, NULL);

    if (bench_load_tickets(&context) != 0 || bench_make_share(&context) != 0) {
        goto cleanup;
    }
    if (bench_call_data(context.data, "describe_data", 0, 1) != 0) {
        goto cleanup;
    }
    printf("lua benchmark: scripts from %s, %ld CPUs online\n%s\n", context.halyard_share_dir,
           sysconf(_SC_NPROCESSORS_ONLN), lua_tostring(context.data, 2));
    lua_settop(context.data, 1);

    if (bench_matching(&context, &sets) != 0 || bench_reload(&context, &sets) != 0 ||
        bench_shipped(&context, &sets) != 0) {
        goto cleanup;
    }
    status = 0;

cleanup:
    for (size_t i = 0; i < context.ticket_count; i++) {
        free(context.tickets[i].match_json);
        free(context.tickets[i].halo_json);
        free(context.tickets[i].client_json);
    }
    free(context.tickets);
    if (context.data != NULL) {
        lua_close(context.data);
    }
    return status;
}
