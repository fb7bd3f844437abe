-- GET /api/v1/runs and the test endpoints of `halyard serve --test-clock`, on a real halyard
-- serve against a real halosim over HTTPS.

local testing = require "testing"
local http = require "http"
local json = require "json"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

local SIM_EVENTS = {3, 2, 8}
local WAIT_MS = 30000

-- A simulator and a connected halyard serve (with extra serve arguments) that imported client
-- 12, plus an admin token.
local function start(serve_arguments)
  local simulator = sim.start{rate_limit = "off"}
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local code, token, err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local server = support.serve(space, 0, serve_arguments)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url})
  code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  return simulator, space, server, token:match("^(%S+)")
end

local function call(server, token, method, path, body)
  local headers = {["Content-Type"] = "application/json"}
  if token then
    headers["Authorization"] = "Bearer " .. token
  end
  local response, message = http.request{method = method, url = server.url .. path,
    headers = headers, body = body and (type(body) == "string" and body or json.encode(body))}
  assert(response, message)
  local ok, decoded = pcall(json.decode, response.body)
  response.json = ok and decoded or nil
  return response
end

-- Logs a ticket as Jane (user 77 of client 12) and waits until its run is done.
local function worked_ticket(simulator, server, token)
  local response = simulator:control("POST", "/tickets",
    {user_id = 77, summary = "Printer offline", details = "The printer is not printing."})
  expect.status(response, 201)
  local ticket = json.integer(response.json.id)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    local runs = call(server, token, "GET", "/api/v1/runs?ticket_id=" .. ticket).json.runs
    if runs[1] and runs[1].state == "done" then
      return ticket
    end
    util.sleep_ms(100)
  end
  expect.fail("ticket " .. ticket .. "'s run was not done within 30 s")
end

test("runs show a ticket's run and events", function()
  local simulator, _, server, token = start()
  local ticket = worked_ticket(simulator, server, token)

  local response = call(server, token, "GET", "/api/v1/runs?ticket_id=" .. ticket)

  expect.status(response, 200)
  local runs = response.json.runs
  expect.eq(#runs, 1, "runs")
  local run = runs[1]
  expect.integer(run.id, "id")
  expect.eq(run.ticket_id, ticket, "ticket_id")
  expect.eq(run.client_id, 12, "client_id")
  expect.eq(run.mode, "plan", "mode")
  expect.eq(run.ticket_closed, false, "ticket_closed")
  expect.integer(run.note_action_id, "note_action_id")
  expect.match(run.created_at, "^%d%d%d%d%-%d%d%-%d%dT", "created_at")
  local kinds = {}
  for _, event in ipairs(run.events) do
    kinds[#kinds + 1] = event.kind
  end
  expect.eq(kinds[1], "planning", "first event")
  expect.contains(kinds, "planned", "events")
  expect.contains(kinds, "note_posted", "events")
end)

test("runs list newest first with a limit", function()
  local simulator, _, server, token = start()
  local first = worked_ticket(simulator, server, token)
  local second = worked_ticket(simulator, server, token)

  local all = call(server, token, "GET", "/api/v1/runs").json.runs
  local limited = call(server, token, "GET", "/api/v1/runs?limit=1").json.runs

  expect.eq(#all, 2, "runs")
  expect.eq(all[1].ticket_id, second, "newest first")
  expect.eq(all[2].ticket_id, first, "then the older")
  expect.eq(#limited, 1, "runs with limit=1")
  expect.eq(limited[1].ticket_id, second, "the newest")
end)

test("runs of another MSP not shown", function()
  local simulator, space, server, token = start()
  worked_ticket(simulator, server, token)
  local code, other, err = support.halyard(space, "--msp", "other", "token", "create")
  expect.eq(code, 0, "token create for another MSP; stderr: " .. err)

  local response = call(server, other:match("^(%S+)"), "GET", "/api/v1/runs")

  expect.status(response, 200)
  expect.eq(#response.json.runs, 0, "runs")
end)

test("runs query checked", function()
  local _, _, server, token = start()
  for _, query in ipairs({"ticket_id=abc", "ticket_id=0", "ticket_id=-3", "ticket_id=1.5",
    "limit=0", "limit=1001", "limit=x"}) do
    local response = call(server, token, "GET", "/api/v1/runs?" .. query)
    expect.status(response, 400, query)
    expect.type(response.json.error, "string", query)
  end
  expect.status(call(server, nil, "GET", "/api/v1/runs"), 401, "without a token")
end)

-- PATCH /api/v1/clients/+12 and /012 changed client 12, though ids are plain digits, and other
-- readers of such a path take it for another number or none.
test("ids in paths are plain digits", function()
  local _, _, server, token = start()

  for _, id in ipairs({"+12", "012", "12.0", "1e1", "%2B12", "%2012"}) do
    local response = call(server, token, "PATCH", "/api/v1/clients/" .. id, {mode = "plan"})
    expect.status(response, 400, "client " .. id)
    expect.contains(response.json and response.json.error or "", "in plain digits")
  end
  for _, id in ipairs({"+1", "01"}) do
    local response = call(server, token, "POST", "/api/v1/runs/" .. id .. "/cancel", {})
    expect.status(response, 400, "run " .. id)
  end
  expect.status(call(server, token, "PATCH", "/api/v1/clients/12", {mode = "plan"}), 200)
end)

-- GET /api/v1/runs?ticket_id=1&ticket_id=2 returned the runs of one of the two tickets.
test("repeated query parameter rejected", function()
  local _, _, server, token = start()

  for _, case in ipairs({
      {"/api/v1/runs?ticket_id=1&ticket_id=2", "ticket_id"},
      {"/api/v1/runs?limit=5&ticket_id=1&limit=5", "limit"},
      {"/api/v1/clients?search=a&search=b", "search"}}) do
    local response = call(server, token, "GET", case[1])
    expect.status(response, 400, case[1])
    expect.contains(response.json.error, "the query parameter '" .. case[2]
      .. "' is given more than once")
  end
  local response = call(server, token, "GET", "/api/v1/runs?ticket_id=012")
  expect.status(response, 400, "ticket_id=012")
  expect.status(call(server, token, "GET", "/api/v1/runs?ticket_id=1&limit=5"), 200)
end)

test("test endpoints absent without --test-clock", function()
  local _, _, server, token = start()
  expect.status(call(server, token, "GET", "/api/v1/test/clock"), 404, "GET clock")
  expect.status(call(server, token, "POST", "/api/v1/test/clock", {advance_ms = 1000}), 404,
    "POST clock")
  expect.status(call(server, token, "GET", "/api/v1/test/activity"), 404, "activity")
end)

test("test clock moves forward", function()
  local _, _, server, token = start({"--test-clock"})
  local before = call(server, token, "GET", "/api/v1/test/clock")
  expect.status(before, 200)
  expect.eq(before.json.offset_ms, 0, "offset at start")

  local moved = call(server, token, "POST", "/api/v1/test/clock", {advance_ms = 3600000})

  expect.status(moved, 200)
  expect.eq(moved.json.offset_ms, 3600000, "offset")
  expect.ge(moved.json.now_ms - before.json.now_ms, 3600000, "now moved by an hour")
  expect.contains(util.read_file(server.log) or "", "test clock on")
end)

test("test clock input checked", function()
  local _, _, server, token = start({"--test-clock"})
  for _, body in ipairs({'{"advance_ms": 0}', '{"advance_ms": -5}', '{"advance_ms": 1.5}',
    '{"advance_ms": "60"}', '{"advance_ms": 31622400001}', '{}', 'not json', ''}) do
    local response = call(server, token, "POST", "/api/v1/test/clock", body)
    expect.status(response, 400, body)
    expect.contains(response.json.error, "advance_ms", body)
  end
  expect.status(call(server, nil, "POST", "/api/v1/test/clock", {advance_ms = 1}), 401,
    "without a token")
  expect.eq(call(server, token, "GET", "/api/v1/test/clock").json.offset_ms, 0,
    "offset after the rejected requests")
end)

test("clock advance runs a waiting retry", function()
  local simulator, _, server, token = start({"--test-clock"})
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "GET", path = "/api/tickets"}, status = 500, times = 5}), 201)
  local created = simulator:control("POST", "/tickets",
    {user_id = 77, summary = "Printer offline", details = "not printing"})
  expect.status(created, 201)
  local key = "GET /api/tickets/" .. json.integer(created.json.id)
  local function fetches()
    return simulator:control("GET", "/requests").json.counts[key] or 0
  end

  -- After the n-th failure the job waits at least 2^(n-1) s. Without a wake the pipeline looks
  -- for due jobs once a second, so a next fetch within 0.4 s of each advance shows the wake.
  for failures = 1, 3 do
    local deadline = util.monotonic_ms() + WAIT_MS
    local activity
    repeat
      util.sleep_ms(20)
      activity = call(server, token, "GET", "/api/v1/test/activity").json
    until (fetches() == failures and activity.jobs_waiting == 1) or util.monotonic_ms() > deadline
    expect.eq(fetches(), failures, "ticket fetches")
    expect.eq(activity.jobs_waiting, 1, "jobs waiting after failure " .. failures)
    expect.eq(activity.idle, true, "idle while the retry waits")
    expect.integer(activity.next_job_due_ms, "next_job_due_ms")

    expect.status(call(server, token, "POST", "/api/v1/test/clock", {advance_ms = 600000}), 200)
    deadline = util.monotonic_ms() + 400
    while fetches() == failures and util.monotonic_ms() < deadline do
      util.sleep_ms(20)
    end
    expect.eq(fetches(), failures + 1, "ticket fetches within 0.4 s of advance " .. failures)
  end
end)
