#include "sim_options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One command-line option: its name without the leading "--", whether it takes a value, and the
 * function that checks the value and stores it. */
struct options_spec {
    const char *name;
    bool takes_value;
    int (*apply)(struct sim_options *options, const char *value, char *message,
                 size_t message_size);
};

__attribute__((format(printf, 3, 4))) static int options_fail(char *message, size_t message_size,
                                                              const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(message, message_size, format, args);
    va_end(args);
    return -1;
}

/* Parses text as a decimal whole number from minimum to maximum: digits only, no sign, no
 * spaces. Returns 0, or -1 when text is anything else. */
static int options_parse_number(const char *text, long minimum, long maximum, long *number)
{
    if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text)) {
        return -1;
    }

    errno = 0;
    char *end;
    long value = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < minimum || value > maximum) {
        return -1;
    }
    *number = value;
    return 0;
}

/* Checks that path names a regular file this process can open for reading. The message names
 * option and describes the file expected with expected_content. */
static int options_check_readable_file(const char *option, const char *path,
                                       const char *expected_content, char *message,
                                       size_t message_size)
{
    if (path[0] == '\0') {
        return options_fail(message, message_size, "invalid --%s value '': give the path of %s",
                            option, expected_content);
    }

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return options_fail(message, message_size,
                            "cannot read --%s file '%s': %s; give the path of %s", option, path,
                            strerror(errno), expected_content);
    }

    struct stat status;
    int stat_result = fstat(fd, &status);
    int stat_errno = errno;
    close(fd);
    if (stat_result != 0) {
        return options_fail(message, message_size,
                            "cannot read --%s file '%s': %s; give the path of %s", option, path,
                            strerror(stat_errno), expected_content);
    }
    if (!S_ISREG(status.st_mode)) {
        return options_fail(message, message_size,
                            "invalid --%s file '%s': not a regular file; give the path of %s",
                            option, path, expected_content);
    }
    return 0;
}

static int options_require_text(const char *option, const char *value, const char *expected,
                                char *message, size_t message_size)
{
    if (value[0] == '\0') {
        return options_fail(message, message_size, "invalid --%s value '': expected %s", option,
                            expected);
    }
    return 0;
}

static int options_apply_port(struct sim_options *options, const char *value, char *message,
                              size_t message_size)
{
    long port;
    if (options_parse_number(value, 0, 65535, &port) != 0) {
        return options_fail(message, message_size,
                            "invalid --port value '%s': expected a whole number from 1 to 65535, "
                            "or 0 to pick a free port",
                            value);
    }
    options->port = (int)port;
    return 0;
}

static int options_apply_bind(struct sim_options *options, const char *value, char *message,
                              size_t message_size)
{
    /* Only literal addresses (and localhost), so starting the simulator never waits on DNS. */
    unsigned char address[sizeof(struct in6_addr)];
    if (strcmp(value, "localhost") != 0 && inet_pton(AF_INET, value, address) != 1 &&
        inet_pton(AF_INET6, value, address) != 1) {
        return options_fail(message, message_size,
                            "invalid --bind value '%s': expected an IPv4 or IPv6 address such as "
                            "127.0.0.1 or ::1, or localhost",
                            value);
    }
    options->bind = value;
    return 0;
}

static int options_apply_seed(struct sim_options *options, const char *value, char *message,
                              size_t message_size)
{
    if (options_check_readable_file("seed", value, "a readable JSON seed file", message,
                                    message_size) != 0) {
        return -1;
    }
    options->seed_path = value;
    return 0;
}

static int options_apply_client_id(struct sim_options *options, const char *value, char *message,
                                   size_t message_size)
{
    if (options_require_text("client-id", value, "a non-empty client id", message, message_size) !=
        0) {
        return -1;
    }
    options->client_id = value;
    return 0;
}

static int options_apply_client_secret(struct sim_options *options, const char *value,
                                       char *message, size_t message_size)
{
    if (options_require_text("client-secret", value, "a non-empty client secret", message,
                             message_size) != 0) {
        return -1;
    }
    options->client_secret = value;
    return 0;
}

static int options_apply_tenant(struct sim_options *options, const char *value, char *message,
                                size_t message_size)
{
    if (options_require_text("tenant", value, "a non-empty tenant name, or leave --tenant out",
                             message, message_size) != 0) {
        return -1;
    }
    options->tenant = value;
    return 0;
}

static int options_apply_scopes(struct sim_options *options, const char *value, char *message,
                                size_t message_size)
{
    (void)message;
    (void)message_size;

    /* An empty scope list is allowed: it lets a test see a token request refused for scope. */
    options->scopes = value;
    return 0;
}

static int options_apply_token_lifetime(struct sim_options *options, const char *value,
                                        char *message, size_t message_size)
{
    long seconds;
    if (options_parse_number(value, 1, INT_MAX, &seconds) != 0) {
        return options_fail(message, message_size,
                            "invalid --token-lifetime value '%s': expected a whole number of "
                            "seconds from 1 to %d, such as 3600",
                            value, INT_MAX);
    }
    options->token_lifetime_seconds = seconds;
    return 0;
}

static int options_apply_rate_limit(struct sim_options *options, const char *value, char *message,
                                    size_t message_size)
{
    if (strcmp(value, "off") == 0) {
        options->rate_limit_enabled = false;
        return 0;
    }

    /* N/SECONDS: split at the slash and parse both halves as positive whole numbers. */
    const char *slash = strchr(value, '/');
    char requests_text[32];
    long requests;
    long window_seconds;
    size_t requests_length = slash != NULL ? (size_t)(slash - value) : 0;
    if (slash == NULL || requests_length >= sizeof requests_text) {
        goto invalid;
    }
    memcpy(requests_text, value, requests_length);
    requests_text[requests_length] = '\0';
    if (options_parse_number(requests_text, 1, INT_MAX, &requests) != 0 ||
        options_parse_number(slash + 1, 1, INT_MAX, &window_seconds) != 0) {
        goto invalid;
    }

    options->rate_limit_enabled = true;
    options->rate_limit_requests = requests;
    options->rate_limit_window_seconds = window_seconds;
    return 0;

invalid:
    return options_fail(message, message_size,
                        "invalid --rate-limit value '%s': expected REQUESTS/SECONDS with two "
                        "positive whole numbers, such as 500/300, or off",
                        value);
}

static int options_apply_strict(struct sim_options *options, const char *value, char *message,
                                size_t message_size)
{
    (void)value;
    (void)message;
    (void)message_size;
    options->strict = true;
    return 0;
}

static int options_apply_tls_cert(struct sim_options *options, const char *value, char *message,
                                  size_t message_size)
{
    if (options_check_readable_file("tls-cert", value, "a PEM certificate file", message,
                                    message_size) != 0) {
        return -1;
    }
    options->tls_cert_path = value;
    return 0;
}

static int options_apply_tls_key(struct sim_options *options, const char *value, char *message,
                                 size_t message_size)
{
    if (options_check_readable_file("tls-key", value, "a PEM private key file", message,
                                    message_size) != 0) {
        return -1;
    }
    options->tls_key_path = value;
    return 0;
}

static int options_apply_tls_generate(struct sim_options *options, const char *value,
                                      char *message, size_t message_size)
{
    struct stat status;
    if (value[0] == '\0' || stat(value, &status) != 0 || !S_ISDIR(status.st_mode)) {
        return options_fail(message, message_size,
                            "invalid --tls-generate value '%s': %s; give an existing folder to "
                            "write ca.pem, server.pem and server.key into",
                            value, value[0] == '\0' ? "empty path" : "not a folder");
    }
    options->tls_generate_dir = value;
    return 0;
}

static int options_apply_delivery_ca_file(struct sim_options *options, const char *value,
                                          char *message, size_t message_size)
{
    if (options_check_readable_file("delivery-ca-file", value, "a PEM file of CA certificates",
                                    message, message_size) != 0) {
        return -1;
    }
    options->delivery_ca_path = value;
    return 0;
}

static int options_apply_token_error_status(struct sim_options *options, const char *value,
                                            char *message, size_t message_size)
{
    if (strcmp(value, "401") == 0) {
        options->token_error_status = 401;
    } else if (strcmp(value, "400") == 0) {
        options->token_error_status = 400;
    } else {
        return options_fail(message, message_size,
                            "invalid --token-error-status value '%s': expected 401 or 400", value);
    }
    return 0;
}

static int options_apply_team_list(struct sim_options *options, const char *value, char *message,
                                   size_t message_size)
{
    if (strcmp(value, "bare") != 0 && strcmp(value, "wrapped") != 0) {
        return options_fail(message, message_size,
                            "invalid --team-list value '%s': expected bare or wrapped", value);
    }
    options->team_list = value;
    return 0;
}

static int options_apply_app_name(struct sim_options *options, const char *value, char *message,
                                  size_t message_size)
{
    if (options_require_text("app-name", value, "a non-empty application name", message,
                             message_size) != 0) {
        return -1;
    }
    options->app_name = value;
    return 0;
}

static int options_apply_lua_dir(struct sim_options *options, const char *value, char *message,
                                 size_t message_size)
{
    struct stat status;
    if (value[0] == '\0' || stat(value, &status) != 0 || !S_ISDIR(status.st_mode)) {
        return options_fail(message, message_size,
                            "invalid --lua-dir value '%s': %s; give a folder of .lua modules",
                            value, value[0] == '\0' ? "empty path" : "not a folder");
    }
    options->lua_dir = value;
    return 0;
}

static int options_apply_verbose(struct sim_options *options, const char *value, char *message,
                                 size_t message_size)
{
    (void)value;
    (void)message;
    (void)message_size;
    options->verbose = true;
    return 0;
}

static const struct options_spec options_specs[] = {
    {"port", true, options_apply_port},
    {"bind", true, options_apply_bind},
    {"seed", true, options_apply_seed},
    {"client-id", true, options_apply_client_id},
    {"client-secret", true, options_apply_client_secret},
    {"tenant", true, options_apply_tenant},
    {"scopes", true, options_apply_scopes},
    {"token-lifetime", true, options_apply_token_lifetime},
    {"rate-limit", true, options_apply_rate_limit},
    {"strict", false, options_apply_strict},
    {"tls-cert", true, options_apply_tls_cert},
    {"tls-key", true, options_apply_tls_key},
    {"tls-generate", true, options_apply_tls_generate},
    {"delivery-ca-file", true, options_apply_delivery_ca_file},
    {"token-error-status", true, options_apply_token_error_status},
    {"team-list", true, options_apply_team_list},
    {"app-name", true, options_apply_app_name},
    {"lua-dir", true, options_apply_lua_dir},
    {"verbose", false, options_apply_verbose},
};

static const struct options_spec *options_find_spec(const char *name, size_t name_length)
{
    for (size_t i = 0; i < sizeof options_specs / sizeof options_specs[0]; i++) {
        if (strlen(options_specs[i].name) == name_length &&
            strncmp(options_specs[i].name, name, name_length) == 0) {
            return &options_specs[i];
        }
    }
    return NULL;
}

static void options_set_defaults(struct sim_options *options)
{
    *options = (struct sim_options){
        .port = -1,
        .bind = "127.0.0.1",
        .client_id = "halyard-sim",
        .client_secret = "halyard-sim-secret",
        .scopes = "all all:standard all:teams admin admin:webhooks read:tickets edit:tickets "
                  "read:customers read:teams read:assets",
        .token_lifetime_seconds = 3600,
        .rate_limit_enabled = true,
        .rate_limit_requests = 500,
        .rate_limit_window_seconds = 300,
        .token_error_status = 401,
        .team_list = "bare",
        .app_name = "halyard-sim app",
    };
}

int sim_options_parse(struct sim_options *options, int argc, char *const argv[], char *message,
                      size_t message_size)
{
    options_set_defaults(options);

    /* --help wins over everything else, so a broken command line can still ask for help. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            options->help = true;
            return 0;
        }
    }

    for (int i = 1; i < argc; i++) {
        const char *argument = argv[i];
        if (strncmp(argument, "--", 2) != 0 || argument[2] == '\0') {
            return options_fail(message, message_size,
                                "unexpected argument '%s': halosim takes only options; run "
                                "halosim --help for the list",
                                argument);
        }

        /* Split "--name=value"; otherwise the value, when the option takes one, is the next
         * argument. */
        const char *name = argument + 2;
        const char *equals = strchr(name, '=');
        size_t name_length = equals != NULL ? (size_t)(equals - name) : strlen(name);
        const struct options_spec *spec = options_find_spec(name, name_length);
        if (spec == NULL) {
            return options_fail(message, message_size,
                                "unknown option '--%.*s'; run halosim --help for the list",
                                (int)name_length, name);
        }

        const char *value = NULL;
        if (!spec->takes_value) {
            if (equals != NULL) {
                return options_fail(message, message_size,
                                    "invalid '%s': --%s takes no value; write --%s alone", argument,
                                    spec->name, spec->name);
            }
        } else if (equals != NULL) {
            value = equals + 1;
        } else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
            value = argv[++i];
        } else {
            return options_fail(message, message_size,
                                "missing value for --%s; write --%s VALUE or --%s=VALUE (a value "
                                "that starts with -- needs the = form)",
                                spec->name, spec->name, spec->name);
        }

        if (spec->apply(options, value, message, message_size) != 0) {
            return -1;
        }
    }

    /* Checks that involve more than one option. */
    if ((options->tls_cert_path == NULL) != (options->tls_key_path == NULL)) {
        return options_fail(message, message_size,
                            "%s is given without %s: give both --tls-cert and --tls-key for "
                            "HTTPS, or neither for plain HTTP",
                            options->tls_cert_path != NULL ? "--tls-cert" : "--tls-key",
                            options->tls_cert_path != NULL ? "--tls-key" : "--tls-cert");
    }
    if (options->tls_generate_dir != NULL && options->tls_cert_path != NULL) {
        return options_fail(message, message_size,
                            "--tls-generate and --tls-cert both name a certificate: give "
                            "--tls-generate DIR for a throwaway one, or --tls-cert and --tls-key "
                            "for your own");
    }
    if (options->port < 0) {
        bool tls = options->tls_cert_path != NULL || options->tls_generate_dir != NULL;
        options->port = tls ? SIM_OPTIONS_DEFAULT_PORT_HTTPS : SIM_OPTIONS_DEFAULT_PORT_HTTP;
    }
    return 0;
}

void sim_options_print_help(FILE *stream)
{
    fputs("Usage: halosim [OPTION]...\n"
          "Serves the part of HaloPSA's REST API that halyard uses, for tests and demos.\n"
          "It prints 'halosim listening on URL' once it accepts requests, and stops on SIGINT or\n"
          "SIGTERM. Every option also takes the form --name=VALUE; a repeated option keeps its\n"
          "last value.\n"
          "\n"
          "Server:\n"
          "  --port N                  TCP port to listen on, 1 to 65535, or 0 to pick a free\n"
          "                            port (the startup line shows which); default 8443 with\n"
          "                            TLS, 8080 without\n"
          "  --bind ADDRESS            IPv4 or IPv6 address to listen on, or localhost;\n"
          "                            default 127.0.0.1\n"
          "  --tls-cert FILE           PEM certificate chain; with --tls-key, serves HTTPS\n"
          "                            (TLS 1.2 or newer); default: plain HTTP\n"
          "  --tls-key FILE            PEM private key of --tls-cert\n"
          "  --tls-generate DIR        makes a throwaway CA and a server certificate for\n"
          "                            localhost, 127.0.0.1 and ::1 in the existing folder DIR\n"
          "                            (ca.pem for clients to trust, server.pem, server.key)\n"
          "                            and serves HTTPS with them\n"
          "  --delivery-ca-file FILE   PEM CA certificates that webhook deliveries to https://\n"
          "                            URLs trust; default: the system's trusted CAs\n"
          "\n"
          "Simulated HaloPSA instance:\n"
          "  --seed FILE               JSON seed data (clients, users, agents, tickets, ...);\n"
          "                            default: the built-in seed\n"
          "  --client-id ID            client ID the token endpoint accepts;\n"
          "                            default halyard-sim\n"
          "  --client-secret SECRET    client secret the token endpoint accepts;\n"
          "                            default halyard-sim-secret\n"
          "  --tenant NAME             tenant that ?tenant= must name; default: any tenant\n"
          "  --scopes \"SCOPE ...\"      space-separated scopes the application holds; default\n"
          "                            \"all all:standard all:teams admin admin:webhooks\n"
          "                            read:tickets edit:tickets read:customers read:teams\n"
          "                            read:assets\"\n"
          "  --token-lifetime SECONDS  lifetime of an access token in seconds; default 3600\n"
          "  --rate-limit N/SECONDS    at most N API requests per rolling window of SECONDS\n"
          "                            seconds, then 429; 'off' disables it; default 500/300\n"
          "  --strict                  check ids in request bodies as HaloPSA's strict JSON\n"
          "                            reader does: 12.0, 1e3 or \"12\" as an id gets a 400;\n"
          "                            default off (such ids are accepted)\n"
          "  --token-error-status 401|400\n"
          "                            status of a refused token request; default 401\n"
          "  --team-list bare|wrapped  GET /api/Team answers a bare array, or an object\n"
          "                            {teams, record_count}; default bare\n"
          "  --app-name NAME           application name shown on actions the API writes;\n"
          "                            default \"halyard-sim app\"\n"
          "\n"
          "Development:\n"
          "  --lua-dir DIR             load Lua modules from DIR first (DIR/NAME.lua or\n"
          "                            DIR/NAME/init.lua), then from those built in\n"
          "  --verbose                 log every request (method, path, status, milliseconds)\n"
          "                            and the info lines of the simulator logic to stderr\n"
          "  --help                    print this help and exit\n"
          "\n"
          "Exit status: 0 after SIGINT or SIGTERM, 1 when the simulator cannot start, 2 for an\n"
          "invalid command line.\n",
          stream);
}
