-- A run that may only read sends nothing that changes another system. Regression: in Plan
-- mode, http.request("GET", url, {body = ...}) went out as a POST with that body, and a GET
-- could carry X-HTTP-Method-Override: DELETE. A Plan-mode gather now tries every such request
-- against the simulator, which is on the MSP's http allow-list, and each one must raise
-- before anything is sent.

local testing = require "testing"
local sim = require "sim"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

local WAIT_MS = 30000

-- Long enough for a request that slipped through to reach the simulator.
local SETTLE_MS = 2000

-- The simulator's events for a new ticket, an updated ticket and an added action.
local SIM_EVENTS = {3, 2, 8}

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

-- The method-override header names, in the spelling and case a script might use.
local OVERRIDE_HEADERS = {"X-HTTP-Method-Override", "x-http-method-override", "X-HTTP-Method",
  "X-Method-Override", "x-METHOD-override"}

-- Queries that ask for another method: plain, upper case, percent-encoded, after ';'.
local OVERRIDE_QUERIES = {"_method=DELETE", "a=1&_METHOD=DELETE", "%5Fmethod=DELETE",
  "%5f%6Dethod=DELETE", "a=1;_method=DELETE", "_method", "x-http-method-override=DELETE",
  "X-Method-Override=PUT&b=2"}

-- Override names written with other characters, which some frameworks read as "_method" or
-- as another override. They share one fact, because a plan keeps at most 20.
local FOLDED_QUERIES = {".method=DELETE", "%20method=DELETE", "_HttpMethod=DELETE",
  "_method%00=DELETE", "-method=DELETE", "X_HTTP_METHOD_OVERRIDE=PUT"}

-- Method names that only look like GET, or are not sent at all.
local BAD_METHODS = {"get", " GET", "GET\r\n", "GET ", "Get", "TRACE", "CONNECT", "OPTIONS"}

-- The gather: one fact per attempt, "<label>: blocked: <reason>" or "<label>: SENT <status>".
-- The lists come in as Lua source, and the facts stay under the limit of 20.
local READ_WORKFLOW = [[
local BASE = %q
local OVERRIDE_HEADERS = %s
local OVERRIDE_QUERIES = %s
local FOLDED_QUERIES = %s
local BAD_METHODS = %s

local function attempt(label, f, ...)
    local ok, first, second = pcall(f, ...)
    if ok and type(first) == "table" and first.status ~= nil then
        return label .. ": SENT " .. tostring(first.status)
    end
    local reason = ok and tostring(second) or tostring(first)
    return label .. ": blocked: " .. reason:gsub("\n.*", "")
end

return {
    name = "Reading plan",
    status = "active",
    scope = "all",
    trigger = "A ticket asks halyard to read.",
    match = {any = {"reading plan"}},
    instructions = "Read only.",
    samples = {match = {{source = "written", summary = "reading plan", details = ""}}},
    gather = function(context)
        local facts = {}
        local ticket = BASE .. "/api/Tickets/" .. tostring(math.tointeger(context.ticket.id))
        facts[#facts + 1] = attempt("get with body", http.request, "GET", BASE .. "/api/Actions",
            {body = '[{"ticket_id": 1, "note": "x"}]'})
        facts[#facts + 1] = attempt("head with body", http.request, "HEAD",
            BASE .. "/api/Actions", {body = "x"})
        for index, name in ipairs(OVERRIDE_HEADERS) do
            facts[#facts + 1] = attempt("header " .. index, http.get, ticket,
                {headers = {[name] = "DELETE"}})
        end
        facts[#facts + 1] = attempt("request header", http.request, "GET", ticket,
            {headers = {["Accept"] = "application/json", ["X-HTTP-Method-Override"] = "PUT"}})
        for index, query in ipairs(OVERRIDE_QUERIES) do
            facts[#facts + 1] = attempt("query " .. index, http.get, ticket .. "?" .. query)
        end

        local folded = {}
        for index, query in ipairs(FOLDED_QUERIES) do
            folded[#folded + 1] = attempt(tostring(index), http.get, ticket .. "?" .. query)
                :gsub("blocked: .*", "blocked")
        end
        facts[#facts + 1] = "folded queries: " .. table.concat(folded, ", ")

        -- The bad method names share one fact, and the first one's message gets its own.
        local outcomes = {}
        for index, method in ipairs(BAD_METHODS) do
            outcomes[#outcomes + 1] = attempt(tostring(index), http.request, method, ticket)
                :gsub("blocked: .*", "blocked")
        end
        facts[#facts + 1] = "methods: " .. table.concat(outcomes, ", ")
        facts[#facts + 1] = attempt("method reason", http.request, BAD_METHODS[1], ticket)

        -- Reads that only look like an override go out.
        local lookalike = http.get(BASE .. "/_sim/config?method=DELETE&my_method=PUT#_method=x",
            {headers = {["X-Method"] = "GET"}})
        facts[#facts + 1] = "lookalike: " .. (lookalike and tostring(lookalike.status) or "none")
        return facts
    end,
}
]]

-- Returns a Lua list of strings as Lua source.
local function lua_list(values)
  local quoted = {}
  for _, value in ipairs(values) do
    quoted[#quoted + 1] = string.format("%q", value)
  end
  return "{" .. table.concat(quoted, ", ") .. "}"
end

-- The simulator's request counts for everything but GET under /api.
local function write_counts(simulator)
  local response = simulator:control("GET", "/requests")
  expect.status(response, 200)
  local counts = {}
  for key, count in pairs(response.json.counts) do
    if not key:find("^GET ") and key:find("^%u+ /api/") then
      counts[key] = math.tointeger(count)
    end
  end
  return counts
end

test("plan mode read sends no write", function()
  local simulator = sim.start{seed = seed(), rate_limit = "off"}
  local base = support.instance_url(simulator)
  local port = simulator.url:match(":(%d+)$")
  local http_allow = string.format(
    "default = { { host = \"localhost\", port = %s, private = true } }", port)
  local space = support.workspace{webhook_events = SIM_EVENTS, http_allow = {http_allow}}
  local scripts = space.data_dir .. "/scripts/default"
  expect.truthy(support.mkdir(scripts .. "/workflows"), "workflows folder")
  support.file(space, "data/scripts/default/workflows/reading.lua",
    string.format(READ_WORKFLOW, base, lua_list(OVERRIDE_HEADERS), lua_list(OVERRIDE_QUERIES),
      lua_list(FOLDED_QUERIES), lua_list(BAD_METHODS)))

  local server = support.serve(space)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url,
    http_allow = {http_allow}})
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  local before = write_counts(simulator)

  local response = simulator:control("POST", "/tickets",
    {user_id = 77, summary = "reading plan", details = "please read"})
  expect.status(response, 201)
  local ticket_id = math.tointeger(response.json.id)

  local note = nil
  local deadline = util.monotonic_ms() + WAIT_MS
  while note == nil and util.monotonic_ms() < deadline do
    local actions = simulator:get("/api/Actions", {ticket_id = ticket_id, includehtmlnote = true})
    for _, action in ipairs(actions.json.actions or {}) do
      if (action.note_html or ""):find("halyard run", 1, true) then
        note = action.note_html
      end
    end
    if note == nil then
      util.sleep_ms(100)
    end
  end
  expect.truthy(note, "halyard's plan note within 30 s; log: "
    .. (util.read_file(server.log) or ""))
  util.sleep_ms(SETTLE_MS)
  expect.no_match(note, "SENT", "a request that went out")

  -- A body with GET or HEAD raises, whatever the run may do.
  expect.contains(note, "get with body: blocked: bad argument #3 to &#39;http.request&#39; "
    .. "(field &#39;body&#39; is not sent with method GET")
  expect.contains(note, "head with body: blocked: bad argument #3")

  -- Every override header and query parameter raises.
  for index = 1, #OVERRIDE_HEADERS do
    expect.contains(note, "header " .. index .. ": blocked: writes are not allowed in this run: "
      .. "http.get with header &#39;")
  end
  expect.contains(note, "header &#39;x-METHOD-override&#39; can make the server treat the "
    .. "request as another method; remove it")
  expect.contains(note, "request header: blocked: writes are not allowed in this run: "
    .. "http.request with header &#39;")
  for index = 1, #OVERRIDE_QUERIES do
    expect.contains(note, "query " .. index .. ": blocked: writes are not allowed in this run: "
      .. "http.get with query parameter")
  end
  local folded = {}
  for index = 1, #FOLDED_QUERIES do
    folded[index] = index .. ": blocked"
  end
  expect.contains(note, "folded queries: " .. table.concat(folded, ", "))
  expect.contains(note, "query parameter &#39;%5f%6Dethod&#39; can make the server")

  -- A method name must match exactly; upper case alone is not enough.
  local outcomes = {}
  for index = 1, #BAD_METHODS do
    outcomes[#outcomes + 1] = index .. ": blocked"
  end
  expect.contains(note, "methods: " .. table.concat(outcomes, ", "))
  expect.contains(note, "method reason: blocked: bad argument #1 to &#39;http.request&#39; "
    .. "(invalid option &#39;get&#39;)")
  expect.contains(note, "lookalike: 200")

  -- Nothing but halyard's plan note was written.
  local after = write_counts(simulator)
  local added = {}
  for key, count in pairs(after) do
    local difference = count - (before[key] or 0)
    if difference ~= 0 then
      added[#added + 1] = string.format("%s +%d", key, difference)
    end
  end
  table.sort(added)
  expect.eq(table.concat(added, ", "), "POST /api/actions +1", "writes after the import")

  -- Each rejection has one warning line in the log.
  local log = util.read_file(server.log) or ""
  local _, header_lines = log:gsub("with method%-override header", "")
  expect.eq(header_lines, #OVERRIDE_HEADERS + 1, "log lines for override headers")
  local _, query_lines = log:gsub("with method%-override query parameter", "")
  expect.eq(query_lines, #OVERRIDE_QUERIES + #FOLDED_QUERIES,
    "log lines for override query parameters")
end)

testing.run()
