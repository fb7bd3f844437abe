-- Conformance of halosim as a program: the rate limit of docs/halopsa-api.md §11, strict
-- mode, TLS, --help and option errors from the simulator's README ("Command line").

local testing = require "testing"
local http = require "http"
local proc = require "proc"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

local RATE_SENTENCE = "Rate Limit Reached %- 5 Requests per rolling"

-- Sends GET /api/Status until the first 429 or max requests; returns how many succeeded and
-- the 429 response.
local function requests_until_limited(s, token, max)
  for i = 1, max do
    local response = s:request{path = "/api/Status", token = token}
    expect.truthy(response, "request " .. i .. ": " .. tostring(http.last_error()))
    if response.status == 429 then
      return i - 1, response
    end
    expect.status(response, 200, "request " .. i)
  end
  return max, nil
end

test("§11 rate limit answers 429 past N requests", function()
  local s = sim.start{tls = false, rate_limit = "5/60"}
  local token = s:token()
  local succeeded, limited = requests_until_limited(s, token, 10)
  expect.truthy(limited, "a 429 within 10 requests")
  -- The token request may count towards the limit; the README leaves that open.
  expect.ge(succeeded, 4, "requests answered before the limit")
  expect.le(succeeded, 5, "requests answered before the limit")
end)

test("§11 429 body carries the rate-limit sentence", function()
  local s = sim.start{tls = false, rate_limit = "5/60"}
  local token = s:token()
  local _, limited = requests_until_limited(s, token, 10)
  expect.truthy(limited, "a 429 within 10 requests")
  expect.match(limited.body, RATE_SENTENCE, "body")
  expect.type(limited.json, "table", "JSON body")
end)

test("§11 rate limit window rolls on the test clock", function()
  local s = sim.start{tls = false, rate_limit = "5/60"}
  local token = s:token()
  local _, limited = requests_until_limited(s, token, 10)
  expect.truthy(limited, "a 429 within 10 requests")
  expect.status(s:request{path = "/api/Status", token = token}, 429, "still limited")
  support.expect_success(s:control("POST", "/clock/advance", {seconds = 61}), "clock/advance")
  expect.status(s:request{path = "/api/Status", token = token}, 200, "after the window")
end)

test("§11 control endpoints are never rate limited", function()
  local s = sim.start{tls = false, rate_limit = "5/60"}
  local token = s:token()
  local _, limited = requests_until_limited(s, token, 10)
  expect.truthy(limited, "a 429 within 10 requests")
  for i = 1, 10 do
    expect.status(s:control("GET", "/clock"), 200, "control request " .. i)
  end
end)

test("§11 rate limit off allows any number", function()
  local s = sim.start{tls = false, rate_limit = "off"}
  local token = s:token()
  local succeeded, limited = requests_until_limited(s, token, 520)
  expect.eq(limited, nil, "no 429")
  expect.eq(succeeded, 520, "requests answered")
end)

test("§11 default limit is 500 per 300 s", function()
  local s = sim.start{tls = false}
  local token = s:token()
  local succeeded, limited = requests_until_limited(s, token, 510)
  expect.truthy(limited, "a 429 within 510 requests")
  expect.ge(succeeded, 499, "requests answered before the limit")
  expect.le(succeeded, 500, "requests answered before the limit")
end)

test("--strict is off by default", function()
  local s = sim.start{seed = support.seed()}
  expect.status(s:post("/api/Tickets",
    '[{"summary":"x","client_id":12.0,"site_id":31,"user_id":77}]'), 201)
end)

-- TLS

test("HTTPS serves with the given certificate", function()
  local s = sim.start()
  expect.match(s.url, "^https://127%.0%.0%.1:%d+$", "url")
  expect.status(s:request{path = "/api/authinfo", token = false}, 200)
end)

test("HTTPS client without the test CA fails", function()
  local s = sim.start()
  local response, message = http.request{url = s.url .. "/api/authinfo",
    cafile = sim.cert("untrusted-ca.pem")}
  expect.eq(response, nil, "response")
  expect.match(message, "SSL", "message")
end)

test("HTTPS client with the system store fails", function()
  local s = sim.start()
  local response = http.request{url = s.url .. "/api/authinfo"}
  expect.eq(response, nil, "response")
end)

test("--tls-generate serves with a fresh CA", function()
  local folder = util.tmpdir()
  local s = sim.start{tls = false, args = {"--tls-generate", folder}}
  expect.match(s.url, "^https://127%.0%.0%.1:%d+$", "url")
  local port = s.url:match(":(%d+)$")
  for _, host in ipairs({"127.0.0.1", "localhost"}) do
    local response, message = http.request{url = "https://" .. host .. ":" .. port ..
      "/api/authinfo", cafile = folder .. "/ca.pem"}
    expect.truthy(response, host .. " with the generated CA: " .. tostring(message))
    expect.status(response, 200, host)
  end
  local refused = http.request{url = s.url .. "/api/authinfo", cafile = sim.cert("ca.pem")}
  expect.eq(refused, nil, "with the build's test CA")
end)

test("plain HTTP without TLS options", function()
  local s = sim.start{tls = false}
  expect.match(s.url, "^http://127%.0%.0%.1:%d+$", "url")
  expect.status(s:request{path = "/api/authinfo", token = false}, 200)
end)

test("port 0 reports the real port", function()
  local s = sim.start{tls = false}
  local port = tonumber(s.url:match(":(%d+)$"))
  expect.truthy(port and port > 0, "port in " .. s.url)
end)

test("SIGTERM stops halosim", function()
  local s = sim.start{tls = false}
  expect.truthy(s.process:kill("TERM"), "kill")
  local status = s.process:wait(5000)
  expect.truthy(status, "exited within 5 s")
end)

-- Command line

-- Runs halosim with args and returns its exit status and its stdout plus stderr.
local function run(args)
  local dir = assert(util.tmpdir())
  local argv = {sim.binary()}
  for _, value in ipairs(args) do
    argv[#argv + 1] = value
  end
  local child = assert(proc.spawn(argv, {stdout = dir .. "/out", stderr = dir .. "/err"}))
  local status = child:wait(5000)
  if status == nil then
    child:kill("KILL")
    child:wait(2000)
  end
  return status, (util.read_file(dir .. "/out") or "") .. (util.read_file(dir .. "/err") or "")
end

test("--help exits 0 and names every option", function()
  local status, output = run({"--help"})
  expect.eq(status, 0, "exit status")
  for _, option in ipairs({"--port", "--bind", "--seed", "--client-id", "--client-secret",
    "--tenant", "--scopes", "--token-lifetime", "--rate-limit", "--strict", "--tls-cert",
    "--tls-key", "--delivery-ca-file", "--token-error-status", "--team-list", "--app-name",
    "--lua-dir", "--verbose", "--help"}) do
    expect.contains(output, option, "help text")
  end
end)

local bad_options = {
  {{"--port", "70000"}, "70000"},
  {{"--port", "http"}, "http"},
  {{"--rate-limit", "5"}, "5"},
  {{"--rate-limit", "x/60"}, "x/60"},
  {{"--token-lifetime", "0"}, "token%-lifetime"},
  {{"--token-lifetime", "soon"}, "soon"},
  {{"--token-error-status", "500"}, "500"},
  {{"--team-list", "nested"}, "nested"},
  {{"--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"},
    "/nonexistent/"},
  {{"--seed", "/nonexistent/seed.json"}, "/nonexistent/seed%.json"},
  {{"--no-such-option"}, "%-%-no%-such%-option"},
}

for _, case in ipairs(bad_options) do
  local args, mention = case[1], case[2]
  test("bad option " .. table.concat(args, " ") .. " exits 2", function()
    -- --port 0 keeps a simulator that wrongly starts off any fixed port.
    local full = args[1] == "--port" and {} or {"--port", "0"}
    for _, value in ipairs(args) do
      full[#full + 1] = value
    end
    local status, output = run(full)
    expect.eq(status, 2, "exit status")
    expect.match(output, mention, "message names the value")
    expect.no_match(output, "halosim listening", "output")
  end)
end
