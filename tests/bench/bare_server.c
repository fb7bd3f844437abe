/* bench-bare-server [--listen HOST:PORT]: the baseline of scripts/bench.sh intake. An evhttp
 * server on one thread that reads each request body and answers 200 with a small JSON body,
 * storing nothing: the most a libevent server on this machine can answer, to compare halyard's
 * intake against. Prints "listening on http://HOST:PORT" once bound (port 0 picks a free one)
 * and exits 0 on SIGINT or SIGTERM. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The same body limit as halyard's intake, so both servers read the same requests. */
#define BARE_MAX_BODY_BYTES (1024 * 1024)

static void on_request(struct evhttp_request *request, void *argument)
{
    (void)argument;
    struct evbuffer *input = evhttp_request_get_input_buffer(request);
    evbuffer_drain(input, evbuffer_get_length(input));

    static const char body[] = "{\"stored\":1,\"flagged\":0}";
    evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Type",
                      "application/json");
    evbuffer_add_reference(evhttp_request_get_output_buffer(request), body, sizeof body - 1, NULL,
                           NULL);
    evhttp_send_reply(request, 200, "OK", NULL);
}

static void on_signal(evutil_socket_t signal_number, short what, void *argument)
{
    (void)signal_number;
    (void)what;
    event_base_loopbreak(argument);
}

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:0";
    if (argc == 3 && strcmp(argv[1], "--listen") == 0) {
        listen = argv[2];
    } else if (argc != 1) {
        fputs("usage: bench-bare-server [--listen HOST:PORT]\n", stderr);
        return 2;
    }
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (size_t)(colon - listen) >= sizeof host) {
        fprintf(stderr, "bench-bare-server: invalid listen address '%s': expected HOST:PORT\n",
                listen);
        return 2;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    int port = atoi(colon + 1);

    signal(SIGPIPE, SIG_IGN);
    struct event_base *base = event_base_new();
    struct evhttp *http = base != NULL ? evhttp_new(base) : NULL;
    if (http == NULL) {
        fputs("bench-bare-server: creating the event loop failed\n", stderr);
        return 1;
    }
    evhttp_set_max_body_size(http, BARE_MAX_BODY_BYTES);
    evhttp_set_gencb(http, on_request, NULL);
    struct evhttp_bound_socket *bound =
        evhttp_bind_socket_with_handle(http, host, (ev_uint16_t)port);
    if (bound == NULL) {
        fprintf(stderr, "bench-bare-server: cannot listen on %s\n", listen);
        return 1;
    }

    struct sockaddr_in address;
    socklen_t length = sizeof address;
    getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&address, &length);
    printf("listening on http://%s:%d\n", host, ntohs(address.sin_port));
    fflush(stdout);

    struct event *interrupt = evsignal_new(base, SIGINT, on_signal, base);
    struct event *terminate = evsignal_new(base, SIGTERM, on_signal, base);
    event_add(interrupt, NULL);
    event_add(terminate, NULL);
    event_base_dispatch(base);

    event_free(terminate);
    event_free(interrupt);
    evhttp_free(http);
    event_base_free(base);
    return 0;
}
