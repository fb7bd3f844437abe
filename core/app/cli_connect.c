#include "cli_commands.h"

#include "connect.h"

#include <errno.h>
#include <stdbool.h>
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Longest secret accepted from a file, in bytes; HaloPSA's are far shorter. */
#define SECRET_MAX 1024

char *halyard_cli_read_secret_file(const char *path, FILE *warnings, char *message,
                                   size_t message_size)
{
    FILE *file = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (file == NULL) {
        snprintf(message, message_size, "cannot read the secret file %s: %s", path,
                 strerror(errno));
        return NULL;
    }
    struct stat info;
    if (file != stdin && fstat(fileno(file), &info) == 0 && S_ISDIR(info.st_mode)) {
        fclose(file);
        snprintf(message, message_size,
                 "the secret file %s is a folder: name the file that holds the secret", path);
        return NULL;
    }
    if (file != stdin && fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode) &&
        (info.st_mode & 077) != 0) {
        fprintf(warnings,
                "warning: the secret file %s is open to group or others (mode %04o); "
                "restrict it with chmod 600 %s, or delete it once halyard has stored the "
                "secret\n",
                path, (unsigned)(info.st_mode & 07777), path);
    }
    /* Room for blank lines above the secret; a secret cut at the buffer's end is too long. */
    char buffer[SECRET_MAX + 4096];
    size_t length = fread(buffer, 1, sizeof buffer - 1, file);
    if (file != stdin) {
        fclose(file);
    }
    buffer[length] = '\0';

    /* The secret is the first line that is not blank: an editor may leave blank lines above. */
    char *first = buffer;
    while (first < buffer + length && isspace((unsigned char)*first)) {
        first++;
    }

    /* A NUL byte inside the first line would cut the secret short without a word. */
    size_t line_length = 0;
    while (first + line_length < buffer + length && first[line_length] != '\n' &&
           first[line_length] != '\r') {
        line_length++;
    }
    if (memchr(first, '\0', line_length) != NULL) {
        sodium_memzero(buffer, sizeof buffer);
        snprintf(message, message_size,
                 "the secret file %s holds a NUL byte: write the secret as plain text", path);
        return NULL;
    }

    /* That line only, without surrounding white space. A line that fills the rest of a full
     * buffer was cut, so the secret is too long. */
    bool line_cut = first + line_length == buffer + sizeof buffer - 1;
    first[line_length] = '\0';
    while (line_length > 0 && (first[line_length - 1] == ' ' || first[line_length - 1] == '\t')) {
        first[--line_length] = '\0';
    }
    char *start = first;

    char *secret = NULL;
    if (*start == '\0') {
        snprintf(message, message_size, "the secret file %s is empty", path);
    } else if (strlen(start) > SECRET_MAX || line_cut) {
        snprintf(message, message_size, "the secret in %s is longer than %d bytes", path,
                 SECRET_MAX);
    } else if ((secret = strdup(start)) == NULL) {
        snprintf(message, message_size, "out of memory reading %s", path);
    }
    sodium_memzero(buffer, sizeof buffer);
    return secret;
}

static void print_usage(FILE *stream)
{
    fputs("usage: halyard [--msp NAME] connect --instance URL --client-id ID "
          "--client-secret-file FILE [--replace-instance]\n"
          "  URL   the address you open HaloPSA at, e.g. https://acme.halopsa.com\n"
          "  FILE  a file whose first line that is not blank is the Client Secret ('-' reads\n"
          "        standard input)\n"
          "  --replace-instance  the MSP moved to URL from the instance it is connected to:\n"
          "        remove its imported clients, stop its runs under way without writing to\n"
          "        either instance and drop its queued work (stop halyard serve first)\n",
          stream);
}

int halyard_cli_connect(int argc, char **argv, const halyard_cli_context *context)
{
    const char *instance = NULL;
    const char *client_id = NULL;
    const char *secret_file = NULL;
    bool replace_instance = false;
    for (int i = 1; i < argc; i++) {
        const char **target = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(context->out);
            return HALYARD_EXIT_OK;
        }
        if (strcmp(argv[i], "--replace-instance") == 0) {
            replace_instance = true;
            continue;
        }
        if (strcmp(argv[i], "--instance") == 0) {
            target = &instance;
        } else if (strcmp(argv[i], "--client-id") == 0) {
            target = &client_id;
        } else if (strcmp(argv[i], "--client-secret-file") == 0) {
            target = &secret_file;
        } else {
            fprintf(context->err, "halyard connect: unknown option '%s'\n", argv[i]);
            goto usage;
        }
        if (i + 1 >= argc) {
            fprintf(context->err, "halyard connect: %s needs a value\n", argv[i]);
            goto usage;
        }
        *target = argv[++i];
    }
    if (instance == NULL || client_id == NULL || secret_file == NULL) {
        fputs("halyard connect: --instance, --client-id and --client-secret-file are required\n",
              context->err);
        goto usage;
    }

    char message[1024];
    char *secret = halyard_cli_read_secret_file(secret_file, context->err, message, sizeof message);
    if (secret == NULL) {
        fprintf(context->err, "halyard connect: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    halyard_connect_input input = {
        .msp = context->msp,
        .instance_url = instance,
        .client_id = client_id,
        .client_secret = secret,
        .replace_instance = replace_instance,
    };
    int status = halyard_connect(context->config, &input, context->out, message, sizeof message);
    sodium_memzero(secret, strlen(secret));
    free(secret);
    if (status != 0) {
        fprintf(context->err, "halyard connect: %s\n", message);
        return HALYARD_EXIT_FAILURE;
    }
    return HALYARD_EXIT_OK;

usage:
    print_usage(context->err);
    return HALYARD_EXIT_USAGE;
}
