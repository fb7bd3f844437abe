-- Shared pieces of halyard's integration tests: a scratch folder with a config, and running
-- the halyard command as a real process.

local proc = require "proc"
local runner = require "halytest.runner"
local sim = require "sim"
local testing = require "testing"
local util = require "util"

local support = {}

local COMMAND_TIMEOUT_MS = 60000

function support.halyard_binary()
  return runner.build_dir() .. "/halyard"
end

-- Makes a scratch folder with a halyard config; settings are added to (or override) the
-- defaults: data in the folder, public_url on loopback, the test CA trusted.
function support.workspace(settings)
  local folder = util.tmpdir()
  local space = {folder = folder, config = folder .. "/halyard.lua"}
  support.configure(space, settings)
  return space
end

-- Rewrites the workspace's config with settings over the defaults.
function support.configure(space, settings)
  local folder = space.folder
  local values = {
    data_dir = folder .. "/data",
    public_url = "http://127.0.0.1:9",
    ca_file = sim.cert("ca.pem"),
  }
  for key, value in pairs(settings or {}) do
    values[key] = value
  end

  local lines = {"return {"}
  for key, value in pairs(values) do
    if value ~= false then
      if type(value) == "table" then
        lines[#lines + 1] = string.format("  %s = {%s},", key, table.concat(value, ", "))
      else
        lines[#lines + 1] = string.format("  %s = %q,", key, value)
      end
    end
  end
  lines[#lines + 1] = "}"
  assert(util.write_file(space.config, table.concat(lines, "\n") .. "\n"))
  space.data_dir = values.data_dir
  return space
end

local SERVE_START_TIMEOUT_MS = 10000

-- Servers started by the running test. The harness stops a child process whose handle is
-- garbage-collected, so a test that drops the handle support.serve returns must not lose its
-- server halfway: this table keeps every handle until the test ends.
local running_servers = {}

-- Starts `halyard serve` on port (default: a free one) with the workspace's config and any
-- extra arguments (such as {"--test-clock"}) and environment variables (env, a table added to
-- the runner's); its log goes to a file.
-- Returns {url, port, child, log}; the process is stopped when the test ends.
function support.serve(space, port, extra_arguments, env)
  local stamp = tostring(util.monotonic_ms())
  local log_path = space.folder .. "/serve-" .. stamp .. ".log"
  local argv = {support.halyard_binary(), "--config", space.config, "serve", "--listen",
    "127.0.0.1:" .. tostring(port or 0)}
  for _, argument in ipairs(extra_arguments or {}) do
    argv[#argv + 1] = argument
  end
  local child = proc.spawn(argv, {stderr = log_path, stdout = log_path .. ".out", env = env})
  local deadline = util.monotonic_ms() + SERVE_START_TIMEOUT_MS
  while util.monotonic_ms() < deadline do
    local text = util.read_file(log_path) or ""
    local url = text:match("listening on (http://127%.0%.0%.1:%d+)")
    if url then
      running_servers[child] = true
      testing.cleanup(function()
        running_servers[child] = nil
      end)
      return {url = url, port = tonumber(url:match(":(%d+)$")), child = child, log = log_path}
    end
    if not child:running() then
      error("halyard serve exited at start: " .. text)
    end
    util.sleep_ms(50)
  end
  child:kill("KILL")
  error("halyard serve did not start listening in 10 s: " .. (util.read_file(log_path) or ""))
end

-- Writes text to a file in the workspace and returns its path.
function support.file(workspace, name, text)
  local path = workspace.folder .. "/" .. name
  assert(util.write_file(path, text))
  return path
end

-- Makes a folder and its parents; returns true.
function support.mkdir(path)
  local child = proc.spawn({"mkdir", "-p", path})
  return child:wait(10000) == 0
end

-- Changes a file's mode, e.g. support.chmod(path, "600").
function support.chmod(path, mode)
  local child = proc.spawn({"chmod", mode, path})
  assert(child:wait(10000) == 0, "chmod " .. mode .. " " .. path .. " failed")
end

-- Runs `halyard --config <workspace config> ARGS...` to completion. Returns the exit code and
-- what it wrote to standard output and standard error.
function support.halyard(workspace, ...)
  local argv = {support.halyard_binary(), "--config", workspace.config}
  for _, argument in ipairs({...}) do
    argv[#argv + 1] = argument
  end
  local stamp = tostring(util.monotonic_ms())
  local out_path = workspace.folder .. "/out-" .. stamp
  local err_path = workspace.folder .. "/err-" .. stamp
  local child = proc.spawn(argv, {stdout = out_path, stderr = err_path})
  local code = child:wait(COMMAND_TIMEOUT_MS)
  if code == nil then
    child:kill("KILL")
    error("halyard " .. table.concat({...}, " ") .. " did not finish in 60 s")
  end
  return code, util.read_file(out_path) or "", util.read_file(err_path) or ""
end

-- The instance URL halyard should use for a simulator: its host name form, because halyard
-- accepts only host names and the test certificate names localhost.
function support.instance_url(simulator)
  return (simulator.url:gsub("127%.0%.0%.1", "localhost"))
end

-- Connects the workspace's default MSP to simulator with its default credentials; fails the
-- test when that does not work.
function support.connect(workspace, simulator, options)
  options = options or {}
  local secret = support.file(workspace, "secret", (options.secret or "halyard-sim-secret") .. "\n")
  local argv = {"connect", "--instance", support.instance_url(simulator), "--client-id",
    options.client_id or "halyard-sim", "--client-secret-file", secret}
  if options.msp then
    table.insert(argv, 1, options.msp)
    table.insert(argv, 1, "--msp")
  end
  return support.halyard(workspace, table.unpack(argv))
end

return support
