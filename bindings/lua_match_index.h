#ifndef HALYARD_BINDINGS_LUA_MATCH_INDEX_H
#define HALYARD_BINDINGS_LUA_MATCH_INDEX_H

#include <lua.h>

/*
 * Opens the `match_index` module and pushes its table: the keyword index that
 * bindings/lua/match.lua files compiled workflow rules in, and the matcher that runs a
 * ticket's words through it. halyard's own modules use it; scripts never see it.
 *
 *   match_index.new()                  an empty index (a userdata)
 *   index:add(key, compiled, order, clients)
 *                                      files the keyword rules compiled by match.compile
 *                                      under key (any value but nil); order breaks ties
 *                                      between equal scores; clients is nil (every client)
 *                                      or a set {[client id] = true}
 *   index:run(tokens, client_id)       the members the tokens match, each
 *                                      {key, score, reasons, order}, highest score first,
 *                                      then by order; members scoped to clients take part
 *                                      only when client_id (an integer or nil) is one of them
 *   index:run_json(tokens, client_id)  the same matches as the JSON array host.match returns,
 *                                      without a Lua table per match; each key must have been a
 *                                      workflow record (string name and file) when it was
 *                                      added, and that name and file are what it writes
 *   index:evaluate(tokens, order)      matched, score, reasons of the member added with order,
 *                                      whatever its scope; when an exclusion stopped the
 *                                      match, the reasons are the exclusions that hit
 *   match_index.prepare(summary, details, notes)
 *                                      the tokens of a ticket's three text fields (a
 *                                      userdata); each text is normalised once
 *   match_index.texts(tokens)          the three normalised texts, for score functions
 *   match_index.describe(rule, phrase, field)
 *                                      a reason as a technician reads it:
 *                                      `summary contains "password reset"`
 *   match_index.encode_matches(matches)
 *                                      run's results as the JSON array host.match returns:
 *                                      [{"file", "reasons", "score", "workflow"}], where each
 *                                      match's key is a workflow record with name and file;
 *                                      canonical JSON, as bindings/lua/canonical.lua writes it
 *
 * A reason is {rule = "any"|"all"|"none", phrase = the phrase as written, field = "summary"|
 * "details"|"notes"}. A phrase found in several fields names the first in that order. A
 * member's score is 2 for each of its phrases found in the summary and 1 for each found
 * elsewhere. Normalisation is the text module's (lua_text.h).
 *
 * Every function charges its work to the running call's instruction budget (lua_meter.h),
 * and all memory comes from the state's allocator, so the state's memory limit holds.
 * Misuse raises with lauxlib's wording. lua_CFunction convention: returns 1.
 */
int halyard_open_match_index(lua_State *L);

#endif
