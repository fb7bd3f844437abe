-- `halyard clients list|import` and `halyard token create` against a real halosim.

local testing = require "testing"
local sim = require "sim"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

-- A seed of 250 clients (more than two of HaloPSA's 100-row pages), named so that a search for
-- "Dental" finds exactly 25 of them.
local function many_clients_seed()
  local clients = {}
  for index = 1, 250 do
    local kind = index % 10 == 0 and "Dental" or "Logistics"
    clients[index] = {id = 1000 + index, name = string.format("%s Client %03d", kind, index),
      inactive = false}
  end
  return {clients = clients, login_agent_id = 1,
    agents = {{id = 1, name = "API Agent", email = "api@msp.example", isapiagent = true}}}
end

local function connected(seed)
  local simulator = sim.start{seed = seed}
  local space = support.workspace{webhook_events = {3}}
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  return simulator, space
end

-- Rows of `clients list` output, keyed by id.
local function listed(out)
  local rows = {}
  for id, rest in out:gmatch("\n%s*(%d+)  ([^\n]*)") do
    rows[tonumber(id)] = rest
  end
  return rows
end

test("list reads every page", function()
  local _, space = connected(many_clients_seed())

  local code, out, err = support.halyard(space, "clients", "list")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  local rows = listed(out)
  local count = 0
  for _ in pairs(rows) do
    count = count + 1
  end
  expect.eq(count, 250, "clients listed")
  expect.contains(out, "250 clients, 0 imported")
  expect.truthy(rows[1250], "the last client")
end)

test("list search narrows", function()
  local _, space = connected(many_clients_seed())

  local code, out = support.halyard(space, "clients", "list", "--search", "dental")

  expect.eq(code, 0, "exit status")
  expect.contains(out, "25 clients, 0 imported")
  expect.falsy(out:find("Logistics", 1, true), "a client that does not match")
end)

test("import gives agent in Plan mode", function()
  local _, space = connected(many_clients_seed())

  local code, out, err = support.halyard(space, "clients", "import", "1001", "1002")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "imported client 1001 'Logistics Client 001': its agent runs in Plan mode")
  expect.contains(out, "imported client 1002")
  local _, list = support.halyard(space, "clients", "list")
  local rows = listed(list)
  expect.contains(rows[1001], "plan mode")
  expect.contains(rows[1003], "not imported")
  expect.contains(list, "250 clients, 2 imported")
end)

test("import twice keeps first", function()
  local _, space = connected(many_clients_seed())
  expect.eq((support.halyard(space, "clients", "import", "1001")), 0, "first import")

  local code, out = support.halyard(space, "clients", "import", "1001")

  expect.eq(code, 0, "exit status")
  expect.contains(out, "was already imported")
end)

test("unknown client reported, others imported", function()
  local _, space = connected(many_clients_seed())

  local code, out, err = support.halyard(space, "clients", "import", "99999", "1005")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "HaloPSA has no client 99999")
  expect.contains(out, "imported client 1005")
end)

test("non-numeric client id rejected", function()
  local _, space = connected(many_clients_seed())

  local code, _, err = support.halyard(space, "clients", "import", "12abc")

  expect.eq(code, 2, "exit status")
  expect.contains(err, "'12abc' is not a client ID")
end)

test("clients need a connected MSP", function()
  local space = support.workspace()

  local code, _, err = support.halyard(space, "--msp", "nobody", "clients", "list")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "the MSP 'nobody' does not exist")
end)

test("unconnected default MSP told to connect", function()
  local space = support.workspace()

  local code, _, err = support.halyard(space, "clients", "list")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "is not connected to HaloPSA")
end)

test("token create stores only hash", function()
  local space = support.workspace()

  local code, out, err = support.halyard(space, "token", "create", "--name", "ci")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  local token = out:match("^(hly_[%w_%-]+)\n$")
  expect.truthy(token, "token on standard output: " .. out)
  expect.contains(err, "shown only this once")
  local bytes = util.read_file(space.data_dir .. "/halyard.db") ..
                  (util.read_file(space.data_dir .. "/halyard.db-wal") or "")
  expect.falsy(bytes:find(token, 1, true), "the token in the database")
end)

test("two tokens differ", function()
  local space = support.workspace()

  local _, first = support.halyard(space, "token", "create")
  local _, second = support.halyard(space, "token", "create")

  expect.ne(first, second, "tokens")
end)

test("webhook credentials alone not connected", function()
  local space = support.workspace()
  expect.eq((support.halyard(space, "intake", "credentials")), 0, "intake credentials")

  local code, _, err = support.halyard(space, "clients", "list")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "is not connected to HaloPSA")
end)

test("token name checked", function()
  local space = support.workspace()

  for _, name in ipairs({"", string.rep("n", 65), "bad\tname"}) do
    local code, _, err = support.halyard(space, "token", "create", "--name", name)
    expect.eq(code, 2, "exit status for name of length " .. #name)
    expect.contains(err, "is invalid")
  end
end)

test("help printed with exit 0", function()
  local space = support.workspace()

  for _, command in ipairs({{"connect"}, {"clients"}, {"token"}, {"workflows"},
      {"clients", "import"}, {"clients", "list"}, {"token", "create"}, {"workflows", "lint"}}) do
    local arguments = {table.unpack(command)}
    arguments[#arguments + 1] = "--help"
    local code, out = support.halyard(space, table.unpack(arguments))
    expect.eq(code, 0, table.concat(command, " ") .. " --help")
    expect.contains(out, "usage: halyard")
  end
end)

-- Regression: a page shorter than 100 rows did not end the listing when record_count claimed
-- more, so halyard read 1,000 pages and spent HaloPSA's rate limit.
test("short page ends the listing", function()
  local simulator, space = connected(many_clients_seed())
  expect.status(simulator:control("POST", "/faults", {match = {method = "GET",
    path = "/api/client"}, status = 200,
    body = '{"clients":[{"id":1,"name":"a"}],"record_count":999999999}'}), 201)

  local code, out = support.halyard(space, "clients", "list")

  expect.eq(code, 0, "exit status")
  expect.contains(out, "1 clients")
  expect.eq(simulator:get("/_sim/requests").json.counts["GET /api/client"], 1, "pages read")
end)

-- Regression: a HaloPSA that sent the same full page for every page_no, with record_count
-- 1e9, was read 1,000 times and listed 100,000 duplicate clients.
test("repeated page ends the listing", function()
  local simulator, space = connected(many_clients_seed())
  local rows = {}
  for index = 1, 100 do
    rows[index] = string.format('{"id":%d,"name":"Client %03d"}', 1000 + index, index)
  end
  expect.status(simulator:control("POST", "/faults", {match = {method = "GET",
    path = "/api/client"}, status = 200,
    body = '{"clients":[' .. table.concat(rows, ",") .. '],"record_count":1000000000}'}), 201)

  local code, out, err = support.halyard(space, "clients", "list")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "100 clients, 0 imported")
  expect.eq(simulator:get("/_sim/requests").json.counts["GET /api/client"], 2, "pages read")
  expect.contains(err, "warning: HaloPSA sent page 2 with only clients listed on earlier pages")
end)

-- A page that repeats part of the one before adds only its new clients.
test("overlapping pages list each client once", function()
  local simulator, space = connected(many_clients_seed())
  local first, second = {}, {}
  for index = 1, 100 do
    first[index] = string.format('{"id":%d,"name":"Client %03d"}', 1000 + index, index)
    second[index] = string.format('{"id":%d,"name":"Client %03d"}', 1050 + index, 50 + index)
  end
  expect.status(simulator:control("POST", "/faults", {match = {method = "GET",
    path = "/api/client"}, status = 200, times = 1,
    body = '{"clients":[' .. table.concat(first, ",") .. '],"record_count":150}'}), 201)
  expect.status(simulator:control("POST", "/faults", {match = {method = "GET",
    path = "/api/client"}, status = 200, times = 1,
    body = '{"clients":[' .. table.concat(second, ",") .. '],"record_count":150}'}), 201)

  local code, out, err = support.halyard(space, "clients", "list")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "150 clients, 0 imported")
  local count = 0
  for _ in pairs(listed(out)) do
    count = count + 1
  end
  expect.eq(count, 150, "distinct ids listed")
  expect.falsy(err:find("warning", 1, true), "no warning: " .. err)
end)

test("rate limit fails the listing in bounded time", function()
  local simulator, space = connected(many_clients_seed())
  expect.status(simulator:control("POST", "/faults", {match = {method = "GET",
    path = "/api/client"}, status = 429, body = '{"error":"Rate Limit Reached"}'}), 201)

  local started = util.monotonic_ms()
  local code, _, err = support.halyard(space, "clients", "list")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "429")
  expect.truthy(util.monotonic_ms() - started < 45000, "gave up within 45 s")

  -- A command logs only at the debug level, where each retry's line names the MSP whose
  -- session waited (the admin API's client import uses the same session).
  support.configure(space, {webhook_events = {3}, log_level = "debug"})
  code, _, err = support.halyard(space, "clients", "list")
  expect.eq(code, 1, "exit status at the debug level")
  expect.contains(err, "msp=default rate limited: HaloPSA answered HTTP 429 to GET /api/Client")
end)
