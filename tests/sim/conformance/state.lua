-- Conformance of halosim's seed loading and control endpoints (/_sim/) with the simulator's
-- README (tests/sim/README.md: "Control endpoints", "Seed file") and docs/halopsa-api.md §5.

local testing = require "testing"
local json = require "json"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

local s = sim.start{seed = support.seed()}

-- Calls a control endpoint and returns its JSON body. code is the status the README fixes;
-- without one any 2xx status is accepted.
local function control_json(method, path, body, code)
  local response = s:control(method, path, body)
  local what = method .. " /_sim" .. path
  if code then
    return support.json(response, code, what)
  end
  support.expect_success(response, what)
  return expect.json(response, what)
end

-- Seed

test("seed loads clients, sites and users", function()
  expect.eq(support.json(s:get("/api/Client/13"), 200).name, "Globex Corp", "client 13")
  expect.eq(support.json(s:get("/api/Site/32"), 200).name, "Warehouse", "site 32")
  local user = support.json(s:get("/api/Users/78"), 200)
  expect.eq(user.emailaddress, "john.smith@acme.example", "user 78 email")
  expect.eq(user.client_id, 12, "user 78 client_id")
end)

test("seed loads agents, statuses and outcomes", function()
  expect.eq(support.json(s:get("/api/Agent/4"), 200).email, "alex@msp.example", "agent 4")
  local statuses = support.json(s:get("/api/Status"), 200)
  expect.eq(support.find(statuses, 3).name, "Waiting on User", "status 3")
  local outcomes = support.json(s:get("/api/Outcome"), 200)
  expect.eq(support.find(outcomes, 8).buttonname, "Email User", "outcome 8")
end)

test("seed loads tickets with their actions", function()
  local ticket = support.json(s:get("/api/Tickets/101"), 200)
  expect.eq(ticket.summary, "VPN drops every hour", "summary")
  expect.eq(ticket.agent_id, 3, "agent_id")
  local actions = support.json(s:get("/api/Actions", {ticket_id = 100}), 200).actions
  expect.eq(support.find(actions, 2).note, "Ordered a new roller", "action 2 note")
end)

test("seed keys left out take the built-in defaults", function()
  local partial = sim.start{seed = {clients = {{id = 50, name = "Only Client"}}}}
  local clients = support.json(partial:get("/api/Client"), 200)
  expect.eq(support.ids(clients.clients), {50}, "client ids")
  local statuses = support.json(partial:get("/api/Status"), 200)
  expect.gt(#statuses, 0, "built-in statuses")
  local outcomes = support.json(partial:get("/api/Outcome"), 200)
  expect.gt(#outcomes, 0, "built-in outcomes")
end)

test("seed that is not JSON stops halosim", function()
  local dir = assert(util.tmpdir())
  assert(util.write_file(dir .. "/seed.json", "{not json"))
  local proc = require "proc"
  local child = assert(proc.spawn({sim.binary(), "--port", "0", "--seed", dir .. "/seed.json"},
    {stdout = dir .. "/out", stderr = dir .. "/err"}))
  local status = child:wait(5000)
  expect.eq(status, 1, "exit status")
  expect.ne(util.read_file(dir .. "/err"), "", "an error message on stderr")
end)

-- End-user and technician activity

test("/_sim/tickets logs a ticket as the end user", function()
  local body = control_json("POST", "/tickets",
    {user_id = 78, summary = "Monitor flickers", details = "Since the update"}, 201)
  expect.integer(body.id, "id")
  expect.eq(body.user_id, 78, "user_id")
  expect.eq(body.client_id, 12, "client_id taken from the user")
  local read = support.json(s:get("/api/Tickets/" .. json.integer(body.id)), 200)
  expect.eq(read.summary, "Monitor flickers", "summary read back")
end)

test("/_sim/tickets/{id}/actions adds a technician reply", function()
  local body = control_json("POST", "/tickets/100/actions",
    {agent_id = 3, note = "I will replace the roller", outcome = "Email"}, 201)
  expect.integer(body.id, "id")
  local read = support.json(s:get("/api/Actions/" .. json.integer(body.id), {ticket_id = 100}),
    200)
  expect.eq(read.note, "I will replace the roller", "note")
end)

test("/_sim/tickets/{id}/actions adds a user reply", function()
  local body = control_json("POST", "/tickets/100/actions",
    {user_id = 77, note = "Thanks, still broken"}, 201)
  local actions = support.json(s:get("/api/Actions", {ticket_id = 100}), 200).actions
  expect.eq(support.find(actions, body.id).note, "Thanks, still broken", "note")
end)

test("/_sim/tickets/{id}/actions new_status moves the ticket", function()
  control_json("POST", "/tickets/101/actions",
    {agent_id = 3, note = "Waiting for the user", new_status = 3}, 201)
  expect.eq(support.json(s:get("/api/Tickets/101"), 200).status_id, 3, "status_id")
end)

test("/_sim/tickets/{id} edits the ticket as a technician", function()
  support.expect_success(s:control("POST", "/tickets/100", {agent_id = 3, status_id = 2}),
    "technician edit")
  local read = support.json(s:get("/api/Tickets/100"), 200)
  expect.eq(read.status_id, 2, "status_id read back")
end)

test("/_sim/tickets/{id} reads the ticket and every action", function()
  local reply = control_json("POST", "/tickets/101/actions",
    {agent_id = 3, note = "Checked the toner", hiddenfromuser = true}, 201)
  local body = control_json("GET", "/tickets/101", nil, 200)
  expect.eq(body.ticket.id, 101, "ticket id")
  expect.type(body.actions, "table", "actions")
  local found = support.find(body.actions, reply.id)
  expect.truthy(found, "the reply among the actions")
  expect.eq(found.note, "Checked the toner", "note")
  expect.eq(found.hiddenfromuser, true, "hiddenfromuser")
  expect.eq(found.who_agentid, 3, "who_agentid")
end)

test("/_sim/tickets/{id} read is not counted", function()
  local before = control_json("GET", "/requests", nil, 200).total
  control_json("GET", "/tickets/100", nil, 200)
  expect.eq(control_json("GET", "/requests", nil, 200).total, before, "total requests")
end)

test("/_sim/tickets/{id} of an unknown ticket is 404", function()
  expect.status(s:control("GET", "/tickets/999999"), 404)
end)

-- Request faults

test("fault status replaces the response once", function()
  control_json("POST", "/faults", {match = {method = "GET", path = "/api/Status"},
    status = 503, body = '{"Message":"injected"}', times = 1})
  local faulted = s:get("/api/Status")
  expect.status(faulted, 503, "first request")
  expect.match(faulted.body, "injected", "fault body")
  expect.status(s:get("/api/Status"), 200, "second request")
end)

test("fault without times lasts until cleared", function()
  control_json("POST", "/faults", {match = {path = "/api/TicketType"}, status = 500})
  expect.status(s:get("/api/TicketType"), 500, "first request")
  expect.status(s:get("/api/TicketType"), 500, "second request")
  support.expect_success(s:control("DELETE", "/faults"), "clear")
  expect.status(s:get("/api/TicketType"), 200, "after clearing")
end)

test("fault matches only its method", function()
  control_json("POST", "/faults", {match = {method = "POST", path = "/api/Tickets"},
    status = 500, times = 1})
  expect.status(s:get("/api/Tickets"), 200, "GET is not matched")
  expect.status(s:post("/api/Tickets", {{summary = "x", client_id = 12, user_id = 77,
    site_id = 31}}), 500, "POST is matched")
end)

test("fault path matches case-insensitively", function()
  control_json("POST", "/faults", {match = {method = "POST", path = "/api/actions"},
    status = 500, times = 1})
  expect.status(s:post("/api/Actions", {{ticket_id = 100, outcome_id = 7, note = "x"}}), 500)
end)

test("fault matches ticket_id", function()
  control_json("POST", "/faults", {match = {method = "POST", path = "/api/actions",
    ticket_id = 100}, status = 500, times = 1})
  expect.status(s:post("/api/Actions", {{ticket_id = 101, outcome_id = 7, note = "x"}}), 201,
    "another ticket")
  expect.status(s:post("/api/Actions", {{ticket_id = 100, outcome_id = 7, note = "x"}}), 500,
    "the matched ticket")
end)

test("fault latency delays the answer", function()
  control_json("POST", "/faults", {match = {path = "/api/Outcome"}, latency_ms = 800, times = 1})
  local started = util.monotonic_ms()
  expect.status(s:get("/api/Outcome"), 200)
  expect.ge(util.monotonic_ms() - started, 750, "elapsed ms")
end)

test("fault drop_response closes the connection after the effect", function()
  control_json("POST", "/faults", {match = {method = "POST", path = "/api/Actions"},
    drop_response = true, times = 1})
  local response, message = s:post("/api/Actions",
    {{ticket_id = 101, outcome_id = 7, note = "Dropped but stored"}})
  expect.eq(response, nil, "no response")
  expect.type(message, "string", "transport error")

  local actions = support.json(s:get("/api/Actions", {ticket_id = 101}), 200).actions
  local stored = false
  for _, action in ipairs(actions) do
    if action.note == "Dropped but stored" then
      stored = true
    end
  end
  expect.truthy(stored, "the action was stored")
end)

test("fault list is cleared by DELETE /_sim/faults", function()
  control_json("POST", "/faults", {match = {path = "/api/Priority"}, status = 500})
  support.expect_success(s:control("DELETE", "/faults"), "clear")
  expect.status(s:get("/api/Priority"), 200)
end)

-- Clock

test("clock reads now and the offset", function()
  local body = control_json("GET", "/clock")
  expect.type(body.now, "string", "now")
  expect.match(body.now, "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d", "now")
  expect.integer(body.offset_seconds, "offset_seconds")
end)

test("clock advance moves the test clock", function()
  local before = control_json("GET", "/clock")
  control_json("POST", "/clock/advance", {seconds = 86400})
  local after = control_json("GET", "/clock")
  expect.eq(after.offset_seconds, before.offset_seconds + 86400, "offset_seconds")
  expect.ne(after.now:sub(1, 10), before.now:sub(1, 10), "date moved a day")
end)

test("clock advance rejects a bad value", function()
  local response = s:control("POST", "/clock/advance", {seconds = "soon"})
  expect.truthy(response, "response")
  expect.eq(response.status, 400, "status")
end)

-- Reset

test("reset restores the seed state", function()
  local fresh = sim.start{seed = support.seed()}
  local old_token = fresh:token()
  local created = support.json(fresh:post("/api/Tickets",
    {{summary = "Gone after reset", client_id = 12, site_id = 31, user_id = 77}}), 201)
  support.json(fresh:post("/api/Tickets", {{id = 100, summary = "Changed"}}), 201)
  support.expect_success(fresh:control("POST", "/faults",
    {match = {path = "/api/Site"}, status = 500}), "add fault")
  support.expect_success(fresh:control("POST", "/clock/advance", {seconds = 600}), "advance")

  support.expect_success(fresh:control("POST", "/reset"), "reset")

  expect.status(fresh:request{path = "/api/Tickets", token = old_token}, 401,
    "tokens are cleared")
  fresh:forget_tokens()
  expect.status(fresh:get("/api/Tickets/" .. json.integer(created.id)), 404, "created ticket")
  expect.eq(support.json(fresh:get("/api/Tickets/100"), 200).summary,
    "Printer jammed on floor 2", "ticket 100 summary")
  expect.status(fresh:get("/api/Site"), 200, "fault cleared")
  expect.eq(support.json(fresh:control("GET", "/clock"), 200).offset_seconds, 0, "clock offset")
end)

test("reset removes webhooks added since", function()
  local fresh = sim.start{seed = support.seed()}
  local webhook = support.json(fresh:post("/api/Webhook", {{name = "temporary",
    url = "http://127.0.0.1:9/hook", type = 0, method = 0, authentication_type = 0,
    active = true, events = {{eventno = 3, name = "New Ticket Logged"}}}}), 201)
  support.expect_success(fresh:control("POST", "/reset"), "reset")
  fresh:forget_tokens()
  expect.status(fresh:get("/api/Webhook/" .. webhook.id), 404, "webhook after reset")
end)

-- Request log and configuration

test("/_sim/requests counts requests by method and path", function()
  local fresh = sim.start{seed = support.seed()}
  expect.status(fresh:get("/api/Tickets"), 200)
  expect.status(fresh:get("/api/tickets"), 200)
  expect.status(fresh:post("/api/Actions", {{ticket_id = 100, outcome_id = 7, note = "n"}}), 201)
  local body = support.json(fresh:control("GET", "/requests"), 200)
  expect.eq(support.find_count(body, "GET", "/api/tickets"), 2, "GETs of /api/tickets in "
    .. testing.show(body))
  expect.eq(support.find_count(body, "POST", "/api/actions"), 1, "POSTs of /api/actions in "
    .. testing.show(body))
end)

test("/_sim/requests lists the writes", function()
  local fresh = sim.start{seed = support.seed()}
  expect.status(fresh:post("/api/Actions", {{ticket_id = 100, outcome_id = 7,
    note = "Logged write"}}), 201)
  local response = expect.status(fresh:control("GET", "/requests"), 200)
  expect.contains(response.body, "Logged write", "the write's body")
end)

test("/_sim/config reports the settings", function()
  local configured = sim.start{seed = support.seed(), strict = true, token_lifetime = 900,
    client_id = "config-check"}
  local body = support.json(configured:control("GET", "/config"), 200)
  expect.eq(support.find_field(body, "client_id"), "config-check", "client_id")
  expect.eq(support.find_field(body, "strict"), true, "strict")
  expect.eq(support.find_field(body, "token_lifetime"), 900, "token_lifetime")
end)

test("/_sim/config never shows the secret", function()
  local secret = "do-not-show-" .. util.now_ms()
  local configured = sim.start{client_secret = secret}
  local response = expect.status(configured:control("GET", "/config"), 200)
  expect.no_match(response.body, secret, "config body")
  expect.no_match(response.body, "do%-not%-show", "config body")
end)

test("halosim log never shows the secret", function()
  local secret = "log-secret-" .. util.now_ms()
  local configured = sim.start{client_secret = secret, args = {"--verbose"}}
  configured:token()
  expect.status(configured:token_request{client_secret = "wrong-" .. secret}, 401)
  configured:stop()
  expect.no_match(configured:log(), "log%-secret%-", "halosim's stderr")
end)
