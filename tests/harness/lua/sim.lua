-- Module `sim`: starts build/halosim for a test and sends requests to it.
--
--   local sim = require "sim"
--   local s = sim.start{strict = true, rate_limit = "5/60", seed = {...}}
--   local response = s:get("/api/Tickets", {pageinate = true, page_size = 10})
--
-- sim.start raises when halosim cannot be started, so the test fails with the reason. Request
-- methods return the http module's response table, with `json` set to the decoded body when
-- the body is JSON, or nil, message when the request failed. A simulator started inside a
-- test is stopped when that test ends; one started at the top of a file lives until the
-- runner exits.
--
-- Options of sim.start; most set the halosim option of the same name:
--   tls          true by default: HTTPS with build/test-certs/server.pem
--   port         0 by default, which picks a free port
--   seed         a table (encoded to a JSON file) or JSON text
--   seed_file    a path to a seed file
--   client_id, client_secret, tenant, scopes, token_lifetime, rate_limit ("N/SECONDS" or
--   "off"), strict, token_error_status, team_list, app_name
--   delivery_ca_file  the test CA by default
--   args         further arguments, appended as given
--   env          environment variables for halosim
--   verbose      send halosim's stderr to the runner's stderr instead of a log file

local http = require "http"
local json = require "json"
local proc = require "proc"
local runner = require "halytest.runner"
local util = require "util"

local sim = {}
local Sim = {}
Sim.__index = Sim

local START_TIMEOUT_MS = 10000
local STOP_TIMEOUT_MS = 5000
local DEFAULT_CLIENT_ID = "halyard-sim"
local DEFAULT_CLIENT_SECRET = "halyard-sim-secret"

-- Folder of the build: HALYARD_BUILD_DIR or the runner's own folder.
function sim.build_dir()
  return runner.build_dir()
end

function sim.binary()
  return runner.build_dir() .. "/halosim"
end

-- Path of a file made by scripts/make-test-certs.sh (ca.pem, server.pem, untrusted-ca.pem...).
function sim.cert(name)
  return runner.build_dir() .. "/test-certs/" .. name
end

local function option_arguments(options, tmp)
  local args = {}
  local function add(...)
    for _, value in ipairs({...}) do
      args[#args + 1] = tostring(value)
    end
  end

  add("--port", options.port or 0)
  if options.tls ~= false then
    add("--tls-cert", sim.cert("server.pem"), "--tls-key", sim.cert("server.key"))
  end
  add("--delivery-ca-file", options.delivery_ca_file or sim.cert("ca.pem"))

  if options.seed ~= nil then
    local text = options.seed
    if type(text) == "table" then
      text = json.encode(text)
    end
    local path = tmp .. "/seed.json"
    assert(util.write_file(path, text))
    add("--seed", path)
  elseif options.seed_file then
    add("--seed", options.seed_file)
  end

  local valued = {"client_id", "client_secret", "tenant", "scopes", "token_lifetime",
    "rate_limit", "token_error_status", "team_list", "app_name"}
  for _, name in ipairs(valued) do
    if options[name] ~= nil then
      add("--" .. name:gsub("_", "-"), options[name])
    end
  end
  if options.strict then
    add("--strict")
  end
  for _, value in ipairs(options.args or {}) do
    add(value)
  end
  return args
end

-- Starts halosim and waits for its "halosim listening on URL" line.
function sim.start(options)
  options = options or {}
  if type(options) ~= "table" then
    error("bad argument #1 to 'start' (table expected, got " .. type(options) .. ")", 2)
  end
  local tmp = assert(util.tmpdir())
  local log_path = tmp .. "/halosim.log"

  local argv = {sim.binary()}
  for _, value in ipairs(option_arguments(options, tmp)) do
    argv[#argv + 1] = value
  end

  local process, message = proc.spawn(argv, {
    env = options.env,
    stderr = (not options.verbose) and log_path or nil,
  })
  if not process then
    error("cannot start halosim: " .. message
      .. " (build it first, or set HALYARD_BUILD_DIR to the build folder)", 2)
  end

  local self = setmetatable({
    process = process,
    log_path = (not options.verbose) and log_path or nil,
    tls = options.tls ~= false,
    ca = sim.cert("ca.pem"),
    client_id = options.client_id or DEFAULT_CLIENT_ID,
    client_secret = options.client_secret or DEFAULT_CLIENT_SECRET,
    tenant = options.tenant,
    tokens = {},
    argv = argv,
  }, Sim)

  local deadline = util.monotonic_ms() + START_TIMEOUT_MS
  while true do
    local remaining = deadline - util.monotonic_ms()
    local line, reason = nil, "timed out"
    if remaining > 0 then
      line, reason = process:read_line(remaining)
    end
    if line == nil then
      process:kill("KILL")
      process:wait(STOP_TIMEOUT_MS)
      error("halosim did not report 'halosim listening on URL' within "
        .. START_TIMEOUT_MS .. " ms (" .. reason .. "); command: " .. table.concat(argv, " ")
        .. "; its log: " .. self:log(), 2)
    end
    local url = line:match("^halosim listening on (%S+)")
    if url then
      self.url = url
      break
    end
  end
  return self
end

-- halosim's stderr so far ("" when verbose sent it to the runner's stderr).
function Sim:log()
  if not self.log_path then
    return ""
  end
  return util.read_file(self.log_path) or ""
end

local function encode_query(query)
  if query == nil or query == "" then
    return ""
  end
  if type(query) == "string" then
    return "?" .. query
  end
  local text = http.query(query)
  return text == "" and "" or ("?" .. text)
end

local function add_json(response)
  if response and response.body ~= "" then
    response.json = json.try_decode(response.body)
  end
  return response
end

-- Sends one request to the simulator. Fields of spec:
--   method      GET by default
--   path, headers, timeout_ms
--   query       a table, or raw text
--   body        a table is sent as JSON, a string as it is
--   form        a table sent as x-www-form-urlencoded
--   token       a token string, or false for none; by default a token for spec.scope or "all"
function Sim:request(spec)
  local headers = {}
  for name, value in pairs(spec.headers or {}) do
    headers[name] = value
  end

  local body = spec.body
  if type(body) == "table" then
    body = json.encode(body)
  end
  if body ~= nil and headers["Content-Type"] == nil then
    headers["Content-Type"] = "application/json"
  end
  if spec.form then
    body = http.form(spec.form)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end

  if spec.token ~= false then
    local token = spec.token
    if token == nil then
      token = self:token(spec.scope)
    end
    headers["Authorization"] = "Bearer " .. token
  end

  local response, message = http.request{
    method = spec.method or "GET",
    url = self.url .. spec.path .. encode_query(spec.query),
    headers = headers,
    body = body,
    cafile = self.tls and self.ca or nil,
    timeout_ms = spec.timeout_ms,
  }
  if not response then
    return nil, message
  end
  return add_json(response)
end

-- Requests a token with the client-credentials grant; returns the whole response.
function Sim:token_request(fields, query)
  local form = {grant_type = "client_credentials", client_id = self.client_id,
    client_secret = self.client_secret, scope = "all"}
  for name, value in pairs(fields or {}) do
    form[name] = value or nil
  end
  if query == nil and self.tenant then
    query = {tenant = self.tenant}
  end
  return self:request{method = "POST", path = "/auth/token", form = form, token = false,
    query = query}
end

-- Returns a bearer token for scope (default "all"), cached per scope. Raises when the
-- simulator rejects the request, because every later step of the test depends on the token.
function Sim:token(scope)
  scope = scope or "all"
  if self.tokens[scope] then
    return self.tokens[scope]
  end
  local response, message = self:token_request({scope = scope})
  if not response then
    error("token request failed: " .. message, 2)
  end
  if response.status ~= 200 or type(response.json) ~= "table"
    or type(response.json.access_token) ~= "string" then
    error("token request for scope '" .. scope .. "' got HTTP " .. response.status
      .. " with body " .. response.body, 2)
  end
  self.tokens[scope] = response.json.access_token
  return self.tokens[scope]
end

-- Drops cached tokens (after /_sim/reset, or to test expiry).
function Sim:forget_tokens()
  self.tokens = {}
end

function Sim:get(path, query)
  return self:request{method = "GET", path = path, query = query}
end

function Sim:post(path, body, query)
  return self:request{method = "POST", path = path, body = body, query = query}
end

function Sim:delete(path, query)
  return self:request{method = "DELETE", path = path, query = query}
end

-- Calls a control endpoint: sim:control("POST", "/clock/advance", {seconds = 60}).
function Sim:control(method, path, body)
  return self:request{method = method, path = "/_sim" .. path, body = body, token = false}
end

-- Stops halosim: SIGTERM, then SIGKILL after 5 s. Returns its exit status.
function Sim:stop()
  if self.process:running() then
    self.process:kill("TERM")
  end
  local status = self.process:wait(STOP_TIMEOUT_MS)
  if status == nil then
    self.process:kill("KILL")
    status = self.process:wait(STOP_TIMEOUT_MS)
  end
  return status
end

return sim
