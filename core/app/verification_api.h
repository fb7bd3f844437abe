#ifndef HALYARD_VERIFICATION_API_H
#define HALYARD_VERIFICATION_API_H

#include "admin_api.h"
#include "config.h"
#include "http_server.h"
#include "pipeline.h"

#include <stddef.h>

/* The HTTP side of identity verification (docs/verification.md):
 *
 *   GET    /api/v1/verification        the MSP's provider, without secrets
 *   POST   /api/v1/verification        connects: {"provider", "url", "api_key", "channel"};
 *                                      the reply holds the callback secret, shown once
 *   DELETE /api/v1/verification        disconnects
 *   POST   /hooks/verify/{provider}/{msp}
 *                                      a provider's signed result: checked, stored and
 *                                      answered 202 at once; a job reads it
 *
 * The /api/v1 routes need an admin token (admin_api.h). Everything runs on the loop thread. */
typedef struct halyard_verification_api halyard_verification_api;

/* Adds the routes. admin and config must outlive the API; pipeline (may be NULL) is woken when
 * a callback queues its job. Returns 0, or -1 with a message. */
int halyard_verification_api_open(halyard_http_server *server, halyard_admin_api *admin,
                                  const halyard_config *config, const char *data_dir,
                                  halyard_pipeline *pipeline, halyard_verification_api **api,
                                  char *message, size_t message_size);

/* Frees the API; NULL is allowed. Call after halyard_http_server_free. */
void halyard_verification_api_close(halyard_verification_api *api);

/* Checks a callback's signature: signature must be "sha256=" and the lower-case hex of
 * HMAC-SHA256 under secret over timestamp, ".", and the body; timestamp must be whole seconds
 * since 1970 within HALYARD_VERIFY_CALLBACK_WINDOW_S of now_s. Compares in constant time.
 * Returns 0, or -1 with a message for the 401 reply. */
int halyard_verification_check_signature(const char *secret, const char *timestamp,
                                         const char *signature, const char *body,
                                         size_t body_length, long long now_s, char *message,
                                         size_t message_size);

#define HALYARD_VERIFY_CALLBACK_WINDOW_S 300

#endif
