-- The halo and http modules end to end, with real processes. halosim over HTTPS logs tickets,
-- and `halyard serve` writes each plan as a coroutine whose workflows' gather functions call
-- HaloPSA and outbound HTTP (the harness's receivers on 127.0.0.1). The facts they gather
-- appear in the plan note. Tests assert the order of events, never how long they took.

local testing = require "testing"
local receiver = require "receiver"
local sim = require "sim"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

local WAIT_MS = 30000

-- The simulator's events for a new ticket, an updated ticket and an added action.
local SIM_EVENTS = {3, 2, 8}

-- Long enough that the other ticket's whole path (delivery, sync, plan, note) fits inside it
-- many times over. The ordering test waits for events, not for this time.
local SLOW_USER_LATENCY_MS = 10000

local function seed()
  return {
    clients = {{id = 12, name = "Acme Ltd", inactive = false}},
    sites = {{id = 31, name = "Head Office", client_id = 12}},
    users = {
      {id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
        site_id = 31, emailaddress = "jane.doe@acme.example", phonenumber = "020 7946 0001"},
      {id = 78, name = "Omar Ali", firstname = "Omar", surname = "Ali", client_id = 12,
        site_id = 31, emailaddress = "omar.ali@acme.example", phonenumber = "020 7946 0002"},
    },
    agents = {
      {id = 1, name = "halyard API", email = "api@msp.example", isapiagent = true},
      {id = 3, name = "Sam Lead", email = "sam@msp.example", team = "1st Line"},
    },
    login_agent_id = 1,
    teams = {{id = 5, name = "1st Line"}},
  }
end

-- A workflow for tickets about a "web probe": its gather fetches every "probe=URL" of the
-- ticket's details, follows one redirect through http.get again, and reports what happened.
local PROBE_WORKFLOW = [[
return {
    name = "Web probe",
    status = "active",
    scope = "all",
    trigger = "A test ticket asks halyard to fetch addresses.",
    match = {any = {"web probe"}},
    instructions = "Nothing to do; this is a test.",
    samples = {match = {{source = "written", summary = "web probe", details = ""}}},
    gather = function(context)
        local facts = {}
        for url in context.ticket.details:gmatch("probe=(%S+)") do
            local response, message = http.get(url)
            if response == nil then
                facts[#facts + 1] = "failed: " .. message
            else
                facts[#facts + 1] = string.format("status %d body %s", response.status,
                    response.body)
                local location = response.headers.location
                if location ~= nil then
                    local followed, reason = http.get(location)
                    facts[#facts + 1] = followed and ("followed " .. followed.status)
                        or ("not followed: " .. reason)
                end
            end
        end
        return facts
    end,
}
]]

local function port_of(url)
  return url:match(":(%d+)$")
end

-- The receivers: one on the allow-list with private = true, one not on it, one on it that
-- redirects to the one that is not, and one listed by the name localhost without private.
local allowed = receiver.start{body = "allowed-body"}
local unlisted = receiver.start{body = "unlisted-body"}
local redirecting = receiver.start{status = 302, location = unlisted.url .. "/next"}
local named = receiver.start{body = "named-body"}

local HTTP_ALLOW = string.format("default = { "
  .. "{ host = \"127.0.0.1\", port = %s, private = true }, "
  .. "{ host = \"127.0.0.1\", port = %s, private = true }, "
  .. "{ host = \"localhost\", port = %s } }",
  port_of(allowed.url), port_of(redirecting.url), port_of(named.url))

-- Starts a simulator and halyard serve with the probe workflow and the allow-list (and the
-- config's lua_limits entries, a list of strings, when given), connects and imports Acme
-- (client 12). Returns the simulator and the server.
local function start(lua_limits)
  local simulator = sim.start{seed = seed(), rate_limit = "off"}
  local space = support.workspace{webhook_events = SIM_EVENTS, http_allow = {HTTP_ALLOW},
    lua_limits = lua_limits}
  expect.truthy(support.mkdir(space.data_dir .. "/scripts/default/workflows"), "scripts folder")
  support.file(space, "data/scripts/default/workflows/web_probe.lua", PROBE_WORKFLOW)
  local server = support.serve(space)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url,
    http_allow = {HTTP_ALLOW}, lua_limits = lua_limits})
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  return simulator, server
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

-- Waits for halyard's first note on a ticket and returns its HTML; fails after WAIT_MS.
local function wait_for_note(simulator, server, ticket_id)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    local found = notes(simulator, ticket_id)
    if #found > 0 then
      return found[1].note_html or ""
    end
    util.sleep_ms(100)
  end
  expect.fail("no note on ticket " .. ticket_id .. "; halyard log: "
    .. (util.read_file(server.log) or ""))
end

-- Starts halyard (with lua_limits, may be nil), logs a web probe ticket for the URLs and
-- returns its note.
local function probe_limited(lua_limits, ...)
  local simulator, server = start(lua_limits)
  local lines = {}
  for _, url in ipairs({...}) do
    lines[#lines + 1] = "probe=" .. url
  end
  return wait_for_note(simulator, server,
    log_ticket(simulator, 77, "web probe", table.concat(lines, "\n")))
end

-- The number of requests the simulator received for "METHOD /lower-case/path".
local function probe(...)
  return probe_limited(nil, ...)
end

local function simulator_requests(simulator, key)
  local response = simulator:control("GET", "/requests")
  expect.status(response, 200)
  return math.tointeger(response.json.counts[key] or 0)
end

test("plan note lists gathered facts", function()
  local before = allowed:count()

  local note = probe(allowed.url .. "/hello?x=1")

  expect.contains(note, "Facts gathered")
  expect.contains(note, "<strong>Web probe</strong>: status 200 body allowed-body")
  expect.eq(allowed:count(), before + 1, "requests to the allowed receiver")
  local request = allowed:requests()[before + 1]
  expect.eq(request.path, "/hello", "path")
  expect.eq(request.query, "x=1", "query")
end)

test("config call limit applies", function()
  local before = allowed:count()

  local note = probe_limited({"default = { calls = 2 }"}, allowed.url .. "/1",
    allowed.url .. "/2", allowed.url .. "/3")

  expect.contains(note, "reached its limit of 2 halo and http calls")
  expect.eq(allowed:count(), before + 2, "requests to the allowed receiver")
end)

test("host not on the list rejected", function()
  local note = probe(unlisted.url .. "/")

  -- The allow-list names 127.0.0.1 with the other receivers' ports, so the message names
  -- one of those and the port that is missing.
  expect.contains(note, "failed: http.get: 127.0.0.1 is on this MSP")
  expect.contains(note, ", not for port " .. port_of(unlisted.url) .. ";")
  expect.eq(unlisted:count(), 0, "requests to the unlisted receiver")
end)

test("redirect to other host unfollowed", function()
  local note = probe(redirecting.url .. "/start")

  expect.contains(note, "status 302 body ")
  expect.contains(note, "not followed: http.get: 127.0.0.1 is on this MSP")
  expect.contains(note, ", not for port " .. port_of(unlisted.url) .. ";")
  expect.eq(redirecting:count(), 1, "requests to the redirecting receiver")
  expect.eq(unlisted:count(), 0, "requests to the redirect's target")
end)

test("user name in URL rejected", function()
  local before = allowed:count()
  local port = port_of(allowed.url)

  local note = probe("http://127.0.0.1:" .. port .. "@evil.example/",
    "http://user:secret@127.0.0.1:" .. port .. "/")

  local _, rejected = note:gsub("a user name or password in the URL", "")
  expect.eq(rejected, 2, "rejected URLs in: " .. note)
  expect.eq(allowed:count(), before, "requests to the allowed receiver")
end)

test("numeric IP forms rejected", function()
  local before = allowed:count()
  local port = port_of(allowed.url)

  local note = probe("http://2130706433:" .. port .. "/", "http://0x7f.1:" .. port .. "/",
    "http://0177.0.0.1:" .. port .. "/", "http://[::ffff:127.0.0.1]:" .. port .. "/")

  local _, unusual = note:gsub("is not written in its plain form", "")
  expect.eq(unusual, 3, "URLs rejected for their notation in: " .. note)
  expect.contains(note, "failed: http.get: ::ffff:127.0.0.1 port " .. port .. " is not on")
  expect.eq(allowed:count(), before, "requests to the allowed receiver")
end)

test("name leading to loopback rejected", function()
  local note = probe("http://localhost:" .. port_of(named.url) .. "/")

  expect.contains(note, "failed: http.get: localhost leads to ")
  expect.contains(note, "a loopback address, which is reached only when its http_allow entry "
    .. "sets private = true")
  expect.eq(named:count(), 0, "requests to the receiver named localhost")
end)

-- While the gather of ticket A waits for a slow HaloPSA, ticket B is planned and its note
-- posted. Then A's response arrives and A's note follows.
test("slow gather does not hold others", function()
  local simulator, server = start()
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "GET", path = "/api/users/77"}, latency_ms = SLOW_USER_LATENCY_MS,
      times = 1}), 201)

  local first = log_ticket(simulator, 77, "password reset",
    "please reset my password, I am locked out")
  local deadline = util.monotonic_ms() + WAIT_MS
  while simulator_requests(simulator, "GET /api/users/77") == 0
      and util.monotonic_ms() < deadline do
    util.sleep_ms(50)
  end
  expect.eq(simulator_requests(simulator, "GET /api/users/77"), 1,
    "ticket A's gather asked for its requester")
  local second = log_ticket(simulator, 78, "password reset", "forgot my password, please reset it")

  local second_note = wait_for_note(simulator, server, second)
  local first_notes_then = #notes(simulator, first)
  local first_note = wait_for_note(simulator, server, first)

  expect.eq(first_notes_then, 0, "notes on ticket A when ticket B's note was posted")
  expect.contains(second_note, "HaloPSA has the requester as Omar Ali: omar.ali@acme.example")
  expect.contains(first_note, "HaloPSA has the requester as Jane Doe: jane.doe@acme.example")
end)
