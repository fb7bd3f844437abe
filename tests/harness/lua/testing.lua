-- Module `testing`: registers tests and the checks they make.
--
--   local testing = require "testing"
--   local test, expect = testing.test, testing.expect
--   test("tickets list is wrapped", function() expect.eq(1 + 1, 2, "sum") end)
--
-- The runner runs the registered tests after the file's main chunk returns, each in its own
-- protected call, in the order they were registered. A failed check raises; the test stops
-- and prints `FAIL <name>: <file>:<line>: <message>`, the line being the test file's line that
-- made the check. Any other error prints the same way plus a traceback. Child processes and
-- receivers started during a test, and functions given to testing.cleanup, are released when
-- the test ends, whether it passed or not.

local runner = require "halytest.runner"
local http = require "http"
local json = require "json"

local testing = {}
local expect = {}
testing.expect = expect

local registered = {}
local cleanups = nil
local failure_marker = {}

local test_file_source = "@" .. runner.test_file()

-- Renders a value for a failure message: one line, bounded length, floats that hold a whole
-- number keep their ".0" so a float-versus-integer mix-up stays visible.
local function show(value, depth)
  depth = depth or 0
  local kind = type(value)
  if value == json.null then
    return "null"
  elseif kind == "string" then
    local text = value
    if #text > 300 then
      text = text:sub(1, 300) .. "...(" .. #value .. " bytes)"
    end
    return string.format("%q", text):gsub("\\\n", "\\n")
  elseif kind == "number" then
    if math.type(value) == "float" and value == math.floor(value) and value == value
      and math.abs(value) < 1e15 then
      return string.format("%.1f", value)
    end
    return tostring(value)
  elseif kind ~= "table" then
    return tostring(value)
  end
  if depth >= 3 then
    return "{...}"
  end

  local parts = {}
  local length = #value
  for i = 1, length do
    parts[#parts + 1] = show(value[i], depth + 1)
  end
  local keys = {}
  for key in pairs(value) do
    if not (math.type(key) == "integer" and key >= 1 and key <= length) then
      keys[#keys + 1] = key
    end
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, key in ipairs(keys) do
    parts[#parts + 1] = tostring(key) .. " = " .. show(value[key], depth + 1)
  end
  local text = "{" .. table.concat(parts, ", ") .. "}"
  if #text > 600 then
    text = text:sub(1, 600) .. "...}"
  end
  return text
end
testing.show = show

-- Compares numbers by value (4242 equals 4242.0) and tables by their contents.
local function deep_equal(a, b)
  if a == b then
    return true
  end
  if type(a) ~= "table" or type(b) ~= "table" then
    return false
  end
  for key, value in pairs(a) do
    if not deep_equal(value, b[key]) then
      return false
    end
  end
  for key in pairs(b) do
    if a[key] == nil then
      return false
    end
  end
  return true
end
testing.deep_equal = deep_equal

-- Finds the test file's lines that led to the failing check: the innermost one (the check, or
-- the helper that made it) and, when they differ, the outermost one (the test's own line).
local function failure_location()
  local inner, outer
  local level = 3
  while true do
    local info = debug.getinfo(level, "Sl")
    if info == nil then
      break
    end
    if info.source == test_file_source and info.currentline > 0 then
      inner = inner or info
      outer = info
    end
    level = level + 1
  end
  if inner == nil then
    local info = debug.getinfo(3, "Sl")
    return info and (info.short_src .. ":" .. info.currentline) or "?"
  end
  local location = inner.short_src .. ":" .. inner.currentline
  if outer.currentline ~= inner.currentline then
    location = location .. " (test line " .. outer.currentline .. ")"
  end
  return location
end

local function fail(message)
  error({[failure_marker] = true, message = failure_location() .. ": " .. message}, 0)
end

local function label(what)
  return what and (what .. ": ") or ""
end

function expect.fail(message)
  fail(message or "failed")
end

function expect.eq(actual, expected, what)
  if not deep_equal(actual, expected) then
    fail(label(what) .. "expected " .. show(expected) .. ", got " .. show(actual))
  end
end

function expect.ne(actual, unexpected, what)
  if deep_equal(actual, unexpected) then
    fail(label(what) .. "expected anything but " .. show(unexpected))
  end
end

function expect.truthy(value, what)
  if not value then
    fail(label(what) .. "expected a true value, got " .. show(value))
  end
  return value
end

function expect.falsy(value, what)
  if value then
    fail(label(what) .. "expected false or nil, got " .. show(value))
  end
end

function expect.type(value, type_name, what)
  if type(value) ~= type_name then
    fail(label(what) .. "expected a " .. type_name .. ", got " .. type(value) .. " "
      .. show(value))
  end
  return value
end

-- Checks that value is a whole number (an integer or a float without a fraction).
function expect.integer(value, what)
  if not json.is_integer(value) then
    fail(label(what) .. "expected a whole number, got " .. show(value))
  end
  return math.tointeger(value)
end

function expect.match(text, pattern, what)
  if type(text) ~= "string" then
    fail(label(what) .. "expected text matching " .. show(pattern) .. ", got " .. show(text))
  end
  if not text:find(pattern) then
    fail(label(what) .. "expected text matching " .. show(pattern) .. ", got " .. show(text))
  end
end

function expect.no_match(text, pattern, what)
  if type(text) == "string" and text:find(pattern) then
    fail(label(what) .. "expected no match for " .. show(pattern) .. " in " .. show(text))
  end
end

-- Checks that a string contains a plain substring, or that an array contains an element equal
-- to needle.
function expect.contains(haystack, needle, what)
  if type(haystack) == "string" then
    if type(needle) == "string" and haystack:find(needle, 1, true) then
      return
    end
  elseif type(haystack) == "table" then
    for _, element in ipairs(haystack) do
      if deep_equal(element, needle) then
        return
      end
    end
  end
  fail(label(what) .. "expected " .. show(haystack) .. " to contain " .. show(needle))
end

local function compare(name, holds)
  return function(actual, limit, what)
    if type(actual) ~= "number" or not holds(actual, limit) then
      fail(label(what) .. "expected a number " .. name .. " " .. show(limit) .. ", got "
        .. show(actual))
    end
  end
end
expect.lt = compare("<", function(a, b) return a < b end)
expect.le = compare("<=", function(a, b) return a <= b end)
expect.gt = compare(">", function(a, b) return a > b end)
expect.ge = compare(">=", function(a, b) return a >= b end)

-- Checks a response's status; on a mismatch shows the body. A nil response (the request
-- failed) shows the transport error that http.last_error() recorded.
function expect.status(response, code, what)
  if response == nil then
    fail(label(what) .. "expected HTTP " .. tostring(code) .. ", but the request failed: "
      .. tostring(http.last_error()))
  end
  if response.status ~= code then
    fail(label(what) .. "expected HTTP " .. tostring(code) .. ", got " .. tostring(response.status)
      .. " with body " .. show(response.body))
  end
  return response
end

-- Decodes a response's body as JSON; fails the test when it is not JSON.
function expect.json(response, what)
  if response == nil then
    fail(label(what) .. "expected a JSON response, but the request failed: "
      .. tostring(http.last_error()))
  end
  local value, message = json.try_decode(response.body)
  if value == nil then
    fail(label(what) .. message .. " in body " .. show(response.body))
  end
  return value
end

-- Calls fn and checks that it raises; returns the error message. pattern, when given, must
-- match the message.
function expect.error(fn, pattern, what)
  local ok, message = pcall(fn)
  if ok then
    fail(label(what) .. "expected an error, but the call returned")
  end
  message = type(message) == "table" and (message.message or show(message)) or tostring(message)
  if pattern and not message:find(pattern) then
    fail(label(what) .. "expected an error matching " .. show(pattern) .. ", got " .. show(message))
  end
  return message
end

-- Registers a test. Names must be unique within a file, so a filter picks exactly one.
function testing.test(name, fn)
  if type(name) ~= "string" or name == "" then
    error("bad argument #1 to 'test' (test name expected, got " .. type(name) .. ")", 2)
  end
  if type(fn) ~= "function" then
    error("bad argument #2 to 'test' (function expected, got " .. type(fn) .. ")", 2)
  end
  for _, entry in ipairs(registered) do
    if entry.name == name then
      error("bad argument #1 to 'test' (duplicate test name '" .. name .. "')", 2)
    end
  end
  registered[#registered + 1] = {name = name, fn = fn}
end

-- Registers fn to run when the running test ends (newest first); outside a test it raises.
function testing.cleanup(fn)
  if cleanups == nil then
    error("testing.cleanup called outside a test", 2)
  end
  cleanups[#cleanups + 1] = fn
end

local function error_handler(value)
  if type(value) == "table" and value[failure_marker] then
    return value
  end
  return {message = tostring(value), traceback = debug.traceback("", 2)}
end

local function print_failure(name, failure)
  print("FAIL " .. name .. ": " .. failure.message:gsub("\n", "\n    "))
  if failure.traceback then
    for line in failure.traceback:gmatch("[^\n]+") do
      -- The runner's own frames tell the reader nothing about the test.
      if not line:find("[halytest]/testing.lua", 1, true) and line ~= "stack traceback:"
        and not line:find("in function 'xpcall'", 1, true) then
        print("    " .. line:gsub("^%s+", ""))
      end
    end
  end
end

local function run_one(entry)
  runner.test_started(entry.name)
  local mark = runner.resource_mark()
  cleanups = {}

  local ok, failure = xpcall(entry.fn, error_handler)

  for i = #cleanups, 1, -1 do
    local cleaned, message = xpcall(cleanups[i], error_handler)
    if not cleaned and ok then
      ok, failure = false, {message = "cleanup failed: " .. message.message,
        traceback = message.traceback}
    end
  end
  cleanups = nil
  runner.release_resources(mark)

  if ok then
    print("ok " .. entry.name)
  else
    print_failure(entry.name, failure)
  end
  runner.test_finished(ok)
end

-- Runs the registered tests whose names contain the runner's --filter text. Called by the
-- runner once the file's main chunk has returned.
function testing.run()
  local filter = runner.filter()
  for _, entry in ipairs(registered) do
    if filter == nil or entry.name:find(filter, 1, true) then
      run_one(entry)
    end
  end
end

testing.test_file = runner.test_file
testing.build_dir = runner.build_dir

return testing
