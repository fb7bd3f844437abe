-- retention_days on a real halyard serve and halosim: stored webhook bodies, finished jobs and
-- the text of ended runs' replies older than the retention are gone from the SQLite file, while
-- newer rows and a waiting run's replies stay. Ages are read on the system clock, so the test
-- dates rows back in the database and moves the test clock only to bring the hourly pruning.
-- The database is read and written with intake-query-db from the build folder.

local testing = require "testing"
local http = require "http"
local json = require "json"
local runner = require "halytest.runner"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

local SIM_EVENTS = {3, 2, 8}
local WAIT_MS = 30000
local DAY_MS = 24 * 3600 * 1000

-- A simulator and a connected halyard serve --test-clock keeping rows for two days, which
-- imported client 12; plus an admin token.
local function start()
  local simulator = sim.start{rate_limit = "off"}
  local settings = {webhook_events = SIM_EVENTS, retention_days = 2}
  local space = support.workspace(settings)
  local code, token, err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local server = support.serve(space, 0, {"--test-clock"})
  settings.public_url = server.url
  support.configure(space, settings)
  code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  return simulator, space, server, token:match("^(%S+)")
end

local function call(server, token, method, path, body)
  local response, message = http.request{method = method, url = server.url .. path,
    headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    body = body and json.encode(body)}
  assert(response, message)
  response.json = select(2, pcall(json.decode, response.body))
  return response
end

-- Runs sql on the workspace's database and returns its output, one row a line.
local function query(space, sql, write)
  local command = string.format("%q %s%q %q 2>&1", runner.build_dir() ..
    "/intake-query-db", write and "--write " or "",
    space.data_dir .. "/halyard.db", sql)
  local pipe = assert(io.popen(command))
  local output = pipe:read("a")
  local ok = pipe:close()
  expect.eq(ok, true, "query " .. sql .. ": " .. output)
  return (output:gsub("%s+$", ""))
end

local function count(space, sql)
  return math.tointeger(tonumber(query(space, sql)))
end

-- Logs a ticket as Jane (user 77 of client 12) and waits until its run is done.
local function worked_ticket(simulator, server, token, details)
  local response = simulator:control("POST", "/tickets",
    {user_id = 77, summary = "Printer offline", details = details})
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
  error("the run of ticket " .. ticket .. " did not end; log: " .. util.read_file(server.log))
end

-- Waits until sql counts expected rows, and returns the last count.
local function wait_count(space, sql, expected)
  local deadline = util.monotonic_ms() + WAIT_MS
  local found = count(space, sql)
  while found ~= expected and util.monotonic_ms() < deadline do
    util.sleep_ms(100)
    found = count(space, sql)
  end
  return found
end

-- Dates rows of table matching where as written days ago, as if they had been stored then.
local function age(space, table_name, column, where, days)
  query(space, string.format("UPDATE %s SET %s = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now',"
    .. " '-%d days') WHERE %s", table_name, column, days, where), true)
end

-- Moves the test clock past the next pruning (one an hour of the business clock).
local function next_pruning(server, token)
  expect.status(call(server, token, "POST", "/api/v1/test/clock", {advance_ms = 3601000}), 200)
end

test("rows past the retention are removed, newer ones stay", function()
  local simulator, space, server, token = start()
  local marker = "kept-only-while-needed-4471"
  local old_ticket, old_run = worked_ticket(simulator, server, token,
    "The printer says offline. My new password is " .. marker .. " if you need to log in.")
  local new_ticket = worked_ticket(simulator, server, token, "Toner low.")
  expect.ge(count(space, "SELECT count(*) FROM deliveries WHERE body LIKE '%" .. marker .. "%'"),
    1, "the delivery stored with the ticket's text")

  -- A reply read for the ended run, and one read for a run still waiting for approval.
  query(space, string.format("INSERT INTO run_replies (run_id, action_id, decision, text,"
    .. " read_at) VALUES (%d, 901, 'neutral', 'ended run reply %s',"
    .. " strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'))", old_run, marker), true)
  query(space, "INSERT INTO runs (msp_id, halo_client_id, ticket_id, state, mode, created_at,"
    .. " updated_at) SELECT msp_id, halo_client_id, 990001, 'awaiting_approval', 'execute',"
    .. " created_at, updated_at FROM runs WHERE id = " .. old_run, true)
  query(space, "INSERT INTO run_replies (run_id, action_id, decision, text, read_at)"
    .. " SELECT id, 902, 'neutral', 'waiting run reply',"
    .. " strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM runs WHERE ticket_id = 990001", true)

  -- The first ticket's rows three days old, the second's deliveries one day old.
  age(space, "deliveries", "received_at", "ticket_id = " .. old_ticket, 3)
  age(space, "deliveries", "received_at", "ticket_id = " .. new_ticket, 1)
  age(space, "jobs", "updated_at", "state = 'done'", 3)
  age(space, "runs", "updated_at", "1", 3)
  age(space, "run_replies", "read_at", "1", 3)
  local new_deliveries = count(space, "SELECT count(*) FROM deliveries WHERE ticket_id = "
    .. new_ticket)
  expect.ge(new_deliveries, 1, "the second ticket's deliveries")

  next_pruning(server, token)

  expect.eq(wait_count(space, "SELECT count(*) FROM deliveries WHERE ticket_id = " .. old_ticket,
    0), 0, "deliveries past the retention; log: " .. util.read_file(server.log))
  expect.eq(count(space, "SELECT count(*) FROM deliveries WHERE body LIKE '%" .. marker .. "%'"),
    0, "the ticket's text in deliveries")
  expect.eq(count(space, "SELECT count(*) FROM deliveries WHERE ticket_id = " .. new_ticket),
    new_deliveries, "deliveries within the retention")
  expect.eq(count(space, "SELECT count(*) FROM jobs WHERE state = 'done' AND updated_at <"
    .. " strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days')"), 0, "old finished jobs")
  expect.eq(query(space, "SELECT text FROM run_replies WHERE action_id = 901"), "",
    "the ended run's reply text")
  expect.eq(query(space, "SELECT decision FROM run_replies WHERE action_id = 901"), "neutral",
    "the ended run's reply row")
  expect.eq(query(space, "SELECT text FROM run_replies WHERE action_id = 902"),
    "waiting run reply", "the waiting run's reply text")
  expect.eq(count(space, "SELECT count(*) FROM runs WHERE id = " .. old_run), 1, "the run")
  local log = util.read_file(server.log) or ""
  expect.contains(log, "older than 2 days")
  expect.eq(log:find(marker, 1, true), nil, "the ticket's text in the log")
end)

test("a moved test clock makes nothing old", function()
  local simulator, space, server, token = start()
  local ticket = worked_ticket(simulator, server, token, "Toner low.")

  expect.status(call(server, token, "POST", "/api/v1/test/clock", {advance_ms = 5 * DAY_MS}),
    200)
  next_pruning(server, token)
  util.sleep_ms(1500)

  expect.ge(count(space, "SELECT count(*) FROM deliveries WHERE ticket_id = " .. ticket), 1,
    "deliveries after the clock moved five days")
end)

test("retention_days checked", function()
  for _, value in ipairs({"0", "3651", "1.5", "'30'", "-1"}) do
    local space = support.workspace{}
    local text = util.read_file(space.config):gsub("}%s*$", "  retention_days = " .. value
      .. ",\n}\n")
    assert(util.write_file(space.config, text))
    local code, _, err = support.halyard(space, "clients", "list")
    expect.ne(code, 0, "exit status for " .. value)
    expect.contains(err, "retention_days must be a whole number of days from 1 to 3650", value)
  end
end)
