#ifndef HALYARD_VERIFICATION_STORE_H
#define HALYARD_VERIFICATION_STORE_H

#include "config.h"
#include "secret_box.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* An MSP's connection to an identity verification provider, as stored in
 * verification_providers. The URL, the API key and the callback secret are sealed at rest with
 * the installation's secret key (secret_box.h), each bound to the MSP and the field. Only the
 * URL's scheme, host and port are stored and shown in clear. */

#define HALYARD_VERIFY_CALLBACK_SECRET_CHARS 64 /* hex of 32 random bytes */

/* The minimum length, in characters, of a provider's API key and callback secret. A shorter
 * value is no real credential, and halyard cuts every stored secret from the details it keeps,
 * which would garble ordinary words for a secret of a few characters. */
#define HALYARD_VERIFY_SECRET_MIN_CHARS 16

typedef struct {
    char provider[64];       /* the verifier's file name without ".lua" */
    char url[1024];          /* opened; wiped by halyard_verification_provider_clear */
    char channel[16];        /* "" when the provider's default applies */
    char callback_url[2048]; /* public_url/hooks/verify/<provider>/<msp>; "" without public_url */
    char connected_at[40];   /* ISO 8601, UTC */
    char *api_key;           /* opened; NULL when the provider takes none */
    char *callback_secret;   /* opened */
} halyard_verification_provider;

/* What `halyard verify connect` and POST /api/v1/verification store. */
typedef struct {
    const char *msp; /* the MSP's name */
    const char *provider;
    const char *url;
    const char *api_key; /* NULL, or at least HALYARD_VERIFY_SECRET_MIN_CHARS characters */
    const char *channel; /* may be NULL */
} halyard_verification_connect_input;

/* Checks and stores a provider connection for the MSP, replacing an earlier one, with the
 * callback URL under the config's public_url and a new callback secret written into
 * callback_secret (HALYARD_VERIFY_CALLBACK_SECRET_CHARS + 1 bytes),
 * which the caller shows once. The provider must be a verifier file (config/verifiers/ or the
 * MSP's verifiers/ folder), the URL's host must be on the MSP's http_allow list, and an API key
 * must have at least HALYARD_VERIFY_SECRET_MIN_CHARS characters. Returns 0, or -1 with a message
 * saying what to fix. */
int halyard_verification_connect(halyard_store *store, const halyard_secret_key *key,
                                 const halyard_config *config,
                                 const halyard_verification_connect_input *input,
                                 char *callback_secret, char *message, size_t message_size);

/* Loads the MSP's provider with its secrets opened (release with
 * halyard_verification_provider_clear). Returns 0, 1 when none is connected, or -1 with a
 * message. */
int halyard_verification_provider_load(halyard_store *store, const halyard_secret_key *key,
                                       long long msp_id, const char *msp_name,
                                       halyard_verification_provider *provider, char *message,
                                       size_t message_size);

/* Wipes the provider's URL and frees its wiped secrets. */
void halyard_verification_provider_clear(halyard_verification_provider *provider);

/* Removes the MSP's provider. Returns 0, 1 when none was connected, or -1 with a message. */
int halyard_verification_disconnect(halyard_store *store, long long msp_id, char *message,
                                    size_t message_size);

/* Writes the provider as JSON without its secrets into a malloc'd *json: {"connected": true,
 * "provider", "url", "channel", "connected_at", "callback_url"} or {"connected": false}. url
 * is scheme://host[:port], followed by "/[path hidden]" when the URL has more.
 * Returns 0, or -1 with a message. */
int halyard_verification_status_json(halyard_store *store, const halyard_secret_key *key,
                                     long long msp_id, const char *msp_name, char **json,
                                     char *message, size_t message_size);

/* Seals every provider URL stored in clear before halyard sealed them, and keeps only its
 * shown form in clear. Run when the data folder is opened, because the schema's migration has
 * no key to seal with. Returns 0, or -1 with a message. */
int halyard_verification_seal_stored_urls(halyard_store *store, const halyard_secret_key *key,
                                          char *message, size_t message_size);

/* The run event recorded when a dispatch returned without sending anything and may be tried
 * again, and the event recorded as that new attempt starts. */
#define HALYARD_VERIFY_EVENT_DISPATCH_RETRY "verification_dispatch_retry"
#define HALYARD_VERIFY_EVENT_REDISPATCH     "verification_redispatch"

/* Tells whether run_id's newest screening or verification event (kinds "screen..." and
 * "verification_...") is HALYARD_VERIFY_EVENT_DISPATCH_RETRY: its last dispatch sent nothing,
 * and no new attempt or screening started since, so a challenge may be sent without risking a
 * second one. Sets *due. Returns 0, or -1 with a message. */
int halyard_verification_dispatch_retry_due(halyard_store *store, long long run_id, bool *due,
                                            char *message, size_t message_size);

/* Reads the kinds of request the run's challenge is for, from the screening stored with run_id,
 * into reasons as reason codes joined by commas. Those are the kinds a passed check did not
 * cover (challenge_reasons), else the screening's reasons, else its reason. reasons is "" when
 * the run has no screening or no reason. Returns 0, or -1 with a message. */
int halyard_verification_screening_reasons(halyard_store *store, long long run_id, char *reasons,
                                           size_t reasons_size, char *message, size_t message_size);

/* Writes the name of MSP msp_id into name, for a log line's msp=NAME where the caller has only
 * the id. When the name cannot be read, writes "id:N" instead, so the line still names the MSP
 * and is still logged. */
void halyard_verification_msp_name(halyard_store *store, long long msp_id, char *name,
                                   size_t name_size);

#endif
