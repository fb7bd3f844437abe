-- Self-test of halytest: its checks, its modules, and the runner's output and exit status.

local testing = require "testing"
local http = require "http"
local json = require "json"
local proc = require "proc"
local receiver = require "receiver"
local util = require "util"

local test, expect = testing.test, testing.expect

local halytest = testing.build_dir() .. "/halytest"

-- Runs halytest on a Lua file with the given text and returns its exit status and stdout.
local function run_halytest(text, extra_args)
  local dir = assert(util.tmpdir())
  local file = dir .. "/case.lua"
  assert(util.write_file(file, text))
  local argv = {halytest, file}
  for _, value in ipairs(extra_args or {}) do
    argv[#argv + 1] = value
  end
  local child = assert(proc.spawn(argv, {stdout = dir .. "/out.txt", stderr = dir .. "/err.txt"}))
  local status = child:wait(20000)
  expect.truthy(status, "halytest finished within 20 s")
  return status, util.read_file(dir .. "/out.txt"), util.read_file(dir .. "/err.txt")
end

local function last_line(text)
  return text:match("([^\n]*)\n?$")
end

-- expect

test("expect.eq compares numbers by value", function()
  expect.eq(4242.0, 4242, "float and integer")
  expect.eq({a = {1, 2}, b = "x"}, {b = "x", a = {1.0, 2}}, "nested tables")
end)

test("expect.eq failure names both values", function()
  local message = expect.error(function() expect.eq({1, 2}, {1, 3}, "list") end)
  expect.match(message, "list: expected {1, 3}, got {1, 2}", "message")
end)

test("expect failure points at the test file line", function()
  local message = expect.error(function() expect.truthy(false, "flag") end)
  expect.match(message, "selftest%.lua:%d+: flag: expected a true value", "location")
end)

test("expect.eq shows floats with a fraction", function()
  local message = expect.error(function() expect.eq(12.0, "12") end)
  expect.match(message, 'expected "12", got 12%.0', "message")
end)

test("expect.status shows the body on mismatch", function()
  local message = expect.error(function()
    expect.status({status = 400, body = '{"error":"invalid_client"}'}, 200)
  end)
  expect.match(message, "expected HTTP 200, got 400 with body", "status part")
  expect.match(message, "invalid_client", "body part")
end)

test("expect.integer accepts integral floats only", function()
  expect.eq(expect.integer(7.0), 7, "integral float")
  expect.error(function() expect.integer(7.5) end, "whole number")
  expect.error(function() expect.integer("7") end, "whole number")
end)

test("expect.contains searches strings and arrays", function()
  expect.contains("Rate Limit Reached", "Limit", "string")
  expect.contains({{id = 1}, {id = 2}}, {id = 2.0}, "array")
  expect.error(function() expect.contains({1, 2}, 3) end, "to contain")
end)

test("expect comparisons check numbers", function()
  expect.lt(1, 2)
  expect.ge(2, 2)
  expect.error(function() expect.gt(1, 2, "count") end, "count: expected a number > 2, got 1")
end)

-- json

test("json.integer converts integral floats", function()
  local decoded = json.decode('{"id": 4242}')
  expect.eq(math.type(decoded.id), "float", "lua-cjson decodes to float")
  expect.eq(math.type(json.integer(decoded.id)), "integer", "converted type")
  expect.eq(tostring(json.integer(decoded.id)), "4242", "text in a URL")
  expect.error(function() json.integer(1.5) end, "whole number expected, got 1.5")
end)

test("json.try_decode returns nil and message", function()
  local value, message = json.try_decode("{not json")
  expect.eq(value, nil, "value")
  expect.match(message, "^invalid JSON", "message")
end)

-- http helpers

test("http.form encodes and sorts names", function()
  expect.eq(http.form{scope = "all all:standard", grant_type = "client_credentials"},
    "grant_type=client_credentials&scope=all%20all%3Astandard", "form text")
end)

test("http.query repeats array values", function()
  expect.eq(http.query{status = {1, 2.0}, search = "a&b", open_only = true},
    "open_only=true&search=a%26b&status=1&status=2", "query text")
end)

test("http.query rejects a table inside an array", function()
  expect.error(function() http.query{x = {{}}} end, "value of 'x' must be a string")
end)

test("http.request rejects a missing url", function()
  expect.error(function() http.request{} end, "bad argument #1 to 'request' %(field 'url'")
end)

-- receiver and http

test("receiver records a request", function()
  local r = assert(receiver.start{status = 202, body = '{"ok":true}',
    content_type = "application/json"})
  expect.match(r.url, "^http://127%.0%.0%.1:%d+$", "url")

  local response = http.request{method = "POST", url = r.url .. "/hooks/x?a=1",
    headers = {["X-Test"] = "yes", ["Content-Type"] = "application/json"}, body = '{"n":1}'}
  expect.status(response, 202)
  expect.eq(response.body, '{"ok":true}', "reply body")
  expect.eq(response.headers["content-type"], "application/json", "reply header")

  local requests = assert(r:wait(1, 1000))
  expect.eq(requests[1].method, "POST", "method")
  expect.eq(requests[1].path, "/hooks/x", "path")
  expect.eq(requests[1].query, "a=1", "query")
  expect.eq(requests[1].headers["x-test"], "yes", "header with lower-case name")
  expect.eq(requests[1].body, '{"n":1}', "body")
end)

test("receiver set_status changes replies", function()
  local r = assert(receiver.start())
  expect.status(http.request{url = r.url}, 200)
  r:set_status(500)
  expect.status(http.request{url = r.url}, 500)
  expect.eq(r:count(), 2, "count")
end)

test("receiver delays replies", function()
  local r = assert(receiver.start{delay_ms = 300})
  local started = util.monotonic_ms()
  expect.status(http.request{url = r.url}, 200)
  expect.ge(util.monotonic_ms() - started, 280, "elapsed ms")
end)

test("receiver wait times out with a message", function()
  local r = assert(receiver.start())
  local requests, message = r:wait(1, 100)
  expect.eq(requests, nil, "requests")
  expect.match(message, "timed out after 100 ms waiting for 1 requests", "message")
end)

test("http.request times out", function()
  local r = assert(receiver.start{delay_ms = 2000})
  local response, message = http.request{url = r.url, timeout_ms = 200}
  expect.eq(response, nil, "response")
  expect.match(message, "^GET http://127%.0%.0%.1:%d+ failed: ", "message")
  expect.eq(http.last_error(), message, "last_error")
end)

test("http.request reports a closed port", function()
  local r = assert(receiver.start())
  local url = r.url
  r:stop()
  local response, message = http.request{url = url, timeout_ms = 2000}
  expect.eq(response, nil, "response")
  expect.match(message, "failed", "message")
end)

test("http.request sends no default content type", function()
  local r = assert(receiver.start())
  expect.status(http.request{method = "POST", url = r.url, body = "x=1"}, 200)
  local requests = assert(r:wait(1, 1000))
  expect.eq(requests[1].headers["content-type"], nil, "content-type")
  expect.eq(requests[1].headers["expect"], nil, "expect")
end)

test("https receiver and cafile verification", function()
  local certs = testing.build_dir() .. "/test-certs/"
  local r = assert(receiver.start{tls_cert = certs .. "server.pem", tls_key = certs .. "server.key"})
  expect.match(r.url, "^https://", "url")

  expect.status(http.request{url = r.url .. "/x", cafile = certs .. "ca.pem"}, 200)

  local response, message = http.request{url = r.url .. "/x", cafile = certs .. "untrusted-ca.pem"}
  expect.eq(response, nil, "response with the wrong CA")
  expect.match(message, "SSL", "message")
end)

-- proc and util

test("proc reads lines and exit status", function()
  local child = assert(proc.spawn({"sh", "-c", 'echo "one"; echo "$GREETING"; exit 3'},
    {env = {GREETING = "two"}}))
  expect.eq(child:read_line(2000), "one", "first line")
  expect.eq(child:read_line(2000), "two", "second line")
  local line, message = child:read_line(2000)
  expect.eq(line, nil, "after the last line")
  expect.match(message, "end of output", "message")
  expect.eq(child:wait(2000), 3, "exit status")
end)

test("proc read_line times out", function()
  local child = assert(proc.spawn({"sleep", "5"}))
  local started = util.monotonic_ms()
  local line, message = child:read_line(150)
  expect.eq(line, nil, "line")
  expect.match(message, "timed out after 150 ms", "message")
  expect.lt(util.monotonic_ms() - started, 1000, "elapsed ms")
end)

test("proc kill and wait report the signal", function()
  local child = assert(proc.spawn({"sleep", "30"}, {stdout = false}))
  expect.truthy(child:running(), "running")
  expect.eq(child:wait(50), nil, "wait before kill")
  expect.truthy(child:kill("TERM"), "kill")
  local status, description = child:wait(2000)
  expect.eq(status, 128 + 15, "status")
  expect.match(description, "killed by signal 15", "description")
end)

test("proc spawn of a missing program fails", function()
  local child, message = proc.spawn({"/nonexistent/halytest-program"})
  expect.eq(child, nil, "handle")
  expect.match(message, "cannot run '/nonexistent/halytest%-program'", "message")
end)

test("proc stderr to a file", function()
  local dir = assert(util.tmpdir())
  local child = assert(proc.spawn({"sh", "-c", "echo oops >&2"}, {stderr = dir .. "/err"}))
  expect.eq(child:wait(2000), 0, "exit status")
  expect.eq(util.read_file(dir .. "/err"), "oops\n", "stderr text")
end)

local leaked_pid
test("proc children end with their test (part 1)", function()
  local child = assert(proc.spawn({"sleep", "30"}, {stdout = false}))
  leaked_pid = child:pid()
end)

test("proc children end with their test (part 2)", function()
  expect.truthy(leaked_pid, "part 1 ran")
  local probe = assert(proc.spawn({"sh", "-c", "kill -0 " .. leaked_pid .. " 2>/dev/null"}))
  expect.eq(probe:wait(2000), 1, "kill -0 of the child from part 1 (1 = no such process)")
end)

test("util write, read and tmpdir", function()
  local dir = assert(util.tmpdir())
  expect.truthy(util.write_file(dir .. "/a.txt", "hello\0world"), "write")
  expect.eq(util.read_file(dir .. "/a.txt"), "hello\0world", "read back")
  local text, message = util.read_file(dir .. "/missing")
  expect.eq(text, nil, "missing file")
  expect.match(message, "No such file", "message")
end)

test("testing.cleanup runs after the test", function()
  local status, output = run_halytest([[
    local testing = require "testing"
    testing.test("with cleanup", function()
      testing.cleanup(function() print("first registered") end)
      testing.cleanup(function() print("second registered") end)
      error("boom")
    end)
  ]])
  expect.eq(status, 1, "exit status")
  expect.match(output, "^second registered\nfirst registered\nFAIL with cleanup: [^\n]*boom",
    "cleanups ran newest first, before the result line")
end)

-- The runner

test("runner prints results and the closing line", function()
  local status, output = run_halytest([[
    local testing = require "testing"
    testing.test("passes", function() end)
    testing.test("fails", function() testing.expect.eq(1, 2, "value") end)
    testing.test("crashes", function() local t = nil; return t.x end)
  ]])
  expect.eq(status, 1, "exit status")
  expect.match(output, "^ok passes\n", "ok line")
  expect.match(output, "\nFAIL fails: [^\n]*case%.lua:3: value: expected 2, got 1\n", "FAIL line")
  expect.match(output, "\nFAIL crashes: [^\n]*attempt to index", "crash line")
  expect.eq(last_line(output), "1 passed, 2 failed", "closing line")
end)

test("runner exits 0 when all pass", function()
  local status, output = run_halytest([[
    require("testing").test("passes", function() end)
  ]])
  expect.eq(status, 0, "exit status")
  expect.eq(last_line(output), "1 passed, 0 failed", "closing line")
end)

test("runner filter selects by substring", function()
  local status, output = run_halytest([[
    local testing = require "testing"
    testing.test("§2.4 wrong secret", function() end)
    testing.test("other", function() error("must not run") end)
  ]], {"--filter", "§2.4"})
  expect.eq(status, 0, "exit status")
  expect.eq(last_line(output), "1 passed, 0 failed", "closing line")
end)

test("runner fails when no test ran", function()
  local status, output = run_halytest([[
    require("testing").test("a", function() end)
  ]], {"--filter", "nothing matches"})
  expect.eq(status, 1, "exit status")
  expect.eq(last_line(output), "0 passed, 0 failed", "closing line")
end)

test("runner reports a file that fails to load", function()
  local status, output = run_halytest("this is not lua")
  expect.eq(status, 1, "exit status")
  expect.match(output, "FAIL [^\n]*case%.lua: ", "FAIL line")
  expect.eq(last_line(output), "0 passed, 1 failed", "closing line")
end)

test("runner timeout prints the closing line", function()
  local status, output = run_halytest([[
    local testing = require "testing"
    testing.test("first", function() end)
    testing.test("hangs", function() while true do end end)
  ]], {"--timeout", "1"})
  expect.eq(status, 1, "exit status")
  expect.match(output, "FAIL hangs: the test file timed out after 1 s", "FAIL line")
  expect.eq(last_line(output), "1 passed, 1 failed", "closing line")
end)

test("runner kills children when it is killed", function()
  local dir = assert(util.tmpdir())
  local file = dir .. "/case.lua"
  assert(util.write_file(file, [[
    local proc = require "proc"
    local child = assert(proc.spawn({"sleep", "60"}, {stdout = false}))
    print("child " .. child:pid())
    require("util").sleep_ms(60000)
  ]]))
  local runner = assert(proc.spawn({halytest, file}))
  local line = assert(runner:read_line(5000))
  local pid = expect.truthy(line:match("^child (%d+)$"), "child pid line")
  expect.truthy(runner:kill("KILL"), "kill the runner")
  expect.eq(runner:wait(2000), 128 + 9, "runner status")

  local child_ended = false
  for _ = 1, 100 do
    local probe = assert(proc.spawn({"sh", "-c", "kill -0 " .. pid .. " 2>/dev/null"}))
    if probe:wait(2000) == 1 then
      child_ended = true
      break
    end
    util.sleep_ms(20)
  end
  expect.truthy(child_ended, "the runner's child ended with it")
end)

test("runner rejects a bad option", function()
  local dir = assert(util.tmpdir())
  local child = assert(proc.spawn({halytest, "x.lua", "--timeout", "soon"},
    {stderr = dir .. "/err"}))
  expect.eq(child:wait(5000), 2, "exit status")
  expect.match(util.read_file(dir .. "/err"), "invalid %-%-timeout value 'soon'", "message")
end)
