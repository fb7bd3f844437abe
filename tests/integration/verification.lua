-- Connecting an identity verification provider (CLI and /api/v1/verification) and the
-- callback endpoint's checks, on a real `halyard serve`. The run's verification is covered by
-- the scenarios in tests/scenarios/.

local testing = require "testing"
local http = require "http"
local json = require "json"
local proc = require "proc"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

local ALLOWED = 'default = {{host = "127.0.0.1", port = 9555, private = true}}'
local PROVIDER_URL = "http://127.0.0.1:9555"

local function workspace()
  return support.workspace{http_allow = {ALLOWED}}
end

-- Connects the default MSP's provider; returns the callback secret the command printed.
local function connect(space, provider)
  local key = support.file(space, "api-key", "key-123\n")
  local code, out, err = support.halyard(space, "verify", "connect", "--provider",
    provider or "webhook", "--url", PROVIDER_URL, "--api-key-file", key)
  expect.eq(code, 0, "verify connect; stderr: " .. err)
  local secret = out:match("callback secret: (%x+)")
  expect.eq(secret ~= nil and #secret or 0, 64, "a 64-digit callback secret in: " .. out)
  return secret
end

-- Returns "sha256=<hex>" of HMAC-SHA256 under secret over timestamp .. "." .. body, computed by
-- the openssl command, independent of halyard's code.
local function sign(space, secret, timestamp, body)
  local input = support.file(space, "signed-" .. tostring(util.monotonic_ms()),
    timestamp .. "." .. body)
  local output = input .. ".mac"
  local child = proc.spawn({"openssl", "dgst", "-sha256", "-hmac", secret, "-r", input},
    {stdout = output})
  assert(child:wait(10000) == 0, "openssl dgst failed")
  return "sha256=" .. util.read_file(output):match("^(%x+)")
end

local function post_callback(server, path, headers, body)
  headers["Content-Type"] = "application/json"
  local response, message = http.request{method = "POST", url = server.url .. path,
    headers = headers, body = body, timeout_ms = 10000}
  assert(response, message)
  local ok, decoded = pcall(json.decode, response.body)
  response.json = ok and decoded or nil
  return response
end

test("verify connect stores provider without secrets", function()
  local space = workspace()
  connect(space)

  local code, out, err = support.halyard(space, "verify", "status")

  expect.eq(code, 0, "verify status; stderr: " .. err)
  local status = json.decode(out)
  expect.eq(status.connected, true)
  expect.eq(status.provider, "webhook")
  expect.eq(status.url, PROVIDER_URL)
  expect.eq(out:find("key-123", 1, true), nil, "the API key is not shown")
  local database = util.read_file(space.data_dir .. "/halyard.db")
  expect.eq(database:find("key-123", 1, true), nil, "the API key is sealed in the database")
end)

test("verify connect rejects host not allowed", function()
  local space = workspace()

  local code, _, err = support.halyard(space, "verify", "connect", "--provider", "traceless",
    "--url", "http://127.0.0.1:9556")

  expect.eq(code, 1)
  expect.contains(err, "http_allow")
  expect.contains(err, "127.0.0.1")
end)

test("verify connect rejects unknown provider", function()
  local space = workspace()

  local code, _, err = support.halyard(space, "verify", "connect", "--provider", "nosuch",
    "--url", PROVIDER_URL)

  expect.eq(code, 1)
  expect.contains(err, "unknown provider 'nosuch'")
end)

test("verify disconnect removes provider", function()
  local space = workspace()
  connect(space)

  local code, out = support.halyard(space, "verify", "disconnect")
  local _, status = support.halyard(space, "verify", "status")

  expect.eq(code, 0)
  expect.contains(out, "disconnected")
  expect.eq(json.decode(status).connected, false)
end)

test("api connects and shows provider", function()
  local space = workspace()
  local _, token = support.halyard(space, "token", "create")
  token = token:match("^(%S+)")
  local server = support.serve(space)
  local headers = {["Content-Type"] = "application/json", Authorization = "Bearer " .. token}

  local created = http.request{method = "POST", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000,
    body = json.encode({provider = "traceless", url = PROVIDER_URL, api_key = "key-456"})}
  local shown = http.request{method = "GET", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000}
  local refused = http.request{method = "POST", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000,
    body = json.encode({provider = "traceless", url = "https://other.example"})}

  expect.status(created, 201)
  expect.eq(#json.decode(created.body).callback_secret, 64)
  expect.status(shown, 200)
  expect.eq(json.decode(shown.body).provider, "traceless")
  expect.eq(shown.body:find("key-456", 1, true), nil, "the API key is not shown")
  expect.status(refused, 422)
  expect.contains(json.decode(refused.body).error, "http_allow")
end)

test("callback without signature rejected", function()
  local space = workspace()
  connect(space)
  local server = support.serve(space)

  local response = post_callback(server, "/hooks/verify/webhook/default", {},
    '{"transaction_id":"tx-1","status":"verified"}')

  expect.status(response, 401)
  expect.contains(response.json.error, "X-Halyard-Signature")
end)

test("callback with bad signature rejected", function()
  local space = workspace()
  local secret = connect(space)
  local server = support.serve(space)
  local body = '{"transaction_id":"tx-1","status":"verified"}'
  local now = tostring(os.time())

  local wrong_key = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = sign(space, "not" .. secret, now, body)}, body)
  local other_body = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = sign(space, secret, now, body)},
    '{"transaction_id":"tx-1","status":"failed"}')
  local stale = tostring(os.time() - 3600)
  local old = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = stale,
    ["X-Halyard-Signature"] = sign(space, secret, stale, body)}, body)

  expect.status(wrong_key, 401)
  expect.contains(wrong_key.json.error, "does not match")
  expect.status(other_body, 401)
  expect.status(old, 401)
  expect.contains(old.json.error, "X-Halyard-Timestamp")
end)

test("callback for unknown transaction 404", function()
  local space = workspace()
  local secret = connect(space)
  local server = support.serve(space)
  local body = '{"transaction_id":"tx-unknown","status":"verified"}'
  local now = tostring(os.time())

  local response = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = sign(space, secret, now, body)}, body)

  expect.status(response, 404)
  expect.contains(response.json.error, "transaction_id")
end)

test("callback for other provider 404", function()
  local space = workspace()
  connect(space, "webhook")
  local server = support.serve(space)

  local wrong_provider = post_callback(server, "/hooks/verify/traceless/default", {}, "{}")
  local wrong_msp = post_callback(server, "/hooks/verify/webhook/nosuch", {}, "{}")

  expect.status(wrong_provider, 404)
  expect.status(wrong_msp, 404)
end)
