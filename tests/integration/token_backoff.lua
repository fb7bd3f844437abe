-- A failed token request shared by an MSP's jobs, with halosim and `halyard serve` as real
-- processes. With HaloPSA unreachable, every queued sync job made its own token request and
-- logged its own "cannot reach HaloPSA's token endpoint" warning, about 50 lines a second.
-- Now one token request serves the jobs waiting for it, a failure starts a back-off in which
-- jobs fail without asking again, and the log gets one line per failed request with the count
-- of calls it failed.

local testing = require "testing"
local sim = require "sim"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

local WAIT_MS = 60000
local TICKETS = 30

local function seed()
  return {
    clients = {{id = 12, name = "Acme Ltd", inactive = false}},
    sites = {{id = 31, name = "Head Office", client_id = 12}},
    users = {
      {id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
        site_id = 31, emailaddress = "jane.doe@acme.example", phonenumber = "020 7946 0001"},
    },
    agents = {
      {id = 1, name = "halyard API", email = "api@msp.example", isapiagent = true},
      {id = 3, name = "Sam Lead", email = "sam@msp.example", team = "1st Line"},
    },
    login_agent_id = 1,
    teams = {{id = 5, name = "1st Line"}},
  }
end

-- Starts the simulator and halyard serve, connects and imports client 12.
local function start()
  local simulator = sim.start{seed = seed(), rate_limit = "off"}
  local space = support.workspace{webhook_events = {3, 2, 8}}
  local server = support.serve(space)
  support.configure(space, {webhook_events = {3, 2, 8}, public_url = server.url})
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  return simulator, space, server
end

local function token_requests(simulator)
  return simulator:control("GET", "/requests").json.counts["POST /auth/token"] or 0
end

-- Counts the lines of text that contain every one of the plain strings in parts.
local function count_lines(text, parts)
  local count = 0
  for line in text:gmatch("[^\n]+") do
    local all = true
    for _, part in ipairs(parts) do
      all = all and line:find(part, 1, true) ~= nil
    end
    count = count + (all and 1 or 0)
  end
  return count
end

-- Returns the largest count of waiting calls in the token failure lines, or 0.
local function max_calls_failed(text)
  local max = 0
  for count in text:gmatch("token request failed, failing (%d+) waiting call") do
    max = math.max(max, math.tointeger(tonumber(count)))
  end
  return max
end

test("failed token request shared by jobs", function()
  local simulator, _, server = start()
  local before = token_requests(simulator)

  -- Every token request gets a 500 until the fault is cleared.
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "POST", path = "/auth/token"}, status = 500}), 201)
  local tickets = {}
  for i = 1, TICKETS do
    local response = simulator:control("POST", "/tickets",
      {user_id = 77, summary = "printer offline " .. i, details = "printer not printing"})
    expect.status(response, 201)
    tickets[#tickets + 1] = math.tointeger(response.json.id)
  end
  util.sleep_ms(6000)

  local log = util.read_file(server.log) or ""
  local requested = token_requests(simulator) - before
  local failures = count_lines(log, {"token request failed"})
  local job_warnings = count_lines(log, {"warning jobs:", "token endpoint"})
  -- Back-offs of 1, 2 and 4 s allow about four requests in 6 s. Without them each job sends
  -- its own request at every retry.
  expect.eq(requested >= 1 and requested <= 6, true,
    "token requests in 6 s: " .. requested .. "; log: " .. log:sub(-4000))
  expect.eq(failures, requested, "one log line per failed token request; log: " .. log:sub(-4000))
  expect.eq(job_warnings, 0, "job warnings about the token; log: " .. log:sub(-4000))
  expect.eq(max_calls_failed(log) >= 2, true,
    "a failure line counts the calls it failed; log: " .. log:sub(-4000))

  -- Once the token endpoint works again every ticket gets its note: nothing was lost.
  expect.status(simulator:control("DELETE", "/faults"), 200)
  local deadline = util.monotonic_ms() + WAIT_MS
  local missing = #tickets
  while util.monotonic_ms() < deadline and missing > 0 do
    missing = 0
    for _, ticket in ipairs(tickets) do
      local actions = simulator:get("/api/Actions", {ticket_id = ticket, includehtmlnote = true})
      local found = false
      for _, action in ipairs(actions.json.actions or {}) do
        found = found or ((action.note_html or "") .. (action.note or "")):find("halyard run", 1,
          true) ~= nil
      end
      missing = missing + (found and 0 or 1)
    end
    util.sleep_ms(500)
  end
  log = util.read_file(server.log) or ""
  expect.eq(missing, 0, "tickets without a note; log: " .. log:sub(-4000))
  expect.contains(log, "token request succeeded again")
end)

test("unreachable token endpoint logged once per request", function()
  local simulator, space, server = start()
  expect.eq(simulator:stop(), 0, "halosim stopped")

  -- With halosim stopped its webhook cannot deliver, so the events come straight to the
  -- intake with the MSP's credentials.
  local code, output, err = support.halyard(space, "intake", "credentials")
  expect.eq(code, 0, "credentials; stderr: " .. err)
  local username = output:match("username: (%S+)")
  local password = output:match("password: (%S+)")
  local events = {}
  for i = 1, TICKETS do
    events[#events + 1] = string.format(
      '{"id":"unreachable-%d","event":"ticket updated","object_id":%d}', 5000 + i, 5000 + i)
  end
  local body_path = space.folder .. "/batch.json"
  assert(util.write_file(body_path, "[" .. table.concat(events, ",") .. "]"))
  local pipe = assert(io.popen(string.format(
    "curl -s -o /dev/null -w '%%{http_code}' --max-time 10 -u %q --data-binary @%q %q",
    username .. ":" .. password, body_path, server.url .. "/hooks/halopsa/default")))
  local status = pipe:read("a")
  pipe:close()
  expect.eq(status, "200", "batch posted")
  util.sleep_ms(6000)

  local log = util.read_file(server.log) or ""
  local failures = count_lines(log, {"token request failed", "cannot reach HaloPSA's token endpoint"})
  local job_warnings = count_lines(log, {"warning jobs:", "cannot reach HaloPSA's token endpoint"})
  expect.eq(failures >= 1 and failures <= 6, true,
    "token failure lines in 6 s: " .. failures .. "; log: " .. log:sub(-4000))
  expect.eq(job_warnings, 0, "job warnings about the token; log: " .. log:sub(-4000))
  expect.eq(max_calls_failed(log) >= 2, true,
    "a failure line counts the calls it failed; log: " .. log:sub(-4000))
end)

-- Creates count tickets for Jane Doe in the simulator; returns their ids.
local function create_tickets(simulator, count, summary)
  local tickets = {}
  for i = 1, count do
    local response = simulator:control("POST", "/tickets",
      {user_id = 77, summary = summary .. " " .. i, details = "printer not printing"})
    expect.status(response, 201)
    tickets[#tickets + 1] = math.tointeger(response.json.id)
  end
  return tickets
end

-- A token the token endpoint issued and the API then rejected with 401: every job failed with
-- "HaloPSA answered HTTP 401 reading ticket N", and with expires_in 0 each one requested its
-- own token, 8 to 12 requests in 10 s. Now the message names the rejected token and what to
-- check, and the rejection starts the token back-off.
test("token rejected after issue backs off", function()
  local simulator, _, server = start()
  local before = token_requests(simulator)
  expect.status(simulator:control("POST", "/faults", {match = {method = "POST",
    path = "/auth/token"}, status = 200,
    body = {access_token = "abc", token_type = "Bearer", expires_in = 0}}), 201)
  create_tickets(simulator, 5, "kiosk offline")
  util.sleep_ms(10000)

  local log = util.read_file(server.log) or ""
  local requested = token_requests(simulator) - before
  -- Back-offs of 1, 2 and 4 s allow about four requests in 10 s.
  expect.eq(requested >= 1 and requested <= 5, true,
    "token requests in 10 s: " .. requested .. "; log: " .. log:sub(-4000))
  expect.contains(log, "HaloPSA rejected the token it had just issued")
  expect.contains(log, "the agent its Client ID logs in as")
  expect.eq(count_lines(log, {"answered HTTP 401"}), 0,
    "lines that blame a plain HTTP 401; log: " .. log:sub(-4000))
end)

-- A token whose expires_in is 0 or less was never reused: every call requested a new token.
-- Now it is used for a minute.
test("token without lifetime reused", function()
  local simulator, _, server = start()
  local token = simulator:token("all")
  local before = token_requests(simulator)
  expect.status(simulator:control("POST", "/faults", {match = {method = "POST",
    path = "/auth/token"}, status = 200,
    body = {access_token = token, token_type = "Bearer", expires_in = -5}}), 201)
  local tickets = create_tickets(simulator, 5, "kiosk offline")

  -- Every ticket gets its plan note with the one token.
  local deadline = util.monotonic_ms() + WAIT_MS
  local missing = #tickets
  while util.monotonic_ms() < deadline and missing > 0 do
    missing = 0
    for _, ticket in ipairs(tickets) do
      local actions = simulator:get("/api/Actions", {ticket_id = ticket, includehtmlnote = true})
      local found = false
      for _, action in ipairs(actions.json.actions or {}) do
        found = found or ((action.note_html or "") .. (action.note or "")):find("halyard run", 1,
          true) ~= nil
      end
      missing = missing + (found and 0 or 1)
    end
    util.sleep_ms(500)
  end
  local log = util.read_file(server.log) or ""
  expect.eq(missing, 0, "tickets without a note; log: " .. log:sub(-4000))
  local requested = token_requests(simulator) - before
  expect.eq(requested, 1, "token requests for 5 tickets; log: " .. log:sub(-4000))
end)
