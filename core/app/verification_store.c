#include "verification_store.h"

#include "http_allow.h"
#include "lua_host.h"
#include "public_url.h"
#include "text_buffer.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The sealing context binds a sealed value to its MSP and field. */
static void secret_context(char *context, size_t size, const char *msp_name, const char *field)
{
    snprintf(context, size, "halyard verification %s %s", msp_name, field);
}

static int seal_text(const halyard_secret_key *key, const char *msp_name, const char *field,
                     const char *plain, char **sealed, char *message, size_t message_size)
{
    char context[160];
    secret_context(context, sizeof context, msp_name, field);
    return halyard_secret_seal_text(key, context, plain, sealed, message, message_size) ==
                   HALYARD_SECRET_OK
               ? 0
               : -1;
}

static int open_column(const halyard_secret_key *key, sqlite3_stmt *statement, int column,
                       const char *msp_name, const char *field, char **plain, char *message,
                       size_t message_size)
{
    char context[160];
    secret_context(context, sizeof context, msp_name, field);
    int status =
        halyard_secret_open_text(key, context, (const char *)sqlite3_column_text(statement, column),
                                 plain, message, message_size);
    if (status == HALYARD_SECRET_WRONG_KEY) {
        snprintf(message, message_size,
                 "the stored verification %s does not open with this installation's secret key; "
                 "connect the provider again",
                 field);
    }
    return status == HALYARD_SECRET_OK ? 0 : -1;
}

/* Checks that a verifier file of this name exists where the MSP's Lua host loads verifiers. */
static int check_provider_file(const halyard_config *config, const char *msp, const char *provider,
                               char *message, size_t message_size)
{
    size_t length = strlen(provider);
    if (length == 0 || length >= sizeof((halyard_verification_provider *)0)->provider ||
        strspn(provider, "abcdefghijklmnopqrstuvwxyz0123456789_-") != length) {
        snprintf(message, message_size,
                 "invalid provider name '%.80s': use the file name of a verifier in "
                 "config/verifiers/ without .lua, like traceless or webhook",
                 provider);
        return -1;
    }
    char path[4096 + 128];
    snprintf(path, sizeof path, "%s/config/verifiers/%s.lua", halyard_lua_host_share_dir(),
             provider);
    if (access(path, R_OK) == 0) {
        return 0;
    }
    char folder[4096];
    halyard_config_msp_scripts(config, msp, folder, sizeof folder);
    snprintf(path, sizeof path, "%s/verifiers/%s.lua", folder, provider);
    if (access(path, R_OK) == 0) {
        return 0;
    }
    snprintf(message, message_size,
             "unknown provider '%s': no %s.lua in config/verifiers/ or in %s/verifiers/; the "
             "shipped providers are traceless and webhook",
             provider, provider, folder);
    return -1;
}

/* Loads the MSP's scripts as the daemon would and rejects the provider when its verifier file
 * has a problem (a syntax error, a missing function), naming the first one, so a broken MSP
 * override is found at connect time, not at the first sensitive ticket. */
static int check_provider_lint(const halyard_config *config, const char *msp, const char *provider,
                               char *message, size_t message_size)
{
    char scripts[4096];
    halyard_config_msp_scripts(config, msp, scripts, sizeof scripts);
    halyard_lua_host_options options = {.msp = msp, .msp_script_dir = scripts};
    halyard_config_lua_limits_for(config, msp, &options.memory_limit_bytes,
                                  &options.instruction_limit, &options.time_limit_ms);
    halyard_lua_host *host = NULL;
    char problem[1024];
    if (halyard_lua_host_create(&options, &host, problem, sizeof problem) != 0) {
        snprintf(message, message_size,
                 "loading MSP '%s''s scripts to check verifier %s failed: %s; run `halyard "
                 "workflows lint`",
                 msp, provider, problem);
        return -1;
    }
    char file[96];
    snprintf(file, sizeof file, "verifiers/%s.lua", provider);
    /* Warnings come last in the problem list and leave the file serving, so only the errors
     * before them reject the provider. */
    size_t errors = halyard_lua_host_problem_count(host) - halyard_lua_host_warning_count(host);
    int status = 0;
    for (size_t i = 0; i < errors; i++) {
        const char *text = halyard_lua_host_problem(host, i);
        if (text != NULL && strstr(text, file) != NULL) {
            snprintf(message, message_size,
                     "the verifier %s.lua of MSP '%s' has a problem: %s. Fix it (`halyard "
                     "workflows lint` lists every problem) and connect again",
                     provider, msp, text);
            status = -1;
            break;
        }
    }
    halyard_lua_host_destroy(host);
    return status;
}

/* True for a host that is this machine: localhost, 127.0.0.0/8 or ::1. */
static bool is_loopback_host(const char *host)
{
    return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
           strcmp(host, "::1") == 0;
}

/* Checks that the MSP's scripts may reach url with the http module, and that a plain http://
 * URL, which would send the API key unencrypted, stays on this machine. */
static int check_url_allowed(const halyard_config *config, const char *msp, const char *url,
                             char *message, size_t message_size)
{
    const halyard_config_http_allow *allowed = NULL;
    size_t count = halyard_config_http_allow_for(config, msp, &allowed);
    halyard_http_allow_entry entries[HALYARD_CONFIG_MAX_HTTP_ALLOW];
    for (size_t i = 0; i < count && i < HALYARD_CONFIG_MAX_HTTP_ALLOW; i++) {
        entries[i] = (halyard_http_allow_entry){.host = allowed[i].host,
                                                .port = allowed[i].port,
                                                .allow_private = allowed[i].allow_private};
    }
    halyard_http_allow_target target;
    char reason[512];
    if (halyard_http_allow_check_url(entries, count, url, &target, reason, sizeof reason) != 0) {
        /* Only a host missing from the list is fixed in http_allow; any other problem is the
         * URL's own. A host listed for another port needs an entry for this port only, which
         * the reason names, so the message does not ask for the host again. */
        bool host_listed = false;
        for (size_t i = 0; i < count && target.host[0] != '\0'; i++) {
            host_listed = host_listed || strcasecmp(allowed[i].host, target.host) == 0;
        }
        if (host_listed && strstr(reason, "http_allow") != NULL) {
            snprintf(message, message_size,
                     "the provider URL cannot be used by MSP '%s': %s in http_allow[\"%s\"] in "
                     "halyard's config, then connect again",
                     msp, reason, msp);
        } else if (strstr(reason, "http_allow") != NULL) {
            snprintf(message, message_size,
                     "the provider URL cannot be used by MSP '%s': %s. Add the provider's host "
                     "to http_allow[\"%s\"] in halyard's config (with private = true for an "
                     "internal address) and connect again",
                     msp, reason, msp);
        } else {
            snprintf(message, message_size,
                     "the provider URL is invalid for MSP '%s': %s. Correct the URL and connect "
                     "again",
                     msp, reason);
        }
        return -1;
    }
    if (strncasecmp(url, "http://", 7) == 0 &&
        !(is_loopback_host(target.host) && target.entry != NULL && target.entry->allow_private)) {
        snprintf(message, message_size,
                 "the provider URL uses http://, which would send the API key unencrypted: use "
                 "https://, or http:// only for a loopback host whose http_allow entry for MSP "
                 "'%s' sets private = true",
                 msp);
        free(target.url);
        return -1;
    }
    free(target.url);
    return 0;
}

/* Rejects a provider URL with a query or a fragment. A query often carries a credential (a
 * token= or sig= parameter of an automation platform's webhook), which belongs in the API key,
 * and halyard showed a stored query before it sealed URLs. The message names neither part, so a
 * secret in it is not echoed. */
static int check_url_query(const char *url, char *message, size_t message_size)
{
    const char *mark = strpbrk(url, "?#");
    if (mark == NULL) {
        return 0;
    }
    snprintf(message, message_size,
             "the provider URL has a %s ('%c' and what follows): give the URL without it, and "
             "put a token or signature it carries in the API key (--api-key-file) for the "
             "provider script to send, or check callbacks with the callback secret",
             *mark == '?' ? "query" : "fragment", *mark);
    return -1;
}

/* Writes the shown form of a provider URL into shown: its scheme, host and port, and
 * "/[path hidden]" when anything follows them. A path, ";" parameters or an encoded query can
 * carry a credential, so only the sealed URL keeps them. User information before "@" is left
 * out too. */
static void url_shown(const char *url, char *shown, size_t size)
{
    const char *scheme_end = strstr(url, "://");
    const char *authority = scheme_end != NULL ? scheme_end + 3 : url;
    size_t authority_length = strcspn(authority, "/?#;");
    const char *host = authority;
    for (const char *c = authority; c < authority + authority_length; c++) {
        if (*c == '@') {
            host = c + 1;
        }
    }
    size_t host_length = (size_t)(authority + authority_length - host);
    bool hidden = authority[authority_length] != '\0' || host != authority;
    snprintf(shown, size, "%.*s%.*s%s", (int)(authority - url), url, (int)host_length, host,
             hidden ? "/[path hidden]" : "");
}

static int find_msp(halyard_store *store, const char *name, long long *msp_id, char *message,
                    size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(database, "SELECT id FROM msps WHERE name = ?1", -1, &statement, NULL) !=
        SQLITE_OK) {
        snprintf(message, message_size, "reading the MSP failed: %s", sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) == SQLITE_ROW) {
        *msp_id = sqlite3_column_int64(statement, 0);
        status = 0;
    } else {
        snprintf(message, message_size,
                 "MSP '%s' does not exist; connect it to HaloPSA first with `halyard --msp %s "
                 "connect`",
                 name, name);
    }
    sqlite3_finalize(statement);
    return status;
}

_Static_assert(HALYARD_VERIFY_CALLBACK_SECRET_CHARS >= HALYARD_VERIFY_SECRET_MIN_CHARS,
               "the generated callback secret must meet the minimum secret length");

/* Returns the number of characters of UTF-8 text: its bytes that do not continue a
 * character. */
static size_t count_characters(const char *text)
{
    size_t count = 0;
    for (const unsigned char *byte = (const unsigned char *)text; *byte != '\0'; byte++) {
        if ((*byte & 0xC0) != 0x80) {
            count++;
        }
    }
    return count;
}

/* Rejects an API key shorter than HALYARD_VERIFY_SECRET_MIN_CHARS characters; NULL (no key)
 * passes. The message names the key's length, never the key. */
static int check_api_key(const char *api_key, char *message, size_t message_size)
{
    if (api_key == NULL) {
        return 0;
    }
    size_t length = count_characters(api_key);
    if (length >= HALYARD_VERIFY_SECRET_MIN_CHARS) {
        return 0;
    }
    snprintf(message, message_size,
             "the API key is too short: it has %zu characters and the minimum is %d; give the "
             "full API key the provider issued, or connect without an API key if the provider "
             "takes none",
             length, HALYARD_VERIFY_SECRET_MIN_CHARS);
    return -1;
}

/* Drops the extra slashes before "hooks/verify/" in a callback URL stored by an earlier
 * version, which built it from a public_url ending in "/". serve has no route for
 * "//hooks/verify/...", so every callback there failed with 404. */
static void collapse_callback_slashes(char *url)
{
    char *scheme_end = strstr(url, "://");
    char *route = scheme_end != NULL ? strstr(scheme_end + 3, "/hooks/verify/") : NULL;
    if (route == NULL) {
        return;
    }
    char *first_slash = route;
    while (first_slash > scheme_end + 3 && first_slash[-1] == '/') {
        first_slash--;
    }
    if (first_slash < route) {
        memmove(first_slash, route, strlen(route) + 1);
    }
}

int halyard_verification_connect(halyard_store *store, const halyard_secret_key *key,
                                 const halyard_config *config,
                                 const halyard_verification_connect_input *input,
                                 char *callback_secret, char *message, size_t message_size)
{
    int status = -1;
    char *api_key_sealed = NULL;
    char *secret_sealed = NULL;
    char *url_sealed = NULL;
    sqlite3_stmt *statement = NULL;
    sqlite3 *database = halyard_store_database(store);
    long long msp_id = 0;
    callback_secret[0] = '\0';

    /* Step 1: what the provider needs, checked before anything is stored. */
    if (input->url == NULL ||
        strlen(input->url) >= sizeof((halyard_verification_provider *)0)->url) {
        snprintf(message, message_size, "the provider URL is missing or longer than 1023 bytes");
        return -1;
    }
    if (input->channel != NULL && input->channel[0] != '\0' &&
        strcmp(input->channel, "email") != 0 && strcmp(input->channel, "sms") != 0) {
        snprintf(message, message_size, "invalid channel '%.40s': use email or sms",
                 input->channel);
        return -1;
    }
    if (check_url_query(input->url, message, message_size) != 0) {
        return -1;
    }
    size_t url_length = strlen(input->url);
    if (url_length > 0 && input->url[url_length - 1] == '/') {
        snprintf(message, message_size,
                 "the provider URL ends with '/'; give it without the trailing slash");
        return -1;
    }
    /* A provider posts its results and signs them with the callback secret, so the callback
     * URL obeys the rule for connect's webhook: HTTPS, or plain HTTP to this machine only. */
    if (config->public_url != NULL &&
        halyard_public_url_check_transport(config->public_url, message, message_size) != 0) {
        return -1;
    }
    if (check_api_key(input->api_key, message, message_size) != 0 ||
        check_provider_file(config, input->msp, input->provider, message, message_size) != 0 ||
        check_provider_lint(config, input->msp, input->provider, message, message_size) != 0 ||
        check_url_allowed(config, input->msp, input->url, message, message_size) != 0 ||
        find_msp(store, input->msp, &msp_id, message, message_size) != 0) {
        return -1;
    }

    /* Step 2: a fresh callback secret, and the secrets sealed. */
    unsigned char random[HALYARD_VERIFY_CALLBACK_SECRET_CHARS / 2];
    randombytes_buf(random, sizeof random);
    sodium_bin2hex(callback_secret, HALYARD_VERIFY_CALLBACK_SECRET_CHARS + 1, random,
                   sizeof random);
    sodium_memzero(random, sizeof random);
    if (seal_text(key, input->msp, "api_key", input->api_key, &api_key_sealed, message,
                  message_size) != 0 ||
        seal_text(key, input->msp, "callback_secret", callback_secret, &secret_sealed, message,
                  message_size) != 0 ||
        seal_text(key, input->msp, "url", input->url, &url_sealed, message, message_size) != 0) {
        goto cleanup;
    }
    char shown[sizeof((halyard_verification_provider *)0)->url];
    url_shown(input->url, shown, sizeof shown);

    /* Step 3: one row per MSP; connecting again replaces it. */
    char callback_url[sizeof((halyard_verification_provider *)0)->callback_url] = "";
    if (config->public_url != NULL) {
        snprintf(callback_url, sizeof callback_url, "%s/hooks/verify/%s/%s", config->public_url,
                 input->provider, input->msp);
    }
    if (sqlite3_prepare_v2(database,
                           "INSERT OR REPLACE INTO verification_providers (msp_id, provider, url,"
                           " api_key_sealed, callback_secret_sealed, channel, callback_url,"
                           " connected_at, url_sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                           " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?8)",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "storing the provider failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    sqlite3_bind_text(statement, 2, input->provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, shown, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 4, api_key_sealed, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 5, secret_sealed, -1, SQLITE_STATIC);
    if (input->channel != NULL && input->channel[0] != '\0') {
        sqlite3_bind_text(statement, 6, input->channel, -1, SQLITE_STATIC);
    }
    sqlite3_bind_text(statement, 7, callback_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 8, url_sealed, -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        snprintf(message, message_size, "storing the provider failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    free(url_sealed);
    free(secret_sealed);
    free(api_key_sealed);
    if (status != 0) {
        sodium_memzero(callback_secret, HALYARD_VERIFY_CALLBACK_SECRET_CHARS + 1);
    }
    return status;
}

int halyard_verification_provider_load(halyard_store *store, const halyard_secret_key *key,
                                       long long msp_id, const char *msp_name,
                                       halyard_verification_provider *provider, char *message,
                                       size_t message_size)
{
    memset(provider, 0, sizeof *provider);
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    int status = -1;
    if (sqlite3_prepare_v2(database,
                           "SELECT provider, url, channel, connected_at, api_key_sealed,"
                           " callback_secret_sealed, callback_url, url_sealed"
                           " FROM verification_providers WHERE msp_id = ?1",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the verification provider failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_DONE) {
        status = 1;
        goto cleanup;
    }
    if (step != SQLITE_ROW) {
        snprintf(message, message_size, "reading the verification provider failed: %s",
                 sqlite3_errmsg(database));
        goto cleanup;
    }
    snprintf(provider->provider, sizeof provider->provider, "%s",
             (const char *)sqlite3_column_text(statement, 0));
    snprintf(provider->url, sizeof provider->url, "%s",
             (const char *)sqlite3_column_text(statement, 1));
    const unsigned char *channel = sqlite3_column_text(statement, 2);
    snprintf(provider->channel, sizeof provider->channel, "%s",
             channel != NULL ? (const char *)channel : "");
    snprintf(provider->connected_at, sizeof provider->connected_at, "%s",
             (const char *)sqlite3_column_text(statement, 3));
    snprintf(provider->callback_url, sizeof provider->callback_url, "%s",
             (const char *)sqlite3_column_text(statement, 6));
    collapse_callback_slashes(provider->callback_url);
    if (open_column(key, statement, 4, msp_name, "api_key", &provider->api_key, message,
                    message_size) != 0 ||
        open_column(key, statement, 5, msp_name, "callback_secret", &provider->callback_secret,
                    message, message_size) != 0) {
        halyard_verification_provider_clear(provider);
        goto cleanup;
    }
    /* A URL stored before halyard sealed it is in url until the data folder is opened again
     * (halyard_verification_seal_stored_urls). */
    if (sqlite3_column_type(statement, 7) != SQLITE_NULL) {
        char *url = NULL;
        if (open_column(key, statement, 7, msp_name, "url", &url, message, message_size) != 0) {
            halyard_verification_provider_clear(provider);
            goto cleanup;
        }
        snprintf(provider->url, sizeof provider->url, "%s", url != NULL ? url : "");
        if (url != NULL) {
            sodium_memzero(url, strlen(url));
            free(url);
        }
    }
    status = 0;

cleanup:
    sqlite3_finalize(statement);
    return status;
}

void halyard_verification_provider_clear(halyard_verification_provider *provider)
{
    if (provider->api_key != NULL) {
        sodium_memzero(provider->api_key, strlen(provider->api_key));
        free(provider->api_key);
    }
    if (provider->callback_secret != NULL) {
        sodium_memzero(provider->callback_secret, strlen(provider->callback_secret));
        free(provider->callback_secret);
    }
    provider->api_key = NULL;
    provider->callback_secret = NULL;
    sodium_memzero(provider->url, sizeof provider->url);
}

int halyard_verification_disconnect(halyard_store *store, long long msp_id, char *message,
                                    size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database, "DELETE FROM verification_providers WHERE msp_id = ?1", -1,
                           &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "removing the provider failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (step != SQLITE_DONE) {
        snprintf(message, message_size, "removing the provider failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    return sqlite3_changes(database) > 0 ? 0 : 1;
}

/* Appends "key":<quoted text> to a JSON object being written. */
static void append_field(halyard_text_buffer *buffer, const char *key, const char *text)
{
    halyard_text_buffer_printf(buffer, ",\"%s\":\"", key);
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\') {
            halyard_text_buffer_printf(buffer, "\\%c", *c);
        } else if ((unsigned char)*c < 0x20) {
            halyard_text_buffer_printf(buffer, "\\u%04x", (unsigned char)*c);
        } else {
            halyard_text_buffer_printf(buffer, "%c", *c);
        }
    }
    halyard_text_buffer_printf(buffer, "\"");
}

int halyard_verification_status_json(halyard_store *store, const halyard_secret_key *key,
                                     long long msp_id, const char *msp_name, char **json,
                                     char *message, size_t message_size)
{
    *json = NULL;
    halyard_verification_provider provider;
    int loaded = halyard_verification_provider_load(store, key, msp_id, msp_name, &provider,
                                                    message, message_size);
    if (loaded < 0) {
        return -1;
    }
    halyard_text_buffer buffer;
    halyard_text_buffer_init(&buffer, 64 * 1024);
    if (loaded == 1) {
        halyard_text_buffer_printf(&buffer, "{\"connected\":false}");
    } else {
        halyard_text_buffer_printf(&buffer, "{\"connected\":true");
        append_field(&buffer, "provider", provider.provider);
        char url[sizeof provider.url];
        url_shown(provider.url, url, sizeof url);
        append_field(&buffer, "url", url);
        /* An empty channel means the provider script's default, which is e-mail. */
        append_field(&buffer, "channel", provider.channel[0] != '\0' ? provider.channel : "email");
        append_field(&buffer, "connected_at", provider.connected_at);
        append_field(&buffer, "callback_url", provider.callback_url);
        halyard_text_buffer_printf(&buffer, "}");
        halyard_verification_provider_clear(&provider);
    }
    *json = halyard_text_buffer_take(&buffer);
    if (*json == NULL) {
        snprintf(message, message_size, "out of memory writing the provider's status");
        return -1;
    }
    return 0;
}

int halyard_verification_screening_reasons(halyard_store *store, long long run_id, char *reasons,
                                           size_t reasons_size, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    reasons[0] = '\0';
    if (sqlite3_prepare_v2(database,
                           "SELECT coalesce(nullif(json_extract(screening_json,"
                           " '$.challenge_reasons'), ''), (SELECT group_concat(item.value)"
                           " FROM json_each(screening_json, '$.reasons') item"
                           " WHERE item.type = 'text'), json_extract(screening_json, '$.reason'))"
                           " FROM runs WHERE id = ?1 AND json_valid(screening_json)",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the run's screening failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW && sqlite3_column_type(statement, 0) == SQLITE_TEXT) {
        snprintf(reasons, reasons_size, "%s", (const char *)sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the run's screening failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

int halyard_verification_dispatch_retry_due(halyard_store *store, long long run_id, bool *due,
                                            char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    *due = false;
    if (sqlite3_prepare_v2(database,
                           "SELECT kind FROM run_events WHERE run_id = ?1"
                           " AND (kind LIKE 'screen%' OR kind LIKE 'verification\\_%' ESCAPE '\\')"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "reading the run's events failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(statement, 0);
        *due = kind != NULL && strcmp(kind, HALYARD_VERIFY_EVENT_DISPATCH_RETRY) == 0;
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(message, message_size, "reading the run's events failed: %s",
                 sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

int halyard_verification_seal_stored_urls(halyard_store *store, const halyard_secret_key *key,
                                          char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);

    /* One row per pass: each is read, sealed and written before the next is read. */
    while (true) {
        sqlite3_stmt *statement = NULL;
        if (sqlite3_prepare_v2(database,
                               "SELECT p.msp_id, m.name, p.url FROM verification_providers p"
                               " JOIN msps m ON m.id = p.msp_id WHERE p.url_sealed IS NULL"
                               " LIMIT 1",
                               -1, &statement, NULL) != SQLITE_OK) {
            snprintf(message, message_size, "reading the stored provider URLs failed: %s",
                     sqlite3_errmsg(database));
            return -1;
        }
        int step = sqlite3_step(statement);
        if (step != SQLITE_ROW) {
            sqlite3_finalize(statement);
            if (step == SQLITE_DONE) {
                return 0;
            }
            snprintf(message, message_size, "reading the stored provider URLs failed: %s",
                     sqlite3_errmsg(database));
            return -1;
        }
        long long msp_id = sqlite3_column_int64(statement, 0);
        char msp_name[64];
        char url[sizeof((halyard_verification_provider *)0)->url];
        snprintf(msp_name, sizeof msp_name, "%s", (const char *)sqlite3_column_text(statement, 1));
        snprintf(url, sizeof url, "%s", (const char *)sqlite3_column_text(statement, 2));
        sqlite3_finalize(statement);

        char *sealed = NULL;
        char shown[sizeof url];
        url_shown(url, shown, sizeof shown);
        int status = seal_text(key, msp_name, "url", url, &sealed, message, message_size);
        sodium_memzero(url, sizeof url);
        if (status != 0) {
            return -1;
        }
        if (sqlite3_prepare_v2(database,
                               "UPDATE verification_providers SET url = ?2, url_sealed = ?3"
                               " WHERE msp_id = ?1",
                               -1, &statement, NULL) != SQLITE_OK) {
            free(sealed);
            snprintf(message, message_size, "sealing the stored provider URL failed: %s",
                     sqlite3_errmsg(database));
            return -1;
        }
        sqlite3_bind_int64(statement, 1, msp_id);
        sqlite3_bind_text(statement, 2, shown, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, sealed, -1, SQLITE_STATIC);
        step = sqlite3_step(statement);
        sqlite3_finalize(statement);
        free(sealed);
        if (step != SQLITE_DONE) {
            snprintf(message, message_size, "sealing the stored provider URL failed: %s",
                     sqlite3_errmsg(database));
            return -1;
        }
    }
}

void halyard_verification_msp_name(halyard_store *store, long long msp_id, char *name,
                                   size_t name_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    snprintf(name, name_size, "id:%lld", msp_id);
    if (sqlite3_prepare_v2(database, "SELECT name FROM msps WHERE id = ?1", -1, &statement, NULL) !=
        SQLITE_OK) {
        return;
    }
    sqlite3_bind_int64(statement, 1, msp_id);
    if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_type(statement, 0) == SQLITE_TEXT) {
        snprintf(name, name_size, "%s", (const char *)sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
}
