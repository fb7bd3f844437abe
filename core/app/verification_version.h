#ifndef HALYARD_VERIFICATION_VERSION_H
#define HALYARD_VERIFICATION_VERSION_H

#include "store.h"

#include <stddef.h>

/*
 * The version of a ticket as the sensitive policy sees it, so that nothing acts on an update
 * before the update was screened. The sync of a run screened not sensitive compares the version
 * it read with the version the run was last screened at. When they differ it queues a screen
 * and stops, and the screen queues the sync again once it found the ticket still not
 * sensitive. A ticket nobody changed keeps its version, so a screen and its sync do not queue
 * each other forever.
 *
 * The version is a SHA-256 over what host.screen gives the policy: the ticket's summary,
 * details, details_html, source, user_email and client_id, and every action except those
 * halyard's own API agent wrote (its plan, request and step notes). Technicians' actions count
 * although the policy reads only the end user's, which costs a screen but never misses a
 * reply. It is stored as "ticket_version" in the run's screening_json.
 */

/* The hex digits of a version and its terminating NUL. */
#define HALYARD_TICKET_VERSION_SIZE 65

/* Writes the version of a ticket read as ticket_json (GET /api/Tickets/{id}) and actions_json
 * (GET /api/Actions?ticket_id=&includehtmlnote=true) into version. login_agent_id is halyard's
 * API agent, whose actions are left out (0 leaves none out). Returns 0, or -1 with a message
 * when either text is not JSON. */
int halyard_verification_ticket_version(halyard_store *store, const char *ticket_json,
                                        const char *actions_json, long long login_agent_id,
                                        char version[HALYARD_TICKET_VERSION_SIZE], char *message,
                                        size_t message_size);

/* Reads the version run_id was last screened at into version ("" when it has none, as runs
 * screened before halyard stored versions). Returns 0, or -1 with a message. */
int halyard_verification_screened_version(halyard_store *store, long long run_id,
                                          char version[HALYARD_TICKET_VERSION_SIZE], char *message,
                                          size_t message_size);

/* Stores version as the one run_id was last screened at, keeping the rest of its
 * screening_json. Returns 0, or -1 with a message. */
int halyard_verification_set_screened_version(halyard_store *store, long long run_id,
                                              const char *version, char *message,
                                              size_t message_size);

#endif
