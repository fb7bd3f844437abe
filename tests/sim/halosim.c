/* halosim: the HaloPSA simulator. This file wires the parts together: the command line, the Lua
 * logic, the HTTP(S) server, the webhook sender, the 100 ms tick and the stop signals. */
#include "sim_certificates.h"
#include "sim_delivery.h"
#include "sim_log.h"
#include "sim_lua.h"
#include "sim_options.h"
#include "sim_server.h"

#include <event2/event.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The largest seed file read: 64 MiB. */
#define HALOSIM_SEED_MAX (64L * 1024 * 1024)

/* How often sim.tick runs, in milliseconds. */
#define HALOSIM_TICK_MS 100

struct halosim {
    struct event_base *base;
    struct sim_lua *lua;
    struct sim_server *server;
    struct sim_delivery_sender *sender;
};

/* Takes the deliveries the Lua logic has due and starts each one. */
static void halosim_send_deliveries(struct halosim *sim)
{
    struct sim_delivery *deliveries;
    size_t count;
    sim_lua_take_deliveries(sim->lua, &deliveries, &count);

    for (size_t i = 0; i < count; i++) {
        if (sim_delivery_sender_start(sim->sender, &deliveries[i]) == 0) {
            continue;
        }
        sim_log(SIM_LOG_ERROR, "cannot start delivery %s: out of memory", deliveries[i].attempt_id);
        struct sim_delivery_result result = {0};
        if (sim_delivery_result_set_error(&result, "out of memory starting the delivery") == 0) {
            sim_lua_report_delivery(sim->lua, deliveries[i].attempt_id, &result);
        }
        sim_delivery_result_clear(&result);
    }
    sim_lua_free_deliveries(deliveries, count);
}

static int halosim_handle(void *context, const struct sim_request *request,
                          struct sim_response *response)
{
    struct halosim *sim = context;
    int result = sim_lua_handle(sim->lua, request, response);
    halosim_send_deliveries(sim);
    return result;
}

static void halosim_report(void *context, const char *attempt_id,
                           const struct sim_delivery_result *result)
{
    struct halosim *sim = context;
    sim_lua_report_delivery(sim->lua, attempt_id, result);
}

static void halosim_tick(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    struct halosim *sim = argument;
    sim_lua_tick(sim->lua);
    halosim_send_deliveries(sim);
}

static void halosim_stop(evutil_socket_t signal_number, short events, void *argument)
{
    (void)events;
    struct halosim *sim = argument;
    sim_log(SIM_LOG_INFO, "stopping on %s", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    event_base_loopbreak(sim->base);
}

/* Routes libevent's own warnings through halosim's log, so every stderr line has one form. */
static void halosim_log_libevent(int severity, const char *message)
{
    sim_log_level level = SIM_LOG_DEBUG;
    if (severity == EVENT_LOG_ERR) {
        level = SIM_LOG_ERROR;
    } else if (severity == EVENT_LOG_WARN) {
        level = SIM_LOG_WARNING;
    } else if (severity == EVENT_LOG_MSG) {
        level = SIM_LOG_INFO;
    }
    sim_log(level, "libevent: %s", message);
}

/* Reads the whole seed file into a new NUL-terminated buffer. Returns 0, or -1 with message
 * set. */
static int halosim_read_seed(const char *path, char **text, size_t *length, char *message,
                             size_t message_size)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        snprintf(message, message_size,
                 "cannot read --seed file '%s': %s; give the path of a readable JSON seed file",
                 path, strerror(errno));
        return -1;
    }

    int result = -1;
    char *buffer = NULL;
    struct stat status;
    if (fstat(fileno(file), &status) != 0) {
        snprintf(message, message_size, "cannot read --seed file '%s': %s", path, strerror(errno));
        goto done;
    }
    if (status.st_size > HALOSIM_SEED_MAX) {
        snprintf(message, message_size,
                 "--seed file '%s' has %lld bytes, more than the %ld a seed may have", path,
                 (long long)status.st_size, HALOSIM_SEED_MAX);
        goto done;
    }

    size_t size = (size_t)status.st_size;
    buffer = malloc(size + 1);
    if (buffer == NULL) {
        snprintf(message, message_size, "out of memory reading --seed file '%s'", path);
        goto done;
    }
    size_t read_length = fread(buffer, 1, size, file);
    if (read_length != size || ferror(file)) {
        snprintf(message, message_size, "cannot read --seed file '%s': short read", path);
        goto done;
    }
    buffer[size] = '\0';
    *text = buffer;
    *length = size;
    buffer = NULL;
    result = 0;

done:
    free(buffer);
    fclose(file);
    return result;
}

int main(int argc, char **argv)
{
    char message[4096];
    struct sim_options options;
    if (sim_options_parse(&options, argc, argv, message, sizeof message) != 0) {
        fprintf(stderr, "halosim: %s\n", message);
        return 2;
    }
    if (options.help) {
        sim_options_print_help(stdout);
        return 0;
    }
    sim_log_set_verbose(options.verbose);
    event_set_log_callback(halosim_log_libevent);

    /* A peer that closes early must fail a write, not kill the process. */
    signal(SIGPIPE, SIG_IGN);

    int exit_code = 1;
    char *seed_text = NULL;
    size_t seed_length = 0;
    struct halosim sim = {0};
    struct event *tick = NULL;
    struct event *interrupt = NULL;
    struct event *terminate = NULL;

    if (options.seed_path != NULL && halosim_read_seed(options.seed_path, &seed_text, &seed_length,
                                                       message, sizeof message) != 0) {
        exit_code = 2;
        goto fail;
    }

    /* --tls-generate: fresh certificates, then served like --tls-cert and --tls-key. */
    char generated_cert[4096];
    char generated_key[4096];
    if (options.tls_generate_dir != NULL) {
        if (sim_certificates_make(options.tls_generate_dir, message, sizeof message) != 0) {
            exit_code = 2;
            goto fail;
        }
        snprintf(generated_cert, sizeof generated_cert, "%s/%s", options.tls_generate_dir,
                 SIM_CERTIFICATES_SERVER_FILE);
        snprintf(generated_key, sizeof generated_key, "%s/%s", options.tls_generate_dir,
                 SIM_CERTIFICATES_KEY_FILE);
        options.tls_cert_path = generated_cert;
        options.tls_key_path = generated_key;
    }

    sim.base = event_base_new();
    if (sim.base == NULL) {
        snprintf(message, sizeof message, "cannot create the event loop");
        goto fail;
    }
    sim.sender = sim_delivery_sender_new(sim.base, options.delivery_ca_path, halosim_report, &sim,
                                         message, sizeof message);
    if (sim.sender == NULL) {
        exit_code = options.delivery_ca_path != NULL ? 2 : 1;
        goto fail;
    }
    sim.server = sim_server_new(sim.base, halosim_handle, &sim);
    if (sim.server == NULL) {
        snprintf(message, sizeof message, "cannot create the HTTP server: out of memory");
        goto fail;
    }
    if (options.tls_cert_path != NULL &&
        sim_server_use_tls(sim.server, options.tls_cert_path, options.tls_key_path, message,
                           sizeof message) != 0) {
        exit_code = 2;
        goto fail;
    }

    sim.lua = sim_lua_open(options.lua_dir, message, sizeof message);
    if (sim.lua == NULL) {
        goto fail;
    }
    int port;
    if (sim_server_bind(sim.server, options.bind, options.port, &port, message, sizeof message) !=
        0) {
        goto fail;
    }
    if (sim_lua_init(sim.lua, &options, port, seed_text, seed_length, message, sizeof message) !=
        0) {
        goto fail;
    }

    tick = event_new(sim.base, -1, EV_PERSIST, halosim_tick, &sim);
    interrupt = evsignal_new(sim.base, SIGINT, halosim_stop, &sim);
    terminate = evsignal_new(sim.base, SIGTERM, halosim_stop, &sim);
    struct timeval tick_interval = {.tv_sec = 0, .tv_usec = HALOSIM_TICK_MS * 1000};
    if (tick == NULL || interrupt == NULL || terminate == NULL ||
        evtimer_add(tick, &tick_interval) != 0 || evsignal_add(interrupt, NULL) != 0 ||
        evsignal_add(terminate, NULL) != 0) {
        snprintf(message, sizeof message, "cannot set up the tick timer and signal handlers");
        goto fail;
    }

    /* Tests wait for this exact line before they send requests. */
    bool ipv6 = strchr(options.bind, ':') != NULL;
    printf("halosim listening on %s://%s%s%s:%d\n",
           options.tls_cert_path != NULL ? "https" : "http", ipv6 ? "[" : "", options.bind,
           ipv6 ? "]" : "", port);
    fflush(stdout);

    if (event_base_dispatch(sim.base) < 0) {
        snprintf(message, sizeof message, "the event loop failed");
        goto fail;
    }
    exit_code = 0;
    goto done;

fail:
    fprintf(stderr, "halosim: %s\n", message);

done:
    /* The server first: it drops pending responses while the Lua state still exists. */
    sim_server_free(sim.server);
    sim_delivery_sender_free(sim.sender);
    if (tick != NULL) {
        event_free(tick);
    }
    if (interrupt != NULL) {
        event_free(interrupt);
    }
    if (terminate != NULL) {
        event_free(terminate);
    }
    sim_lua_close(sim.lua);
    if (sim.base != NULL) {
        event_base_free(sim.base);
    }
    free(seed_text);
    return exit_code;
}
