#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include "sim_message.h"

#include <event2/event.h>
#include <stddef.h>

/* halosim's HTTP(S) server: evhttp on one address, every method accepted, request bodies up to
 * SIM_SERVER_BODY_MAX bytes (413 beyond). Each request goes to the handler; its response is sent
 * at once, after the response's delay_ms, or not at all (drop closes the connection). */
struct sim_server;

#define SIM_SERVER_BODY_MAX (16 * 1024 * 1024)

/* Fills response (empty on entry) for request. Returns 0, or -1 when no response could be made
 * (the server then sends a bare 500). */
typedef int (*sim_server_handler)(void *context, const struct sim_request *request,
                                  struct sim_response *response);

/* Creates a server on base that passes requests to handler(context, ...). Returns NULL when
 * memory runs out. */
struct sim_server *sim_server_new(struct event_base *base, sim_server_handler handler,
                                  void *context);

/* Makes the server speak HTTPS (TLS 1.2 or newer) with the PEM certificate chain and key.
 * Returns 0, or -1 with message set when a file cannot be used or the key does not match. */
int sim_server_use_tls(struct sim_server *server, const char *certificate_path,
                       const char *key_path, char *message, size_t message_size);

/* Listens on address and port (0 picks a free port) and stores the port bound in *bound_port.
 * Returns 0, or -1 with message set. */
int sim_server_bind(struct sim_server *server, const char *address, int port, int *bound_port,
                    char *message, size_t message_size);

/* Closes the connections of responses still waiting for their delay, without a response, then
 * frees the server and its other connections. Accepts NULL. */
void sim_server_free(struct sim_server *server);

#endif
