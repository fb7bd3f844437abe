-- Conformance of halosim's authentication with docs/halopsa-api.md §2, §13 and §15.

local testing = require "testing"
local http = require "http"
local sim = require "sim"
local support = require "support"

local test, expect = testing.test, testing.expect

local s = sim.start{token_lifetime = 120}

local function token_json(response, code, what)
  return support.json(response, code, what)
end

test("§2.1 authinfo answers without a token", function()
  local body = token_json(s:request{path = "/api/authinfo", token = false}, 200)
  expect.type(body.auth_url, "string", "auth_url")
end)

test("§2.1 authinfo auth_url leads to the token endpoint", function()
  local body = token_json(s:request{path = "/api/authinfo", token = false}, 200)
  local response = http.request{method = "POST", url = body.auth_url .. "/token",
    headers = {["Content-Type"] = "application/x-www-form-urlencoded"},
    body = http.form{grant_type = "client_credentials", client_id = s.client_id,
      client_secret = s.client_secret, scope = "all"},
    cafile = s.ca}
  local token = token_json(response, 200, "token from the discovered URL")
  expect.type(token.access_token, "string", "access_token")
end)

test("§2.3 /auth/token returns a bearer token", function()
  local body = token_json(s:token_request(), 200)
  expect.eq(body.token_type, "Bearer", "token_type")
  expect.type(body.access_token, "string", "access_token")
  expect.gt(#body.access_token, 15, "access_token length")
  expect.eq(body.expires_in, 120, "expires_in (the --token-lifetime)")
  expect.eq(body.refresh_token, "", "refresh_token")
  expect.eq(body.id_token, "", "id_token")
  expect.type(body.scope, "string", "scope")
end)

test("§2.3 each token request gets a new token", function()
  local first = token_json(s:token_request(), 200)
  local second = token_json(s:token_request(), 200)
  expect.ne(first.access_token, second.access_token, "access_token")
end)

test("§2.1 /token serves the same grant", function()
  local response = s:request{method = "POST", path = "/token", token = false,
    form = {grant_type = "client_credentials", client_id = s.client_id,
      client_secret = s.client_secret, scope = "all"}}
  local body = token_json(response, 200)
  expect.eq(body.token_type, "Bearer", "token_type")
end)

test("§2.1 token from /token works on the API", function()
  local response = s:request{method = "POST", path = "/token", token = false,
    form = {grant_type = "client_credentials", client_id = s.client_id,
      client_secret = s.client_secret, scope = "all"}}
  local body = token_json(response, 200)
  expect.status(s:request{path = "/api/Agent/me", token = body.access_token}, 200)
end)

test("§2.1 any tenant is accepted when none is set", function()
  token_json(s:token_request(nil, {tenant = "whatever"}), 200)
end)

test("§2.1 configured tenant accepts its name", function()
  local tenant_sim = sim.start{tenant = "acme"}
  token_json(tenant_sim:token_request(nil, {tenant = "acme"}), 200)
end)

test("§2.1 configured tenant rejects another", function()
  local tenant_sim = sim.start{tenant = "acme"}
  local response = tenant_sim:token_request(nil, {tenant = "globex"})
  expect.truthy(response, "response")
  expect.ge(response.status, 400, "status")
  expect.lt(response.status, 500, "status")
  expect.type(response.json, "table", "JSON body")
  expect.type(response.json.error, "string", "error")
  expect.eq(response.json.access_token, nil, "access_token")
end)

test("§2.4 wrong client_id gets invalid_client", function()
  local body = token_json(s:token_request{client_id = "not-the-client"}, 401)
  expect.eq(body.error, "invalid_client", "error")
  expect.eq(body.access_token, nil, "access_token")
end)

test("§2.4 wrong secret gets invalid_client", function()
  local body = token_json(s:token_request{client_secret = "not-the-secret"}, 401)
  expect.eq(body.error, "invalid_client", "error")
  expect.eq(body.access_token, nil, "access_token")
end)

test("§2.4 missing secret gets invalid_client", function()
  local body = token_json(s:token_request{client_secret = false}, 401)
  expect.eq(body.error, "invalid_client", "error")
end)

test("§2.4 custom credentials are the ones accepted", function()
  local custom = sim.start{client_id = "custom-id", client_secret = "custom-secret-value"}
  token_json(custom:token_request(), 200, "the configured pair")
  local body = token_json(custom:token_request{client_id = "halyard-sim",
    client_secret = "halyard-sim-secret"}, 401, "the default pair")
  expect.eq(body.error, "invalid_client", "error")
end)

test("§2.4 token error status 400 option", function()
  local strict_oauth = sim.start{token_error_status = 400}
  local body = token_json(strict_oauth:token_request{client_secret = "wrong"}, 400)
  expect.eq(body.error, "invalid_client", "error")
end)

test("§2.2 unsupported grant type is rejected", function()
  local response = s:token_request{grant_type = "password"}
  expect.truthy(response, "response")
  expect.ge(response.status, 400, "status")
  expect.lt(response.status, 500, "status")
  expect.eq(response.json and response.json.access_token, nil, "access_token")
end)

test("§15 unknown scope gets invalid_scope", function()
  local response = s:token_request{scope = "all nonsense:scope"}
  expect.truthy(response, "response")
  expect.eq(response.status, 400, "status")
  expect.type(response.json, "table", "JSON body")
  expect.eq(response.json.error, "invalid_scope", "error")
end)

test("§15 default scopes include the setup guide's", function()
  local body = token_json(s:token_request{scope = "all:standard all:teams admin:webhooks"}, 200)
  expect.type(body.access_token, "string", "access_token")
end)

test("§15 scopes option limits the allowed scopes", function()
  local narrow = sim.start{scopes = "all:standard read:tickets"}
  token_json(narrow:token_request{scope = "read:tickets"}, 200, "an allowed scope")
  local body = token_json(narrow:token_request{scope = "all"}, 400, "a scope not allowed")
  expect.eq(body.error, "invalid_scope", "error")
end)

test("§2.4 missing bearer gets 401 under /api/", function()
  expect.status(s:request{path = "/api/Tickets", token = false}, 401)
end)

test("§2.4 unknown bearer gets 401 under /api/", function()
  expect.status(s:request{path = "/api/Tickets", token = "not-a-token-the-sim-issued"}, 401)
end)

test("§2.4 malformed authorization gets 401", function()
  local token = s:token()
  expect.status(s:request{path = "/api/Tickets", token = false,
    headers = {Authorization = "Basic " .. token}}, 401)
end)

test("§13 token expires on the test clock", function()
  local body = token_json(s:token_request(), 200)
  expect.status(s:request{path = "/api/Tickets", token = body.access_token}, 200, "fresh")

  support.expect_success(s:control("POST", "/clock/advance", {seconds = 119}), "clock/advance")
  expect.status(s:request{path = "/api/Tickets", token = body.access_token}, 200,
    "1 s before expiry")

  support.expect_success(s:control("POST", "/clock/advance", {seconds = 2}), "clock/advance")
  expect.status(s:request{path = "/api/Tickets", token = body.access_token}, 401, "after expiry")
end)

test("§2.3 a new token works after expiry", function()
  local old = token_json(s:token_request(), 200)
  support.expect_success(s:control("POST", "/clock/advance", {seconds = 200}), "clock/advance")
  expect.status(s:request{path = "/api/Tickets", token = old.access_token}, 401, "old token")
  local new = token_json(s:token_request(), 200)
  expect.status(s:request{path = "/api/Tickets", token = new.access_token}, 200, "new token")
end)

test("§2.3 default token lifetime is 3600 s", function()
  local default_sim = sim.start()
  local body = token_json(default_sim:token_request(), 200)
  expect.eq(body.expires_in, 3600, "expires_in")
end)
