-- Execute mode's exactly-once steps: an approved step that writes an internal note reaches
-- HaloPSA once when the simulator drops the response to it, and when halyard is killed with
-- SIGKILL between sending it and recording it. Real halyard serve and halosim processes; the
-- note's actions are counted on the simulator's side.

local testing = require "testing"
local http = require "http"
local json = require "json"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

-- New ticket, ticket updated, action added, ticket reassigned.
local SIM_EVENTS = {3, 2, 8, 9}
local WAIT_MS = 30000
-- Long enough for a second copy of a write to have been sent if it was going to be.
local SETTLE_MS = 2500
local NOTE_TEXT = "Restarted the kiosk remotely."

local WORKFLOW = [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Look the requester up, note the restart and wait on the requester.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
        {tool = "halo.add_note", kind = "write", arguments = {note = "Restarted the kiosk remotely."},
            purpose = "Record the restart."},
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 4},
            purpose = "Wait on the requester."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]]

local function call(server, token, method, path, body)
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  local response, message = http.request{method = method, url = server.url .. path,
    headers = headers, body = body and json.encode(body)}
  assert(response, message)
  local ok, decoded = pcall(json.decode, response.body)
  response.json = ok and decoded or nil
  return response
end

local function log_of(server)
  return util.read_file(server.log) or ""
end

-- Starts a simulator and a connected halyard serve --test-clock. Its client 12 runs in Execute
-- mode with the kiosk workflow. Returns the simulator, the workspace, the server and a token.
local function start()
  local simulator = sim.start{rate_limit = "off"}
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local scripts = space.folder .. "/scripts"
  support.configure(space, {webhook_events = SIM_EVENTS, scripts_dir = scripts})
  assert(support.mkdir(scripts .. "/default/workflows"))
  support.file(space, "scripts/default/workflows/kiosk_offline.lua", WORKFLOW)
  local code, token, err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local server = support.serve(space, 0, {"--test-clock"})
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url,
    scripts_dir = scripts})
  code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "mode", "12", "execute")
  expect.eq(code, 0, "clients mode; stderr: " .. err)
  return simulator, space, server, token:match("^(%S+)")
end

-- The ticket's actions, oldest first.
local function actions(simulator, ticket)
  local response = simulator:get("/api/Actions", {ticket_id = ticket, includehtmlnote = true})
  expect.status(response, 200)
  return response.json.actions
end

-- Waits for an action whose HTML contains text; returns it, or nil after WAIT_MS.
local function wait_for_action(simulator, ticket, text)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    for _, action in ipairs(actions(simulator, ticket)) do
      if (action.note_html or ""):find(text, 1, true) then
        return action
      end
    end
    util.sleep_ms(100)
  end
  return nil
end

-- Counts the actions whose HTML contains text and, when given, not the text without.
local function count_actions(simulator, ticket, text, without)
  local count = 0
  for _, action in ipairs(actions(simulator, ticket)) do
    local html = action.note_html or ""
    if html:find(text, 1, true) and not (without and html:find(without, 1, true)) then
      count = count + 1
    end
  end
  return count
end

-- POSTs to /api/actions the simulator received whose body contains text but not without (the
-- approval request lists the step's note too).
local function posts_with(simulator, text, without)
  local response = simulator:control("GET", "/requests")
  local count = 0
  for _, write in ipairs(response.json.writes) do
    local body = tostring(write.body)
    if write.method == "POST" and write.path:lower() == "/api/actions"
        and body:find(text, 1, true) and not body:find(without, 1, true) then
      count = count + 1
    end
  end
  return count
end

local REQUEST = "asks for approval"

-- Logs a kiosk ticket as Jane, assigns it to Sam (agent 3) and waits for the approval request.
-- Returns the ticket id and the plan hash prefix the request shows.
local function requested(simulator, server)
  local response = simulator:control("POST", "/tickets", {user_id = 77, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."})
  expect.status(response, 201)
  local ticket = json.integer(response.json.id)
  expect.status(simulator:control("POST", "/tickets/" .. ticket,
    {agent_id = 3, assign_agent_id = 3}), 200)
  local request = wait_for_action(simulator, ticket, "asks for approval")
  expect.truthy(request, "an approval request; log: " .. log_of(server))
  local plan = request.note_html:match("plan (%x%x%x%x%x%x%x%x)")
  expect.truthy(plan, "the request shows the plan hash")
  return ticket, plan
end

local function approve(simulator, ticket)
  expect.status(simulator:control("POST", "/tickets/" .. ticket .. "/actions",
    {agent_id = 3, note = "Approved, go ahead.", hiddenfromuser = true}), 201)
end

test("an approved step whose response was lost writes once", function()
  local simulator, _, server = start()
  local ticket = requested(simulator, server)
  expect.status(simulator:control("POST", "/faults", {match = {method = "POST",
    path = "/api/actions", ticket_id = ticket}, drop_response = true, times = 1}), 201)

  approve(simulator, ticket)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline and count_actions(simulator, ticket, "finished plan") == 0 do
    util.sleep_ms(200) -- the write's retry waits a second or two of backoff
  end
  expect.eq(count_actions(simulator, ticket, NOTE_TEXT, REQUEST), 1, "step notes; log: " .. log_of(server))
  util.sleep_ms(SETTLE_MS)
  expect.eq(count_actions(simulator, ticket, NOTE_TEXT, REQUEST), 1, "step notes after settling")
  expect.eq(posts_with(simulator, NOTE_TEXT, REQUEST), 1, "POSTs of the step's note")
  expect.contains(log_of(server), "found already in HaloPSA")
end)

test("an approved step is written once when halyard is killed before recording it",
    function()
  local simulator, space, server, token = start()
  local ticket, plan = requested(simulator, server)

  -- halyard starts again with the fault hook set for the note step's write (step 2).
  server.child:kill("TERM")
  server.child:wait(WAIT_MS)
  local key = "step." .. plan .. ".2"
  local crashing = support.serve(space, server.port, {"--test-clock"},
    {HALYARD_TEST_CRASH_AFTER_SEND = key})
  approve(simulator, ticket)
  local status = crashing.child:wait(WAIT_MS)
  expect.eq(status, 128 + 9, "halyard stopped by SIGKILL; log: " .. log_of(crashing))
  expect.eq(count_actions(simulator, ticket, NOTE_TEXT, REQUEST), 1, "step notes after the crash")

  local again = support.serve(space, server.port, {"--test-clock"})
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline and count_actions(simulator, ticket, "finished plan") == 0 do
    util.sleep_ms(100)
  end
  expect.eq(count_actions(simulator, ticket, "finished plan"), 1, "closing notes; log: "
    .. log_of(again))
  expect.contains(log_of(again), "write=" .. key .. " found already in HaloPSA")
  util.sleep_ms(SETTLE_MS)
  expect.eq(count_actions(simulator, ticket, NOTE_TEXT, REQUEST), 1, "step notes after the restart")
  expect.eq(posts_with(simulator, NOTE_TEXT, REQUEST), 1, "POSTs of the step's note")
  local runs = call(again, token, "GET", "/api/v1/runs?ticket_id=" .. ticket).json.runs
  expect.eq(runs[1].state, "done", "the run's state")
end)

test("clients mode sets the mode and rejects bad input", function()
  local _, space, server, token = start()

  local code, out, err = support.halyard(space, "clients", "mode", "12", "plan")
  expect.eq(code, 0, "mode plan; stderr: " .. err)
  expect.contains(out, "runs in Plan mode (was execute)")
  code, _, err = support.halyard(space, "clients", "mode", "12", "banana")
  expect.eq(code, 2, "an unknown mode is a usage error")
  expect.contains(err, "mode 'banana' is invalid: use plan or execute")
  code, _, err = support.halyard(space, "clients", "mode", "99", "execute")
  expect.eq(code, 1, "a client that is not imported")
  expect.contains(err, "client 99 is not imported")
  code, _, err = support.halyard(space, "clients", "mode", "twelve", "execute")
  expect.eq(code, 2, "an id that is not a number")
  expect.contains(err, "'twelve' is not a client ID")

  local response = call(server, token, "PATCH", "/api/v1/clients/12", {mode = "execute"})
  expect.status(response, 200)
  expect.eq(response.json.mode, "execute", "the new mode")
  expect.eq(response.json.previous_mode, "plan", "the mode it had")
  expect.status(call(server, token, "PATCH", "/api/v1/clients/99", {mode = "plan"}), 404)
  response = call(server, token, "PATCH", "/api/v1/clients/12", {mode = "auto"})
  expect.status(response, 400)
  expect.contains(response.json.error, "use plan or execute")
  -- Regression: an unknown field was ignored with 200.
  response = call(server, token, "PATCH", "/api/v1/clients/12", {mode = "plan", modee = "x"})
  expect.status(response, 400)
  expect.contains(response.json.error, "the field 'modee' is unknown")
  expect.status(call(server, token, "PATCH", "/api/v1/clients/0", {mode = "plan"}), 400)
  expect.status(call(server, "not-a-token", "PATCH", "/api/v1/clients/12", {mode = "plan"}), 401)
end)

-- The newest run of a ticket, as GET /api/v1/runs shows it.
local function newest_run(server, token, ticket)
  local response = call(server, token, "GET", "/api/v1/runs?ticket_id=" .. ticket)
  expect.status(response, 200)
  return response.json.runs[1]
end

-- The run's newest event of kind, or nil.
local function event_of(run, kind)
  for index = #run.events, 1, -1 do
    if run.events[index].kind == kind then
      return run.events[index]
    end
  end
  return nil
end

-- Waits until the ticket's newest run is in state; returns the run.
local function wait_for_state(server, token, ticket, state)
  local deadline = util.monotonic_ms() + WAIT_MS
  local run = nil
  while util.monotonic_ms() < deadline do
    run = newest_run(server, token, ticket)
    if run ~= nil and run.state == state then
      run.id = json.integer(run.id)
      return run
    end
    util.sleep_ms(100)
  end
  expect.fail(string.format("ticket %d's run is %s, not %s, after 30 s; log: %s", ticket,
    run and run.state or "missing", state, log_of(server)))
end

test("cancel stops a waiting run through the API", function()
  local simulator, _, server, token = start()
  local ticket = requested(simulator, server)
  local run = wait_for_state(server, token, ticket, "awaiting_approval")

  local response = call(server, token, "POST", "/api/v1/runs/" .. run.id .. "/cancel",
    {reason = "wrong kiosk"})

  expect.status(response, 200)
  expect.eq(response.json.state, "stopped", "state")
  expect.eq(response.json.previous_state, "awaiting_approval", "previous_state")
  expect.eq(response.json.changed, true, "changed")
  local stopped = newest_run(server, token, ticket)
  expect.eq(stopped.state, "stopped", "the run's state")
  local cancelled = event_of(stopped, "cancelled")
  expect.truthy(cancelled, "the run's cancelled event")
  expect.contains(cancelled.detail, "the admin API")
  expect.contains(cancelled.detail, "wrong kiosk")
  local note = wait_for_action(simulator, ticket, "the run was cancelled")
  expect.truthy(note, "the cancel note; log: " .. log_of(server))
  expect.eq(note.hiddenfromuser, true, "the cancel note is hidden")
  expect.truthy(note.note_html:find("wrong kiosk", 1, true), "the note gives the reason")

  -- Again: nothing changes, and an approval afterwards runs nothing.
  response = call(server, token, "POST", "/api/v1/runs/" .. run.id .. "/cancel")
  expect.status(response, 200)
  expect.eq(response.json.changed, false, "changed on the second cancel")
  approve(simulator, ticket)
  util.sleep_ms(SETTLE_MS)
  expect.eq(count_actions(simulator, ticket, NOTE_TEXT, REQUEST), 0, "step notes")
  expect.eq(count_actions(simulator, ticket, "the run was cancelled"), 1, "cancel notes")
  expect.eq(newest_run(server, token, ticket).state, "stopped", "the run after the approval")
end)

test("runs cancel stops a waiting run from the CLI", function()
  local simulator, space, server, token = start()
  local ticket = requested(simulator, server)
  local run = wait_for_state(server, token, ticket, "awaiting_approval")

  local code, out, err = support.halyard(space, "runs", "cancel", tostring(run.id), "--reason",
    "incident 7")

  expect.eq(code, 0, "runs cancel; stderr: " .. err)
  expect.contains(out, "run " .. run.id .. " cancelled (it was awaiting_approval)")
  local stopped = newest_run(server, token, ticket)
  expect.eq(stopped.state, "stopped", "the run's state")
  local cancelled = event_of(stopped, "cancelled")
  expect.truthy(cancelled, "the run's cancelled event")
  expect.contains(cancelled.detail, "the CLI (user")
  expect.contains(cancelled.detail, "incident 7")
  local note = wait_for_action(simulator, ticket, "the run was cancelled")
  expect.truthy(note, "the note of a cancel from the CLI; log: " .. log_of(server))
  expect.truthy(note.note_html:find("the CLI (user", 1, true), "the note names the CLI user")
  expect.truthy(note.note_html:find("incident 7", 1, true), "the note gives the reason")
  code, out, err = support.halyard(space, "runs", "cancel", tostring(run.id))
  expect.eq(code, 0, "a second cancel; stderr: " .. err)
  expect.contains(out, "was stopped already")
end)

test("cancel rejects finished runs and bad input", function()
  local simulator, space, server, token = start()
  local ticket = requested(simulator, server)
  approve(simulator, ticket)
  local run = wait_for_state(server, token, ticket, "done")

  local response = call(server, token, "POST", "/api/v1/runs/" .. run.id .. "/cancel")
  expect.status(response, 409)
  expect.contains(response.json.error, "has finished (state done)")
  local code, _, err = support.halyard(space, "runs", "cancel", tostring(run.id))
  expect.eq(code, 1, "runs cancel of a finished run")
  expect.contains(err, "has finished (state done)")

  response = call(server, token, "POST", "/api/v1/runs/999/cancel")
  expect.status(response, 404)
  expect.contains(response.json.error, "run 999 not found: list runs with GET /api/v1/runs")
  code, _, err = support.halyard(space, "runs", "cancel", "999")
  expect.eq(code, 1, "runs cancel of an unknown run")
  expect.contains(err, "run 999 not found for MSP default: list the MSP's runs with GET")
  expect.status(call(server, token, "POST", "/api/v1/runs/abc/cancel"), 400)
  expect.status(call(server, token, "POST", "/api/v1/runs/0/cancel"), 400)
  response = call(server, token, "POST", "/api/v1/runs/" .. run.id .. "/cancel", {reason = 5})
  expect.status(response, 400)
  expect.contains(response.json.error, "reason is invalid")
  response = call(server, token, "POST", "/api/v1/runs/" .. run.id .. "/cancel",
    {reason = string.rep("x", 501)})
  expect.status(response, 400)
  response = call(server, token, "POST", "/api/v1/runs/" .. run.id .. "/cancel",
    {reason = "wrong\0plan"})
  expect.status(response, 400)
  expect.contains(response.json.error, "reason is invalid")
  expect.status(call(server, "not-a-token", "POST", "/api/v1/runs/" .. run.id .. "/cancel"), 401)
  code, _, err = support.halyard(space, "runs", "cancel", "abc")
  expect.eq(code, 2, "an id that is not a number")
  expect.contains(err, "'abc' is not a run id")
  code, _, err = support.halyard(space, "runs", "cancel", "999")
  expect.eq(code, 1, "a run that does not exist")
  expect.contains(err, "run 999 not found")
end)
