#ifndef SIM_MESSAGE_H
#define SIM_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

/* The HTTP messages that pass between halosim's parts. The server hands a sim_request to the
 * handler and sends back the sim_response it gets. The Lua logic hands out sim_delivery records,
 * and the sender reports a sim_delivery_result for each. */

struct sim_header {
    char *name;
    char *value;
};

/* Header fields in arrival order. The list owns the copies of names and values. */
struct sim_header_list {
    struct sim_header *items;
    size_t count;
    size_t capacity;
};

/* Appends a copy of name and value (neither needs a NUL). When lower_case_name is true the stored
 * name is lower-cased. Returns 0, or -1 when memory runs out. */
int sim_header_list_add(struct sim_header_list *list, const char *name, size_t name_length,
                        const char *value, size_t value_length, bool lower_case_name);

/* Returns the value of the first field named name (compared without case), or NULL. */
const char *sim_header_list_find(const struct sim_header_list *list, const char *name);

/* Frees every field and leaves an empty list that can be reused. */
void sim_header_list_clear(struct sim_header_list *list);

/* A request as the server passes it to the handler. Every pointer is borrowed from the server and
 * is valid only during the handler call. */
struct sim_request {
    const char *method;
    const char *path;                      /* raw, percent-escapes kept, no query */
    const char *query;                     /* raw, "" when the URL has none */
    const struct sim_header_list *headers; /* names lower-cased, repeated fields joined by ", " */
    const char *body;
    size_t body_length;
    const char *remote; /* the peer's IP address */
};

/* The response to a request. It owns its headers and body. */
struct sim_response {
    int status;
    struct sim_header_list headers;
    char *body;
    size_t body_length;
    long delay_ms; /* real time to wait before responding */
    bool drop;     /* close the connection without a response */
};

/* Replaces the response with status and the body {"ClassName":"System.Exception","Message":...},
 * the shape HaloPSA gives its own exceptions. Returns 0, or -1 when memory runs out. */
int sim_response_set_exception(struct sim_response *response, int status, const char *message);

void sim_response_clear(struct sim_response *response);

/* An outbound webhook delivery handed out by the Lua logic. It owns every field. */
struct sim_delivery {
    char *attempt_id;
    char *url;
    char *method;
    struct sim_header_list headers;
    char *body;
    size_t body_length;
    long delay_ms; /* real time to wait before connecting */
};

void sim_delivery_clear(struct sim_delivery *delivery);

/* How a delivery ended: an HTTP status (error is NULL), or an error and status 0. It owns every
 * field. */
struct sim_delivery_result {
    int status;
    struct sim_header_list headers; /* names lower-cased */
    char *body;                     /* at most the first SIM_DELIVERY_RESULT_BODY_MAX bytes */
    size_t body_length;
    char *error;
};

#define SIM_DELIVERY_RESULT_BODY_MAX 4096

/* Sets error to a copy of message after freeing what the result held. Returns 0, or -1 when
 * memory runs out. */
int sim_delivery_result_set_error(struct sim_delivery_result *result, const char *message);

void sim_delivery_result_clear(struct sim_delivery_result *result);

/* Returns a NUL-terminated heap copy of the first length bytes of text, or NULL when memory
 * runs out. */
char *sim_copy_bytes(const char *text, size_t length);

#endif
