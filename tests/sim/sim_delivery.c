#include "sim_delivery.h"

#include "sim_log.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

/* The maximum number of body bytes read from a response; a longer body is cut there and the
 * response counts as complete, since only its first SIM_DELIVERY_RESULT_BODY_MAX bytes are
 * reported. */
#define DELIVERY_BODY_READ_MAX (1024 * 1024)

/* The maximum number of bytes of status line and header fields accepted in a response. */
#define DELIVERY_HEADERS_MAX (64 * 1024)

enum delivery_state {
    DELIVERY_WAITING,  /* for delay_ms to pass */
    DELIVERY_SENDING,  /* connecting, writing the request or reading the response */
    DELIVERY_FINISHED, /* result set, report due on the next loop pass */
};

enum delivery_read_state {
    DELIVERY_READ_STATUS,
    DELIVERY_READ_HEADERS,
    DELIVERY_READ_BODY,
};

/* One delivery from start to report. Its timer serves each state in turn: the delay, then the
 * deadline, then the deferred report. */
struct delivery_attempt {
    struct sim_delivery_sender *sender;
    struct delivery_attempt *previous;
    struct delivery_attempt *next;
    struct sim_delivery delivery;
    enum delivery_state state;
    struct event *timer;
    struct timespec started;

    /* From the URL. */
    bool https;
    char *host; /* an IPv6 address without its brackets */
    int port;
    char *target;  /* path and query, as sent in the request line */
    char *log_url; /* scheme, host, port and path (no query, which may carry secrets) */

    /* The connection and what has been read from it. */
    struct bufferevent *connection;
    SSL *tls; /* owned by connection */
    enum delivery_read_state read_state;
    size_t header_bytes;
    bool body_expected;
    long long content_length; /* -1 when the response gives none */
    bool chunked;
    struct evbuffer *body; /* as received, chunk framing included */
    struct sim_delivery_result result;
};

struct sim_delivery_sender {
    struct event_base *base;
    SSL_CTX *tls;
    sim_delivery_report report;
    void *context;
    struct delivery_attempt *attempts;
};

static void delivery_attempt_free(struct delivery_attempt *attempt)
{
    struct sim_delivery_sender *sender = attempt->sender;
    if (attempt->previous != NULL) {
        attempt->previous->next = attempt->next;
    } else {
        sender->attempts = attempt->next;
    }
    if (attempt->next != NULL) {
        attempt->next->previous = attempt->previous;
    }

    if (attempt->connection != NULL) {
        bufferevent_free(attempt->connection);
    }
    event_free(attempt->timer);
    if (attempt->body != NULL) {
        evbuffer_free(attempt->body);
    }
    sim_delivery_clear(&attempt->delivery);
    sim_delivery_result_clear(&attempt->result);
    free(attempt->host);
    free(attempt->target);
    free(attempt->log_url);
    free(attempt);
}

/* Ends the attempt with its current result: closes the connection now and makes the timer
 * fire at once, so the report runs from the event loop and never inside a caller's stack. Safe to
 * call from the connection's own callbacks. */
static void delivery_finish(struct delivery_attempt *attempt)
{
    if (attempt->connection != NULL) {
        bufferevent_free(attempt->connection);
        attempt->connection = NULL;
        attempt->tls = NULL;
    }
    attempt->state = DELIVERY_FINISHED;
    event_del(attempt->timer);
    event_active(attempt->timer, EV_TIMEOUT, 1);
}

__attribute__((format(printf, 2, 3))) static void delivery_fail(struct delivery_attempt *attempt,
                                                                const char *format, ...)
{
    char message[512];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);

    if (sim_delivery_result_set_error(&attempt->result, message) != 0) {
        sim_log(SIM_LOG_ERROR, "out of memory recording the failure of delivery %s",
                attempt->delivery.attempt_id);
    }
    delivery_finish(attempt);
}

/* Splits the delivery's URL into scheme, host, port and request target. Returns 0, or -1 with
 * error set. */
static int delivery_parse_url(struct delivery_attempt *attempt, char *error, size_t error_size)
{
    const char *url = attempt->delivery.url;
    int result = -1;
    struct evhttp_uri *uri = evhttp_uri_parse(url);
    if (uri == NULL) {
        snprintf(error, error_size, "invalid url '%s': it does not parse as a URL", url);
        return -1;
    }

    const char *scheme = evhttp_uri_get_scheme(uri);
    const char *host = evhttp_uri_get_host(uri);
    const char *path = evhttp_uri_get_path(uri);
    const char *query = evhttp_uri_get_query(uri);
    if (scheme == NULL || (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)) {
        snprintf(error, error_size, "invalid url '%s': the scheme must be http or https", url);
        goto done;
    }
    if (host == NULL || host[0] == '\0') {
        snprintf(error, error_size, "invalid url '%s': it names no host", url);
        goto done;
    }
    if (evhttp_uri_get_userinfo(uri) != NULL) {
        snprintf(error, error_size,
                 "invalid url '%s': user and password belong in an Authorization header, not in "
                 "the URL",
                 url);
        goto done;
    }

    attempt->https = strcasecmp(scheme, "https") == 0;
    int port = evhttp_uri_get_port(uri);
    if (port > 0) {
        attempt->port = port;
    } else {
        attempt->port = attempt->https ? 443 : 80;
    }

    size_t host_length = strlen(host);
    if (host[0] == '[' && host_length > 2 && host[host_length - 1] == ']') {
        host++;
        host_length -= 2;
    }
    attempt->host = sim_copy_bytes(host, host_length);

    if (path == NULL || path[0] == '\0') {
        path = "/";
    }
    size_t target_size = strlen(path) + (query != NULL ? strlen(query) + 1 : 0) + 1;
    attempt->target = malloc(target_size);
    size_t log_url_size = strlen(scheme) + 3 + host_length + 2 + 6 + strlen(path) + 1;
    attempt->log_url = malloc(log_url_size);
    if (attempt->host == NULL || attempt->target == NULL || attempt->log_url == NULL) {
        snprintf(error, error_size, "out of memory");
        goto done;
    }
    snprintf(attempt->target, target_size, "%s%s%s", path, query != NULL ? "?" : "",
             query != NULL ? query : "");
    bool ipv6 = strchr(attempt->host, ':') != NULL;
    snprintf(attempt->log_url, log_url_size, "%s://%s%s%s:%d%s", attempt->https ? "https" : "http",
             ipv6 ? "[" : "", attempt->host, ipv6 ? "]" : "", attempt->port, path);
    result = 0;

done:
    evhttp_uri_free(uri);
    return result;
}

static bool delivery_is_token(const char *text)
{
    if (text[0] == '\0') {
        return false;
    }
    for (const char *c = text; *c != '\0'; c++) {
        if (!isalnum((unsigned char)*c) && strchr("!#$%&'*+-.^_`|~", *c) == NULL) {
            return false;
        }
    }
    return true;
}

/* Writes the request into output: request line, Host unless the delivery sets one, the
 * delivery's headers, then Content-Length and Connection: close, which the sender always sets
 * itself because it frames the body and uses each connection once. */
static int delivery_write_request(const struct delivery_attempt *attempt, struct evbuffer *output)
{
    const struct sim_delivery *delivery = &attempt->delivery;
    bool ipv6 = strchr(attempt->host, ':') != NULL;
    bool default_port = attempt->port == (attempt->https ? 443 : 80);

    int failed =
        evbuffer_add_printf(output, "%s %s HTTP/1.1\r\n", delivery->method, attempt->target) < 0;
    if (sim_header_list_find(&delivery->headers, "Host") == NULL) {
        char port[16] = "";
        if (!default_port) {
            snprintf(port, sizeof port, ":%d", attempt->port);
        }
        failed |= evbuffer_add_printf(output, "Host: %s%s%s%s\r\n", ipv6 ? "[" : "", attempt->host,
                                      ipv6 ? "]" : "", port) < 0;
    }
    for (size_t i = 0; i < delivery->headers.count; i++) {
        const struct sim_header *field = &delivery->headers.items[i];
        if (strcasecmp(field->name, "Content-Length") == 0 ||
            strcasecmp(field->name, "Transfer-Encoding") == 0 ||
            strcasecmp(field->name, "Connection") == 0) {
            continue;
        }
        failed |= evbuffer_add_printf(output, "%s: %s\r\n", field->name, field->value) < 0;
    }
    failed |= evbuffer_add_printf(output, "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                  delivery->body_length) < 0;
    failed |= evbuffer_add(output, delivery->body, delivery->body_length) != 0;
    return failed ? -1 : 0;
}

/* Decodes the chunked body in raw (length bytes), copying up to output_size bytes of content to
 * output. Sets *complete when the last chunk was seen. Returns 0, or -1 when the framing is
 * invalid. */
static int delivery_decode_chunked(const unsigned char *raw, size_t length, char *output,
                                   size_t output_size, size_t *output_length, bool *complete)
{
    size_t position = 0;
    *output_length = 0;
    *complete = false;

    while (position < length) {
        /* The size line: hex digits, optional ";extension", CRLF. */
        const unsigned char *line_end = memchr(raw + position, '\n', length - position);
        if (line_end == NULL) {
            return 0;
        }
        unsigned long long size = 0;
        size_t digits = 0;
        while (raw + position < line_end && isxdigit(raw[position])) {
            if (size > (1ULL << 40)) {
                return -1;
            }
            int c = tolower(raw[position]);
            size = size * 16 + (unsigned long long)(isdigit(c) ? c - '0' : c - 'a' + 10);
            position++;
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        position = (size_t)(line_end - raw) + 1;
        if (size == 0) {
            *complete = true;
            return 0;
        }

        /* The chunk's data and its CRLF. */
        size_t available = length - position;
        size_t take = size < available ? (size_t)size : available;
        size_t room = output_size - *output_length;
        memcpy(output + *output_length, raw + position, take < room ? take : room);
        *output_length += take < room ? take : room;
        if (available < size + 2) {
            return 0;
        }
        position += (size_t)size;
        if (raw[position] != '\r' || raw[position + 1] != '\n') {
            return -1;
        }
        position += 2;
    }
    return 0;
}

/* Sets the result's body from what was read and ends the attempt. Called once the response is
 * complete (or the part of it worth reading is in). */
static void delivery_complete(struct delivery_attempt *attempt)
{
    char content[SIM_DELIVERY_RESULT_BODY_MAX];
    size_t content_length = 0;
    size_t raw_length = evbuffer_get_length(attempt->body);

    if (attempt->chunked) {
        bool complete;
        const unsigned char *raw = evbuffer_pullup(attempt->body, -1);
        if (delivery_decode_chunked(raw, raw_length, content, sizeof content, &content_length,
                                    &complete) != 0) {
            delivery_fail(attempt, "invalid chunked body in the response from %s",
                          attempt->log_url);
            return;
        }
    } else {
        content_length = raw_length < sizeof content ? raw_length : sizeof content;
        if (attempt->content_length >= 0 && (size_t)attempt->content_length < content_length) {
            content_length = (size_t)attempt->content_length;
        }
        evbuffer_copyout(attempt->body, content, content_length);
    }

    attempt->result.body = sim_copy_bytes(content, content_length);
    if (attempt->result.body == NULL) {
        delivery_fail(attempt, "out of memory storing the response body");
        return;
    }
    attempt->result.body_length = content_length;
    delivery_finish(attempt);
}

/* Parses "HTTP/1.x NNN reason". Returns the status, or -1. */
static int delivery_parse_status_line(const char *line)
{
    if (strncmp(line, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)line[7]) || line[8] != ' ' ||
        !isdigit((unsigned char)line[9]) || !isdigit((unsigned char)line[10]) ||
        !isdigit((unsigned char)line[11]) || (line[12] != ' ' && line[12] != '\0')) {
        return -1;
    }
    int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    return status >= 100 ? status : -1;
}

/* Handles one header line (line_length bytes, CRLF removed). Returns 0, or -1 after failing the
 * attempt. */
static int delivery_read_header_line(struct delivery_attempt *attempt, char *line,
                                     size_t line_length)
{
    char *colon = memchr(line, ':', line_length);
    if (colon == NULL || colon == line) {
        delivery_fail(attempt, "invalid header line in the response from %s", attempt->log_url);
        return -1;
    }
    *colon = '\0';
    if (!delivery_is_token(line)) {
        delivery_fail(attempt, "invalid header name in the response from %s", attempt->log_url);
        return -1;
    }
    char *value = colon + 1;
    char *end = line + line_length;
    while (value < end && (*value == ' ' || *value == '\t')) {
        value++;
    }
    while (end > value && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    *end = '\0';

    if (strcasecmp(line, "Content-Length") == 0) {
        char *number_end;
        errno = 0;
        long long length = strtoll(value, &number_end, 10);
        if (value[0] == '\0' || !isdigit((unsigned char)value[0]) || *number_end != '\0' ||
            errno != 0) {
            delivery_fail(attempt, "invalid Content-Length '%s' in the response from %s", value,
                          attempt->log_url);
            return -1;
        }
        attempt->content_length = length;
    } else if (strcasecmp(line, "Transfer-Encoding") == 0) {
        /* Chunked is the last coding when present at all. */
        size_t value_length = strlen(value);
        attempt->chunked =
            value_length >= 7 && strcasecmp(value + value_length - 7, "chunked") == 0;
    }

    if (sim_header_list_add(&attempt->result.headers, line, strlen(line), value, strlen(value),
                            true) != 0) {
        delivery_fail(attempt, "out of memory storing the response headers");
        return -1;
    }
    return 0;
}

/* Reads status line and headers as far as input allows. Returns 1 when the headers are complete,
 * 0 when more input is needed, -1 after failing the attempt. */
static int delivery_read_head(struct delivery_attempt *attempt, struct evbuffer *input)
{
    for (;;) {
        size_t line_length;
        char *line = evbuffer_readln(input, &line_length, EVBUFFER_EOL_CRLF);
        if (line == NULL) {
            if (attempt->header_bytes + evbuffer_get_length(input) > DELIVERY_HEADERS_MAX) {
                delivery_fail(attempt, "the response headers from %s exceed %d bytes",
                              attempt->log_url, DELIVERY_HEADERS_MAX);
                return -1;
            }
            return 0;
        }
        attempt->header_bytes += line_length + 2;
        if (attempt->header_bytes > DELIVERY_HEADERS_MAX) {
            free(line);
            delivery_fail(attempt, "the response headers from %s exceed %d bytes", attempt->log_url,
                          DELIVERY_HEADERS_MAX);
            return -1;
        }

        if (attempt->read_state == DELIVERY_READ_STATUS) {
            int status = delivery_parse_status_line(line);
            free(line);
            if (status < 0) {
                delivery_fail(attempt, "invalid status line in the response from %s",
                              attempt->log_url);
                return -1;
            }
            attempt->result.status = status;
            attempt->read_state = DELIVERY_READ_HEADERS;
            continue;
        }

        if (line_length > 0) {
            int result = delivery_read_header_line(attempt, line, line_length);
            free(line);
            if (result != 0) {
                return -1;
            }
            continue;
        }
        free(line);

        /* The blank line. An interim 1xx response is followed by the real one. */
        int status = attempt->result.status;
        if (status >= 100 && status < 200 && status != 101) {
            sim_header_list_clear(&attempt->result.headers);
            attempt->content_length = -1;
            attempt->chunked = false;
            attempt->read_state = DELIVERY_READ_STATUS;
            continue;
        }
        attempt->body_expected = strcmp(attempt->delivery.method, "HEAD") != 0 && status != 204 &&
                                 status != 304 && status >= 200;
        attempt->read_state = DELIVERY_READ_BODY;
        return 1;
    }
}

/* Returns whether the body read so far is the whole body. At EOF a body without length or
 * chunking is complete. */
static bool delivery_body_complete(struct delivery_attempt *attempt, bool at_eof)
{
    size_t length = evbuffer_get_length(attempt->body);
    if (!attempt->body_expected || length >= DELIVERY_BODY_READ_MAX) {
        return true;
    }
    if (attempt->chunked) {
        char ignored[1];
        size_t ignored_length;
        bool complete = false;
        const unsigned char *raw = evbuffer_pullup(attempt->body, -1);
        /* Invalid framing also ends reading; delivery_complete reports it. */
        return delivery_decode_chunked(raw, length, ignored, 0, &ignored_length, &complete) != 0 ||
               complete;
    }
    if (attempt->content_length >= 0) {
        return length >= (size_t)attempt->content_length;
    }
    return at_eof;
}

static void delivery_on_read(struct bufferevent *connection, void *argument)
{
    struct delivery_attempt *attempt = argument;
    struct evbuffer *input = bufferevent_get_input(connection);

    if (attempt->read_state != DELIVERY_READ_BODY) {
        int head = delivery_read_head(attempt, input);
        if (head <= 0) {
            return;
        }
    }

    size_t room = DELIVERY_BODY_READ_MAX - evbuffer_get_length(attempt->body);
    size_t available = evbuffer_get_length(input);
    evbuffer_remove_buffer(input, attempt->body, available < room ? available : room);
    evbuffer_drain(input, evbuffer_get_length(input));
    if (delivery_body_complete(attempt, false)) {
        delivery_complete(attempt);
    }
}

/* Describes a failed connection: TLS verification first, then other TLS errors, then the socket
 * error. */
static void delivery_on_error(struct delivery_attempt *attempt, int socket_error)
{
    unsigned long tls_error = 0;
    for (unsigned long code; (code = bufferevent_get_openssl_error(attempt->connection)) != 0;) {
        if (tls_error == 0) {
            tls_error = code;
        }
    }
    long verify_result = attempt->tls != NULL ? SSL_get_verify_result(attempt->tls) : X509_V_OK;

    if (verify_result != X509_V_OK) {
        delivery_fail(attempt, "TLS certificate verification failed for %s: %s", attempt->host,
                      X509_verify_cert_error_string(verify_result));
    } else if (tls_error != 0) {
        char reason[256];
        ERR_error_string_n(tls_error, reason, sizeof reason);
        delivery_fail(attempt, "TLS failed with %s: %s", attempt->host, reason);
    } else if (socket_error != 0) {
        /* strerror's wording in lower case: "connection refused". */
        char reason[128];
        snprintf(reason, sizeof reason, "%s", strerror(socket_error));
        reason[0] = (char)tolower((unsigned char)reason[0]);
        delivery_fail(attempt, "%s", reason);
    } else {
        delivery_fail(attempt, "connection to %s failed", attempt->log_url);
    }
}

static void delivery_on_event(struct bufferevent *connection, short events, void *argument)
{
    struct delivery_attempt *attempt = argument;
    int socket_error = EVUTIL_SOCKET_ERROR();

    if (events & BEV_EVENT_CONNECTED) {
        return;
    }
    if (events & BEV_EVENT_ERROR) {
        delivery_on_error(attempt, socket_error);
        return;
    }
    if (!(events & BEV_EVENT_EOF)) {
        return;
    }

    /* The peer closed: take what is still buffered, then judge what arrived. */
    if (evbuffer_get_length(bufferevent_get_input(connection)) > 0) {
        delivery_on_read(connection, attempt);
        if (attempt->state != DELIVERY_SENDING) {
            return;
        }
    }
    if (attempt->read_state == DELIVERY_READ_STATUS && attempt->header_bytes == 0) {
        delivery_fail(attempt, "%s closed the connection without answering", attempt->log_url);
    } else if (attempt->read_state != DELIVERY_READ_BODY) {
        delivery_fail(attempt, "%s closed the connection in the middle of the response headers",
                      attempt->log_url);
    } else if (delivery_body_complete(attempt, true)) {
        delivery_complete(attempt);
    } else {
        delivery_fail(attempt, "%s closed the connection before the end of the response body",
                      attempt->log_url);
    }
}

/* Asks for certificate checks against the URL's host: its IP address, or its DNS name (also
 * sent as SNI). Returns 0, or -1 when memory runs out. */
static int delivery_set_tls_host(SSL *tls, const char *host)
{
    unsigned char address[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1) {
        return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls), host) == 1 ? 0 : -1;
    }
    if (SSL_set1_host(tls, host) != 1 || SSL_set_tlsext_host_name(tls, host) != 1) {
        return -1;
    }
    return 0;
}

/* Resolves the host, opens the connection and queues the request. On failure the attempt is
 * failed with the reason. */
static void delivery_connect(struct delivery_attempt *attempt)
{
    struct sim_delivery_sender *sender = attempt->sender;

    if (!delivery_is_token(attempt->delivery.method)) {
        delivery_fail(attempt, "invalid method '%s': expected an HTTP method such as POST",
                      attempt->delivery.method);
        return;
    }

    /* NOTE: a host name is resolved with a blocking getaddrinfo; deliveries in tests use IP
     * addresses or localhost, which resolve at once. */
    char port[16];
    snprintf(port, sizeof port, "%d", attempt->port);
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *addresses = NULL;
    int resolved = getaddrinfo(attempt->host, port, &hints, &addresses);
    if (resolved != 0) {
        delivery_fail(attempt, "cannot resolve host '%s': %s", attempt->host,
                      gai_strerror(resolved));
        return;
    }

    int options = BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS;
    if (attempt->https) {
        SSL *tls = SSL_new(sender->tls);
        if (tls == NULL || delivery_set_tls_host(tls, attempt->host) != 0) {
            SSL_free(tls);
            freeaddrinfo(addresses);
            delivery_fail(attempt, "cannot set up TLS for %s: out of memory", attempt->host);
            return;
        }
        attempt->connection = bufferevent_openssl_socket_new(sender->base, -1, tls,
                                                             BUFFEREVENT_SSL_CONNECTING, options);
        if (attempt->connection == NULL) {
            SSL_free(tls);
        } else {
            attempt->tls = tls;
            bufferevent_openssl_set_allow_dirty_shutdown(attempt->connection, 1);
        }
    } else {
        attempt->connection = bufferevent_socket_new(sender->base, -1, options);
    }
    attempt->body = evbuffer_new();
    if (attempt->connection == NULL || attempt->body == NULL ||
        delivery_write_request(attempt, bufferevent_get_output(attempt->connection)) != 0) {
        freeaddrinfo(addresses);
        delivery_fail(attempt, "cannot open a connection to %s: out of memory", attempt->log_url);
        return;
    }

    attempt->state = DELIVERY_SENDING;
    attempt->read_state = DELIVERY_READ_STATUS;
    attempt->content_length = -1;
    clock_gettime(CLOCK_MONOTONIC, &attempt->started);
    struct timeval deadline = {.tv_sec = SIM_DELIVERY_TIMEOUT_SECONDS};
    evtimer_add(attempt->timer, &deadline);

    bufferevent_setcb(attempt->connection, delivery_on_read, NULL, delivery_on_event, attempt);
    bufferevent_enable(attempt->connection, EV_READ | EV_WRITE);
    int connected = bufferevent_socket_connect(attempt->connection, addresses->ai_addr,
                                               (int)addresses->ai_addrlen);
    int connect_error = errno;
    freeaddrinfo(addresses);
    if (connected != 0) {
        delivery_on_error(attempt, connect_error);
    }
}

static long delivery_elapsed_ms(const struct timespec *started)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - started->tv_sec) * 1000 + (now.tv_nsec - started->tv_nsec) / 1000000;
}

static void delivery_on_timer(evutil_socket_t fd, short events, void *argument)
{
    (void)fd;
    (void)events;
    struct delivery_attempt *attempt = argument;

    switch (attempt->state) {
    case DELIVERY_WAITING:
        delivery_connect(attempt);
        return;
    case DELIVERY_SENDING:
        delivery_fail(attempt, "timed out after %d s waiting for %s", SIM_DELIVERY_TIMEOUT_SECONDS,
                      attempt->log_url != NULL ? attempt->log_url : attempt->delivery.url);
        return;
    case DELIVERY_FINISHED:
        break;
    }

    const struct sim_delivery_result *result = &attempt->result;
    long elapsed = attempt->started.tv_sec != 0 ? delivery_elapsed_ms(&attempt->started) : 0;
    if (result->error != NULL) {
        sim_log(SIM_LOG_INFO, "delivery %s %s %s failed after %ld ms: %s",
                attempt->delivery.attempt_id, attempt->delivery.method,
                attempt->log_url != NULL ? attempt->log_url : "(invalid url)", elapsed,
                result->error);
    } else {
        sim_log(SIM_LOG_INFO, "delivery %s %s %s %d %ld ms", attempt->delivery.attempt_id,
                attempt->delivery.method, attempt->log_url, result->status, elapsed);
    }
    attempt->sender->report(attempt->sender->context, attempt->delivery.attempt_id, result);
    delivery_attempt_free(attempt);
}

struct sim_delivery_sender *sim_delivery_sender_new(struct event_base *base, const char *ca_path,
                                                    sim_delivery_report report, void *context,
                                                    char *message, size_t message_size)
{
    struct sim_delivery_sender *sender = calloc(1, sizeof *sender);
    if (sender == NULL) {
        snprintf(message, message_size, "out of memory");
        return NULL;
    }
    sender->base = base;
    sender->report = report;
    sender->context = context;

    char reason[256] = "unknown error";
    sender->tls = SSL_CTX_new(TLS_client_method());
    if (sender->tls == NULL) {
        ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
        snprintf(message, message_size, "cannot create a TLS context: %s", reason);
        goto fail;
    }
    SSL_CTX_set_min_proto_version(sender->tls, TLS1_2_VERSION);
    SSL_CTX_set_verify(sender->tls, SSL_VERIFY_PEER, NULL);

    if (ca_path != NULL) {
        if (SSL_CTX_load_verify_locations(sender->tls, ca_path, NULL) != 1) {
            unsigned long code = ERR_get_error();
            if (code != 0) {
                ERR_error_string_n(code, reason, sizeof reason);
            }
            snprintf(message, message_size,
                     "invalid --delivery-ca-file file '%s': %s; give a PEM file of CA "
                     "certificates",
                     ca_path, reason);
            goto fail;
        }
    } else if (SSL_CTX_set_default_verify_paths(sender->tls) != 1) {
        ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
        snprintf(message, message_size, "cannot load the system's trusted CAs: %s", reason);
        goto fail;
    }
    ERR_clear_error();
    return sender;

fail:
    ERR_clear_error();
    sim_delivery_sender_free(sender);
    return NULL;
}

int sim_delivery_sender_start(struct sim_delivery_sender *sender, struct sim_delivery *delivery)
{
    struct delivery_attempt *attempt = calloc(1, sizeof *attempt);
    if (attempt == NULL) {
        return -1;
    }
    attempt->timer = evtimer_new(sender->base, delivery_on_timer, attempt);
    if (attempt->timer == NULL) {
        free(attempt);
        return -1;
    }
    attempt->sender = sender;
    attempt->delivery = *delivery;
    *delivery = (struct sim_delivery){0};

    attempt->next = sender->attempts;
    if (sender->attempts != NULL) {
        sender->attempts->previous = attempt;
    }
    sender->attempts = attempt;

    char error[512];
    if (delivery_parse_url(attempt, error, sizeof error) != 0) {
        delivery_fail(attempt, "%s", error);
        return 0;
    }
    attempt->state = DELIVERY_WAITING;
    struct timeval delay = {
        .tv_sec = attempt->delivery.delay_ms / 1000,
        .tv_usec = (attempt->delivery.delay_ms % 1000) * 1000,
    };
    evtimer_add(attempt->timer, &delay);
    return 0;
}

void sim_delivery_sender_free(struct sim_delivery_sender *sender)
{
    if (sender == NULL) {
        return;
    }
    while (sender->attempts != NULL) {
        delivery_attempt_free(sender->attempts);
    }
    SSL_CTX_free(sender->tls);
    free(sender);
}
