-- The outbox (core/app/run_writes.c): a write halyard makes for a run reaches HaloPSA once,
-- when the simulator drops the response to it and when halyard is killed between sending it
-- and recording it. Real halyard serve and halosim processes; writes are queued through the
-- test API of `halyard serve --test-clock` and counted on the simulator's side.

local testing = require "testing"
local http = require "http"
local json = require "json"
local proc = require "proc"
local runner = require "halytest.runner"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

local SIM_EVENTS = {3, 2, 8}
local WAIT_MS = 30000
-- Long enough for a second copy of a write to have been sent if it was going to be.
local SETTLE_MS = 2500

local function call(server, token, method, path, body)
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  local response, message = http.request{method = method, url = server.url .. path,
    headers = headers, body = body and (type(body) == "string" and body or json.encode(body))}
  assert(response, message)
  local ok, decoded = pcall(json.decode, response.body)
  response.json = ok and decoded or nil
  return response
end

-- A simulator, a connected halyard serve --test-clock (with env) that imported client 12,
-- and an admin token.
local function start(env)
  local simulator = sim.start{rate_limit = "off"}
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local code, token, err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local server = support.serve(space, 0, {"--test-clock"}, env)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url})
  code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  return simulator, space, server, token:match("^(%S+)")
end

-- Logs a ticket as Jane (user 77 of client 12), waits until its run is done and returns the
-- ticket and run ids.
local function worked_ticket(simulator, server, token)
  local response = simulator:control("POST", "/tickets",
    {user_id = 77, summary = "Printer offline", details = "The printer is not printing."})
  expect.status(response, 201)
  local ticket = json.integer(response.json.id)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    local runs = call(server, token, "GET", "/api/v1/runs?ticket_id=" .. ticket).json.runs
    if runs[1] and runs[1].state == "done" then
      return ticket, json.integer(runs[1].id)
    end
    util.sleep_ms(100)
  end
  expect.fail("ticket " .. ticket .. "'s run was not done within 30 s; log: "
    .. (util.read_file(server.log) or ""))
end

-- The ticket's actions carrying the marker of the run's write key.
local function marked(simulator, ticket, run, key)
  local response = simulator:get("/api/Actions", {ticket_id = ticket, includehtmlnote = true})
  expect.status(response, 200)
  local needle = "halyard run " .. run .. "." .. key .. "<"
  local found = {}
  for _, action in ipairs(response.json.actions) do
    if (action.note_html or ""):find(needle, 1, true) then
      found[#found + 1] = action
    end
  end
  return found
end

local function wait_for_marked(simulator, ticket, run, key)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    local found = marked(simulator, ticket, run, key)
    if #found > 0 then
      return found
    end
    util.sleep_ms(100)
  end
  return {}
end

-- POSTs to /api/actions the simulator received for the ticket.
local function action_posts(simulator, ticket)
  local response = simulator:control("GET", "/requests")
  local count = 0
  for _, write in ipairs(response.json.writes) do
    if write.method == "POST" and write.path:lower() == "/api/actions"
        and tostring(write.body):find('"ticket_id":' .. ticket, 1, true) then
      count = count + 1
    end
  end
  return count
end

local CLOSING = {write = "action", note_html = "<p>Closing note: the printer queue was cleared.</p>"}

test("a write whose response was lost is made once", function()
  local simulator, _, server, token = start()
  local ticket, run = worked_ticket(simulator, server, token)
  local posts_before = action_posts(simulator, ticket)
  expect.status(simulator:control("POST", "/faults", {match = {method = "POST",
    path = "/api/actions", ticket_id = ticket}, drop_response = true, times = 1}), 201)

  local response = call(server, token, "POST", "/api/v1/test/writes",
    {run_id = run, key = "closing", write = CLOSING})
  expect.status(response, 202)
  -- The retry waits for its backoff on the business clock.
  util.sleep_ms(500)
  call(server, token, "POST", "/api/v1/test/clock", {advance_ms = 5000})

  local found = wait_for_marked(simulator, ticket, run, "closing")
  expect.eq(#found, 1, "marked actions; log: " .. (util.read_file(server.log) or ""))
  call(server, token, "POST", "/api/v1/test/clock", {advance_ms = 60000})
  util.sleep_ms(SETTLE_MS)
  expect.eq(#marked(simulator, ticket, run, "closing"), 1, "marked actions after settling")
  expect.eq(action_posts(simulator, ticket) - posts_before, 1, "POSTs of the write")
  expect.contains(util.read_file(server.log) or "", "write=closing found already in HaloPSA")
  expect.eq(found[1].hiddenfromuser, true, "hidden from the user")
end)

test("a write is made once when halyard is killed before recording it", function()
  local simulator, space, server, token = start{HALYARD_TEST_CRASH_AFTER_SEND = "closing"}
  local ticket, run = worked_ticket(simulator, server, token)

  expect.status(call(server, token, "POST", "/api/v1/test/writes",
    {run_id = run, key = "closing", write = CLOSING}), 202)
  local status = server.child:wait(WAIT_MS)
  expect.eq(status, 128 + 9, "halyard stopped by SIGKILL; log: "
    .. (util.read_file(server.log) or ""))
  expect.eq(#marked(simulator, ticket, run, "closing"), 1, "marked actions after the crash")

  local again = support.serve(space, 0, {"--test-clock"})
  local deadline = util.monotonic_ms() + WAIT_MS
  local log = ""
  while util.monotonic_ms() < deadline do
    log = util.read_file(again.log) or ""
    if log:find("write=closing found already in HaloPSA", 1, true) then
      break
    end
    util.sleep_ms(100)
  end
  expect.contains(log, "write=closing found already in HaloPSA")
  util.sleep_ms(SETTLE_MS)
  expect.eq(#marked(simulator, ticket, run, "closing"), 1, "marked actions after the restart")
end)

-- The database file of a workspace, and the last_used_at of its only admin token.
local function database_path(space)
  return space.data_dir .. "/halyard.db"
end

local function token_last_used(space)
  local child = proc.spawn({runner.build_dir() .. "/intake-query-db", database_path(space),
    "SELECT last_used_at FROM api_tokens"})
  local line = child:read_line(WAIT_MS)
  expect.eq(child:wait(WAIT_MS), 0, "intake-query-db exit status")
  return line
end

-- The bug: the test API kept its look-up of the run on its row while it stored the write, so the
-- write upgraded a read transaction. SQLite does not wait for the write lock then, and the write
-- failed at once with "database is locked" whenever another connection was writing, which
-- happened under load. The admin token's last_used_at update failed the same way, unlogged.
test("a write waits for another connection's write lock", function()
  local simulator, space, server, token = start()
  local ticket, run = worked_ticket(simulator, server, token)
  local used_before = token_last_used(space)

  -- The lock is held well inside halyard's 5 s busy timeout, so a waiting write succeeds.
  local holder = proc.spawn({runner.build_dir() .. "/hold-write-lock", database_path(space),
    "1500"})
  expect.eq(holder:read_line(WAIT_MS), "locked", "hold-write-lock took the lock")
  local response = call(server, token, "POST", "/api/v1/test/writes",
    {run_id = run, key = "closing", write = CLOSING})
  expect.status(response, 202, "the write while the lock is held; body: " .. response.body)
  expect.eq(holder:wait(WAIT_MS), 0, "hold-write-lock exit status")

  expect.eq(#wait_for_marked(simulator, ticket, run, "closing"), 1, "marked actions")
  expect.ne(token_last_used(space), used_before, "the admin token's last_used_at")
  expect.no_match(util.read_file(server.log) or "", "database is locked", "halyard's log")
end)

test("a bad write is refused with what is wrong", function()
  local simulator, _, server, token = start()
  local _, run = worked_ticket(simulator, server, token)

  local cases = {
    {{write = "email"}, "\"write\" must be \"action\" or \"ticket\""},
    {{write = "action"}, "an action needs \"note_html\""},
    {{write = "action", note_html = "<p>x</p>", hidden = "yes"}, "must be true or false"},
    {{write = "ticket", fields = {client_id = 9}}, "may set only status_id"},
    {{write = "ticket", fields = {}}, "at least one field"},
  }
  for _, case in ipairs(cases) do
    local response = call(server, token, "POST", "/api/v1/test/writes",
      {run_id = run, key = "bad", write = case[1]})
    expect.status(response, 400)
    expect.contains(response.json.error, case[2])
  end
  local response = call(server, token, "POST", "/api/v1/test/writes",
    {run_id = run, key = "bad key!", write = CLOSING})
  expect.status(response, 400)
  expect.contains(response.json.error, "is invalid; use 1 to 64 letters")
  expect.status(call(server, token, "POST", "/api/v1/test/writes",
    {run_id = run + 1000, key = "closing", write = CLOSING}), 404)
end)

test("a ticket write sets the fields, and the same key twice writes once", function()
  local simulator, _, server, token = start()
  local ticket, run = worked_ticket(simulator, server, token)

  local write = {write = "ticket", fields = {status_id = 2}}
  expect.status(call(server, token, "POST", "/api/v1/test/writes",
    {run_id = run, key = "status", write = write}), 202)
  expect.status(call(server, token, "POST", "/api/v1/test/writes",
    {run_id = run, key = "status", write = {write = "ticket", fields = {status_id = 9}}}), 202)
  local deadline = util.monotonic_ms() + WAIT_MS
  local state = nil
  while util.monotonic_ms() < deadline do
    state = simulator:get("/api/Tickets/" .. ticket).json
    if json.integer(state.status_id) == 2 then
      break
    end
    util.sleep_ms(100)
  end
  expect.eq(json.integer(state.status_id), 2, "status after the write")
  util.sleep_ms(SETTLE_MS)
  state = simulator:get("/api/Tickets/" .. ticket).json
  expect.eq(json.integer(state.status_id), 2, "status after the second add of the same key")
end)

test("a reply to the requester takes the reply outcome", function()
  local simulator, _, server, token = start()
  local ticket, run = worked_ticket(simulator, server, token)

  expect.status(call(server, token, "POST", "/api/v1/test/writes", {run_id = run, key = "reply",
    write = {write = "action", note_html = "<p>Fixed, please try again.</p>", hidden = false,
      send_email = true}}), 202)
  expect.status(call(server, token, "POST", "/api/v1/test/writes", {run_id = run, key = "note",
    write = CLOSING}), 202)

  local reply = wait_for_marked(simulator, ticket, run, "reply")[1]
  local note = wait_for_marked(simulator, ticket, run, "note")[1]
  expect.eq(reply and reply.outcome, "Email User", "the reply's outcome")
  expect.eq(reply and reply.hiddenfromuser, false, "the reply is visible to the requester")
  expect.eq(note and note.outcome, "Private Note", "the internal note's outcome")
end)

testing.run()
