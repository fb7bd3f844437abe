#ifndef HALYARD_SERVE_H
#define HALYARD_SERVE_H

#include "cli.h"

/* `halyard serve [--data-dir DIR] [--listen HOST:PORT] [--test-clock]`: runs the HTTP server
 * (/healthz, the webhook intake and the admin API) until SIGINT or SIGTERM. --test-clock turns
 * on the test clock and its endpoints (test_api.h). On either signal it closes the listening
 * socket, replies 503 to new requests on open connections, stores the deliveries already taken and
 * replies to them, and exits 0. A second signal exits at once. argv[0] is "serve". Returns one
 * of the HALYARD_EXIT_ statuses. */
int halyard_serve_command(int argc, char **argv, const halyard_cli_context *context);

/* Splits "HOST:PORT" or "[IPv6]:PORT" into host (copied into host, host_size bytes) and *port.
 * Returns 0, or -1 with a message that shows the expected form. */
int halyard_serve_parse_listen(const char *text, char *host, size_t host_size, int *port,
                               char *message, size_t message_size);

#endif
