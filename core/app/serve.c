#include "serve.h"

#include "admin_api.h"
#include "clock.h"
#include "config_msp_names.h"
#include "data_folder.h"
#include "http_server.h"
#include "intake.h"
#include "log.h"
#include "pipeline.h"
#include "script_reload.h"
#include "test_api.h"
#include "verification_api.h"

#include <event2/event.h>
#include <event2/thread.h>
#include <signal.h>
#include <sqlite3.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a stop waits for deliveries in flight to be stored and replied to. */
#define SERVE_STOP_TIMEOUT_MS 10000
/* How often a stop checks whether every reply is sent. */
#define SERVE_DRAIN_CHECK_MS 10

static const char serve_subsystem[] = "serve";

static const char serve_usage[] =
    "usage: halyard serve [--data-dir DIR] [--listen HOST:PORT] [--test-clock]\n"
    "\n"
    "Runs halyard's HTTP server: GET /healthz and the HaloPSA webhook intake at\n"
    "POST /hooks/halopsa/{msp}. Stops on SIGINT or SIGTERM after answering the deliveries\n"
    "it has taken. Reloads an MSP's workflows and policies when their files change (see\n"
    "script_reload in the config).\n"
    "\n"
    "options:\n"
    "  --data-dir DIR      folder of halyard.db and secret.key (default: the config's data_dir,\n"
    "                      ./data)\n"
    "  --listen HOST:PORT  address to listen on; port 0 picks a free one (default: the\n"
    "                      config's listen, 127.0.0.1:8080)\n"
    "  --test-clock        for tests only: turns on the test clock and the admin endpoints\n"
    "                      under /api/v1/test/ that move it forward (see docs/http-api.md)\n";

typedef struct {
    struct event_base *base;
    halyard_http_server *server;
    halyard_intake *intake;
    halyard_pipeline *pipeline;
    halyard_script_reload *scripts;
    halyard_admin_api *admin_api;
    halyard_verification_api *verification_api;
    halyard_test_api *test_api;
    struct event *drain_timer;
    long long stop_started_ms;
    bool stopping;
} serve_state;

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int halyard_serve_parse_listen(const char *text, char *host, size_t host_size, int *port,
                               char *message, size_t message_size)
{
    const char *host_start = text;
    const char *host_end = NULL;
    const char *port_text = NULL;
    if (text[0] == '[') {
        host_start = text + 1;
        host_end = strchr(host_start, ']');
        if (host_end != NULL && host_end[1] == ':') {
            port_text = host_end + 2;
        }
    } else {
        host_end = strrchr(text, ':');
        if (host_end != NULL && memchr(text, ':', (size_t)(host_end - text)) == NULL) {
            port_text = host_end + 1;
        }
    }

    size_t host_length = host_end != NULL ? (size_t)(host_end - host_start) : 0;
    size_t port_length = port_text != NULL ? strlen(port_text) : 0;
    bool valid = port_text != NULL && host_length > 0 && host_length < host_size &&
                 port_length > 0 && port_length <= 5 &&
                 strspn(port_text, "0123456789") == port_length;
    long value = valid ? strtol(port_text, NULL, 10) : -1;
    if (!valid || value > 65535) {
        snprintf(message, message_size,
                 "invalid listen address '%.100s': expected HOST:PORT with a port from 0 to "
                 "65535, like 127.0.0.1:8080 or [::1]:8080",
                 text);
        return -1;
    }
    memcpy(host, host_start, host_length);
    host[host_length] = '\0';
    *port = (int)value;
    return 0;
}

static void log_totals(serve_state *state)
{
    halyard_intake_stats stats;
    halyard_intake_read_stats(state->intake, &stats);
    halyard_log(HALYARD_LOG_INFO, serve_subsystem,
                "stopped; deliveries: %llu stored (%llu events added, %llu of them flagged), "
                "%llu failed to store; rejected: %llu with 401, %llu with 404, %llu while "
                "stopping",
                (unsigned long long)stats.deliveries_stored, (unsigned long long)stats.events_added,
                (unsigned long long)stats.rows_flagged, (unsigned long long)stats.deliveries_failed,
                (unsigned long long)stats.rejected_unauthorized,
                (unsigned long long)stats.rejected_unknown_msp,
                (unsigned long long)stats.rejected_stopping);

    const halyard_delivery_writer_stats *writer = &stats.writer;
    double mean_batch = writer->batches > 0 ? (double)writer->deliveries / writer->batches : 0;
    halyard_log(HALYARD_LOG_INFO, serve_subsystem,
                "delivery writer: %llu batches (mean %.1f deliveries, largest %zu, %llu failed), "
                "%.0f ms inserting, %.0f ms committing, %llu fdatasyncs of the WAL in %.0f ms, "
                "%llu checkpoints",
                (unsigned long long)writer->batches, mean_batch, writer->largest_batch,
                (unsigned long long)writer->failed_batches, writer->insert_us / 1000.0,
                writer->commit_us / 1000.0, (unsigned long long)writer->syncs,
                writer->sync_us / 1000.0, (unsigned long long)writer->checkpoints);
}

/* Wakes the pipeline once deliveries are on disk. */
static void on_deliveries_stored(void *argument)
{
    halyard_pipeline_notify(argument);
}

/* Ends the loop once every delivery taken has its reply written, or when time is up. */
static void on_drain_check(evutil_socket_t fd, short what, void *argument)
{
    (void)fd;
    (void)what;
    serve_state *state = argument;
    size_t in_flight = halyard_intake_in_flight(state->intake);
    size_t pending = halyard_http_server_pending(state->server);
    if (in_flight == 0 && pending == 0) {
        event_base_loopbreak(state->base);
        return;
    }
    if (monotonic_ms() - state->stop_started_ms >= SERVE_STOP_TIMEOUT_MS) {
        halyard_log(HALYARD_LOG_WARNING, serve_subsystem,
                    "stopping after %d ms with %zu deliveries still being stored and %zu replies "
                    "unsent; those are answered 503 or cut off, and HaloPSA sends them again",
                    SERVE_STOP_TIMEOUT_MS, in_flight, pending);
        event_base_loopbreak(state->base);
    }
}

static void on_signal(evutil_socket_t signal_number, short what, void *argument)
{
    (void)what;
    serve_state *state = argument;
    const char *name = signal_number == SIGINT ? "SIGINT" : "SIGTERM";
    if (state->stopping) {
        halyard_log(HALYARD_LOG_WARNING, serve_subsystem,
                    "%s again: stopping now without waiting for deliveries in flight", name);
        event_base_loopbreak(state->base);
        return;
    }

    state->stopping = true;
    state->stop_started_ms = monotonic_ms();
    halyard_log(HALYARD_LOG_INFO, serve_subsystem,
                "%s: closed the listening socket; answering the %zu deliveries in flight before "
                "exiting",
                name, halyard_intake_in_flight(state->intake));
    halyard_intake_stop(state->intake);
    halyard_pipeline_drain(state->pipeline);
    halyard_http_server_stop_accepting(state->server);
    struct timeval interval = {0, SERVE_DRAIN_CHECK_MS * 1000};
    event_add(state->drain_timer, &interval);
}

/* Starts loading the scripts of every MSP in the database, so that each MSP's first ticket
 * finds them ready and the admin API can show their problems from the start. */
static void load_every_msp_scripts(halyard_store *store, halyard_script_reload *scripts)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database, "SELECT name FROM msps ORDER BY id", -1, &statement, NULL) !=
        SQLITE_OK) {
        halyard_log(HALYARD_LOG_ERROR, serve_subsystem,
                    "reading the MSPs failed: %s; their scripts load on first use",
                    sqlite3_errmsg(database));
        return;
    }
    while (sqlite3_step(statement) == SQLITE_ROW) {
        halyard_script_reload_load(scripts, (const char *)sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
}

/* parse_options' result when it printed the help text. */
#define SERVE_HELP_PRINTED (-1)

/* Reads the options after "serve". Returns 0 to go on, SERVE_HELP_PRINTED, or
 * HALYARD_EXIT_USAGE after printing what is wrong. */
static int parse_options(int argc, char **argv, const halyard_cli_context *context,
                         const char **data_dir, const char **listen, bool *test_clock)
{
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
            fputs(serve_usage, context->out);
            return SERVE_HELP_PRINTED;
        }
        if (strcmp(option, "--test-clock") == 0) {
            *test_clock = true;
            continue;
        }
        if (strcmp(option, "--data-dir") != 0 && strcmp(option, "--listen") != 0) {
            fprintf(context->err,
                    "halyard serve: unknown option '%s'; run 'halyard serve --help' for the "
                    "options\n",
                    option);
            return HALYARD_EXIT_USAGE;
        }
        if (i + 1 >= argc || argv[i + 1][0] == '\0') {
            fprintf(context->err, "halyard serve: %s needs a value\n", option);
            return HALYARD_EXIT_USAGE;
        }
        if (strcmp(option, "--data-dir") == 0) {
            *data_dir = argv[++i];
        } else {
            *listen = argv[++i];
        }
    }
    return 0;
}

int halyard_serve_command(int argc, char **argv, const halyard_cli_context *context)
{
    const char *data_dir = context->config->data_dir;
    const char *listen = context->config->listen;
    bool test_clock = false;
    int parsed = parse_options(argc, argv, context, &data_dir, &listen, &test_clock);
    if (parsed != 0) {
        return parsed == SERVE_HELP_PRINTED ? HALYARD_EXIT_OK : parsed;
    }
    char host[256];
    int port = 0;
    char message[512];
    if (halyard_serve_parse_listen(listen, host, sizeof host, &port, message, sizeof message) !=
        0) {
        fprintf(context->err, "halyard serve: %s\n", message);
        return HALYARD_EXIT_USAGE;
    }

    int status = HALYARD_EXIT_FAILURE;
    serve_state state = {0};
    halyard_store *store = NULL;
    halyard_secret_key key;
    struct event *interrupt = NULL;
    struct event *terminate = NULL;
    int lock_fd = -1;
    char database_path[4096];
    snprintf(database_path, sizeof database_path, "%s/halyard.db", data_dir);

    /* Step 1: the data folder, locked first: the pipeline takes back the jobs a stopped serve
     * left running, which is right only when no other serve works them. */
    if (halyard_data_folder_lock(data_dir,
                                 "two serves would work the same jobs and could write to HaloPSA "
                                 "twice",
                                 &lock_fd, message, sizeof message) != 0) {
        goto fail;
    }

    /* The loop thread keeps this connection for reading MSPs. SQLite's memory statistics take a
     * process-wide mutex on every allocation, which the writer thread pays per row; halyard reads
     * none of them. The call fails harmlessly (SQLITE_MISUSE) when SQLite is already
     * initialised. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (halyard_data_folder_open(data_dir, &store, &key, message, sizeof message) != 0) {
        goto fail;
    }

    /* Step 2: a loop that other threads may wake (the delivery writer does). */
    if (evthread_use_pthreads() != 0 || (state.base = event_base_new()) == NULL) {
        snprintf(message, sizeof message, "creating the event loop failed");
        goto fail;
    }
    signal(SIGPIPE, SIG_IGN);

    /* Step 3: the server and the intake behind it. */
    if (halyard_http_server_open(state.base, host, port, NULL, &state.server, message,
                                 sizeof message) != 0) {
        goto fail;
    }
    halyard_intake_settings settings = {
        .base = state.base,
        .server = state.server,
        .store = store,
        .key = &key,
        .database_path = database_path,
    };
    if (halyard_intake_open(&settings, &state.intake, message, sizeof message) != 0) {
        goto fail;
    }

    /* Step 4: each MSP's scripts, built off the loop and reloaded when their files change,
     * and the pipeline that turns stored deliveries into the agent's work. */
    if (halyard_script_reload_start(state.base, context->config, &state.scripts, message,
                                    sizeof message) != 0) {
        goto fail;
    }
    halyard_script_reload_set_database(state.scripts, database_path);
    halyard_config_report_unknown_msps(context->config, halyard_store_database(store));
    load_every_msp_scripts(store, state.scripts);
    halyard_pipeline_options pipeline_options = {
        .base = state.base, .config = context->config, .scripts = state.scripts};
    if (halyard_pipeline_start(&pipeline_options, data_dir, &state.pipeline, message,
                               sizeof message) != 0) {
        goto fail;
    }
    halyard_intake_set_stored_callback(state.intake, on_deliveries_stored, state.pipeline);

    /* Step 5: the admin API under /api/v1. */
    if (halyard_admin_api_open(state.base, state.server, context->config, data_dir,
                               &state.admin_api, message, sizeof message) != 0) {
        goto fail;
    }
    halyard_admin_api_attach_scripts(state.admin_api, state.scripts);
    if (halyard_verification_api_open(state.server, state.admin_api, context->config, data_dir,
                                      state.pipeline, &state.verification_api, message,
                                      sizeof message) != 0) {
        goto fail;
    }

    /* Step 6, tests only: the test clock and the endpoints that move it. */
    if (test_clock) {
        halyard_clock_enable_test();
        if (halyard_test_api_open(state.server, state.admin_api, state.pipeline, data_dir,
                                  &state.test_api, message, sizeof message) != 0) {
            goto fail;
        }
        halyard_log(HALYARD_LOG_WARNING, serve_subsystem,
                    "test clock on: POST /api/v1/test/clock moves halyard's time forward; never "
                    "run a production halyard with --test-clock");
    }

    /* Step 7: the signals that stop it. */
    state.drain_timer = event_new(state.base, -1, EV_PERSIST, on_drain_check, &state);
    interrupt = evsignal_new(state.base, SIGINT, on_signal, &state);
    terminate = evsignal_new(state.base, SIGTERM, on_signal, &state);
    if (state.drain_timer == NULL || interrupt == NULL || terminate == NULL ||
        event_add(interrupt, NULL) != 0 || event_add(terminate, NULL) != 0) {
        snprintf(message, sizeof message, "installing the signal handlers failed");
        goto fail;
    }

    bool bracket = strchr(host, ':') != NULL;
    halyard_log(HALYARD_LOG_INFO, serve_subsystem,
                "halyard %s listening on http://%s%s%s:%d (database %s)", HALYARD_VERSION,
                bracket ? "[" : "", host, bracket ? "]" : "",
                halyard_http_server_port(state.server), database_path);
    event_base_dispatch(state.base);
    status = HALYARD_EXIT_OK;

fail:
    if (status != HALYARD_EXIT_OK) {
        fprintf(context->err, "halyard serve: %s\n", message);
    }

    /* Teardown in reverse: the pipeline's jobs in flight stay running in the database and are
     * picked up at the next start; the server replies 503 to what is left before the intake
     * stops. */
    halyard_pipeline_free(state.pipeline);
    halyard_http_server_free(state.server);
    halyard_test_api_close(state.test_api);
    halyard_verification_api_close(state.verification_api);
    halyard_admin_api_close(state.admin_api);
    halyard_script_reload_free(state.scripts);
    if (state.intake != NULL) {
        if (status == HALYARD_EXIT_OK) {
            log_totals(&state);
        }
        halyard_intake_close(state.intake);
    }
    if (terminate != NULL) {
        event_free(terminate);
    }
    if (interrupt != NULL) {
        event_free(interrupt);
    }
    if (state.drain_timer != NULL) {
        event_free(state.drain_timer);
    }
    if (state.base != NULL) {
        event_base_free(state.base);
    }
    halyard_store_close(store);
    sodium_memzero(&key, sizeof key);
    halyard_data_folder_unlock(lock_fd);
    return status;
}
