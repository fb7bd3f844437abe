-- Connecting an identity verification provider (CLI and /api/v1/verification) and the
-- callback endpoint's checks, on a real `halyard serve`. The run's verification is covered by
-- the scenarios in tests/scenarios/.

local testing = require "testing"
local http = require "http"
local json = require "json"
local proc = require "proc"
local sim = require "sim"
local support = require "support"
local runner = require "halytest.runner"
local util = require "util"

local test, expect = testing.test, testing.expect

local ALLOWED = 'default = {{host = "127.0.0.1", port = 9555, private = true}}'
local PROVIDER_URL = "http://127.0.0.1:9555"

local function workspace()
  return support.workspace{http_allow = {ALLOWED}}
end

-- Connects the default MSP's provider; returns the callback secret the command printed.
local function connect(space, provider)
  local key = support.file(space, "api-key", "key-123-long-enough\n")
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
  expect.eq(out:find("key-123-long-enough", 1, true), nil, "the API key is not shown")
  local database = util.read_file(space.data_dir .. "/halyard.db")
  expect.eq(database:find("key-123-long-enough", 1, true), nil,
    "the API key is sealed in the database")
end)

-- An API key of a few characters was stored, and cutting secrets from the details halyard
-- keeps skipped a key shorter than 4 characters.
test("verify connect rejects short key", function()
  local space = workspace()
  -- Each key with its length in characters. The last has 15 characters of two bytes each,
  -- which a count of bytes would take for 30.
  for _, case in ipairs({{key = "abc", length = 3}, {key = "fifteen-chars-x", length = 15},
      {key = string.rep("\u{e9}", 15), length = 15}}) do
    local key = support.file(space, "short-key", case.key .. "\n")

    local code, out, err = support.halyard(space, "verify", "connect", "--provider", "webhook",
      "--url", PROVIDER_URL, "--api-key-file", key)

    expect.eq(code, 1, case.length .. " characters: exit status; stdout: " .. out)
    expect.contains(err, "the API key is too short: it has " .. case.length
      .. " characters and the minimum is 16", case.length .. " characters: message")
    expect.contains(err, "full API key", case.length .. " characters: what to do")
    expect.eq(err:find(case.key, 1, true), nil, case.length .. " characters: key not shown")
  end

  local _, status = support.halyard(space, "verify", "status")
  expect.eq(json.decode(status).connected, false, "nothing was stored")
end)

test("verify connect takes 16-character key", function()
  local space = workspace()
  local key = support.file(space, "api-key", "sixteen-chars-xy\n")

  local code, out, err = support.halyard(space, "verify", "connect", "--provider", "webhook",
    "--url", PROVIDER_URL, "--api-key-file", key)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.match(out, "callback secret: %x+")
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
    body = json.encode({provider = "traceless", url = PROVIDER_URL,
      api_key = "key-456-long-enough"})}
  local shown = http.request{method = "GET", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000}
  local refused = http.request{method = "POST", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000,
    body = json.encode({provider = "traceless", url = "https://other.example"})}

  expect.status(created, 201)
  expect.eq(#json.decode(created.body).callback_secret, 64)
  expect.status(shown, 200)
  expect.eq(json.decode(shown.body).provider, "traceless")
  expect.eq(shown.body:find("key-456-long-enough", 1, true), nil, "the API key is not shown")
  expect.status(refused, 422)
  expect.contains(json.decode(refused.body).error, "http_allow")
end)

test("api rejects short key", function()
  local space = workspace()
  local _, token = support.halyard(space, "token", "create")
  token = token:match("^(%S+)")
  local server = support.serve(space)
  local headers = {["Content-Type"] = "application/json", Authorization = "Bearer " .. token}

  for _, key in ipairs({"", "k", "fifteen-chars-x"}) do
    local response = http.request{method = "POST", url = server.url .. "/api/v1/verification",
      headers = headers, timeout_ms = 10000,
      body = json.encode({provider = "webhook", url = PROVIDER_URL, api_key = key})}

    expect.status(response, 422)
    local message = json.decode(response.body).error
    expect.contains(message, "the API key is too short: it has " .. #key
      .. " characters and the minimum is 16", "key of " .. #key .. " characters")
    expect.truthy(#key < 2 or not message:find(key, 1, true), "the key is not echoed")
  end

  local shown = http.request{method = "GET", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000}
  expect.status(shown, 200)
  expect.eq(json.decode(shown.body).connected, false, "nothing was stored")
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

test("callback signature in upper-case hex accepted", function()
  local space = workspace()
  local secret = connect(space)
  local server = support.serve(space)
  local body = '{"transaction_id":"tx-upper","status":"verified"}'
  local now = tostring(os.time())
  local signature = sign(space, secret, now, body)

  local upper = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = "sha256=" .. signature:sub(8):upper()}, body)
  local bare = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = signature:sub(8)}, body)
  local short = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = signature:sub(1, -3)}, body)
  local not_hex = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = signature:sub(1, -2) .. "g"}, body)

  expect.status(upper, 202)
  expect.status(bare, 401)
  expect.contains(bare.json.error, 'send "sha256=" followed by the 64 hex digits')
  expect.status(short, 401)
  expect.contains(short.json.error, "X-Halyard-Signature is invalid")
  expect.status(not_hex, 401)
  expect.contains(not_hex.json.error, "X-Halyard-Signature is invalid")
end)

-- With public_url ending in "/", verify connect printed and stored
-- "http://127.0.0.1:PORT//hooks/verify/...", and serve rejected every callback there with 404.
test("public_url trailing slash callback reaches serve", function()
  local space = workspace()
  local server = support.serve(space)
  support.configure(space, {http_allow = {ALLOWED}, public_url = server.url .. "/"})
  local key = support.file(space, "api-key", "key-123-long-enough\n")

  local code, out, err = support.halyard(space, "verify", "connect", "--provider", "webhook",
    "--url", PROVIDER_URL, "--api-key-file", key)

  expect.eq(code, 0, "verify connect; stderr: " .. err)
  local callback_url = out:match("callback URL: +(%S+)")
  expect.eq(callback_url, server.url .. "/hooks/verify/webhook/default", "callback URL")
  local _, status_out = support.halyard(space, "verify", "status")
  expect.eq(json.decode(status_out).callback_url, callback_url, "stored callback URL")
  local secret = out:match("callback secret: (%x+)")
  local body = '{"transaction_id":"tx-slash","status":"verified"}'
  local now = tostring(os.time())
  local response = post_callback(server, callback_url:sub(#server.url + 1), {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = sign(space, secret, now, body)}, body)
  expect.status(response, 202)
end)

-- A callback URL stored with "//" by an earlier version kept failing after public_url was
-- fixed, until the provider was connected again.
test("stored double-slash callback URL repaired", function()
  local space = workspace()
  connect(space)
  local command = string.format("%q --write %q %q 2>&1", runner.build_dir() .. "/intake-query-db",
    space.data_dir .. "/halyard.db", "UPDATE verification_providers SET callback_url ="
    .. " 'http://127.0.0.1:9//hooks/verify/webhook/default'")
  local pipe = assert(io.popen(command))
  local written = pipe:read("a")
  pipe:close()
  expect.eq(written, "", "the planted row")

  local code, out, err = support.halyard(space, "verify", "status")

  expect.eq(code, 0, "verify status; stderr: " .. err)
  expect.eq(json.decode(out).callback_url, "http://127.0.0.1:9/hooks/verify/webhook/default",
    "the callback URL")
end)

-- serve rejected a request for a path it has no route for with 404 and logged nothing, so a
-- callback URL with "//" failed without a trace.
test("unknown path logged once a minute", function()
  local space = workspace()
  local server = support.serve(space)

  for _ = 1, 5 do
    local response = post_callback(server, "//hooks/verify/webhook/default", {}, "{}")
    expect.status(response, 404)
  end
  for _ = 1, 3 do
    local response = http.request{method = "GET", url = server.url .. "/no/such/path",
      timeout_ms = 10000}
    expect.status(response, 404)
  end

  local log = util.read_file(server.log) or ""
  local _, callback_lines = log:gsub("no route for POST //hooks/verify/webhook/default", "")
  expect.eq(callback_lines, 1, "lines for the callback path")
  local _, other_lines = log:gsub("no route for GET /no/such/path", "")
  expect.eq(other_lines, 1, "lines for the other path")
  expect.contains(log, "check that public_url is halyard's address without a path")
end)

-- verify connect checked nothing, so a callback secret went out for a plain-HTTP callback URL
-- on another host, http://localhost.example among them.
test("verify connect rejects plain HTTP callback", function()
  for _, url in ipairs({"http://localhost.example:8080", "http://127.0.0.1.example",
      "http://halyard.msp.example"}) do
    local space = support.workspace{http_allow = {ALLOWED}, public_url = url}
    local key = support.file(space, "api-key", "key-123-long-enough\n")

    local code, _, err = support.halyard(space, "verify", "connect", "--provider", "webhook",
      "--url", PROVIDER_URL, "--api-key-file", key)

    expect.eq(code, 1, "exit status for " .. url)
    expect.contains(err, "is not HTTPS")
    local _, status_out = support.halyard(space, "verify", "status")
    expect.eq(json.decode(status_out).connected, false, "nothing stored for " .. url)
  end
end)

test("callback for unknown transaction held", function()
  local space = workspace()
  local secret = connect(space)
  local server = support.serve(space)
  local body = '{"transaction_id":"tx-unknown","status":"verified"}'
  local now = tostring(os.time())

  local response = post_callback(server, "/hooks/verify/webhook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = sign(space, secret, now, body)}, body)

  expect.status(response, 202)
  expect.eq(response.json.held, true, "held for a dispatch still being recorded")
  expect.contains(util.read_file(server.log) or "", "for a transaction not stored yet; held")
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

test("callback reaches an MSP's own provider", function()
  local space = workspace()
  support.mkdir(space.data_dir .. "/scripts/default/verifiers")
  support.file(space, "data/scripts/default/verifiers/acme_hook.lua",
    util.read_file(os.getenv("HALYARD_SOURCE_DIR") .. "/config/verifiers/webhook.lua"))
  local secret = connect(space, "acme_hook")
  local server = support.serve(space)
  local body = '{"transaction_id":"tx-unknown","status":"verified"}'
  local now = tostring(os.time())

  local response = post_callback(server, "/hooks/verify/acme_hook/default", {
    ["X-Halyard-Timestamp"] = now,
    ["X-Halyard-Signature"] = sign(space, secret, now, body)}, body)

  expect.status(response, 202)
  expect.eq(response.json.held, true, "the MSP's own provider's callback was read and held")
end)

test("callback path without provider and MSP 404", function()
  local space = workspace()
  connect(space, "webhook")
  local server = support.serve(space)

  for _, path in ipairs({"/hooks/verify/webhook", "/hooks/verify/webhook/default/extra",
      "/hooks/verify//default", "/hooks/verify/webhook/", "/hooks/verify/../default"}) do
    local response = post_callback(server, path, {}, "{}")
    expect.status(response, 404, path)
  end
end)

-- The callback endpoint answered "no such MSP" for an unknown MSP and another text for a wrong
-- provider, so anyone could tell which MSP names exist.
test("callback 404 same for MSP and provider", function()
  local space = workspace()
  connect(space, "webhook")
  local server = support.serve(space)

  local wrong_provider = post_callback(server, "/hooks/verify/traceless/default", {}, "{}")
  local wrong_msp = post_callback(server, "/hooks/verify/webhook/nosuch", {}, "{}")

  expect.status(wrong_provider, 404)
  expect.status(wrong_msp, 404)
  expect.eq(wrong_msp.json.error, wrong_provider.json.error)
end)

-- Unsigned callbacks each wrote a warning line: 300 of them wrote 300 lines.
test("rejected callbacks logged once a minute", function()
  local space = workspace()
  connect(space, "webhook")
  local server = support.serve(space)

  for _ = 1, 20 do
    local response = post_callback(server, "/hooks/verify/webhook/default", {},
      '{"transaction_id":"tx-1","status":"verified"}')
    expect.status(response, 401)
  end

  local log = util.read_file(server.log) or ""
  local _, lines = log:gsub("callback from webhook rejected", "")
  expect.eq(lines, 1, "one warning line for 20 rejected callbacks")
end)

-- A signed callback whose body was not JSON got "has no transaction_id".
test("callback body not JSON 400", function()
  local space = workspace()
  local secret = connect(space, "webhook")
  local server = support.serve(space)
  local now = tostring(os.time())
  local deep = string.rep("[", 2500) .. string.rep("]", 2500) -- past SQLite's depth limit

  for _, body in ipairs({'{"transaction_id": "tx-1",', deep}) do
    local response = post_callback(server, "/hooks/verify/webhook/default", {
      ["X-Halyard-Timestamp"] = now,
      ["X-Halyard-Signature"] = sign(space, secret, now, body)}, body)
    expect.status(response, 400)
    expect.contains(response.json.error, "not JSON")
  end
end)

-- POST /api/v1/verification accepted "api_key": 123 with 201.
test("api rejects api_key that is a number", function()
  local space = workspace()
  local _, token = support.halyard(space, "token", "create")
  token = token:match("^(%S+)")
  local server = support.serve(space)
  local headers = {["Content-Type"] = "application/json", Authorization = "Bearer " .. token}

  local response = http.request{method = "POST", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000,
    body = '{"provider": "traceless", "url": "' .. PROVIDER_URL .. '", "api_key": 123}'}

  expect.status(response, 400)
  expect.contains(json.decode(response.body).error, "strings")
end)

-- Every URL problem ended with "Add the provider's host to http_allow", and an http:// URL to
-- a host that is not this machine was accepted, which sends the API key unencrypted.
test("verify connect URL errors give their fix", function()
  local space = support.workspace{http_allow = {'default = {{host = "127.0.0.1", port = 9555, '
    .. 'private = true}, {host = "10.0.0.7", port = 9555, private = true}}'}}
  local cases = {
    {url = "ftp://127.0.0.1:9555", want = "only http:// and https://", advice = "Correct the URL"},
    {url = "https://user:pw@127.0.0.1:9555", advice = "Correct the URL"},
    {url = "http://10.0.0.7:9555", want = "unencrypted"},
  }

  for _, case in ipairs(cases) do
    local code, _, err = support.halyard(space, "verify", "connect", "--provider", "traceless",
      "--url", case.url)
    expect.eq(code, 1, case.url)
    if case.want then
      expect.contains(err, case.want)
    end
    if case.advice then
      expect.contains(err, case.advice)
    end
    expect.eq(err:find("Add the provider's host", 1, true), nil, "no http_allow advice: " .. err)
  end
end)

-- A URL whose host is listed for another port got a message to add the port and also to add the
-- host, which was listed already. Each case names only what is missing.
test("verify connect names missing port", function()
  local space = support.workspace{http_allow = {'default = {{host = "127.0.0.1", port = 9555, '
    .. 'private = true}}'}}
  local cases = {
    {url = "http://127.0.0.1:9556", want = "not for port 9556", host_advice = false},
    {url = "http://127.0.0.2:9555", want = "127.0.0.2 port 9555 is not on", host_advice = true},
  }

  for _, case in ipairs(cases) do
    local code, _, err = support.halyard(space, "verify", "connect", "--provider", "traceless",
      "--url", case.url)
    expect.eq(code, 1, case.url)
    expect.contains(err, case.want)
    expect.contains(err, 'http_allow["default"]')
    local advised = err:find("Add the provider's host", 1, true) ~= nil
    expect.eq(advised, case.host_advice, "advice to add the host: " .. err)
  end
end)

-- A provider URL with a credential in its query was accepted, stored in clear and shown by
-- `verify status` and GET /api/v1/verification.
test("verify connect rejects URL query", function()
  local space = workspace()
  local cases = {
    {url = PROVIDER_URL .. "/hook?token=QueryTokenSecret99", part = "query"},
    {url = PROVIDER_URL .. "/hook?", part = "query"},
    {url = PROVIDER_URL .. "/hook#sig=FragmentSecret77", part = "fragment"},
  }

  for _, case in ipairs(cases) do
    local code, out, err = support.halyard(space, "verify", "connect", "--provider", "webhook",
      "--url", case.url)

    expect.eq(code, 1, case.url)
    expect.contains(err, "the provider URL has a " .. case.part)
    expect.contains(err, "API key")
    expect.eq((out .. err):find("Secret", 1, true), nil, "the secret is not echoed: " .. err)
  end
  local _, status = support.halyard(space, "verify", "status")
  expect.eq(json.decode(status).connected, false, "nothing was stored")
  local database = util.read_file(space.data_dir .. "/halyard.db") or ""
  expect.eq(database:find("QueryTokenSecret99", 1, true), nil, "the token is not stored")
end)

test("api rejects URL query", function()
  local space = workspace()
  local _, token = support.halyard(space, "token", "create")
  token = token:match("^(%S+)")
  local server = support.serve(space)
  local headers = {["Content-Type"] = "application/json", Authorization = "Bearer " .. token}

  local rejected = http.request{method = "POST", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000,
    body = json.encode({provider = "webhook", url = PROVIDER_URL .. "/hook?sig=ApiQuerySecret5",
      api_key = "key-456-long-enough"})}
  local shown = http.request{method = "GET", url = server.url .. "/api/v1/verification",
    headers = headers, timeout_ms = 10000}

  expect.status(rejected, 422)
  expect.contains(json.decode(rejected.body).error, "the provider URL has a query")
  expect.eq(rejected.body:find("ApiQuerySecret5", 1, true), nil, "the secret is not echoed")
  expect.status(shown, 200)
  expect.eq(json.decode(shown.body).connected, false, "nothing was stored")
  expect.eq((util.read_file(server.log) or ""):find("ApiQuerySecret5", 1, true), nil,
    "the secret is not logged")
end)

-- Runs one query on halyard's database with intake-query-db; returns its output.
local function query_database(space, sql, write)
  local out = space.folder .. "/query-" .. tostring(util.monotonic_ms())
  local command = {os.getenv("HALYARD_BUILD_DIR") .. "/intake-query-db"}
  if write then
    command[#command + 1] = "--write"
  end
  command[#command + 1] = space.data_dir .. "/halyard.db"
  command[#command + 1] = sql
  local child = proc.spawn(command, {stdout = out, stderr = out .. ".err"})
  expect.eq(child:wait(10000), 0, "intake-query-db " .. sql .. ": "
    .. (util.read_file(out .. ".err") or ""))
  return util.read_file(out) or ""
end

-- A credential in the provider URL's path, after ";" or in an encoded query was stored in
-- clear and shown by `verify status` and GET /api/v1/verification.
test("verify status hides URL path", function()
  local space = workspace()
  local _, token = support.halyard(space, "token", "create")
  token = token:match("^(%S+)")
  local key = support.file(space, "api-key", "key-123-long-enough\n")
  local urls = {
    PROVIDER_URL .. "/hooks/catch/123456/PathTokenSecret99",
    PROVIDER_URL .. "/hook;sig=SemicolonSecret99",
    PROVIDER_URL .. "/hook%3Fsig%3DEncodedSecret99",
  }

  for _, url in ipairs(urls) do
    local code, _, err = support.halyard(space, "verify", "connect", "--provider", "webhook",
      "--url", url, "--api-key-file", key)
    expect.eq(code, 0, "verify connect " .. url .. "; stderr: " .. err)
    local status_code, out = support.halyard(space, "verify", "status")
    expect.eq(status_code, 0, "verify status")
    expect.eq(json.decode(out).url, PROVIDER_URL .. "/[path hidden]", url)
    expect.eq(out:find("Secret99", 1, true), nil, "verify status shows no secret: " .. out)
    local stored = query_database(space, "SELECT url, url_sealed IS NOT NULL FROM"
      .. " verification_providers")
    expect.eq(stored, PROVIDER_URL .. "/[path hidden]|1\n", "the URL is stored sealed")
  end
  local server = support.serve(space)
  local shown = http.request{method = "GET", url = server.url .. "/api/v1/verification",
    headers = {Authorization = "Bearer " .. token}, timeout_ms = 10000}

  expect.status(shown, 200)
  expect.eq(json.decode(shown.body).url, PROVIDER_URL .. "/[path hidden]")
  expect.eq(shown.body:find("Secret99", 1, true), nil, "the API shows no secret")
end)

-- A provider URL stored in clear by an earlier version stayed in clear and was shown whole.
test("data folder seals stored URL", function()
  local space = workspace()
  connect(space)
  query_database(space, "UPDATE verification_providers SET url_sealed = NULL, url = '"
    .. PROVIDER_URL .. "/hook/StoredPathSecret1?token=StoredQuerySecret1'", true)

  local code, out, err = support.halyard(space, "verify", "status")

  expect.eq(code, 0, "verify status; stderr: " .. err)
  expect.eq(json.decode(out).url, PROVIDER_URL .. "/[path hidden]")
  expect.eq(out:find("Secret1", 1, true), nil, "the secrets are not shown")
  local stored = query_database(space, "SELECT url, url_sealed IS NOT NULL FROM"
    .. " verification_providers")
  expect.eq(stored, PROVIDER_URL .. "/[path hidden]|1\n", "the stored URL is sealed")
end)

-- `verify connect` without --api-key-file connected silently without a key, and `verify
-- status` showed channel "" instead of the default "email".
test("verify connect without key warns", function()
  local space = workspace()

  local code, _, err = support.halyard(space, "verify", "connect", "--provider", "traceless",
    "--url", PROVIDER_URL)
  local _, status = support.halyard(space, "verify", "status")

  expect.eq(code, 0)
  expect.contains(err, "without an API key")
  expect.eq(json.decode(status).channel, "email")
end)

-- `verify connect` accepted a provider whose MSP verifier file does not load.
test("verify connect rejects broken MSP verifier", function()
  local space = workspace()
  support.mkdir(space.data_dir .. "/scripts/default/verifiers")
  support.file(space, "data/scripts/default/verifiers/broken_hook.lua",
    "return {name = 'Broken', mode = 'callback',\n")

  local code, _, err = support.halyard(space, "verify", "connect", "--provider", "broken_hook",
    "--url", PROVIDER_URL)

  expect.eq(code, 1)
  expect.contains(err, "verifiers/broken_hook.lua")
  expect.contains(err, "has a problem")
end)

-- Runs a scenario of tests/scenarios/ with --keep; returns the text of its database and WAL.
local function run_kept_scenario(space, file)
  local scenario = os.getenv("HALYARD_SOURCE_DIR") .. "/tests/scenarios/" .. file
  local code, out, err = support.halyard(space, "scenario", "--keep", "--timeout", "50",
    scenario)

  expect.eq(code, 0, "the scenario passes; output: " .. out .. err)
  local kept = (out .. err):match("kept in (%S+)")
  expect.truthy(kept ~= nil, "the scenario kept its folder: " .. out .. err)
  local database = util.read_file(kept .. "/data/halyard.db") or ""
  local wal = util.read_file(kept .. "/data/halyard.db-wal") or ""
  expect.truthy(#database > 0, "the kept database is readable")
  if kept:match("/halyard%-scenario%-%w+$") then
    proc.spawn({"rm", "-rf", kept}):wait(10000)
  end
  return database, wal
end

-- A provider dispatch that raised with its API key in the message stored the key in the
-- database three times (the verification's detail, the note's write, the run's event).
test("provider key not in database", function()
  local space = workspace()

  local database, wal = run_kept_scenario(space, "verification_dispatch_script_fails.lua")

  expect.eq(database:find("fake-verifier-key", 1, true), nil, "the key is not in the database")
  expect.eq(wal:find("fake-verifier-key", 1, true), nil, "the key is not in the WAL")
  expect.truthy(database:find("[secret removed]", 1, true) ~= nil,
    "the detail is stored with the key cut")
end)

-- A code after a colon in a provider's detail ("code:4821") was stored in the database.
test("provider codes not in database", function()
  local space = workspace()

  local database, wal = run_kept_scenario(space, "verification_detail_codes_cut.lua")

  for _, code in ipairs({"482101", "482102", "482103", "482104", "593011", "482109"}) do
    expect.eq(database:find(code, 1, true), nil, code .. " is not in the database")
    expect.eq(wal:find(code, 1, true), nil, code .. " is not in the WAL")
  end
  expect.truthy((database .. wal):find("[digits removed]", 1, true) ~= nil,
    "the details are stored with the codes cut")
end)

-- A password and codes the requester typed into a ticket were stored in runs.plan_json with the
-- plan's diagnosis. The deliveries table keeps HaloPSA's webhook bodies as they came, so only
-- the tables halyard writes itself are read.
test("requester secrets not in stored runs", function()
  local space = workspace()
  local scenario = os.getenv("HALYARD_SOURCE_DIR") .. "/tests/scenarios/requester_secret_not_copied.lua"
  local code, out, err = support.halyard(space, "scenario", "--keep", "--timeout", "50",
    scenario)
  expect.eq(code, 0, "the scenario passes; output: " .. out .. err)
  local kept = (out .. err):match("kept in (%S+)")
  expect.truthy(kept ~= nil, "the scenario kept its folder: " .. out .. err)

  local stored = {}
  for _, sql in ipairs({
    "SELECT coalesce(plan_json, '') || ' ' || coalesce(screening_json, '') FROM runs",
    "SELECT kind || ': ' || coalesce(detail, '') FROM run_events",
    "SELECT coalesce(detail, '') FROM verifications",
    "SELECT coalesce(text, '') FROM run_replies",
  }) do
    local output = space.folder .. "/query-" .. tostring(util.monotonic_ms())
    local child = proc.spawn({os.getenv("HALYARD_BUILD_DIR") .. "/intake-query-db",
      kept .. "/data/halyard.db", sql}, {stdout = output, stderr = output .. ".err"})
    expect.eq(child:wait(10000), 0, sql .. ": " .. (util.read_file(output .. ".err") or ""))
    stored[#stored + 1] = util.read_file(output) or ""
  end
  if kept:match("/halyard%-scenario%-%w+$") then
    proc.spawn({"rm", "-rf", kept}):wait(10000)
  end

  local text = table.concat(stored, "\n")
  for _, secret in ipairs({"Tr0ub4dor", "482913", "551823", "sunshine", "Hunter77"}) do
    expect.eq(text:find(secret, 1, true), nil, secret .. " is not stored: " .. text)
  end
  expect.contains(text, "old one [secret removed]")
end)

-- runs.screening_json kept a forward's "From:" display name as the screening read it, so a
-- sender line such as "Bob Stone (old password Winter2026! pin 4821)" was stored, although the
-- hold note leaves it out. Only a plain name, or a mark that a sender line was left out, is
-- stored now. The deliveries table keeps HaloPSA's webhook bodies as they came, so only the
-- tables halyard writes itself are read.
test("forward sender line not in stored runs", function()
  local space = workspace()
  local scenario = os.getenv("HALYARD_SOURCE_DIR")
    .. "/tests/scenarios/verification_forward_sender_name_checked.lua"
  local code, out, err = support.halyard(space, "scenario", "--keep", "--timeout", "80",
    scenario)
  expect.eq(code, 0, "the scenario passes; output: " .. out .. err)
  local kept = (out .. err):match("kept in (%S+)")
  expect.truthy(kept ~= nil, "the scenario kept its folder: " .. out .. err)

  local stored = {}
  for _, sql in ipairs({
    "SELECT coalesce(screening_json, '') || ' ' || coalesce(plan_json, '') FROM runs",
    "SELECT kind || ': ' || coalesce(detail, '') FROM run_events",
    "SELECT coalesce(detail, '') FROM verifications",
  }) do
    local output = space.folder .. "/query-" .. tostring(util.monotonic_ms())
    local child = proc.spawn({os.getenv("HALYARD_BUILD_DIR") .. "/intake-query-db",
      kept .. "/data/halyard.db", sql}, {stdout = output, stderr = output .. ".err"})
    expect.eq(child:wait(10000), 0, sql .. ": " .. (util.read_file(output .. ".err") or ""))
    stored[#stored + 1] = util.read_file(output) or ""
  end
  if kept:match("/halyard%-scenario%-%w+$") then
    proc.spawn({"rm", "-rf", kept}):wait(10000)
  end

  local text = table.concat(stored, "\n")
  for _, secret in ipairs({"Winter2026", "4821", "sunshine", "Identity already confirmed",
      "no check needed"}) do
    expect.eq(text:find(secret, 1, true), nil, secret .. " is not stored: " .. text)
  end
  expect.contains(text, "[sender line left out]", "the screening marks the sender left out")
  expect.contains(text, "Mary-Jane O'Brien", "a plain sender name is still stored")
end)

-- Starts the simulator and `halyard serve` with client 12 imported and the simulator's webhook
-- provider connected, with a verification timeout of timeout_s. Returns the simulator, the
-- workspace and the server.
local function start_with_webhook_provider(timeout_s)
  local simulator = sim.start{rate_limit = "off", seed = {
    clients = {{id = 12, name = "Acme Ltd", inactive = false}},
    sites = {{id = 31, name = "Head Office", client_id = 12}},
    users = {{id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
      site_id = 31, emailaddress = "jane.doe@acme.example"}},
    agents = {{id = 1, name = "halyard API", email = "api@msp.example", isapiagent = true}},
    login_agent_id = 1,
  }}
  local port = math.tointeger(tonumber(simulator.url:match(":(%d+)$")))
  local settings = {
    webhook_events = {3, 2, 8},
    http_allow = {string.format('default = {{host = "localhost", port = %d, private = true}}',
      port)},
    verification = {string.format("default = {timeout_s = %d}", timeout_s)},
  }
  local space = support.workspace(settings)
  local server = support.serve(space)
  settings.public_url = server.url
  support.configure(space, settings)
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  local key = support.file(space, "verifier-key", "fake-verifier-key\n")
  code, _, err = support.halyard(space, "verify", "connect", "--provider", "webhook", "--url",
    support.instance_url(simulator) .. "/verifier/webhook", "--api-key-file", key)
  expect.eq(code, 0, "verify connect; stderr: " .. err)
  return simulator, space, server
end

-- Returns the text of halyard's verification note on the ticket, waiting up to wait_ms for it.
local function wait_for_verification_note(simulator, ticket_id, wait_ms)
  local deadline = util.monotonic_ms() + wait_ms
  repeat
    local response = simulator:get("/api/Actions", {ticket_id = ticket_id, includehtmlnote = true})
    for _, action in ipairs(response.json and response.json.actions or {}) do
      local text = (action.note_html or "") .. (action.note or "")
      if text:find("halyard verification, run", 1, true) then
        return text
      end
    end
    util.sleep_ms(200)
  until util.monotonic_ms() > deadline
  return nil
end

-- Regression: a provider host added to http_allow while `halyard serve` ran was accepted by
-- `verify connect`, but serve kept its old list, and the first sensitive ticket's note cut the
-- host and port to add ("[digits removed] port [digits removed]"). Now connect prints a
-- reminder to restart serve, the note names the host and port, and a restarted serve reaches
-- the provider.
test("http_allow change needs serve restart", function()
  local simulator = sim.start{rate_limit = "off", seed = {
    clients = {{id = 12, name = "Acme Ltd", inactive = false}},
    sites = {{id = 31, name = "Head Office", client_id = 12}},
    users = {{id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
      site_id = 31, emailaddress = "jane.doe@acme.example"}},
    agents = {{id = 1, name = "halyard API", email = "api@msp.example", isapiagent = true}},
    login_agent_id = 1,
  }}
  local port = math.tointeger(tonumber(simulator.url:match(":(%d+)$")))

  -- Step 1: serve starts without http_allow; then the engineer adds the provider's host.
  local settings = {webhook_events = {3, 2, 8}}
  local space = support.workspace(settings)
  local server = support.serve(space)
  settings.public_url = server.url
  support.configure(space, settings)
  local code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  settings.http_allow = {string.format('default = {{host = "localhost", port = %d, private = true}}',
    port)}
  support.configure(space, settings)
  local key = support.file(space, "verifier-key", "fake-verifier-key\n")
  local out
  code, out, err = support.halyard(space, "verify", "connect", "--provider", "webhook", "--url",
    support.instance_url(simulator) .. "/verifier/webhook", "--api-key-file", key)
  expect.eq(code, 0, "verify connect; stderr: " .. err)
  expect.contains(out, "A running `halyard serve` keeps the http_allow list it read when it "
    .. "started")

  -- Step 2: the running serve still has no entry, and the note names what to add.
  local logged = simulator:control("POST", "/tickets", {user_id = 77, summary = "MFA reset",
    details = "New phone, please reset my MFA."})
  expect.status(logged, 201)
  local note = wait_for_verification_note(simulator, math.tointeger(logged.json.id), 15000)
  expect.truthy(note ~= nil, "a verification note was posted")
  expect.contains(note, string.format("the provider's host localhost port %d is not on MSP "
    .. "default's http_allow list", port))
  expect.contains(note, "restart `halyard serve`")
  expect.eq(note:find("[digits removed]", 1, true), nil, "the host and port are not cut")

  -- Step 3: after a restart the provider is reached and the challenge goes out.
  server.child:kill("TERM")
  server.child:wait(10000)
  support.serve(space, server.port)
  logged = simulator:control("POST", "/tickets", {user_id = 77, summary = "MFA reset",
    details = "New phone, please reset my MFA again."})
  expect.status(logged, 201)
  local deadline = util.monotonic_ms() + 15000
  local challenged = false
  repeat
    local transactions = simulator:control("GET", "/verifier/transactions").json or {}
    challenged = #transactions > 0
    util.sleep_ms(100)
  until challenged or util.monotonic_ms() > deadline
  expect.truthy(challenged, "the restarted serve sent the challenge")
end)

-- Disconnecting a callback provider while a check waited ended it at the deadline as "did not
-- answer", while a polled provider got the error outcome.
test("disconnect during callback wait errors", function()
  local simulator, space, server = start_with_webhook_provider(10)
  local logged = simulator:control("POST", "/tickets", {user_id = 77, summary = "Password reset",
    details = "I forgot my password, please reset it."})
  expect.status(logged, 201)
  local ticket_id = math.tointeger(logged.json.id)
  local deadline = util.monotonic_ms() + 15000
  local challenged = false
  repeat
    local transactions = simulator:control("GET", "/verifier/transactions").json or {}
    challenged = #transactions > 0
    util.sleep_ms(100)
  until challenged or util.monotonic_ms() > deadline
  expect.truthy(challenged, "the provider got the challenge; halyard log: "
    .. (util.read_file(server.log) or ""))

  local code, _, err = support.halyard(space, "verify", "disconnect")

  expect.eq(code, 0, "verify disconnect; stderr: " .. err)
  local note = wait_for_verification_note(simulator, ticket_id, 25000)
  expect.truthy(note ~= nil, "a verification note; halyard log: "
    .. (util.read_file(server.log) or ""))
  expect.contains(note, "identity verification error")
  expect.contains(note, "the verification provider was disconnected or replaced")
  expect.eq(note:find("did not answer", 1, true), nil, "not an expiry: " .. note)
end)

-- Logs a password reset ticket for user 77 and waits until the provider has its challenge.
-- Returns the ticket id.
local function log_challenged_ticket(simulator, server)
  local logged = simulator:control("POST", "/tickets", {user_id = 77, summary = "Password reset",
    details = "I forgot my password, please reset it."})
  expect.status(logged, 201)
  local deadline = util.monotonic_ms() + 15000
  local challenged = false
  repeat
    local transactions = simulator:control("GET", "/verifier/transactions").json or {}
    challenged = #transactions > 0
    util.sleep_ms(100)
  until challenged or util.monotonic_ms() > deadline
  expect.truthy(challenged, "the provider got the challenge; halyard log: "
    .. (util.read_file(server.log) or ""))
  return math.tointeger(logged.json.id)
end

-- Waits until halyard has stored the run's pending check with its deadline job, so that the
-- test changes what a waiting check leaves in the database.
local function wait_for_deadline_job(space)
  local deadline = util.monotonic_ms() + 15000
  local rows
  repeat
    rows = query_database(space, "SELECT count(*) FROM jobs WHERE kind = 'verify_deadline'"
      .. " AND state = 'ready'")
    util.sleep_ms(100)
  until rows == "1\n" or util.monotonic_ms() > deadline
  expect.eq(rows, "1\n", "the check's deadline job is queued")
end

-- A waiting check whose deadline job was lost (its row gone, or dead after its last attempt)
-- never ended: no outcome note came at the timeout unless the ticket was updated.
test("check ends without its deadline job", function()
  local cases = {
    {name = "row lost", sql = "DELETE FROM jobs WHERE kind = 'verify_deadline'"},
    {name = "job dead", sql = "UPDATE jobs SET state = 'dead', attempts = 20"
      .. " WHERE kind = 'verify_deadline'"},
  }
  for _, case in ipairs(cases) do
    local simulator, space, server = start_with_webhook_provider(10)
    local ticket_id = log_challenged_ticket(simulator, server)
    wait_for_deadline_job(space)
    server.child:kill("TERM")
    server.child:wait(10000)

    query_database(space, case.sql, true)
    local again = support.serve(space, server.port)

    local note = wait_for_verification_note(simulator, ticket_id, 45000)
    expect.truthy(note ~= nil, case.name .. ": an outcome note; halyard log: "
      .. (util.read_file(again.log) or ""))
    expect.contains(note or "", "identity verification expired", case.name .. ": the outcome")
    expect.contains(util.read_file(again.log) or "", "no deadline job",
      case.name .. ": the log says why the job was queued again")
    local state = query_database(space, "SELECT state, verification FROM runs")
    expect.eq(state, "verification_failed|expired\n", case.name .. ": the run stopped")
    again.child:kill("TERM")
    again.child:wait(10000)
    simulator:stop()
  end
end)

-- A run that waited for a challenge never recorded (halyard stopped while sending it, and the
-- screen job's row was lost) was ended only when it had no verification record at all. A run
-- with an earlier, final check (one superseded by a change of user) waited for good.
test("unrecorded challenge after earlier check ends", function()
  local simulator, space, server = start_with_webhook_provider(10)
  local ticket_id = log_challenged_ticket(simulator, server)
  wait_for_deadline_job(space)
  server.child:kill("TERM")
  server.child:wait(10000)

  -- The recorded check becomes an earlier, final one; the run still waits on a new check.
  query_database(space, "UPDATE verifications SET status = 'superseded',"
    .. " finished_at_ms = started_at_ms", true)
  query_database(space, "DELETE FROM jobs WHERE kind IN ('verify_deadline', 'screen')", true)
  local again = support.serve(space, server.port)

  local deadline = util.monotonic_ms() + 30000
  local notes = {}
  repeat
    notes = {}
    local response = simulator:get("/api/Actions", {ticket_id = ticket_id, includehtmlnote = true})
    for _, action in ipairs(response.json and response.json.actions or {}) do
      local text = (action.note_html or "") .. (action.note or "")
      if text:find("halyard verification, run", 1, true) then
        notes[#notes + 1] = text
      end
    end
    util.sleep_ms(200)
  until #notes > 0 or util.monotonic_ms() > deadline
  expect.eq(#notes, 1, "one outcome note; halyard log: " .. (util.read_file(again.log) or ""))
  expect.contains(notes[1] or "", "identity verification error", "the outcome")
  expect.contains(notes[1] or "", "it was not sent again", "the note says no challenge was resent")
  local transactions = simulator:control("GET", "/verifier/transactions").json or {}
  expect.eq(#transactions, 1, "no second challenge")
  local state = query_database(space, "SELECT state, verification FROM runs")
  expect.eq(state, "verification_failed|error\n", "the run stopped")
end)

-- A poll job that failed for good moved the waiting run to failed, although the check's deadline
-- job still waited to end it: an answer arriving after that could no longer move the run on.
test("dead poll job keeps run waiting", function()
  local simulator, space, server = start_with_webhook_provider(15)
  local key = support.file(space, "traceless-key", "fake-verifier-key\n")
  local code, _, err = support.halyard(space, "verify", "connect", "--provider", "traceless",
    "--url", support.instance_url(simulator) .. "/verifier/traceless", "--api-key-file", key)
  expect.eq(code, 0, "verify connect; stderr: " .. err)
  log_challenged_ticket(simulator, server)
  wait_for_deadline_job(space)
  server.child:kill("TERM")
  server.child:wait(10000)

  -- The provider cannot be opened any more, so the next poll fails, and it is the last attempt.
  query_database(space, "UPDATE verification_providers SET api_key_sealed = 'not sealed'", true)
  query_database(space, "UPDATE jobs SET attempts = 19 WHERE kind = 'verify_poll'"
    .. " AND state = 'ready'", true)
  local again = support.serve(space, server.port)

  local deadline = util.monotonic_ms() + 10000
  local dead
  repeat
    dead = query_database(space, "SELECT count(*) FROM jobs WHERE kind = 'verify_poll'"
      .. " AND state = 'dead'")
    util.sleep_ms(100)
  until dead == "1\n" or util.monotonic_ms() > deadline
  expect.eq(dead, "1\n", "the poll job died; halyard log: " .. (util.read_file(again.log) or ""))
  expect.eq(query_database(space, "SELECT state FROM runs"), "awaiting_verification\n",
    "the run keeps waiting")
  expect.contains(util.read_file(again.log) or "", "the run keeps waiting for its identity check",
    "the log says why the run did not fail")
end)

-- The API key file gets the same warning as connect's secret file when others can read it.
test("verify connect warns of open key file", function()
  local space = workspace()
  local key = support.file(space, "api-key-open", "sixteen-chars-xy\n")
  support.chmod(key, "640")

  local code, _, err = support.halyard(space, "verify", "connect", "--provider", "webhook",
    "--url", PROVIDER_URL, "--api-key-file", key)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(err, "warning: the secret file " .. key .. " is open to group or others")
  expect.contains(err, "chmod 600 " .. key)
end)
