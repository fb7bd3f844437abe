-- `halyard connect` for an MSP already connected to one HaloPSA instance, naming another: two
-- halosim processes stand for the two instances.
--
-- Regression: connect replaced the instance URL and Client ID without a word and kept the old
-- instance's imported clients, runs, jobs and webhook. Both instances number tickets from the
-- same start, so a new ticket of the new instance joined the old instance's run of the same id,
-- and an approval there carried out the old run's approved plan.

local testing = require "testing"
local http = require "http"
local json = require "json"
local runner = require "halytest.runner"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

-- New ticket, ticket updated, action added, ticket reassigned.
local SIM_EVENTS = {3, 2, 8, 9}
local WAIT_MS = 30000

local WORKFLOW = [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Look the requester up and note the restart.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
        {tool = "halo.add_note", kind = "write", arguments = {note = "Restarted the kiosk remotely."},
            purpose = "Record the restart."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]]

-- Reads the database with intake-query-db; returns its output without the last line end.
local function query(space, sql)
  local command = string.format("%q %q %q 2>&1", runner.build_dir() .. "/intake-query-db",
    space.data_dir .. "/halyard.db", sql)
  local pipe = assert(io.popen(command))
  local output = pipe:read("a")
  pipe:close()
  return (output:gsub("%s+$", ""))
end

-- Changes the database with intake-query-db --write; returns its output.
local function write(space, sql)
  local command = string.format("%q --write %q %q 2>&1", runner.build_dir() .. "/intake-query-db",
    space.data_dir .. "/halyard.db", sql)
  local pipe = assert(io.popen(command))
  local output = pipe:read("a")
  pipe:close()
  return output
end

local function workspace()
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local scripts = space.folder .. "/scripts"
  assert(support.mkdir(scripts .. "/default/workflows"))
  support.file(space, "scripts/default/workflows/kiosk_offline.lua", WORKFLOW)
  space.scripts = scripts
  support.configure(space, {webhook_events = SIM_EVENTS, scripts_dir = scripts})
  return space
end

-- Starts serve and points public_url at it, so that connect registers a webhook that reaches it.
local function serve(space, port)
  local server = support.serve(space, port)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url,
    scripts_dir = space.scripts})
  return server
end

local function stop(server)
  server.child:kill("TERM")
  expect.eq(server.child:wait(WAIT_MS), 0, "exit status of serve")
end

-- Connects the default MSP to simulator, with more arguments such as --replace-instance.
local function connect(space, simulator, ...)
  local secret = support.file(space, "secret", "halyard-sim-secret\n")
  support.chmod(secret, "600")
  return support.halyard(space, "connect", "--instance", support.instance_url(simulator),
    "--client-id", "halyard-sim", "--client-secret-file", secret, ...)
end

local function import_execute(space)
  local code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "mode", "12", "execute")
  expect.eq(code, 0, "clients mode; stderr: " .. err)
end

-- Waits for an action on the ticket whose HTML contains text; returns it, or nil.
local function wait_for_action(simulator, ticket, text)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    local response = simulator:get("/api/Actions", {ticket_id = ticket, includehtmlnote = true})
    for _, action in ipairs(response.json and response.json.actions or {}) do
      if (action.note_html or ""):find(text, 1, true) then
        return action
      end
    end
    util.sleep_ms(100)
  end
  return nil
end

-- Waits until simulator has no webhook delivery in flight and halyard has queued every
-- delivery it stored, on two looks in a row, so the events of halyard's own notes are in.
-- The tests count worked and unworked deliveries after serve stops, and a delivery still on
-- its way then would be counted as not worked. Returns false after WAIT_MS.
local function wait_for_deliveries_queued(space, simulator)
  local deadline = util.monotonic_ms() + WAIT_MS
  local quiet = 0
  while util.monotonic_ms() < deadline do
    local pending = false
    for _, attempt in ipairs(simulator:control("GET", "/deliveries").json or {}) do
      if attempt.status == 0 then
        pending = true
      end
    end
    if not pending and query(space, "SELECT count(*) FROM deliveries WHERE state = 'new'") == "0"
    then
      quiet = quiet + 1
    else
      quiet = 0
    end
    if quiet >= 2 then
      return true
    end
    util.sleep_ms(100)
  end
  return false
end

-- Logs a kiosk ticket assigned to agent 3; returns its id.
local function log_kiosk_ticket(simulator)
  local response = simulator:control("POST", "/tickets", {user_id = 77, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."})
  expect.status(response, 201)
  local ticket = json.integer(response.json.id)
  expect.status(simulator:control("POST", "/tickets/" .. ticket,
    {agent_id = 3, assign_agent_id = 3}), 200)
  return ticket
end

local function writes(simulator)
  return #simulator:control("GET", "/requests").json.writes
end

-- An MSP connected to the old simulator whose ticket waits for an approval there. Returns the
-- old simulator, the workspace, the stopped server's port and the ticket id.
local function waiting_on_old(space)
  local old = sim.start{rate_limit = "off"}
  local server = serve(space)
  local code, _, err = connect(space, old)
  expect.eq(code, 0, "connect to the old instance; stderr: " .. err)
  import_execute(space)
  local ticket = log_kiosk_ticket(old)
  expect.truthy(wait_for_action(old, ticket, "asks for approval"),
    "an approval request in the old instance; log: " .. (util.read_file(server.log) or ""))
  expect.truthy(wait_for_deliveries_queued(space, old),
    "the old instance's deliveries stored and queued; log: "
      .. (util.read_file(server.log) or ""))
  stop(server)
  return old, server.port, ticket
end

test("other instance rejected while MSP has data", function()
  local space = workspace()
  local old = waiting_on_old(space)
  local new = sim.start{rate_limit = "off"}

  local code, out, err = connect(space, new)

  expect.eq(code, 1, "exit status; stdout: " .. out)
  expect.contains(err, "connected to the HaloPSA instance " .. support.instance_url(old))
  expect.contains(err, "not " .. support.instance_url(new))
  expect.contains(err, "1 imported clients, 1 runs")
  expect.contains(err, "as a new MSP (halyard --msp NEW-NAME connect")
  expect.contains(err, "--replace-instance")
  expect.eq(#new:get("/api/Webhook").json, 0, "webhooks registered in the new instance")
  expect.eq(query(space, "SELECT instance_url FROM integrations"), support.instance_url(old),
    "the stored instance")
end)

-- The admin API connects as the command does, so the refusal comes back as a 422 with the
-- same message: both URLs and what to do.
test("other instance rejected through the API", function()
  local space = workspace()
  local old, port = waiting_on_old(space)
  local new = sim.start{rate_limit = "off"}
  local code, token, token_err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. token_err)
  local server = serve(space, port)

  local response = http.request{method = "POST",
    url = server.url .. "/api/v1/integrations/halopsa",
    headers = {["Content-Type"] = "application/json",
      Authorization = "Bearer " .. token:match("^(%S+)")},
    body = json.encode{instance_url = support.instance_url(new), client_id = "halyard-sim",
      client_secret = "halyard-sim-secret"},
    timeout_ms = 60000}

  expect.status(response, 422)
  local answer = json.decode(response.body)
  expect.eq(answer.connected, false, "connected")
  expect.contains(answer.error, "connected to the HaloPSA instance " .. support.instance_url(old))
  expect.contains(answer.error, "not " .. support.instance_url(new))
  expect.contains(answer.error, "1 imported clients, 1 runs")
  expect.contains(answer.error, "as a new MSP (halyard --msp NEW-NAME connect")
  expect.contains(answer.error, "stop halyard serve and connect again with --replace-instance")
  expect.eq(#new:get("/api/Webhook").json, 0, "webhooks registered in the new instance")
  expect.eq(query(space, "SELECT instance_url FROM integrations"), support.instance_url(old),
    "the stored instance")
  stop(server)
end)

test("replace-instance rejected while serve runs", function()
  local space = workspace()
  local _, port = waiting_on_old(space)
  local new = sim.start{rate_limit = "off"}
  local server = serve(space, port)

  local code, _, err = connect(space, new, "--replace-instance")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "is in use by another halyard serve (pid " .. server.child:pid() .. ")")
  expect.eq(query(space, "SELECT count(*) FROM clients"), "1", "imported clients kept")
end)

test("replace-instance clears old instance's work", function()
  local space = workspace()
  local old, port, old_ticket = waiting_on_old(space)
  local new = sim.start{rate_limit = "off"}
  local old_writes = writes(old)
  local worked = query(space, "SELECT count(*) FROM deliveries WHERE state = 'queued'")
  expect.truthy(tonumber(worked) > 0, "worked deliveries: " .. worked)
  -- Deliveries not worked: one stored but not queued, one queued for a sync job not run yet.
  local msp = query(space, "SELECT id FROM msps")
  expect.eq(write(space, "INSERT INTO deliveries (msp_id, received_at, ticket_id, body, state)"
    .. " VALUES (" .. msp .. ", '2026-01-01T00:00:00Z', 998, '{}', 'new'), (" .. msp
    .. ", '2026-01-01T00:00:00Z', 999, '{}', 'queued')"), "", "inserting deliveries")
  expect.eq(write(space, "INSERT INTO jobs (msp_id, kind, idempotency_key, created_at,"
    .. " updated_at) VALUES (" .. msp .. ", 'sync', 'sync:" .. msp .. ":999',"
    .. " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"), "", "inserting a job")
  local waiting = query(space, "SELECT count(*) FROM jobs WHERE state IN ('ready', 'running')")

  local code, out, err = connect(space, new, "--replace-instance")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "removed 1 imported clients, stopped 1 runs under way")
  local counts = "dropped " .. waiting .. " jobs not run yet and 2 deliveries not worked yet, and kept " .. worked
    .. " deliveries already worked"
  expect.truthy(out:find(counts, 1, true), "the counts in: " .. out)
  expect.contains(out, "registered webhook")
  expect.eq(query(space, "SELECT state FROM runs WHERE ticket_id = " .. old_ticket), "stopped",
    "the old run's state")
  local event = query(space, "SELECT detail FROM run_events WHERE kind = 'instance_replaced'")
  expect.contains(event, support.instance_url(old) .. " to " .. support.instance_url(new))
  expect.contains(event, "stopped without writing to either instance (state awaiting_approval)")
  expect.eq(query(space, "SELECT state FROM approval_requests"), "superseded", "the old request")
  expect.eq(query(space, "SELECT count(*) FROM clients"), "0", "imported clients")
  expect.eq(query(space, "SELECT count(*) FROM jobs"), "0", "jobs")
  expect.eq(query(space, "SELECT count(*) FROM deliveries WHERE state = 'new'"), "0",
    "deliveries not queued")
  expect.eq(query(space, "SELECT count(*) FROM deliveries WHERE ticket_id = 999"), "0",
    "the delivery whose sync had not run")
  expect.eq(query(space, "SELECT count(*) FROM deliveries"), worked, "worked deliveries kept")

  -- The new instance's ticket with the old one's id starts a run of its own, and an approval
  -- there carries out no step of the old plan.
  local server = serve(space, port)
  import_execute(space)
  local ticket = log_kiosk_ticket(new)
  expect.eq(ticket, old_ticket, "the new instance reuses the ticket id")
  expect.truthy(wait_for_action(new, ticket, "asks for approval"),
    "an approval request in the new instance; log: " .. (util.read_file(server.log) or ""))
  expect.eq(query(space, "SELECT count(*) FROM runs WHERE ticket_id = " .. ticket), "2",
    "runs of the ticket")
  expect.eq(query(space, "SELECT state FROM runs WHERE ticket_id = " .. ticket
    .. " ORDER BY id LIMIT 1"), "stopped", "the old run after the new ticket")
  expect.eq(writes(old), old_writes, "writes to the old instance")
end)

test("old instance's webhook rejected after move", function()
  local space = workspace()
  local old, port = waiting_on_old(space)
  local new = sim.start{rate_limit = "off"}
  expect.eq((connect(space, new, "--replace-instance")), 0, "replace")
  local server = serve(space, port)
  local earlier = #old:control("GET", "/deliveries").json

  log_kiosk_ticket(old)

  local deadline = util.monotonic_ms() + WAIT_MS
  local statuses = {}
  repeat
    statuses = {}
    local attempts = old:control("GET", "/deliveries").json
    for index = earlier + 1, #attempts do
      if attempts[index].status ~= 0 then
        statuses[#statuses + 1] = math.tointeger(attempts[index].responsestatus)
      end
    end
    util.sleep_ms(100)
  until #statuses > 0 or util.monotonic_ms() > deadline
  expect.truthy(#statuses > 0, "a delivery of the old instance; log: "
    .. (util.read_file(server.log) or ""))
  for _, status in ipairs(statuses) do
    expect.eq(status, 401, "status of the old instance's delivery")
  end
end)

test("other instance without data moves", function()
  local space = workspace()
  local old = sim.start{}
  local new = sim.start{}
  expect.eq((connect(space, old)), 0, "connect to the old instance")
  local _, before = support.halyard(space, "intake", "credentials")

  local code, out, err = connect(space, new)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "has no clients, runs or deliveries yet")
  expect.contains(out, "replaced the instance URL " .. support.instance_url(old) .. " with "
    .. support.instance_url(new))
  expect.contains(out, "halyard's webhook in " .. support.instance_url(old) .. " stays there")
  expect.eq(#new:get("/api/Webhook").json, 1, "webhooks in the new instance")
  local _, after = support.halyard(space, "intake", "credentials")
  expect.ne(after, before, "the webhook credentials")
end)

test("same instance in capitals reconnects", function()
  local space = workspace()
  local simulator = sim.start{}
  expect.eq((connect(space, simulator)), 0, "first connect")
  expect.eq((support.halyard(space, "clients", "import", "12")), 0, "import")
  local secret = support.file(space, "secret", "halyard-sim-secret\n")
  support.chmod(secret, "600")
  local shouted = support.instance_url(simulator):gsub("localhost", "LocalHost")

  local code, out, err = support.halyard(space, "connect", "--instance", shouted, "--client-id",
    "halyard-sim", "--client-secret-file", secret)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "nothing changed")
  expect.eq(query(space, "SELECT count(*) FROM clients"), "1", "imported clients kept")
end)
