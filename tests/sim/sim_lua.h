#ifndef SIM_LUA_H
#define SIM_LUA_H

#include "sim_message.h"
#include "sim_options.h"

#include <stddef.h>

/* The simulator's Lua logic: one lua_State with the standard libraries, cjson, the host table
 * (real_ms, random_bytes, log) and the modules of tests/sim/lua/ (embedded at build time, or
 * read from --lua-dir first). It keeps the table the module "main" returns as sim and calls
 * sim.init, sim.handle, sim.take_deliveries, sim.delivery_result and sim.tick. No function here
 * lets a Lua error escape: each one catches it and logs it or returns it. */
struct sim_lua;

/* Creates the state and loads the module "main". lua_dir is NULL or a folder searched before the
 * embedded modules. Returns NULL with message set when main is missing, fails to load, or does
 * not return a table with the five sim functions. */
struct sim_lua *sim_lua_open(const char *lua_dir, char *message, size_t message_size);

/* Calls sim.init(options, seed_text) with the settings of options, port being the port actually
 * bound. seed_text is NULL for the built-in seed. Returns 0, or -1 with message set when
 * sim.init raised an error or returned nil, message. */
int sim_lua_init(struct sim_lua *lua, const struct sim_options *options, int port,
                 const char *seed_text, size_t seed_length, char *message, size_t message_size);

/* Calls sim.handle(request) and fills response, which must be empty (zeroed). When sim.handle
 * raises or returns something that is not a valid response table, logs the error and fills a 500
 * exception response instead. Returns 0, or -1 when memory ran out even for the 500. */
int sim_lua_handle(struct sim_lua *lua, const struct sim_request *request,
                   struct sim_response *response);

/* Calls sim.take_deliveries() and returns the valid deliveries in *deliveries (an array the caller
 * frees with sim_lua_free_deliveries) and their number in *count. A delivery that is not valid is
 * logged and, when it has an attempt_id, reported back through sim.delivery_result with an
 * error, so the Lua logic records its failure. */
void sim_lua_take_deliveries(struct sim_lua *lua, struct sim_delivery **deliveries, size_t *count);

void sim_lua_free_deliveries(struct sim_delivery *deliveries, size_t count);

/* Calls sim.delivery_result(attempt_id, result) with {status, headers, body} or {error}. */
void sim_lua_report_delivery(struct sim_lua *lua, const char *attempt_id,
                             const struct sim_delivery_result *result);

/* Calls sim.tick(). A repeated identical error is logged once and then counted. */
void sim_lua_tick(struct sim_lua *lua);

void sim_lua_close(struct sim_lua *lua);

#endif
