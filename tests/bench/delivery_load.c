/*
 * bench-delivery-load: posts webhook deliveries at a fixed rate and records when each response
 * arrived. The deliveries of `scripts/bench.sh lua` (tests/bench/reload_bench.lua).
 *
 *   bench-delivery-load --url URL --authorization-file FILE --bodies FILE --rate N
 *                       --output FILE [--connections N] [--timeout-ms N]
 *
 * Each line of --bodies is one request body. Body i (from 0) is due at i / rate seconds after
 * the start, whatever happened to the ones before (an open loop), so a slow response never
 * slows the load down. At most --connections requests (default 64) are in flight at once. A
 * delivery that comes due while all of them are busy waits, and its wait counts in its
 * latency. The Authorization header's whole value is read from the file, so it never shows
 * in a process list.
 *
 * --output gets a first line "start_ms WALL" and then one line per delivery, in the order the
 * responses came: "index due_ms sent_ms response_ms status", times in wall-clock milliseconds
 * since the epoch with microseconds as a fraction, all on one monotonic clock anchored at the
 * start. status is the HTTP status, or 0 when no response came (refused, timed out). Prints one
 * summary line to standard output. Exit status 0 when every delivery was sent and the output
 * written, whatever the responses; 1 when it could not run; 2 on a usage error.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOAD_DEFAULT_CONNECTIONS 64
#define LOAD_MAX_CONNECTIONS     1024
#define LOAD_DEFAULT_TIMEOUT_MS  30000
#define LOAD_MAX_RATE            100000
#define LOAD_AUTHORIZATION_MAX   1024
/* How long one curl_multi_poll waits at most when no delivery is due sooner, in ms. */
#define LOAD_IDLE_POLL_MS 50

typedef struct {
    const char *url;
    const char *authorization_path;
    const char *bodies_path;
    const char *output_path;
    double rate;
    long connections;
    long timeout_ms;
} load_options;

/* The request bodies: one allocation holding every line, each ended by a NUL. */
typedef struct {
    char *text;
    char **lines;
    size_t count;
} load_bodies;

/* One delivery's times, in ms on the monotonic clock since the start. */
typedef struct {
    double due_ms;
    double sent_ms;
    double response_ms;
    long status;
} load_result;

/* A connection slot: its easy handle and the delivery it carries (-1 when idle). */
typedef struct {
    CURL *easy;
    long index;
} load_slot;

static double monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static double wall_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench-delivery-load --url URL --authorization-file FILE "
                    "--bodies FILE --rate N --output FILE [--connections N] [--timeout-ms N]\n");
}

/* Parses a whole number from minimum to maximum. Returns 0, or -1 after printing why. */
static int parse_number(const char *option, const char *text, long minimum, long maximum,
                        long *value)
{
    char *end = NULL;
    errno = 0;
    long parsed = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || parsed < minimum || parsed > maximum) {
        fprintf(stderr,
                "bench-delivery-load: %s '%s' is invalid; use a whole number from %ld to %ld\n",
                option, text, minimum, maximum);
        return -1;
    }
    *value = parsed;
    return 0;
}

/* Reads the options into options. Returns 0, or 2 after printing why. */
static int parse_options(int argc, char **argv, load_options *options)
{
    *options = (load_options){.connections = LOAD_DEFAULT_CONNECTIONS,
                              .timeout_ms = LOAD_DEFAULT_TIMEOUT_MS};
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        if (i + 1 >= argc) {
            fprintf(stderr, "bench-delivery-load: %s needs a value\n", option);
            usage();
            return 2;
        }
        const char *value = argv[++i];
        long number = 0;
        if (strcmp(option, "--url") == 0) {
            options->url = value;
        } else if (strcmp(option, "--authorization-file") == 0) {
            options->authorization_path = value;
        } else if (strcmp(option, "--bodies") == 0) {
            options->bodies_path = value;
        } else if (strcmp(option, "--output") == 0) {
            options->output_path = value;
        } else if (strcmp(option, "--rate") == 0) {
            if (parse_number(option, value, 1, LOAD_MAX_RATE, &number) != 0) {
                return 2;
            }
            options->rate = (double)number;
        } else if (strcmp(option, "--connections") == 0) {
            if (parse_number(option, value, 1, LOAD_MAX_CONNECTIONS, &options->connections) != 0) {
                return 2;
            }
        } else if (strcmp(option, "--timeout-ms") == 0) {
            if (parse_number(option, value, 1, 600000, &options->timeout_ms) != 0) {
                return 2;
            }
        } else {
            fprintf(stderr, "bench-delivery-load: unknown option '%s'\n", option);
            usage();
            return 2;
        }
    }
    if (options->url == NULL || options->authorization_path == NULL ||
        options->bodies_path == NULL || options->output_path == NULL || options->rate <= 0) {
        fprintf(stderr, "bench-delivery-load: --url, --authorization-file, --bodies, --rate and "
                        "--output are required\n");
        usage();
        return 2;
    }
    return 0;
}

/* Reads a whole file into a NUL-terminated allocation. Returns it, or NULL after printing why. */
static char *read_file(const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    char *text = NULL;
    if (file == NULL) {
        fprintf(stderr, "bench-delivery-load: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if (fseek(file, 0, SEEK_END) != 0) {
        goto fail;
    }
    long size = ftell(file);
    if (size < 0 || fseek(file, 0, SEEK_SET) != 0) {
        goto fail;
    }
    text = malloc((size_t)size + 1);
    if (text == NULL || fread(text, 1, (size_t)size, file) != (size_t)size) {
        goto fail;
    }
    text[size] = '\0';
    *length = (size_t)size;
    fclose(file);
    return text;

fail:
    fprintf(stderr, "bench-delivery-load: cannot read %s\n", path);
    free(text);
    fclose(file);
    return NULL;
}

/* Splits the bodies file into lines; empty lines are skipped. Returns 0, or -1 after printing
 * why. */
static int read_bodies(const char *path, load_bodies *bodies)
{
    size_t length = 0;
    bodies->text = read_file(path, &length);
    if (bodies->text == NULL) {
        return -1;
    }
    size_t capacity = 1;
    for (size_t i = 0; i < length; i++) {
        capacity += bodies->text[i] == '\n';
    }
    bodies->lines = calloc(capacity, sizeof *bodies->lines);
    if (bodies->lines == NULL) {
        fprintf(stderr, "bench-delivery-load: out of memory\n");
        return -1;
    }

    char *line = bodies->text;
    while (*line != '\0') {
        char *newline = strchr(line, '\n');
        char *next = newline != NULL ? newline + 1 : line + strlen(line);
        if (newline != NULL) {
            *newline = '\0';
        }
        if (*line != '\0') {
            bodies->lines[bodies->count++] = line;
        }
        line = next;
    }
    if (bodies->count == 0) {
        fprintf(stderr, "bench-delivery-load: %s has no request bodies; write one per line\n",
                path);
        return -1;
    }
    return 0;
}

/* Reads the Authorization header's value (the file's first line) into header as a whole
 * header line. Returns 0, or -1 after printing why. */
static int read_authorization(const char *path, char *header, size_t header_size)
{
    size_t length = 0;
    char *text = read_file(path, &length);
    if (text == NULL) {
        return -1;
    }
    text[strcspn(text, "\r\n")] = '\0';
    int written = snprintf(header, header_size, "Authorization: %s", text);
    bool empty = text[0] == '\0';
    free(text);
    if (empty || written < 0 || (size_t)written >= header_size) {
        fprintf(stderr,
                "bench-delivery-load: %s must hold the Authorization value on its first line, "
                "shorter than %d characters\n",
                path, LOAD_AUTHORIZATION_MAX - (int)sizeof "Authorization: ");
        return -1;
    }
    return 0;
}

/* Writes the results in the order the responses came (order lists the indexes). Returns 0, or -1
 * after printing why. */
static int write_results(const char *path, double start_wall_ms, const load_result *results,
                         const long *order, size_t count)
{
    FILE *file = fopen(path, "w");
    if (file == NULL) {
        fprintf(stderr, "bench-delivery-load: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(file, "start_ms %.3f\n", start_wall_ms);
    for (size_t i = 0; i < count; i++) {
        const load_result *result = &results[order[i]];
        fprintf(file, "%ld %.3f %.3f %.3f %ld\n", order[i], start_wall_ms + result->due_ms,
                start_wall_ms + result->sent_ms, start_wall_ms + result->response_ms,
                result->status);
    }
    if (fclose(file) != 0) {
        fprintf(stderr, "bench-delivery-load: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Sets an easy handle up to post body. Returns 0, or -1 when curl rejects an option. */
static int prepare_request(CURL *easy, const load_options *options, struct curl_slist *headers,
                           const char *body)
{
    CURLcode code = CURLE_OK;
    code |= curl_easy_setopt(easy, CURLOPT_URL, options->url);
    code |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    code |= curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
    code |= curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    code |= curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, options->timeout_ms);
    code |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    code |= curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
    return code == CURLE_OK ? 0 : -1;
}

/* Discards a response body. */
static size_t discard_body(char *data, size_t size, size_t count, void *argument)
{
    (void)data;
    (void)argument;
    return size * count;
}

/* Records the responses of the transfers curl finished and frees their slots. */
static void collect_responses(CURLM *multi, load_result *results, long *order, size_t *finished,
                              size_t *in_flight, double start_ms)
{
    CURLMsg *message = NULL;
    int left = 0;
    while ((message = curl_multi_info_read(multi, &left)) != NULL) {
        if (message->msg != CURLMSG_DONE) {
            continue;
        }
        char *private_data = NULL;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &private_data);
        load_slot *slot = (load_slot *)private_data;
        load_result *result = &results[slot->index];
        result->response_ms = monotonic_ms() - start_ms;
        long status = 0;
        if (message->data.result == CURLE_OK) {
            curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        }
        result->status = status;
        order[(*finished)++] = slot->index;
        curl_multi_remove_handle(multi, slot->easy);
        slot->index = -1;
        (*in_flight)--;
    }
}

static load_slot *idle_slot(load_slot *slots, long count)
{
    for (long i = 0; i < count; i++) {
        if (slots[i].index < 0) {
            return &slots[i];
        }
    }
    return NULL;
}

/* Sends every body on its schedule and waits for the last response. Returns 0, or -1 after
 * printing why. */
static int run_load(const load_options *options, const load_bodies *bodies,
                    struct curl_slist *headers, load_result *results, long *order,
                    double *start_wall_ms)
{
    int status = -1;
    CURLM *multi = curl_multi_init();
    load_slot *slots = calloc((size_t)options->connections, sizeof *slots);
    if (multi == NULL || slots == NULL) {
        fprintf(stderr, "bench-delivery-load: out of memory\n");
        goto cleanup;
    }
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options->connections);
    for (long i = 0; i < options->connections; i++) {
        slots[i].index = -1;
        slots[i].easy = curl_easy_init();
        if (slots[i].easy == NULL) {
            fprintf(stderr, "bench-delivery-load: out of memory\n");
            goto cleanup;
        }
        curl_easy_setopt(slots[i].easy, CURLOPT_WRITEFUNCTION, discard_body);
        curl_easy_setopt(slots[i].easy, CURLOPT_PRIVATE, &slots[i]);
    }

    double interval_ms = 1000.0 / options->rate;
    double start_ms = monotonic_ms();
    *start_wall_ms = wall_ms();
    size_t next = 0;
    size_t finished = 0;
    size_t in_flight = 0;
    while (finished < bodies->count) {
        /* Step 1: start every delivery that is due, while a connection is free. */
        double now = monotonic_ms() - start_ms;
        while (next < bodies->count && in_flight < (size_t)options->connections &&
               (double)next * interval_ms <= now) {
            load_slot *slot = idle_slot(slots, options->connections);
            if (slot == NULL) {
                break; /* cannot happen while in_flight counts the busy slots */
            }
            if (prepare_request(slot->easy, options, headers, bodies->lines[next]) != 0 ||
                curl_multi_add_handle(multi, slot->easy) != CURLM_OK) {
                fprintf(stderr, "bench-delivery-load: cannot start delivery %zu\n", next);
                goto cleanup;
            }
            slot->index = (long)next;
            results[next].due_ms = (double)next * interval_ms;
            results[next].sent_ms = now;
            in_flight++;
            next++;
        }

        /* Step 2: move the transfers on, then wait for a socket or the next due time. */
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            fprintf(stderr, "bench-delivery-load: curl_multi_perform failed\n");
            goto cleanup;
        }
        collect_responses(multi, results, order, &finished, &in_flight, start_ms);
        int wait_ms = LOAD_IDLE_POLL_MS;
        if (next < bodies->count && in_flight < (size_t)options->connections) {
            double until_due = (double)next * interval_ms - (monotonic_ms() - start_ms);
            wait_ms = until_due <= 0 ? 0 : (int)until_due + 1;
            if (wait_ms > LOAD_IDLE_POLL_MS) {
                wait_ms = LOAD_IDLE_POLL_MS;
            }
        }
        if (wait_ms > 0 && curl_multi_poll(multi, NULL, 0, wait_ms, NULL) != CURLM_OK) {
            fprintf(stderr, "bench-delivery-load: curl_multi_poll failed\n");
            goto cleanup;
        }
    }
    status = 0;

cleanup:
    if (slots != NULL) {
        for (long i = 0; i < options->connections; i++) {
            if (slots[i].easy != NULL) {
                if (slots[i].index >= 0) {
                    curl_multi_remove_handle(multi, slots[i].easy);
                }
                curl_easy_cleanup(slots[i].easy);
            }
        }
    }
    free(slots);
    curl_multi_cleanup(multi);
    return status;
}

int main(int argc, char **argv)
{
    load_options options;
    int parsed = parse_options(argc, argv, &options);
    if (parsed != 0) {
        return parsed;
    }

    int status = 1;
    load_bodies bodies = {0};
    load_result *results = NULL;
    long *order = NULL;
    struct curl_slist *headers = NULL;
    char authorization[LOAD_AUTHORIZATION_MAX];
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "bench-delivery-load: curl_global_init failed\n");
        return 1;
    }
    if (read_bodies(options.bodies_path, &bodies) != 0 ||
        read_authorization(options.authorization_path, authorization, sizeof authorization) != 0) {
        goto cleanup;
    }

    /* An empty Expect header keeps curl from asking for 100 Continue, and waiting for it,
     * before it sends a larger body. */
    struct curl_slist *appended = curl_slist_append(NULL, "Content-Type: application/json");
    headers = appended;
    if (appended != NULL) {
        appended = curl_slist_append(headers, authorization);
    }
    if (appended != NULL) {
        appended = curl_slist_append(headers, "Expect:");
    }
    results = calloc(bodies.count, sizeof *results);
    order = calloc(bodies.count, sizeof *order);
    if (appended == NULL || results == NULL || order == NULL) {
        fprintf(stderr, "bench-delivery-load: out of memory\n");
        goto cleanup;
    }

    double start_wall_ms = 0;
    if (run_load(&options, &bodies, headers, results, order, &start_wall_ms) != 0 ||
        write_results(options.output_path, start_wall_ms, results, order, bodies.count) != 0) {
        goto cleanup;
    }

    size_t ok = 0;
    double max_ms = 0;
    for (size_t i = 0; i < bodies.count; i++) {
        ok += results[i].status == 200;
        double latency = results[i].response_ms - results[i].due_ms;
        max_ms = latency > max_ms ? latency : max_ms;
    }
    printf("bench-delivery-load: %zu deliveries at %.0f/s, %zu got 200, slowest %.1f ms from "
           "due to response\n",
           bodies.count, options.rate, ok, max_ms);
    status = 0;

cleanup:
    curl_slist_free_all(headers);
    free(order);
    free(results);
    free(bodies.lines);
    free(bodies.text);
    curl_global_cleanup();
    return status;
}
