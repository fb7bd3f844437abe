-- The main job end to end, with real processes: halosim over HTTPS logs tickets, its webhook
-- emitter delivers them to `halyard serve`, and halyard posts one hidden plan note per ticket
-- of an imported client. Notes are counted through the simulator's API.

local testing = require "testing"
local sim = require "sim"
local util = require "util"
local support = require "support"
local runner = require "halytest.runner"

local test, expect = testing.test, testing.expect

local WAIT_MS = 30000
-- Long enough for a delivery, a sync and a note to have happened if they were going to.
local SETTLE_MS = 2500

-- The simulator's events for a new ticket, an updated ticket and an added action.
local SIM_EVENTS = {3, 2, 8}

local function seed()
  return {
    clients = {
      {id = 12, name = "Acme Ltd", inactive = false},
      {id = 13, name = "Globex Corp", inactive = false},
    },
    sites = {{id = 31, name = "Head Office", client_id = 12},
      {id = 41, name = "Globex HQ", client_id = 13}},
    users = {
      {id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
        site_id = 31, emailaddress = "jane.doe@acme.example", phonenumber = "020 7946 0001"},
      {id = 90, name = "Greta Hansen", firstname = "Greta", surname = "Hansen", client_id = 13,
        site_id = 41, emailaddress = "greta@globex.example", phonenumber = "0161 496 0999"},
    },
    agents = {
      {id = 1, name = "halyard API", email = "api@msp.example", isapiagent = true},
      {id = 3, name = "Sam Lead", email = "sam@msp.example", team = "1st Line"},
    },
    login_agent_id = 1,
    teams = {{id = 5, name = "1st Line"}},
  }
end

-- Starts the simulator and halyard serve, connects and imports client 12 (Acme) only.
local function start(options)
  options = options or {}
  local simulator = sim.start{seed = seed(), rate_limit = "off"}
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local server = support.serve(space)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url})
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  return simulator, space, server
end

-- Runs sql on the workspace's database and returns its output, one row a line.
local function query(space, sql)
  local command = string.format("%q %q %q 2>&1", runner.build_dir() .. "/intake-query-db",
    space.data_dir .. "/halyard.db", sql)
  local pipe = assert(io.popen(command))
  local output = pipe:read("a")
  local ok = pipe:close()
  expect.eq(ok, true, "query " .. sql .. ": " .. output)
  return (output:gsub("%s+$", ""))
end

-- Runs a statement that changes the workspace's database, such as a trigger that makes
-- halyard's writes fail as a full disk does.
local function change(space, sql)
  local command = string.format("%q --write %q %q 2>&1", runner.build_dir() .. "/intake-query-db",
    space.data_dir .. "/halyard.db", sql)
  local pipe = assert(io.popen(command))
  local output = pipe:read("a")
  local ok = pipe:close()
  expect.eq(ok, true, "change " .. sql .. ": " .. output)
end

-- Waits until sql's output is expected, and returns the last output.
local function wait_for_query(space, sql, expected)
  local deadline = util.monotonic_ms() + WAIT_MS
  local output = query(space, sql)
  while output ~= expected and util.monotonic_ms() < deadline do
    util.sleep_ms(100)
    output = query(space, sql)
  end
  return output
end

-- Counts the lines of text that contain needle.
local function count_lines(text, needle)
  local count = 0
  for line in (text or ""):gmatch("[^\n]+") do
    if line:find(needle, 1, true) then
      count = count + 1
    end
  end
  return count
end

local function log_ticket(simulator, user_id, summary, details)
  local response = simulator:control("POST", "/tickets",
    {user_id = user_id, summary = summary, details = details})
  expect.status(response, 201)
  return math.tointeger(response.json.id)
end

-- halyard's notes on a ticket, as the simulator has them.
local function notes(simulator, ticket_id)
  local response = simulator:get("/api/Actions", {ticket_id = ticket_id, includehtmlnote = true})
  expect.status(response, 200)
  local found = {}
  for _, action in ipairs(response.json.actions) do
    local text = (action.note_html or "") .. (action.note or "")
    if text:find("halyard run", 1, true) then
      found[#found + 1] = action
    end
  end
  return found
end

local function wait_for_notes(simulator, ticket_id, count)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    if #notes(simulator, ticket_id) >= count then
      return notes(simulator, ticket_id)
    end
    util.sleep_ms(100)
  end
  return notes(simulator, ticket_id)
end

test("new ticket gets one hidden plan note", function()
  local simulator, _, server = start()

  local ticket = log_ticket(simulator, 77, "password reset",
    "hi please reset my password locked out thanks")

  local found = wait_for_notes(simulator, ticket, 1)
  expect.eq(#found, 1, "notes; halyard log: " .. (util.read_file(server.log) or ""))
  local note = found[1]
  expect.eq(note.hiddenfromuser, true, "hidden from the user")
  expect.eq(math.tointeger(note.who_agentid or note.actionby_agent_id), 1, "written by the API agent")
  expect.contains(note.note_html, "Password reset")
  util.sleep_ms(SETTLE_MS)
  expect.eq(#notes(simulator, ticket), 1, "notes after halyard's own action was delivered")
end)

-- Regression: a ticket whose webhook body was over 1 MiB got a 413 reply and was never worked.
test("ticket over 1 MiB gets its note", function()
  local simulator, space, server = start()
  local details = "printer not printing please help. " .. string.rep("log line of the spooler ", 60000)
  expect.eq(#details > 1024 * 1024, true, "details over 1 MiB")

  local ticket = log_ticket(simulator, 77, "printer offline", details)

  local found = wait_for_notes(simulator, ticket, 1)
  expect.eq(#found, 1, "notes; halyard log: " .. (util.read_file(server.log) or ""):sub(-4000))
  local rows = query(space, "SELECT count(*), max(length(body)) FROM deliveries" ..
    " WHERE flag = 'truncated' AND ticket_id = " .. ticket)
  local count, longest = rows:match("^(%d+)|(%d+)$")
  expect.eq(math.tointeger(count) >= 1, true, "truncated deliveries: " .. rows)
  expect.eq(math.tointeger(longest) < 1024, true, "stored body length: " .. rows)
  expect.contains(util.read_file(server.log) or "", "with flag truncated")
end)

test("ticket of unimported client gets none", function()
  local simulator, _, server = start()
  local imported = log_ticket(simulator, 77, "printer offline", "printer not printing")

  local other = log_ticket(simulator, 90, "printer offline", "printer not printing")

  expect.eq(#wait_for_notes(simulator, imported, 1), 1, "notes on the imported client's ticket")
  util.sleep_ms(SETTLE_MS)
  expect.eq(#notes(simulator, other), 0, "notes on the other client's ticket")
  expect.contains(util.read_file(server.log) or "", "skipped: client 13 is not imported")
end)

test("updates after the note add none", function()
  local simulator, _, server = start()
  local ticket = log_ticket(simulator, 77, "laptop screen broken", "screen cracked laptop")
  expect.eq(#wait_for_notes(simulator, ticket, 1), 1, "first note; log: " .. util.read_file(server.log))

  expect.status(simulator:control("POST", "/tickets/" .. ticket .. "/actions",
    {user_id = 77, note = "any update please"}), 201)
  expect.status(simulator:control("POST", "/tickets/" .. ticket .. "/actions",
    {agent_id = 3, note = "looking at it", hiddenfromuser = true}), 201)
  expect.status(simulator:control("POST", "/tickets/" .. ticket,
    {agent_id = 3, assign_agent_id = 3}), 200)

  util.sleep_ms(SETTLE_MS)
  expect.eq(#notes(simulator, ticket), 1, "notes")
end)

test("duplicated deliveries add none", function()
  local simulator = start()
  expect.status(simulator:control("POST", "/webhook-faults", {duplicate = 5}), 200)

  local ticket = log_ticket(simulator, 77, "new starter", "new starter joining monday account")

  expect.eq(#wait_for_notes(simulator, ticket, 1), 1, "first note")
  util.sleep_ms(SETTLE_MS)
  expect.eq(#notes(simulator, ticket), 1, "notes")
end)

test("lost note response posts once", function()
  local simulator = start()
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "POST", path = "/api/actions"}, drop_response = true, times = 1}), 201)

  local ticket = log_ticket(simulator, 77, "shared mailbox access",
    "please give access to shared mailbox")

  local found = wait_for_notes(simulator, ticket, 1)
  local seen = {}
  for _, action in ipairs(found) do
    seen[#seen + 1] = tostring(action.id) .. ":" .. tostring(action.note):sub(-30)
  end
  expect.eq(#found, 1, "first note: " .. table.concat(seen, " | "))
  util.sleep_ms(SETTLE_MS)
  expect.eq(#notes(simulator, ticket), 1, "notes after the retry")
end)

test("HaloPSA errors are retried", function()
  local simulator, _, server = start()
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "GET", path = "/api/tickets"}, status = 500, times = 2}), 201)

  local ticket = log_ticket(simulator, 77, "low disk space", "disk full drive space")

  expect.eq(#wait_for_notes(simulator, ticket, 1), 1, "notes; log: " .. util.read_file(server.log))
end)

-- Regression: a failed token request was logged without the MSP it was made for.
test("token failure logged with the MSP", function()
  local simulator, _, server = start()
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "POST", path = "/auth/token"}, status = 500, times = 1}), 201)

  log_ticket(simulator, 77, "low disk space", "disk full drive space")

  -- The log is read without calling the simulator, whose own token request would use the fault.
  local deadline = util.monotonic_ms() + WAIT_MS
  while count_lines(util.read_file(server.log), "token request failed") == 0
      and util.monotonic_ms() < deadline do
    util.sleep_ms(100)
  end
  expect.contains(util.read_file(server.log) or "", "error halo: msp=default token request failed")
end)

test("restart resumes without doubles", function()
  local simulator, space, server = start()
  local first = log_ticket(simulator, 77, "password reset", "reset password please")
  expect.eq(#wait_for_notes(simulator, first, 1), 1, "note before the restart")
  server.child:kill("KILL")
  server.child:wait(5000)

  support.serve(space, server.port)
  local second = log_ticket(simulator, 77, "account locked", "account locked out")

  expect.eq(#wait_for_notes(simulator, second, 1), 1, "note after the restart")
  util.sleep_ms(SETTLE_MS)
  expect.eq(#notes(simulator, first), 1, "notes on the first ticket")
end)

-- Regression: a running halyard kept the HaloPSA settings it started with, so after the MSP
-- connected again with a new secret every job failed with invalid_client.
test("new secret taken up while serving", function()
  local first = sim.start{seed = seed(), rate_limit = "off", client_secret = "secret-one"}
  local port = first.url:match(":(%d+)$")
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local server = support.serve(space)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url})
  expect.eq((support.connect(space, first, {secret = "secret-one"})), 0, "first connect")
  expect.eq((support.halyard(space, "clients", "import", "12")), 0, "import")
  local before = log_ticket(first, 77, "printer jam", "printer paper jam")
  expect.eq(#wait_for_notes(first, before, 1), 1, "note with the first secret")
  first:stop()

  local second = sim.start{seed = seed(), rate_limit = "off", client_secret = "secret-two",
    port = port}
  local code, _, err = support.connect(space, second, {secret = "secret-two"})
  expect.eq(code, 0, "connect with the new secret; stderr: " .. err)
  -- The new simulator numbers tickets from 1 again: use up the id halyard already has a run for.
  log_ticket(second, 90, "mouse broken", "mouse does not work")
  local after = log_ticket(second, 77, "account locked", "account locked out")

  expect.eq(#wait_for_notes(second, after, 1), 1,
    "note with the new secret; log: " .. (util.read_file(server.log) or ""))
end)

-- Regression: a note job took any action carrying "halyard run <id>" for its own note, so a
-- requester who typed the marker into a reply stopped the plan note from ever being posted.
test("typed marker does not stop the note", function()
  local simulator, _, server = start()
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "GET", path = "/api/tickets"}, latency_ms = 2000, times = 1}), 201)

  local ticket = log_ticket(simulator, 77, "printer offline", "printer not printing")
  expect.status(simulator:control("POST", "/tickets/" .. ticket .. "/actions",
    {user_id = 77, note = "halyard run 1 halyard run 2 halyard run 3"}), 201)

  local deadline = util.monotonic_ms() + WAIT_MS
  local by_halyard = 0
  while util.monotonic_ms() < deadline and by_halyard == 0 do
    for _, action in ipairs(notes(simulator, ticket)) do
      if math.tointeger(action.who_agentid) == 1 then
        by_halyard = by_halyard + 1
      end
    end
    util.sleep_ms(100)
  end
  expect.eq(by_halyard, 1, "plan notes by halyard; log: " .. (util.read_file(server.log) or ""))
end)

-- Regression: with the data folder's disk full, a job whose end (done, or a failed attempt)
-- could not be written was dropped from memory while the database still had it running, so it
-- never ran again until halyard restarted.
test("job ends held while writes fail", function()
  local simulator, space, server = start()
  change(space, "CREATE TRIGGER test_job_end_fails BEFORE UPDATE OF state ON jobs"
    .. " WHEN OLD.state = 'running' AND NEW.state <> 'running'"
    .. " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")

  local ticket = log_ticket(simulator, 77, "password reset", "reset password please")

  local deadline = util.monotonic_ms() + WAIT_MS
  while not (util.read_file(server.log) or ""):find("job ends held in memory", 1, true)
      and util.monotonic_ms() < deadline do
    util.sleep_ms(100)
  end
  local log = util.read_file(server.log) or ""
  expect.contains(log, "finishing a job failed: database or disk is full")
  expect.contains(log, "job ends held in memory")
  expect.eq(query(space, "SELECT count(*) > 0 FROM jobs WHERE state = 'running'"), "1",
    "jobs still running in the database")
  local backoffs = count_lines(util.read_file(server.log), "job ends held in memory")
  util.sleep_ms(2000)
  expect.eq(count_lines(util.read_file(server.log), "job ends held in memory") - backoffs <= 4,
    true, "back-off lines in 2 s")

  change(space, "DROP TRIGGER test_job_end_fails")

  expect.eq(wait_for_query(space, "SELECT count(*) FROM jobs WHERE state <> 'done'", "0"), "0",
    "jobs not done; log: " .. (util.read_file(server.log) or ""):sub(-4000))
  expect.contains(util.read_file(server.log) or "", "database writes work again")
  expect.eq(#wait_for_notes(simulator, ticket, 1), 1, "notes after the held ends were written")
  util.sleep_ms(SETTLE_MS)
  expect.eq(#notes(simulator, ticket), 1, "notes once settled")
end)

-- Regression: with the disk full, a due job made the pipeline try to claim it again at once,
-- logging "claiming jobs failed" over ten thousand times a second.
test("failing claims back off", function()
  local simulator, space, server = start()
  change(space, "CREATE TRIGGER test_claim_fails BEFORE UPDATE OF state ON jobs"
    .. " WHEN NEW.state = 'running'"
    .. " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")

  local ticket = log_ticket(simulator, 77, "password reset", "reset password please")
  local deadline = util.monotonic_ms() + WAIT_MS
  while count_lines(util.read_file(server.log), "claiming jobs failed") == 0
      and util.monotonic_ms() < deadline do
    util.sleep_ms(100)
  end
  util.sleep_ms(3000)

  -- Back-off from 250 ms doubling: four tries in 3 s, where the loop without it made thousands.
  local failures = count_lines(util.read_file(server.log), "claiming jobs failed")
  expect.eq(failures >= 1 and failures <= 8, true, "claim failures logged: " .. failures)

  change(space, "DROP TRIGGER test_claim_fails")
  expect.eq(#wait_for_notes(simulator, ticket, 1), 1,
    "note once claims work; log: " .. (util.read_file(server.log) or ""):sub(-4000))
end)

-- The ticket ids of the made-up events below: the simulator has no such tickets.
local MISSING_FIRST_ID = 900001
local MISSING_TICKETS = 200
local EVENTS_PER_MISSING_TICKET = 5

-- Posts one webhook batch straight to the intake with the MSP's credentials: round's events
-- for every missing ticket, each ticket's events spread over the batch as a flood would be.
local function post_missing_batch(space, server, round)
  local code, output, err = support.halyard(space, "intake", "credentials")
  expect.eq(code, 0, "credentials; stderr: " .. err)
  local username = output:match("username: (%S+)")
  local password = output:match("password: (%S+)")
  local events = {}
  for copy = 1, EVENTS_PER_MISSING_TICKET do
    for offset = 0, MISSING_TICKETS - 1 do
      local id = MISSING_FIRST_ID + offset
      events[#events + 1] = string.format(
        '{"id":"missing-%d-%d-%d","event":"ticket updated","object_id":%d}', round, copy, id, id)
    end
  end
  local body_path = space.folder .. "/missing-" .. round .. ".json"
  assert(util.write_file(body_path, "[" .. table.concat(events, ",") .. "]"))
  local pipe = assert(io.popen(string.format(
    "curl -s -o /dev/null -w '%%{http_code}' --max-time 10 -u %q --data-binary @%q %q",
    username .. ":" .. password, body_path, server.url .. "/hooks/halopsa/default")))
  local status = pipe:read("a")
  pipe:close()
  expect.eq(status, "200", "batch " .. round .. " posted")
end

-- How many times HaloPSA was asked for each missing ticket: the total and the most for one.
local function missing_reads(simulator)
  local counts = simulator:control("GET", "/requests").json.counts
  local total, most = 0, 0
  for offset = 0, MISSING_TICKETS - 1 do
    local reads = counts["GET /api/tickets/" .. (MISSING_FIRST_ID + offset)] or 0
    total = total + reads
    most = math.max(most, reads)
  end
  return total, most
end

-- A batch of events for tickets that do not exist cost one ticket read and one "no longer
-- exists" log line per event, and a real ticket's note waited behind them. Now one ticket's
-- events collapse into one read, a ticket found missing is not read again for its later
-- events until its ten-minute window ends, and the misses are counted in one line a minute.
test("missing tickets read once, logged briefly", function()
  local simulator, space, server = start()
  post_missing_batch(space, server, 1)
  local ticket = log_ticket(simulator, 77, "kiosk offline", "the kiosk in reception is offline")

  local log = function() return (util.read_file(server.log) or ""):sub(-4000) end
  expect.eq(#wait_for_notes(simulator, ticket, 1), 1, "the real ticket's note; log: " .. log())
  local deadline = util.monotonic_ms() + WAIT_MS
  while select(1, missing_reads(simulator)) < MISSING_TICKETS and util.monotonic_ms() < deadline do
    util.sleep_ms(100)
  end
  util.sleep_ms(SETTLE_MS)
  local total, most = missing_reads(simulator)
  -- An event that comes while its ticket's sync runs queues one more read.
  expect.eq(total >= MISSING_TICKETS and total <= 2 * MISSING_TICKETS, true,
    "reads of missing tickets for " .. MISSING_TICKETS * EVENTS_PER_MISSING_TICKET
    .. " events: " .. total)
  expect.eq(most <= 2, true, "the most reads of one missing ticket: " .. most)

  -- A second flood for the same tickets reads none of them again.
  post_missing_batch(space, server, 2)
  util.sleep_ms(SETTLE_MS)
  local again = missing_reads(simulator)
  expect.eq(again, total, "reads of missing tickets after the second batch")

  local lines = count_lines(util.read_file(server.log), "not found in HaloPSA")
  expect.eq(lines >= 1 and lines <= 3, true, "log lines about missing tickets: " .. lines)
end)
