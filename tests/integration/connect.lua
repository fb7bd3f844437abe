-- `halyard connect` against a real halosim over HTTPS: validation, discovery, token, the login
-- agent, the webhook (registered, kept, repaired), sealed storage and the failure messages.

local testing = require "testing"
local sim = require "sim"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

-- The events the simulator raises for a new ticket, an updated ticket and an added action.
local SIM_EVENTS = {3, 2, 8}

local function workspace(settings)
  local values = {webhook_events = SIM_EVENTS}
  for key, value in pairs(settings or {}) do
    values[key] = value
  end
  return support.workspace(values)
end

-- halyard's webhooks as the simulator has them.
local function webhooks(simulator)
  local response = simulator:get("/api/Webhook")
  expect.status(response, 200)
  return response.json
end

test("connect registers webhook and stores integration", function()
  local simulator = sim.start{}
  local space = workspace()

  local code, out, err = support.connect(space, simulator)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "as agent 1 'API Agent'")
  expect.contains(out, "token endpoint " .. support.instance_url(simulator) .. "/auth/token")
  expect.contains(out, "registered webhook")
  expect.contains(out, "stored the integration for MSP 'default'")
  local list = webhooks(simulator)
  expect.eq(#list, 1, "webhooks in the simulator")
  expect.eq(list[1].url, "http://127.0.0.1:9/hooks/halopsa/default", "webhook url")
  local details = simulator:get("/api/Webhook/" .. list[1].id, {includedetails = true}).json
  expect.eq(details.authentication_type, 1, "Basic authentication")
  expect.eq(details.basic_username, "halyard-default", "username")
  local subscribed = {}
  for _, event in ipairs(details.events) do
    subscribed[#subscribed + 1] = math.tointeger(event.eventno)
  end
  table.sort(subscribed)
  expect.eq(subscribed, {2, 3, 8}, "subscribed events")
end)

test("database holds no plaintext secret", function()
  local simulator = sim.start{client_secret = "Plaintext-Secret-7b1e"}
  local space = workspace()

  local code, _, err = support.connect(space, simulator, {secret = "Plaintext-Secret-7b1e"})

  expect.eq(code, 0, "exit status; stderr: " .. err)
  for _, name in ipairs({"halyard.db", "halyard.db-wal", "halyard.db-shm"}) do
    local bytes = util.read_file(space.data_dir .. "/" .. name)
    if bytes then
      expect.falsy(bytes:find("Plaintext-Secret-7b1e", 1, true), name .. " contains the secret")
    end
  end
end)

test("second connect changes nothing", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  local before = simulator:get("/_sim/requests").json

  local code, out = support.connect(space, simulator)

  expect.eq(code, 0, "exit status")
  expect.contains(out, "is in place")
  expect.contains(out, "nothing changed")
  expect.eq(#webhooks(simulator), 1, "webhooks in the simulator")
  local after = simulator:get("/_sim/requests").json
  expect.eq(after.writes, before.writes, "writes to the simulator")
end)

test("new secret rotates stored one", function()
  local first = sim.start{client_secret = "old-secret-1"}
  local port = first.url:match(":(%d+)$")
  local space = workspace()
  expect.eq((support.connect(space, first, {secret = "old-secret-1"})), 0, "first connect")
  local sealed_before = util.read_file(space.data_dir .. "/halyard.db")
  first:stop()
  local second = sim.start{client_secret = "new-secret-2", port = port}

  local code, out, err = support.connect(space, second, {secret = "new-secret-2"})

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "rotated the stored Client Secret")
  local bytes = util.read_file(space.data_dir .. "/halyard.db") ..
                  (util.read_file(space.data_dir .. "/halyard.db-wal") or "")
  expect.falsy(bytes:find("new-secret-2", 1, true), "plaintext of the new secret")
  expect.ne(bytes, sealed_before, "database after rotation")
end)

test("wrong secret names invalid_client", function()
  local simulator = sim.start{}
  local space = workspace()

  local code, _, err = support.connect(space, simulator, {secret = "not-the-secret"})

  expect.eq(code, 1, "exit status")
  expect.contains(err, "invalid_client")
  expect.contains(err, "Client ID or Client Secret")
  expect.eq(#webhooks(simulator), 0, "webhooks registered")
end)

test("wrong client id names invalid_client", function()
  local simulator = sim.start{}
  local space = workspace()

  local code, _, err = support.connect(space, simulator, {client_id = "copied-before-save"})

  expect.eq(code, 1, "exit status")
  expect.contains(err, "invalid_client")
end)

test("invalid URLs rejected before network", function()
  local space = workspace()
  local secret = support.file(space, "secret", "x\n")
  local cases = {
    {"", "is empty"},
    {"acme.halopsa.com", "has no scheme"},
    {"http://acme.halopsa.com", "does not use HTTPS"},
    {"https://acme.halopsa.com/", "ends with a slash; use https://acme.halopsa.com"},
    {"https://acme.halopsa.com/api", "contains a path"},
    {"https://acme.halopsa.com?tenant=x", "contains a query"},
    {"https://user:pw@acme.halopsa.com", "contains credentials"},
    {"https://10.0.0.5", "uses an IP address"},
    {"https://acme_halo.com", "invalid host name"},
    {"https://acme.halopsa.com:99999", "invalid port"},
  }
  for _, case in ipairs(cases) do
    local code, _, err = support.halyard(space, "connect", "--instance", case[1], "--client-id",
      "id", "--client-secret-file", secret)
    expect.eq(code, 1, "exit status for '" .. case[1] .. "'")
    expect.contains(err, case[2])
  end
end)

test("credentials in URL never echoed", function()
  local space = workspace()
  local secret = support.file(space, "secret", "x\n")

  local _, out, err = support.halyard(space, "connect", "--instance",
    "https://svc:Hunter2-Secret@acme.halopsa.com", "--client-id", "id", "--client-secret-file",
    secret)

  expect.falsy((out .. err):find("Hunter2-Secret", 1, true), "password in the output")
end)

test("missing options print usage", function()
  local space = workspace()

  local code, _, err = support.halyard(space, "connect", "--instance", "https://a.example")

  expect.eq(code, 2, "exit status")
  expect.contains(err, "--client-secret-file")
end)

test("empty secret file rejected", function()
  local space = workspace()
  local secret = support.file(space, "secret", "\n")

  local code, _, err = support.halyard(space, "connect", "--instance", "https://a.example",
    "--client-id", "id", "--client-secret-file", secret)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "is empty")
end)

-- Regression: an /api/authinfo that failed during connect was ignored without a word.
test("failed authinfo warned", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.status(simulator:control("POST", "/faults",
    {match = {method = "GET", path = "/api/authinfo"}, status = 500, times = 1}), 201)

  local code, out, err = support.connect(space, simulator)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "warning: HaloPSA's " .. support.instance_url(simulator)
    .. "/api/authinfo answered HTTP 500, so halyard uses the self-hosted token endpoint")
end)

-- Regression: a secret file with blank lines above the secret was rejected as empty.
test("secret after blank lines accepted", function()
  local simulator = sim.start{}
  local space = workspace()

  local code, _, err = support.connect(space, simulator, {secret = "\n \n\thalyard-sim-secret"})

  expect.eq(code, 0, "exit status; stderr: " .. err)
end)

-- Regression: a Client ID pasted with spaces around it was sent as it was, and HaloPSA
-- rejected it, while the secret's spaces were trimmed.
test("Client ID with spaces trimmed", function()
  local simulator = sim.start{}
  local space = workspace()

  local code, _, err = support.connect(space, simulator, {client_id = "  halyard-sim \n"})

  expect.eq(code, 0, "exit status; stderr: " .. err)
end)

test("missing public_url named", function()
  local simulator = sim.start{}
  local space = workspace{public_url = false}

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "public_url is not set")
end)

test("plain HTTP public_url rejected", function()
  local simulator = sim.start{}
  local space = workspace{public_url = "http://halyard.msp.example"}

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "is not HTTPS")
end)

-- A prefix check took http://127.0.0.1.example and http://localhost.example for this machine,
-- so HaloPSA would have sent the webhook's Basic password to another host unencrypted.
test("plain HTTP lookalike loopback rejected", function()
  local simulator = sim.start{}

  -- A host with a trailing dot is rejected as invalid before the HTTPS check.
  local cases = {
    {"http://127.0.0.1.example", "is not HTTPS"},
    {"http://localhost.example:8080", "is not HTTPS"},
    {"http://[::2]:8080", "is not HTTPS"},
    {"http://127.0.0.1.", "has an invalid host '127.0.0.1.'"},
  }
  for _, case in ipairs(cases) do
    local url, message = case[1], case[2]
    local code, _, err = support.connect(workspace{public_url = url}, simulator)
    expect.eq(code, 1, "exit status for " .. url)
    expect.contains(err, message)
  end
  expect.eq(#webhooks(simulator), 0, "webhooks registered")
end)

test("plain HTTP to loopback accepted", function()
  for _, url in ipairs({"http://localhost:9", "http://127.3.4.5:9", "http://[::1]:9"}) do
    local simulator = sim.start{}
    local code, _, err = support.connect(workspace{public_url = url}, simulator)
    expect.eq(code, 0, "exit status for " .. url .. "; stderr: " .. err)
    expect.eq(webhooks(simulator)[1].url, url .. "/hooks/halopsa/default", "webhook url")
  end
end)

test("public_url trailing slashes dropped", function()
  local simulator = sim.start{}
  local space = workspace{public_url = "http://127.0.0.1:9//"}

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.eq(webhooks(simulator)[1].url, "http://127.0.0.1:9/hooks/halopsa/default", "webhook url")
end)

-- halyard serves its routes only at the root of its address, so a URL with a path reaches none.
test("public_url with path rejected", function()
  for _, case in ipairs({
      {"https://h.example/halyard", "has a path after the host"},
      {"https://h.example/?x=1", "has a query after the host"},
      {"https://h.example#top", "has a fragment after the host"}}) do
    local space = workspace{public_url = case[1]}

    local code, _, err = support.halyard(space, "clients", "list")

    expect.eq(code, 1, "exit status for " .. case[1])
    expect.contains(err, case[2])
    expect.contains(err, "like https://h.example,")
  end
end)

test("untrusted certificate refused", function()
  local simulator = sim.start{}
  local space = workspace{ca_file = sim.cert("untrusted-ca.pem")}

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "cannot reach HaloPSA")
  expect.match(err, "[Cc]ertificate")
end)

test("system store does not trust test CA", function()
  local simulator = sim.start{}
  local space = workspace{ca_file = false}

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 1, "exit status")
  expect.match(err, "[Cc]ertificate")
end)

test("rejected scope names permissions tab", function()
  local simulator = sim.start{scopes = "all"}
  local space = workspace()

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "invalid_scope")
  expect.contains(err, "Permissions tab")
end)

test("webhook permission missing named", function()
  local simulator = sim.start{scopes = "all:standard all:teams"}
  local space = workspace{halo_scope = "all:standard all:teams"}

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "HTTP 403")
  expect.contains(err, "admin:webhooks")
end)

test("deleted webhook registered again", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  local old = webhooks(simulator)[1].id
  expect.status(simulator:delete("/api/Webhook/" .. old), 200)

  local code, out = support.connect(space, simulator)

  expect.eq(code, 0, "exit status")
  expect.contains(out, "registered webhook")
  local list = webhooks(simulator)
  expect.eq(#list, 1, "webhooks in the simulator")
  expect.ne(list[1].id, old, "webhook id")
end)

test("disabled webhook repaired in place", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  local id = webhooks(simulator)[1].id
  expect.status(simulator:post("/api/Webhook", {{id = id, active = false,
    url = "https://elsewhere.example/hook"}}), 201)

  local code, out = support.connect(space, simulator)

  expect.eq(code, 0, "exit status")
  expect.contains(out, "repaired webhook " .. id)
  expect.contains(out, "url")
  expect.contains(out, "inactive")
  local details = simulator:get("/api/Webhook/" .. id).json
  expect.eq(details.active, true, "active")
  expect.eq(details.url, "http://127.0.0.1:9/hooks/halopsa/default", "url")
  expect.eq(#webhooks(simulator), 1, "webhooks in the simulator")
end)

test("missing event subscription repaired", function()
  local simulator = sim.start{}
  local space = workspace{webhook_events = {3}}
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  local wider = workspace{webhook_events = SIM_EVENTS, data_dir = space.data_dir}

  local code, out = support.connect(wider, simulator)

  expect.eq(code, 0, "exit status")
  expect.contains(out, "event-2")
  expect.contains(out, "event-8")
end)

test("duplicate webhooks removed", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  expect.status(simulator:post("/api/Webhook", {{name = "halyard (default)", type = 0,
    url = "http://127.0.0.1:9/hooks/halopsa/default", authentication_type = 0, active = true,
    events = {{eventno = 3}}}}), 201)
  expect.eq(#webhooks(simulator), 2, "webhooks before")

  local code, out = support.connect(space, simulator)

  expect.eq(code, 0, "exit status")
  expect.contains(out, "removed duplicate webhook")
  expect.eq(#webhooks(simulator), 1, "webhooks after")
end)

test("other MSP gets its own webhook", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "default MSP")

  local code, out = support.connect(space, simulator, {msp = "second-msp"})

  expect.eq(code, 0, "exit status")
  expect.contains(out, "created MSP 'second-msp'")
  expect.eq(#webhooks(simulator), 2, "webhooks in the simulator")
end)

test("invalid MSP name rejected", function()
  local simulator = sim.start{}
  local space = workspace()

  local code, _, err = support.connect(space, simulator, {msp = "Acme IT"})

  -- Every command checks --msp before it starts, as a usage error.
  expect.eq(code, 2, "exit status")
  expect.contains(err, "MSP name 'Acme IT' is invalid")
end)

test("replaced key asks for secrets", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  local key_path = space.data_dir .. "/secret.key"
  assert(util.write_file(key_path, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
  support.chmod(key_path, "600")

  local code, _, err = support.halyard(space, "clients", "list")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "cannot be opened with this key file")
  expect.contains(err, "enter the secret again")
end)

test("reconnect after key loss recovers", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  assert(util.write_file(space.data_dir .. "/secret.key",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
  support.chmod(space.data_dir .. "/secret.key", "600")

  local code, out = support.connect(space, simulator)

  expect.eq(code, 0, "exit status")
  expect.contains(out, "cannot be opened")
  expect.contains(out, "repaired webhook")
  expect.eq((support.halyard(space, "clients", "list")), 0, "clients list afterwards")
end)

-- Regression: after `halyard intake credentials --rotate`, connect found the webhook in place
-- and kept HaloPSA on the old password (HaloPSA never shows it back), so every delivery got 401.
test("rotated webhook password sent on connect", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "first connect")
  local code, out, err = support.halyard(space, "intake", "credentials", "--rotate")
  expect.eq(code, 0, "rotate")
  expect.contains(err, "connect")
  local password = out:match("password: (%S+)")

  local connect_code, connect_out = support.connect(space, simulator)

  expect.eq(connect_code, 0, "exit status")
  expect.contains(connect_out, "repaired webhook")
  expect.contains(connect_out, "password")
  expect.falsy(connect_out:find("nothing changed:", 1, true), "says nothing changed")
  local writes = simulator:get("/_sim/requests").json.writes
  expect.contains(writes[#writes].body, password)

  local again_code, again_out = support.connect(space, simulator)
  expect.eq(again_code, 0, "third connect")
  expect.contains(again_out, "nothing changed")
end)

test("secret file that is a folder named", function()
  local space = workspace()

  local code, _, err = support.halyard(space, "connect", "--instance", "https://a.example",
    "--client-id", "id", "--client-secret-file", space.folder)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "is a folder")
end)

test("public_url with a space rejected", function()
  local simulator = sim.start{}
  local space = workspace{public_url = "https://h.example/a b"}

  local code, _, err = support.connect(space, simulator)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "contains a space")
end)

test("second MSP on same instance warned", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator)), 0, "default MSP")

  local code, out = support.connect(space, simulator, {msp = "other"})

  expect.eq(code, 0, "exit status")
  expect.contains(out, "warning: MSP 'default' is connected to")
end)

test("certificate failure names ca_file", function()
  local simulator = sim.start{}
  local space = workspace{ca_file = sim.cert("untrusted-ca.pem")}

  local _, _, err = support.connect(space, simulator)

  expect.contains(err, "ca_file")
end)

test("secret file with NUL rejected", function()
  local space = workspace()
  local secret = support.file(space, "secret", "halyard-sim-secret\0junk\n")

  local code, _, err = support.halyard(space, "connect", "--instance", "https://a.example",
    "--client-id", "id", "--client-secret-file", secret)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "NUL byte")
end)

test("public_url without host rejected", function()
  local simulator = sim.start{}

  for _, url in ipairs({"https://", "https:///x", "https://example.com/\"><"}) do
    local code, _, err = support.connect(workspace{public_url = url}, simulator)
    expect.eq(code, 1, "exit status for " .. url)
    expect.match(err, "public_url")
  end
  expect.eq(#webhooks(simulator), 0, "webhooks registered")
end)

-- "https://-" and "https://[:::::]" were accepted as public_url, and connect registered a
-- webhook at an address HaloPSA cannot call.
test("public_url with invalid host rejected", function()
  local simulator = sim.start{}

  for _, url in ipairs({"https://-", "https://[:::::]", "https://h..example", "https://1.2.3"}) do
    local code, _, err = support.connect(workspace{public_url = url}, simulator)
    expect.eq(code, 1, "exit status for " .. url)
    expect.contains(err, "public_url '" .. url .. "' has an invalid host")
  end
  expect.eq(#webhooks(simulator), 0, "webhooks registered")
end)

test("misspelt MSP names in config warned", function()
  local simulator = sim.start{}
  local space = workspace()
  expect.eq((support.connect(space, simulator, {msp = "acme-it"})), 0, "connect acme-it")
  support.configure(space, {
    webhook_events = SIM_EVENTS,
    http_allow = {'default = {"status.example.net"}', '["acme-iit"] = {"status.example.net"}'},
    lua_limits = {'["acme-it"] = {time_ms = 500}', '["acmeit"] = {time_ms = 500}'},
    verification = {'["acme_it"] = {timeout_s = 600}'},
  })
  support.mkdir(space.data_dir .. "/scripts")
  support.mkdir(space.data_dir .. "/scripts/acme-it")
  support.mkdir(space.data_dir .. "/scripts/acme-itt")

  local server = support.serve(space)
  local log = util.read_file(server.log) or ""

  expect.contains(log, 'http_allow has an entry for MSP "acme-iit"')
  expect.contains(log, 'lua_limits has an entry for MSP "acmeit"')
  expect.contains(log, 'verification has an entry for MSP "acme_it"')
  expect.contains(log, 'scripts_dir has a folder for MSP "acme-itt"')
  expect.match(log, "connected: [^)]*acme%-it")
  expect.falsy(log:find('MSP "acme-it"', 1, true), "the connected MSP is not reported")
  expect.falsy(log:find('MSP "default"', 1, true), "the default entry is not reported")
end)

-- Regression: connect read a Client Secret from a file every local user could read without a
-- word, though the guide says to chmod 600 it.
test("secret file open to others warned", function()
  local simulator = sim.start{}
  local space = workspace()
  local secret = support.file(space, "secret-open", "halyard-sim-secret\n")
  support.chmod(secret, "644")

  local code, _, err = support.halyard(space, "connect", "--instance",
    support.instance_url(simulator), "--client-id", "halyard-sim", "--client-secret-file", secret)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(err, "warning: the secret file " .. secret .. " is open to group or others")
  expect.contains(err, "chmod 600 " .. secret)
end)

test("private secret file not warned", function()
  local simulator = sim.start{}
  local space = workspace()
  local secret = support.file(space, "secret-private", "halyard-sim-secret\n")
  support.chmod(secret, "600")

  local code, _, err = support.halyard(space, "connect", "--instance",
    support.instance_url(simulator), "--client-id", "halyard-sim", "--client-secret-file", secret)

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.falsy(err:find("secret file", 1, true), "a warning about the secret file: " .. err)
end)
