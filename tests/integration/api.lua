-- halyard's admin API (/api/v1) on a real `halyard serve`, against a real halosim over HTTPS:
-- bearer tokens, connecting, listing and importing clients.

local testing = require "testing"
local http = require "http"
local json = require "json"
local sim = require "sim"
local support = require "support"

local test, expect = testing.test, testing.expect

local SIM_EVENTS = {3, 2, 8}

-- A simulator, a running halyard and an admin token for the default MSP.
local function start()
  local simulator = sim.start{}
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local code, token, err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local server = support.serve(space)
  return simulator, space, server, token:match("^(%S+)")
end

local function call(server, token, method, path, body)
  local headers = {["Content-Type"] = "application/json"}
  if token then
    headers["Authorization"] = "Bearer " .. token
  end
  local response, message = http.request{method = method, url = server.url .. path,
    headers = headers, body = body and (type(body) == "string" and body or json.encode(body)),
    timeout_ms = 60000}
  assert(response, message)
  local ok, decoded = pcall(json.decode, response.body)
  response.json = ok and decoded or nil
  return response
end

local function connect_body(simulator, secret)
  return {instance_url = support.instance_url(simulator), client_id = "halyard-sim",
    client_secret = secret or "halyard-sim-secret"}
end

test("missing token rejected", function()
  local _, _, server = start()

  local response = call(server, nil, "GET", "/api/v1/clients")

  expect.status(response, 401)
  expect.contains(response.headers["www-authenticate"], "Bearer")
  expect.contains(response.json.error, "halyard token create")
end)

test("unknown token rejected", function()
  local _, _, server = start()

  local response = call(server, "hly_not-a-real-token", "GET", "/api/v1/integrations/halopsa")

  expect.status(response, 401)
  expect.contains(response.json.error, "not valid")
end)

test("connect through the API", function()
  local simulator, _, server, token = start()

  local response = call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator))

  expect.status(response, 200)
  expect.eq(response.json.connected, true, "connected")
  expect.contains(table.concat(response.json.steps, "\n"), "registered webhook")
  expect.eq(#simulator:get("/api/Webhook").json, 1, "webhooks in the simulator")

  local again = call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator))
  expect.status(again, 200)
  expect.contains(table.concat(again.json.steps, "\n"), "nothing changed")
end)

test("integration shown without secrets", function()
  local simulator, _, server, token = start()
  expect.status(call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator)), 200)

  local response = call(server, token, "GET", "/api/v1/integrations/halopsa")

  expect.status(response, 200)
  expect.eq(response.json.connected, true, "connected")
  expect.eq(response.json.client_id, "halyard-sim", "client id")
  expect.eq(response.json.login_agent_id, 1, "login agent")
  expect.falsy(response.body:find("halyard-sim-secret", 1, true), "the secret in the answer")
end)

test("unconnected integration shown as such", function()
  local _, _, server, token = start()

  local response = call(server, token, "GET", "/api/v1/integrations/halopsa")

  expect.status(response, 200)
  expect.eq(response.json.connected, false, "connected")
  expect.eq(response.json.msp, "default", "msp")
end)

test("connect failures explained", function()
  local simulator, _, server, token = start()

  local wrong = call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator, "wrong-secret"))
  expect.status(wrong, 422)
  expect.contains(wrong.json.error, "invalid_client")

  local bad_url = connect_body(simulator)
  bad_url.instance_url = "http://acme.halopsa.com/"
  local invalid = call(server, token, "POST", "/api/v1/integrations/halopsa", bad_url)
  expect.status(invalid, 422)
  expect.contains(invalid.json.error, "does not use HTTPS")
end)

test("connect input checked", function()
  local simulator, _, server, token = start()

  local missing = call(server, token, "POST", "/api/v1/integrations/halopsa",
    {instance_url = "https://a.example", client_id = "x"})
  expect.status(missing, 400)
  expect.contains(missing.json.error, "client_secret is missing")

  local not_json = call(server, token, "POST", "/api/v1/integrations/halopsa", "{not json")
  expect.status(not_json, 400)
  expect.contains(not_json.json.error, "not valid JSON")

  local empty = call(server, token, "POST", "/api/v1/integrations/halopsa", "")
  expect.status(empty, 400)

  local number = call(server, token, "POST", "/api/v1/integrations/halopsa",
    {instance_url = "https://a.example", client_id = 12, client_secret = "x"})
  expect.status(number, 400)
  expect.contains(number.json.error, "client_id is missing or not a string")

  -- A secret with a NUL is rejected, not stored with the NUL replaced or cut off.
  local nul = call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator, "halyard-sim-secret\0junk"))
  expect.status(nul, 400)
  expect.contains(nul.json.error, "client_secret is missing or not a string")
  local nul_key = call(server, token, "POST", "/api/v1/verification", {provider = "traceless",
    url = support.instance_url(simulator), api_key = "halyard-test-api-key\0junk"})
  expect.status(nul_key, 400)
  expect.contains(nul_key.json.error, "provider and url (strings)")
end)

test("clients listed and imported", function()
  local simulator, _, server, token = start()
  expect.status(call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator)), 200)

  local imported = call(server, token, "POST", "/api/v1/clients/import", {ids = {12, 4242}})

  expect.status(imported, 200)
  expect.eq(imported.json.results[1].status, "imported", "client 12")
  expect.eq(imported.json.results[1].mode, "plan", "mode of client 12")
  expect.eq(imported.json.results[2].status, "not_found", "client 4242")
  expect.eq(imported.json.all_imported, false, "all imported")
  local list = call(server, token, "GET", "/api/v1/clients?search=acme")
  expect.status(list, 200)
  expect.eq(list.json.count, 1, "clients found")
  expect.eq(list.json.clients[1].imported, true, "client 12 imported")
end)

test("import ids checked", function()
  local simulator, _, server, token = start()
  expect.status(call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator)), 200)

  for _, body in ipairs({{ids = {}}, {ids = {"12"}}, {ids = {-1}}, {ids = {1.5}}, {}}) do
    local response = call(server, token, "POST", "/api/v1/clients/import", body)
    expect.status(response, 400, json.encode(body))
  end
  for _, text in ipairs({'{"ids": [12.0]}', '{"ids": [1e1]}',
      '{"ids": [99999999999999999999999]}', '{"ids": [12]} trailing', '[12]'}) do
    local response = call(server, token, "POST", "/api/v1/clients/import", text)
    expect.status(response, 400, text)
  end
end)

-- Regression: {"mode":"execute","mode":"plan"} set execute, because SQLite's JSON functions
-- take the first of two equal keys while most parsers take the last. A key written twice in one
-- object is now rejected, at any depth and on every admin route that reads a body.
test("duplicate keys rejected", function()
  local simulator, _, server, token = start()
  expect.status(call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator)), 200)
  expect.status(call(server, token, "POST", "/api/v1/clients/import", {ids = {12}}), 200)

  local mode = call(server, token, "PATCH", "/api/v1/clients/12",
    '{"mode": "execute", "mode": "plan"}')
  expect.status(mode, 400)
  expect.contains(mode.json.error, "$.mode twice")
  local list = call(server, token, "GET", "/api/v1/clients?search=acme")
  expect.eq(list.json.clients[1].mode, "plan", "the mode after the rejected request")

  local import = call(server, token, "POST", "/api/v1/clients/import",
    '{"ids": [13], "ids": [12]}')
  expect.status(import, 400)
  expect.contains(import.json.error, "$.ids twice")
  local nested = call(server, token, "POST", "/api/v1/integrations/halopsa",
    '{"instance_url": "https://a.example", "client_id": "x", "client_secret": "y",'
    .. ' "extra": [{"a": 1, "a": 2}]}')
  expect.status(nested, 400)
  expect.contains(nested.json.error, "$.extra[0].a twice")
  local verification = call(server, token, "POST", "/api/v1/verification",
    '{"provider": "traceless", "provider": "other"}')
  expect.status(verification, 400)
  expect.contains(verification.json.error, "$.provider twice")

  -- Equal keys in different objects, and equal values, are fine.
  local fine = call(server, token, "POST", "/api/v1/clients/import",
    '{"ids": [12], "other": {"ids": [12]}}')
  expect.status(fine, 200)
end)

-- A HaloPSA that repeats a full page: the list stops at the repeat and says so.
test("repeated client page warned", function()
  local simulator, _, server, token = start()
  expect.status(call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator)), 200)
  local rows = {}
  for index = 1, 100 do
    rows[index] = string.format('{"id":%d,"name":"Client %03d"}', 1000 + index, index)
  end
  expect.status(simulator:control("POST", "/faults", {match = {method = "GET",
    path = "/api/client"}, status = 200,
    body = '{"clients":[' .. table.concat(rows, ",") .. '],"record_count":1000000000}'}), 201)

  local list = call(server, token, "GET", "/api/v1/clients")

  expect.status(list, 200)
  expect.eq(list.json.count, 100, "clients listed")
  expect.contains(list.json.warning, "HaloPSA sent page 2 with only clients listed")
end)

test("clients need a connection", function()
  local _, _, server, token = start()

  local response = call(server, token, "GET", "/api/v1/clients")

  expect.status(response, 409)
  expect.contains(response.json.error, "is not connected")
end)

test("bearer scheme read case-insensitively", function()
  local _, _, server, token = start()

  local response, message = http.request{method = "GET",
    url = server.url .. "/api/v1/integrations/halopsa",
    headers = {Authorization = "bearer " .. token}, timeout_ms = 10000}

  assert(response, message)
  expect.status(response, 200)
end)

test("token acts on its own MSP", function()
  local simulator, space, server, token = start()
  expect.status(call(server, token, "POST", "/api/v1/integrations/halopsa",
    connect_body(simulator)), 200)
  local code, other = support.halyard(space, "--msp", "second", "token", "create")
  expect.eq(code, 0, "token for a second MSP")

  local response = call(server, other:match("^(%S+)"), "GET", "/api/v1/integrations/halopsa")

  expect.status(response, 200)
  expect.eq(response.json.msp, "second", "msp")
  expect.eq(response.json.connected, false, "connected")
end)

-- The CLI could create admin tokens but not list or revoke them, so a leaked token stayed valid.
test("token list shows no token", function()
  local _, space, server, token = start()
  local code, _, err = support.halyard(space, "token", "create", "--name", "ci runner")
  expect.eq(code, 0, "second token; stderr: " .. err)
  expect.status(call(server, token, "GET", "/api/v1/integrations/halopsa"), 200)

  local out
  code, out, err = support.halyard(space, "token", "list")

  expect.eq(code, 0, "token list; stderr: " .. err)
  expect.eq(out:find(token, 1, true), nil, "the token is not shown")
  expect.eq(out:find(token:sub(5, 16), 1, true), nil, "no part of the token is shown")
  expect.match(out, "ID +CREATED +LAST USED +NAME")
  expect.match(out, "\n +1  %d%d%d%d%-%d%d%-%d%dT[%d:.]+Z +%d%d%d%d%-%d%d%-%d%dT[%d:.]+Z +admin\n")
  expect.match(out, "\n +2  %d%d%d%d%-%d%d%-%d%dT[%d:.]+Z +never +ci runner\n")
  expect.contains(out, "2 admin tokens for MSP 'default'")
end)

test("token list is per MSP", function()
  local _, space = start()
  local code, _, err = support.halyard(space, "--msp", "second", "token", "create", "--name", "b")
  expect.eq(code, 0, "token for a second MSP; stderr: " .. err)

  local out
  code, out, err = support.halyard(space, "--msp", "second", "token", "list")

  expect.eq(code, 0, "token list; stderr: " .. err)
  expect.eq(out:find(" admin\n", 1, true), nil, "the default MSP's token is not listed")
  expect.contains(out, "1 admin token for MSP 'second'")
end)

test("revoked token rejected by running serve", function()
  local _, space, server, token = start()
  expect.status(call(server, token, "GET", "/api/v1/integrations/halopsa"), 200)

  local code, out, err = support.halyard(space, "token", "revoke", "1")

  expect.eq(code, 0, "token revoke; stderr: " .. err)
  expect.contains(out, "revoked admin token 1 'admin' of MSP 'default'")
  local response = call(server, token, "GET", "/api/v1/integrations/halopsa")
  expect.status(response, 401)
  expect.contains(response.json.error, "not valid")
  code, out = support.halyard(space, "token", "list")
  expect.eq(code, 0, "token list")
  expect.contains(out, "0 admin tokens for MSP 'default'")
end)

-- token list and revoke for an MSP that does not exist printed "connect it first", though
-- token create alone creates an MSP. They now print that the MSP has no tokens and point at
-- create.
test("token list of unknown MSP", function()
  local _, space = start()

  local code, out, err = support.halyard(space, "--msp", "nosuch", "token", "list")

  expect.eq(code, 1, "exit status")
  expect.eq(out, "", "nothing listed")
  expect.contains(err, "halyard token list: MSP 'nosuch' does not exist, so it has no admin tokens")
  expect.contains(err, "'halyard --msp nosuch token create' creates the MSP and its first token")
  expect.eq(err:find("connect", 1, true), nil, "no advice to connect: " .. err)
end)

test("token revoke of unknown MSP", function()
  local _, space = start()

  local code, _, err = support.halyard(space, "--msp", "nosuch", "token", "revoke", "1")

  expect.eq(code, 1, "exit status")
  expect.contains(err,
    "halyard token revoke: MSP 'nosuch' does not exist, so it has no admin tokens")
  expect.contains(err, "'halyard --msp nosuch token create' creates the MSP and its first token")
  expect.eq(err:find("connect", 1, true), nil, "no advice to connect: " .. err)

  -- The advice works: create makes the MSP, and list and revoke then find it.
  code, _, err = support.halyard(space, "--msp", "nosuch", "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local out
  code, out, err = support.halyard(space, "--msp", "nosuch", "token", "list")
  expect.eq(code, 0, "token list; stderr: " .. err)
  expect.contains(out, "1 admin token for MSP 'nosuch'")
  code, out, err = support.halyard(space, "--msp", "nosuch", "token", "revoke", "2")
  expect.eq(code, 0, "token revoke; stderr: " .. err)
  expect.contains(out, "revoked admin token 2 'admin' of MSP 'nosuch'")
end)

test("token revoke checks its id", function()
  local _, space, server, token = start()
  local code, _, err = support.halyard(space, "--msp", "second", "token", "create")
  expect.eq(code, 0, "token for a second MSP; stderr: " .. err)

  for _, id in ipairs({"", "x", "1x", "+1", "-1", "1.0", "99999999999999999999"}) do
    code, _, err = support.halyard(space, "token", "revoke", id)
    expect.eq(code, 2, "exit status for '" .. id .. "'")
    expect.contains(err, "invalid id")
  end
  code, _, err = support.halyard(space, "token", "revoke", "2")
  expect.eq(code, 1, "another MSP's token")
  expect.contains(err, "MSP 'default' has no admin token with id 2")
  code, _, err = support.halyard(space, "token", "revoke", "7")
  expect.eq(code, 1, "an unknown id")
  expect.contains(err, "has no admin token with id 7")
  code = support.halyard(space, "token", "revoke")
  expect.eq(code, 2, "a missing id")
  expect.status(call(server, token, "GET", "/api/v1/integrations/halopsa"), 200)
end)
