#ifndef SIM_DELIVERY_H
#define SIM_DELIVERY_H

#include "sim_message.h"

#include <event2/event.h>
#include <stddef.h>

/* Sends the webhook deliveries the Lua logic hands out, each as one HTTP/1.1 request on a new
 * connection after the delivery's delay_ms. An https:// URL gets TLS, with the peer's
 * certificate and host name verified. Each delivery has SIM_DELIVERY_TIMEOUT_SECONDS from
 * connecting to the end of the response, and ends in exactly one report, made from the event
 * loop. */
struct sim_delivery_sender;

#define SIM_DELIVERY_TIMEOUT_SECONDS 10

/* Receives how a delivery ended. result and its fields are valid only during the call. */
typedef void (*sim_delivery_report)(void *context, const char *attempt_id,
                                    const struct sim_delivery_result *result);

/* Creates a sender on base. ca_path names a PEM file of the CAs https deliveries trust, or is
 * NULL for the system's trusted CAs. Returns NULL with message set when the CAs cannot be
 * loaded or memory runs out. */
struct sim_delivery_sender *sim_delivery_sender_new(struct event_base *base, const char *ca_path,
                                                    sim_delivery_report report, void *context,
                                                    char *message, size_t message_size);

/* Starts a delivery, taking over what delivery owns (delivery is left empty). A URL that cannot
 * be used is reported as an error like any other failure. Returns 0, or -1 when memory runs
 * out, in which case nothing is reported and delivery keeps its contents. */
int sim_delivery_sender_start(struct sim_delivery_sender *sender, struct sim_delivery *delivery);

/* Abandons the deliveries still in progress, without reporting them, and frees the sender.
 * Accepts NULL. */
void sim_delivery_sender_free(struct sim_delivery_sender *sender);

#endif
