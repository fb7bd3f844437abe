-- The data folder as halyard leaves it on disk: files readable by their owner only, a warning
-- for a folder open to others, and one `halyard serve` per folder.

local http = require "http"
local proc = require "proc"
local testing = require "testing"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

local START_TIMEOUT_MS = 10000

-- The permission bits of path as octal text ("600"), or nil when it does not exist.
local function mode(path)
  local pipe = assert(io.popen(string.format("stat -c %%a %q 2>/dev/null", path)))
  local text = pipe:read("a")
  pipe:close()
  return text:match("^(%d+)")
end

-- Starts `halyard serve` under umask 022, the common default that made the database 0644.
-- Returns {child, log, url}; the process is stopped when the test ends.
local function serve(space)
  local log = space.folder .. "/serve-" .. tostring(util.monotonic_ms()) .. ".log"
  local child = proc.spawn({"sh", "-c", 'umask 022; exec "$0" "$@"', support.halyard_binary(),
    "--config", space.config, "serve", "--listen", "127.0.0.1:0"}, {stderr = log})
  testing.cleanup(function()
    child:kill("TERM")
    child:wait(15000)
  end)
  local deadline = util.monotonic_ms() + START_TIMEOUT_MS
  while util.monotonic_ms() < deadline do
    local text = util.read_file(log) or ""
    local url = text:match("listening on (http://127%.0%.0%.1:%d+)")
    if url then
      return {child = child, log = log, url = url}
    end
    if not child:running() then
      return {child = child, log = log}
    end
    util.sleep_ms(50)
  end
  error("halyard serve neither listened nor exited in 10 s: " .. (util.read_file(log) or ""))
end

local function stop(server)
  server.child:kill("TERM")
  expect.eq(server.child:wait(15000), 0, "exit status of the stopped serve")
end

local function count(text, pattern)
  local found = 0
  for _ in text:gmatch(pattern) do
    found = found + 1
  end
  return found
end

-- Regression: in a data folder that existed with mode 0755, halyard.db was created 0644 (the
-- umask's default), so every local user could read ticket texts and webhook bodies.
test("files private in folder made 0755", function()
  local space = support.workspace()
  expect.eq(support.mkdir(space.data_dir), true, "mkdir")
  support.chmod(space.data_dir, "755")

  local server = serve(space)

  expect.truthy(server.url, "serve listens: " .. (util.read_file(server.log) or ""))
  for _, name in ipairs({"halyard.db", "halyard.db-wal", "halyard.db-shm", "secret.key",
      "halyard.lock"}) do
    expect.eq(mode(space.data_dir .. "/" .. name), "600", "mode of " .. name)
  end
  local log = util.read_file(server.log) or ""
  expect.eq(count(log, "open to group or others"), 1, "warnings about the folder: " .. log)
  expect.contains(log, "chmod 700 " .. space.data_dir)
end)

-- Regression: commands run by a person log nothing, so the warning about an open folder was
-- only in serve's log and `halyard token create` on a 0755 folder said nothing.
test("CLI commands warn once about an open folder", function()
  local space = support.workspace()
  expect.eq(support.mkdir(space.data_dir), true, "mkdir")
  support.chmod(space.data_dir, "755")

  local code, token, err = support.halyard(space, "token", "create")
  local intake_code, _, intake_err = support.halyard(space, "intake", "credentials")

  expect.eq(code, 0, "token create; stderr: " .. err)
  expect.truthy(token:match("%S"), "a token printed")
  expect.eq(count(err, "open to group or others"), 1, "warnings of token create: " .. err)
  expect.contains(err, "halyard: warning: the data folder " .. space.data_dir .. " has mode 0755")
  expect.contains(err, "chmod 700 " .. space.data_dir)
  expect.eq(intake_code, 0, "intake credentials; stderr: " .. intake_err)
  expect.eq(count(intake_err, "open to group or others"), 1,
    "warnings of intake credentials: " .. intake_err)
end)

test("CLI commands quiet about a private folder", function()
  local space = support.workspace()

  local code, _, err = support.halyard(space, "token", "create")

  expect.eq(code, 0, "token create; stderr: " .. err)
  expect.eq(mode(space.data_dir), "700", "mode of the folder halyard made")
  expect.falsy(err:find("warning", 1, true), "a warning of token create: " .. err)
end)

test("database left 0644 made private", function()
  local space = support.workspace()
  stop(serve(space))
  support.chmod(space.data_dir .. "/halyard.db", "644")
  assert(util.write_file(space.data_dir .. "/halyard.db-shm", ""))
  support.chmod(space.data_dir .. "/halyard.db-shm", "644")

  local code, _, err = support.halyard(space, "token", "create")

  expect.eq(code, 0, "token create; stderr: " .. err)
  expect.eq(mode(space.data_dir .. "/halyard.db"), "600", "mode of halyard.db")
  expect.eq(mode(space.data_dir .. "/halyard.db-shm") or "600", "600", "mode of halyard.db-shm")
end)

test("private folder gets no warning", function()
  local space = support.workspace()

  local server = serve(space)

  expect.eq(mode(space.data_dir), "700", "mode of the folder halyard made")
  expect.falsy((util.read_file(server.log) or ""):find("open to group or others", 1, true),
    "a warning about the folder")
end)

-- Regression: a second serve on the same folder started and set the first one's running jobs
-- back to ready, so both could work them and write to HaloPSA twice.
test("second serve on one folder refused", function()
  local space = support.workspace()
  local first = serve(space)
  expect.truthy(first.url, "first serve listens")

  local second = serve(space)

  expect.falsy(second.url, "second serve listens")
  expect.eq(second.child:wait(START_TIMEOUT_MS), 1, "exit status of the second serve")
  local err = util.read_file(second.log) or ""
  expect.contains(err, "the data folder " .. space.data_dir .. " is in use")
  expect.contains(err, "pid " .. tostring(first.child:pid()))
  expect.contains(err, "Stop that process first")
  local response = http.request{method = "GET", url = first.url .. "/healthz"}
  expect.eq(response and response.status, 200, "the first serve still answers")
end)

-- Regression: the lock was a flock on halyard.lock, so deleting that file let a second serve lock
-- the new file it made and work the same jobs.
test("second serve refused after lock file deleted", function()
  local space = support.workspace()
  local first = serve(space)
  expect.truthy(first.url, "first serve listens")
  assert(os.remove(space.data_dir .. "/halyard.lock"))

  local second = serve(space)

  expect.falsy(second.url, "second serve listens")
  expect.eq(second.child:wait(START_TIMEOUT_MS), 1, "exit status of the second serve")
  local err = util.read_file(second.log) or ""
  expect.contains(err, "the data folder " .. space.data_dir .. " is in use by another halyard serve")
  local response = http.request{method = "GET", url = first.url .. "/healthz"}
  expect.eq(response and response.status, 200, "the first serve still answers")
end)

test("serve starts once the first stopped", function()
  local space = support.workspace()
  stop(serve(space))

  local again = serve(space)

  expect.truthy(again.url, "serve listens: " .. (util.read_file(again.log) or ""))
end)

test("CLI commands work while serve runs", function()
  local space = support.workspace()
  local server = serve(space)
  expect.truthy(server.url, "serve listens")

  local code, token, err = support.halyard(space, "token", "create")

  expect.eq(code, 0, "token create; stderr: " .. err)
  expect.truthy(token:match("%S"), "a token printed")
  local response = http.request{method = "GET", url = server.url .. "/api/v1/runs",
    headers = {Authorization = "Bearer " .. token:match("^(%S+)")}}
  expect.eq(response and response.status, 200, "the new token works on the running serve")
end)

-- Runs sql on the workspace's database through the build's query tool, writing.
local function change(space, sql)
  local command = string.format("%q --write %q %q 2>&1",
    (os.getenv("HALYARD_BUILD_DIR") or "build") .. "/intake-query-db",
    space.data_dir .. "/halyard.db", sql)
  local pipe = assert(io.popen(command))
  local output = pipe:read("a")
  expect.eq(pipe:close(), true, "change " .. sql .. ": " .. output)
end

-- Regression: a serve whose database rejected writes at start reported only "recovering jobs
-- failed: ...", naming neither the data folder nor what to check.
test("start write failure names the folder", function()
  local space = support.workspace()
  local first = serve(space)
  expect.truthy(first.url, "first serve listens")
  stop(first)
  change(space, "INSERT INTO jobs (msp_id, kind, idempotency_key, payload, state, run_after_ms,"
    .. " created_at, updated_at) VALUES (1, 'sync', 'sync:1:1', '{}', 'running', 0, '', '')")
  change(space, "CREATE TRIGGER test_write_fails BEFORE UPDATE ON jobs"
    .. " BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END")

  local second = serve(space)

  expect.falsy(second.url, "serve listens")
  expect.eq(second.child:wait(START_TIMEOUT_MS), 1, "exit status")
  local err = util.read_file(second.log) or ""
  expect.contains(err, "recovering jobs failed: attempt to write a readonly database (data folder "
    .. space.data_dir .. ")")
end)
