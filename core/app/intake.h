#ifndef HALYARD_INTAKE_H
#define HALYARD_INTAKE_H

#include "delivery_writer.h"
#include "http_server.h"
#include "secret_box.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

/* The webhook intake: POST /hooks/halopsa/{msp} on the HTTP server.
 *
 * The checks run in this order: 503 while halyard is stopping, 404 when no MSP has that name,
 * and 401 with WWW-Authenticate: Basic realm="halyard" unless the HTTP Basic credentials match
 * the MSP's webhook credentials (compared as SHA-256 digests in constant time), and 413 when
 * the body is a batch of more than HALYARD_INTAKE_MAX_BATCH_EVENTS events. Otherwise the
 * body goes to the delivery writer, and the reply waits for it: 200 {"stored":N,"flagged":M}
 * once every event is on disk, 503 when storing failed. An unreadable body is stored with a
 * flag and gets 200, so HaloPSA never sends it again. Bodies over the server's limit never
 * reach the intake, because evhttp replies 413 to them.
 *
 * The MSPs and their credentials are read from the store into memory at open and again every
 * few seconds. A request that names an unknown MSP or fails to authenticate rereads them too,
 * at most every 100 ms, so credentials changed by another process take effect without a
 * restart.
 * Everything runs on the loop thread except the writer. */
typedef struct halyard_intake halyard_intake;

typedef struct {
    struct event_base *base;
    halyard_http_server *server;
    halyard_store *store; /* the loop thread's connection, for reading MSPs and credentials */
    const halyard_secret_key *key;
    const char *database_path;                             /* for the writer's own connections */
    const halyard_delivery_writer_options *writer_options; /* NULL for the defaults */
} halyard_intake_settings;

/* Counters since open, for the stop log line. */
typedef struct {
    uint64_t deliveries_stored; /* replied 200 */
    uint64_t deliveries_failed; /* replied 503 because storing failed */
    uint64_t events_added;      /* rows added, flagged ones included */
    uint64_t rows_flagged;
    uint64_t rejected_unauthorized;
    uint64_t rejected_unknown_msp;
    uint64_t rejected_stopping;
    uint64_t rejected_too_many_events; /* replied 413: a batch over the event limit */
    halyard_delivery_writer_stats writer;
} halyard_intake_stats;

/* Reads the MSPs, starts the delivery writer and adds the route to the server. Returns 0 and
 * *intake, or -1 with a message. */
int halyard_intake_open(const halyard_intake_settings *settings, halyard_intake **intake,
                        char *message, size_t message_size);

/* From now on every delivery gets 503 with Retry-After, and its connection is closed.
 * Deliveries already with the writer are still stored and replied to. */
void halyard_intake_stop(halyard_intake *intake);

/* Sets a function called on the loop thread after a delivery added rows to the database. */
void halyard_intake_set_stored_callback(halyard_intake *intake, void (*stored)(void *argument),
                                        void *argument);

/* Deliveries with the writer whose answer is still to come. */
size_t halyard_intake_in_flight(const halyard_intake *intake);

void halyard_intake_read_stats(halyard_intake *intake, halyard_intake_stats *stats);

/* Stops the writer and frees the intake. Call after halyard_intake_in_flight reached zero, or
 * after halyard_http_server_free answered what was left. NULL is allowed. */
void halyard_intake_close(halyard_intake *intake);

#endif
