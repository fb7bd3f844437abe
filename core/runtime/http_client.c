#include "http_client.h"

#include "message.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTTP_DEFAULT_TIMEOUT_MS 30000L
#define HTTP_DEFAULT_MAX_BODY   ((size_t)16 * 1024 * 1024)

typedef struct http_transfer http_transfer;

struct halyard_http_client {
    struct event_base *base;
    CURLM *multi;
    struct event *timer;
    char *ca_file;
    long default_timeout_ms;
    size_t max_body_bytes;
    size_t pending;
    http_transfer *transfers; /* doubly linked, so free can abandon them */
};

struct http_transfer {
    halyard_http_client *client;
    CURL *easy;
    struct curl_slist *headers;
    char *request_body;
    char *body;
    size_t body_length;
    size_t body_capacity;
    size_t max_body_bytes;
    bool body_too_long;
    bool keep_headers;
    char *response_headers;
    size_t response_headers_length;
    bool headers_too_long;
    halyard_http_address_check check_address;
    void *check_argument;
    char rejection[256]; /* why check_address rejected an address, or "" */
    halyard_http_callback callback;
    void *user_data;
    char error[CURL_ERROR_SIZE];
    http_transfer *previous;
    http_transfer *next;
};

/* The libevent watcher of one socket curl asked to watch. */
typedef struct {
    struct event *event;
} http_socket;

static void free_transfer(http_transfer *transfer)
{
    halyard_http_client *client = transfer->client;
    if (transfer->previous != NULL) {
        transfer->previous->next = transfer->next;
    } else {
        client->transfers = transfer->next;
    }
    if (transfer->next != NULL) {
        transfer->next->previous = transfer->previous;
    }
    curl_multi_remove_handle(client->multi, transfer->easy);
    curl_easy_cleanup(transfer->easy);
    curl_slist_free_all(transfer->headers);
    free(transfer->request_body);
    free(transfer->body);
    free(transfer->response_headers);
    free(transfer);
    client->pending--;
}

/* Hands every finished transfer to its callback, then frees it. */
static void finish_transfers(halyard_http_client *client)
{
    CURLMsg *done;
    int remaining = 0;
    while ((done = curl_multi_info_read(client->multi, &remaining)) != NULL) {
        if (done->msg != CURLMSG_DONE) {
            continue;
        }
        http_transfer *transfer = NULL;
        curl_easy_getinfo(done->easy_handle, CURLINFO_PRIVATE, (char **)&transfer);
        CURLcode result = done->data.result;

        halyard_http_response response = {0};
        response.body = transfer->body != NULL ? transfer->body : "";
        response.body_length = transfer->body_length;
        response.headers = transfer->response_headers != NULL ? transfer->response_headers : "";
        response.headers_length = transfer->response_headers_length;
        curl_easy_getinfo(transfer->easy, CURLINFO_TOTAL_TIME, &response.seconds);
        if (result == CURLE_OK) {
            curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &response.status);
        } else if (transfer->body_too_long) {
            snprintf(transfer->error, sizeof transfer->error,
                     "the response body is longer than %zu bytes", transfer->max_body_bytes);
            response.error = transfer->error;
        } else if (transfer->headers_too_long) {
            snprintf(transfer->error, sizeof transfer->error,
                     "the response headers are longer than %d bytes",
                     HALYARD_HTTP_MAX_HEADER_BYTES);
            response.error = transfer->error;
        } else if (transfer->rejection[0] != '\0' && result == CURLE_COULDNT_CONNECT) {
            response.error = transfer->rejection;
        } else {
            if (transfer->error[0] == '\0') {
                snprintf(transfer->error, sizeof transfer->error, "%s", curl_easy_strerror(result));
            }
            response.error = transfer->error;
        }

        transfer->callback(&response, transfer->user_data);
        free_transfer(transfer);
    }
}

static void on_socket_event(evutil_socket_t fd, short events, void *argument)
{
    halyard_http_client *client = argument;
    int flags = 0;
    if (events & EV_READ) {
        flags |= CURL_CSELECT_IN;
    }
    if (events & EV_WRITE) {
        flags |= CURL_CSELECT_OUT;
    }
    int running = 0;
    curl_multi_socket_action(client->multi, fd, flags, &running);
    finish_transfers(client);
}

static void on_timer(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    halyard_http_client *client = argument;
    int running = 0;
    curl_multi_socket_action(client->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    finish_transfers(client);
}

/* CURLMOPT_SOCKETFUNCTION: watch, rewatch or forget a socket. */
static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *argument,
                          void *socket_argument)
{
    (void)easy;
    halyard_http_client *client = argument;
    http_socket *watched = socket_argument;

    if (what == CURL_POLL_REMOVE) {
        if (watched != NULL) {
            event_free(watched->event);
            free(watched);
            curl_multi_assign(client->multi, fd, NULL);
        }
        return 0;
    }

    short events = EV_PERSIST;
    if (what & CURL_POLL_IN) {
        events |= EV_READ;
    }
    if (what & CURL_POLL_OUT) {
        events |= EV_WRITE;
    }
    if (watched == NULL) {
        watched = calloc(1, sizeof *watched);
        if (watched == NULL) {
            return -1;
        }
        curl_multi_assign(client->multi, fd, watched);
    } else {
        event_free(watched->event);
    }
    watched->event = event_new(client->base, fd, events, on_socket_event, client);
    if (watched->event == NULL || event_add(watched->event, NULL) != 0) {
        return -1;
    }
    return 0;
}

/* CURLMOPT_TIMERFUNCTION: curl asks to be woken after timeout_ms (-1: no timer). */
static int on_curl_timer(CURLM *multi, long timeout_ms, void *argument)
{
    (void)multi;
    halyard_http_client *client = argument;
    if (timeout_ms < 0) {
        evtimer_del(client->timer);
        return 0;
    }
    struct timeval delay = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    evtimer_add(client->timer, &delay);
    return 0;
}

static size_t on_body(char *data, size_t size, size_t count, void *argument)
{
    http_transfer *transfer = argument;
    size_t length = size * count;
    size_t max = transfer->max_body_bytes;

    if (transfer->body_length + length > max) {
        transfer->body_too_long = true;
        return 0; /* curl aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (transfer->body_length + length + 1 > transfer->body_capacity) {
        size_t capacity = transfer->body_capacity != 0 ? transfer->body_capacity : 4096;
        while (capacity < transfer->body_length + length + 1) {
            capacity *= 2;
        }
        char *grown = realloc(transfer->body, capacity);
        if (grown == NULL) {
            return 0;
        }
        transfer->body = grown;
        transfer->body_capacity = capacity;
    }
    memcpy(transfer->body + transfer->body_length, data, length);
    transfer->body_length += length;
    transfer->body[transfer->body_length] = '\0';
    return length;
}

/* CURLOPT_HEADERFUNCTION for requests that keep their headers: collects the header lines of
 * the last response. A status line starts a new response (after a 100 Continue, say). */
static size_t on_header(char *data, size_t size, size_t count, void *argument)
{
    http_transfer *transfer = argument;
    size_t length = size * count;

    if (length >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        transfer->response_headers_length = 0;
        if (transfer->response_headers != NULL) {
            transfer->response_headers[0] = '\0';
        }
        return length;
    }
    if (length <= 2 && (length == 0 || data[0] == '\r' || data[0] == '\n')) {
        return length; /* the blank line that ends the headers */
    }

    if (transfer->response_headers_length + length > HALYARD_HTTP_MAX_HEADER_BYTES) {
        transfer->headers_too_long = true;
        return 0; /* curl aborts the transfer with CURLE_WRITE_ERROR */
    }
    char *grown =
        realloc(transfer->response_headers, transfer->response_headers_length + length + 1);
    if (grown == NULL) {
        return 0;
    }
    transfer->response_headers = grown;
    memcpy(transfer->response_headers + transfer->response_headers_length, data, length);
    transfer->response_headers_length += length;
    transfer->response_headers[transfer->response_headers_length] = '\0';
    return length;
}

/* CURLOPT_OPENSOCKETFUNCTION for requests with an address check: opens the socket only for an
 * address the check allows. The first rejection's message is kept for the response. */
static curl_socket_t on_open_socket(void *argument, curlsocktype purpose,
                                    struct curl_sockaddr *address)
{
    http_transfer *transfer = argument;
    char message[sizeof transfer->rejection];

    if (purpose != CURLSOCKTYPE_IPCXN) {
        return CURL_SOCKET_BAD;
    }
    if (transfer->check_address(&address->addr, (size_t)address->addrlen, transfer->check_argument,
                                message, sizeof message) != 0) {
        if (transfer->rejection[0] == '\0') {
            snprintf(transfer->rejection, sizeof transfer->rejection, "%s", message);
        }
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

int halyard_http_client_create(struct event_base *base, const halyard_http_client_options *options,
                               halyard_http_client **out, char *message, size_t message_size)
{
    *out = NULL;
    static bool curl_ready;
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            halyard_message_write(message, message_size, "libcurl failed to initialise");
            return -1;
        }
        curl_ready = true;
    }

    halyard_http_client *client = calloc(1, sizeof *client);
    if (client == NULL) {
        halyard_message_write(message, message_size, "out of memory creating the HTTP client");
        return -1;
    }
    client->base = base;
    client->default_timeout_ms = options != NULL && options->default_timeout_ms > 0
                                     ? options->default_timeout_ms
                                     : HTTP_DEFAULT_TIMEOUT_MS;
    client->max_body_bytes = options != NULL && options->max_body_bytes > 0
                                 ? options->max_body_bytes
                                 : HTTP_DEFAULT_MAX_BODY;
    if (options != NULL && options->ca_file != NULL) {
        client->ca_file = strdup(options->ca_file);
        if (client->ca_file == NULL) {
            goto out_of_memory;
        }
    }

    client->multi = curl_multi_init();
    client->timer = evtimer_new(base, on_timer, client);
    if (client->multi == NULL || client->timer == NULL) {
        goto out_of_memory;
    }
    curl_multi_setopt(client->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(client->multi, CURLMOPT_SOCKETDATA, client);
    curl_multi_setopt(client->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(client->multi, CURLMOPT_TIMERDATA, client);
    *out = client;
    return 0;

out_of_memory:
    halyard_message_write(message, message_size, "out of memory creating the HTTP client");
    halyard_http_client_free(client);
    return -1;
}

/* Checks that request's method is one halyard sends and that its body fits the method.
 * Returns 0, or -1 with a message. The method must match exactly: "get" or "GET\r\n" is not GET. A
 * GET or HEAD with a body is rejected, because libcurl would send the body as a POST. */
static int check_method(const halyard_http_request *request, char *message, size_t message_size)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
    const char *method = request->method != NULL ? request->method : "";
    bool known = false;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        known = known || strcmp(method, methods[i]) == 0;
    }
    if (!known) {
        halyard_message_write(message, message_size,
                              "invalid HTTP method '%.16s': expected GET, HEAD, POST, PUT, PATCH "
                              "or DELETE",
                              method);
        return -1;
    }
    if (request->body != NULL && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
        halyard_message_write(message, message_size,
                              "a %s request cannot carry a body: send the body with POST, PUT, "
                              "PATCH or DELETE",
                              method);
        return -1;
    }
    return 0;
}

int halyard_http_send(halyard_http_client *client, const halyard_http_request *request,
                      halyard_http_callback callback, void *user_data, char *message,
                      size_t message_size)
{
    if (check_method(request, message, message_size) != 0) {
        return -1;
    }
    http_transfer *transfer = calloc(1, sizeof *transfer);
    if (transfer == NULL || (transfer->easy = curl_easy_init()) == NULL) {
        free(transfer);
        halyard_message_write(message, message_size, "out of memory starting a request");
        return -1;
    }
    transfer->client = client;
    transfer->callback = callback;
    transfer->user_data = user_data;
    transfer->max_body_bytes =
        request->max_body_bytes > 0 && request->max_body_bytes < client->max_body_bytes
            ? request->max_body_bytes
            : client->max_body_bytes;
    transfer->keep_headers = request->keep_headers;
    transfer->check_address = request->check_address;
    transfer->check_argument = request->check_argument;
    CURL *easy = transfer->easy;

    /* Step 1: what to send. */
    curl_easy_setopt(easy, CURLOPT_URL, request->url);
    if (strcmp(request->method, "GET") == 0) {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(request->method, "HEAD") == 0) {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request->method);
    }
    if (request->body != NULL) {
        transfer->request_body = malloc(request->body_length + 1);
        if (transfer->request_body == NULL) {
            goto out_of_memory;
        }
        memcpy(transfer->request_body, request->body, request->body_length);
        transfer->request_body[request->body_length] = '\0';
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->request_body);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
    }
    for (const char *const *header = request->headers; header != NULL && *header != NULL;
         header++) {
        struct curl_slist *appended = curl_slist_append(transfer->headers, *header);
        if (appended == NULL) {
            goto out_of_memory;
        }
        transfer->headers = appended;
    }
    /* Without this curl sends "Expect: 100-continue" on larger bodies and waits a second. */
    struct curl_slist *appended = curl_slist_append(transfer->headers, "Expect:");
    if (appended == NULL) {
        goto out_of_memory;
    }
    transfer->headers = appended;
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);

    /* Step 2: how: verified TLS, no redirects, bounded time. A request that changes something
     * gets a connection of its own: on a reused connection that the server closes without
     * answering, libcurl sends the request again by itself, and a write must never be repeated
     * without halyard checking first whether the first one took effect. */
    bool safe_method = strcmp(request->method, "GET") == 0 || strcmp(request->method, "HEAD") == 0;
    if (!safe_method || request->check_address != NULL) {
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    }
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (client->ca_file != NULL) {
        curl_easy_setopt(easy, CURLOPT_CAINFO, client->ca_file);
    }
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     request->timeout_ms > 0 ? request->timeout_ms : client->default_timeout_ms);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "halyard");

    /* A checked request connects straight to the host, so the check is given the host's address
     * and not a proxy's. */
    if (request->check_address != NULL) {
        curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, transfer);
    }

    /* Step 3: where the response goes. */
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer);
    if (request->keep_headers) {
        curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer);
    }
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer);

    if (curl_multi_add_handle(client->multi, easy) != CURLM_OK) {
        halyard_message_write(message, message_size, "cannot start a request to %s", request->url);
        curl_easy_cleanup(easy);
        curl_slist_free_all(transfer->headers);
        free(transfer->request_body);
        free(transfer);
        return -1;
    }
    transfer->next = client->transfers;
    if (client->transfers != NULL) {
        client->transfers->previous = transfer;
    }
    client->transfers = transfer;
    client->pending++;
    return 0;

out_of_memory:
    halyard_message_write(message, message_size, "out of memory starting a request");
    curl_easy_cleanup(easy);
    curl_slist_free_all(transfer->headers);
    free(transfer->request_body);
    free(transfer);
    return -1;
}

size_t halyard_http_cancel(halyard_http_client *client, halyard_http_callback callback,
                           void *user_data)
{
    size_t cancelled = 0;
    http_transfer *transfer = client->transfers;
    while (transfer != NULL) {
        http_transfer *next = transfer->next;
        if (transfer->callback == callback && transfer->user_data == user_data) {
            free_transfer(transfer);
            cancelled++;
        }
        transfer = next;
    }
    return cancelled;
}

size_t halyard_http_pending(const halyard_http_client *client)
{
    return client->pending;
}

void halyard_http_client_free(halyard_http_client *client)
{
    if (client == NULL) {
        return;
    }
    while (client->transfers != NULL) {
        free_transfer(client->transfers);
    }
    if (client->multi != NULL) {
        curl_multi_cleanup(client->multi);
    }
    if (client->timer != NULL) {
        event_free(client->timer);
    }
    free(client->ca_file);
    free(client);
}
