-- How an identity check ends at its deadline when halyard was stopped across it, on real
-- `halyard serve` and halosim processes and real time: which answers still count, and what the
-- note says when halyard could not ask the provider. The fake provider in halosim records the
-- time of each answer and returns it with its polls (answered_at).

local testing = require "testing"
local proc = require "proc"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

-- The checks' timeout, in seconds: short, because these tests wait it out in real time.
local TIMEOUT_S = 10
local WAIT_MS = 30000

-- Starts a simulator with Jane Doe of client 12 and a `halyard serve` connected to it, with the
-- fake Traceless provider connected. Returns the simulator, the workspace and the server.
local function start_with_traceless()
  local simulator = sim.start{rate_limit = "off", seed = {
    clients = {{id = 12, name = "Acme Ltd", inactive = false}},
    sites = {{id = 31, name = "Head Office", client_id = 12}},
    users = {{id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
      site_id = 31, emailaddress = "jane.doe@acme.example"}},
    agents = {{id = 1, name = "halyard API", email = "api@msp.example", isapiagent = true}},
    login_agent_id = 1,
  }}
  local port = math.tointeger(tonumber(simulator.url:match(":(%d+)$")))
  local settings = {
    webhook_events = {3, 2, 8},
    http_allow = {string.format('default = {{host = "localhost", port = %d, private = true}}',
      port)},
    verification = {string.format("default = {timeout_s = %d}", TIMEOUT_S)},
  }
  local space = support.workspace(settings)
  local server = support.serve(space)
  settings.public_url = server.url
  support.configure(space, settings)
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  local key = support.file(space, "verifier-key", "fake-verifier-key\n")
  code, _, err = support.halyard(space, "verify", "connect", "--provider", "traceless", "--url",
    support.instance_url(simulator) .. "/verifier/traceless", "--api-key-file", key)
  expect.eq(code, 0, "verify connect; stderr: " .. err)
  return simulator, space, server
end

-- Runs SQL on the workspace's database with intake-query-db; returns its output.
local function query_database(space, sql, write)
  local out = space.folder .. "/query-" .. tostring(util.monotonic_ms())
  local command = {os.getenv("HALYARD_BUILD_DIR") .. "/intake-query-db"}
  if write then
    command[#command + 1] = "--write"
  end
  command[#command + 1] = space.data_dir .. "/halyard.db"
  command[#command + 1] = sql
  local child = proc.spawn(command, {stdout = out, stderr = out .. ".err"})
  expect.eq(child:wait(10000), 0, "intake-query-db " .. sql .. ": "
    .. (util.read_file(out .. ".err") or ""))
  return util.read_file(out) or ""
end

-- Logs a password reset ticket for Jane and waits until halyard has stored its pending check
-- with the deadline job. Returns the ticket id and the challenge's transaction id.
local function log_waiting_ticket(simulator, space, server)
  local logged = simulator:control("POST", "/tickets", {user_id = 77, summary = "Password reset",
    details = "I forgot my password, please reset it."})
  expect.status(logged, 201)
  local deadline = util.monotonic_ms() + 15000
  local rows
  repeat
    rows = query_database(space, "SELECT count(*) FROM jobs WHERE kind = 'verify_deadline'"
      .. " AND state = 'ready'")
    util.sleep_ms(100)
  until rows == "1\n" or util.monotonic_ms() > deadline
  expect.eq(rows, "1\n", "the check's deadline job is queued; halyard log: "
    .. (util.read_file(server.log) or ""))
  local transactions = simulator:control("GET", "/verifier/transactions").json or {}
  expect.eq(#transactions, 1, "the provider got one challenge")
  return math.tointeger(logged.json.id), transactions[1] and transactions[1].id
end

-- Stops halyard serve as an operator's restart does.
local function stop(server)
  server.child:kill("TERM")
  expect.eq(server.child:wait(10000), 0, "halyard serve stopped cleanly")
end

-- Waits until the check's deadline has passed in real time, with a second to spare.
local function wait_past_deadline(space)
  local deadline_ms = tonumber(query_database(space, "SELECT deadline_ms FROM verifications"))
  local now_ms = tonumber(query_database(space,
    "SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"))
  util.sleep_ms(math.max(0, deadline_ms - now_ms) + 1000)
end

-- Returns the text of halyard's verification note on the ticket, waiting up to WAIT_MS for it.
local function wait_for_verification_note(simulator, ticket_id)
  local deadline = util.monotonic_ms() + WAIT_MS
  repeat
    local response = simulator:get("/api/Actions", {ticket_id = ticket_id, includehtmlnote = true})
    for _, action in ipairs(response.json and response.json.actions or {}) do
      local text = (action.note_html or "") .. (action.note or "")
      if text:find("halyard verification, run", 1, true) then
        return text
      end
    end
    util.sleep_ms(200)
  until util.monotonic_ms() > deadline
  return nil
end

-- A poll's answer carried no time, so a requester who passed while halyard was stopped past the
-- deadline was verified when halyard came back, and the agent planned the sensitive request.
-- The provider's time of the pass is now read: a pass after the deadline expires the check.
test("pass after deadline while stopped expires", function()
  local simulator, space, server = start_with_traceless()
  local ticket_id, transaction_id = log_waiting_ticket(simulator, space, server)
  stop(server)

  wait_past_deadline(space)
  expect.status(simulator:control("POST", "/verifier/transactions/" .. transaction_id,
    {action = "approve"}), 200)
  local again = support.serve(space, server.port)

  local note = wait_for_verification_note(simulator, ticket_id)
  expect.truthy(note ~= nil, "an outcome note; halyard log: " .. (util.read_file(again.log) or ""))
  expect.contains(note or "", "identity verification expired", "the outcome")
  expect.contains(note or "", "passed the challenge only after the timeout",
    "the note says the pass came late")
  expect.contains(note or "", "by the provider's clock", "the note gives the provider's time")
  expect.eq((note or ""):find("identity verified", 1, true), nil, "the late pass does not count")
  expect.eq(query_database(space, "SELECT state, verification FROM runs"),
    "verification_failed|expired\n", "the run stopped")
  expect.eq(query_database(space, "SELECT count(*) FROM runs WHERE note_action_id > 0"), "0\n",
    "no plan note was posted")
  expect.contains(util.read_file(again.log) or "", "the pass came after the deadline",
    "the log says why the check expired")
end)

-- A pass given before halyard stopped still counts when halyard reads it after the deadline,
-- because the provider's time says it came in time.
test("pass before deadline read later counts", function()
  local simulator, space, server = start_with_traceless()
  local ticket_id, transaction_id = log_waiting_ticket(simulator, space, server)
  -- The approval and the stop come before the next poll, which is 2 s after the dispatch.
  expect.status(simulator:control("POST", "/verifier/transactions/" .. transaction_id,
    {action = "approve"}), 200)
  server.child:kill("KILL")
  server.child:wait(10000)

  wait_past_deadline(space)
  local again = support.serve(space, server.port)

  local note = wait_for_verification_note(simulator, ticket_id)
  expect.truthy(note ~= nil, "an outcome note; halyard log: " .. (util.read_file(again.log) or ""))
  expect.contains(note or "", "identity verified", "the pass given in time counts")
end)

-- When the connected provider could not be read at the deadline (its sealed API key no longer
-- opens), the check expired and the note said the requester did not answer. It now ends with
-- the error outcome and a note that says halyard could not read the provider.
test("provider unreadable at deadline errors", function()
  local simulator, space, server = start_with_traceless()
  local ticket_id = log_waiting_ticket(simulator, space, server)
  stop(server)

  query_database(space, "UPDATE verification_providers SET api_key_sealed = 'not sealed'", true)
  wait_past_deadline(space)
  local again = support.serve(space, server.port)

  local note = wait_for_verification_note(simulator, ticket_id)
  expect.truthy(note ~= nil, "an outcome note; halyard log: " .. (util.read_file(again.log) or ""))
  expect.contains(note or "", "identity verification error", "the outcome")
  expect.contains(note or "", "halyard could not read the connected verification provider at "
    .. "the deadline", "the note names what failed")
  expect.eq((note or ""):find("did not answer", 1, true), nil,
    "the note does not blame the requester")
  expect.eq(query_database(space, "SELECT state, verification FROM runs"),
    "verification_failed|error\n", "the run stopped with the error outcome")
end)
