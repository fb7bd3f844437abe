#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The settings of one halosim run, from its command line. String fields point into argv (or at
 * static defaults), so they live as long as argv does; nothing here needs freeing. */
struct sim_options {
    int port; /* 1..65535, or 0 to pick a free port; the default depends on TLS */
    const char *bind;
    const char *seed_path; /* NULL: the built-in seed */
    const char *client_id;
    const char *client_secret;
    const char *tenant; /* NULL: any ?tenant= is accepted */
    const char *scopes;
    long token_lifetime_seconds;
    bool rate_limit_enabled;
    long rate_limit_requests;
    long rate_limit_window_seconds;
    bool strict;
    const char *tls_cert_path; /* both set for HTTPS, both NULL for HTTP */
    const char *tls_key_path;
    const char *tls_generate_dir; /* NULL, or a folder to write throwaway certificates into */
    const char *delivery_ca_path; /* NULL: the system's trusted CAs */
    int token_error_status;       /* 401 or 400 */
    const char *team_list;        /* "bare" or "wrapped" */
    const char *app_name;
    const char *lua_dir; /* NULL: only the embedded Lua modules */
    bool verbose;
    bool help;
};

#define SIM_OPTIONS_DEFAULT_PORT_HTTP  8080
#define SIM_OPTIONS_DEFAULT_PORT_HTTPS 8443

/* Fills options from argv[1..argc-1]. Every option takes the form "--name VALUE" or
 * "--name=VALUE"; a repeated option keeps its last value. Values are checked here, including
 * that the named files can be opened for reading. On --help, sets options->help and stops
 * checking. Returns 0, or -1 with message set to what is wrong, which value, and what to use
 * instead. */
int sim_options_parse(struct sim_options *options, int argc, char *const argv[], char *message,
                      size_t message_size);

/* Writes the usage text: every option with its unit and default. */
void sim_options_print_help(FILE *stream);

#endif
