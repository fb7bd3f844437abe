-- Test support for the simulator's Lua half, run without the C host:
--
--   lua5.4 tests/sim/lua/test/run.lua [FILTER]
--
-- It replaces the C host's `host` table (a fixed wall clock, /dev/urandom, log lines kept in
-- memory), loads `main` from tests/sim/lua/ and offers small request helpers.
local support = {}

local script_folder = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local lua_folder = script_folder .. "/.."
package.path = lua_folder .. "/?.lua;" .. package.path

local cjson = require "cjson"
support.cjson = cjson
support.lua_folder = lua_folder

local urandom = assert(io.open("/dev/urandom", "rb"))
local wall_ms = 1750000000000
support.logs = {}

host = {
    real_ms = function()
        return wall_ms
    end,
    random_bytes = function(count)
        return urandom:read(count)
    end,
    log = function(level, message)
        support.logs[#support.logs + 1] = level .. " " .. message
    end,
    -- A stand-in for the C host's HMAC-SHA256, which needs OpenSSL: tests check which key and
    -- text were signed, not the digest.
    hmac_sha256 = function(key, data)
        return "hmac(" .. key .. "," .. data .. ")"
    end,
}

-- The simulator's modules must not read or write undeclared globals; a typo fails the test.
setmetatable(_G, {
    __newindex = function(_, name)
        error("assignment to undeclared global '" .. tostring(name) .. "'", 2)
    end,
    __index = function(_, name)
        error("read of undeclared global '" .. tostring(name) .. "'", 2)
    end,
})

-- Moves the stand-in wall clock (not the test clock) forward.
function support.advance_wall(ms)
    wall_ms = wall_ms + ms
end

function support.default_options()
    return {
        port = 8080, bind = "127.0.0.1", client_id = "halyard-sim",
        client_secret = "halyard-sim-secret",
        scopes = "all all:standard all:teams admin admin:webhooks read:tickets edit:tickets " ..
            "read:customers read:teams read:assets",
        token_lifetime = 3600, rate_limit = { requests = 500, window_seconds = 300 },
        strict = false, tls = false, token_error_status = 401, team_list = "bare",
        app_name = "halyard-sim app",
    }
end

-- Loads a fresh copy of every simulator module, so each test starts clean.
function support.fresh_sim(options, seed_text)
    for name in pairs(package.loaded) do
        local path = lua_folder .. "/" .. name:gsub("%.", "/") .. ".lua"
        local file = io.open(path, "r")
        if file then
            file:close()
            package.loaded[name] = nil
        end
    end
    local sim = require "main"
    local merged = support.default_options()
    for key, value in pairs(options or {}) do
        merged[key] = value
    end
    if options and options.rate_limit == false then
        merged.rate_limit = nil
    end
    local ok, message = sim.init(merged, seed_text)
    return sim, ok, message
end

-- Sends a request; returns the response and its decoded JSON body (or nil).
function support.request(sim, method, target, body, headers)
    local path, query = target:match("^([^?]*)%??(.*)$")
    if type(body) == "table" then
        body = cjson.encode(body)
    end
    local response = sim.handle({
        method = method, path = path, query = query, headers = headers or {},
        body = body or "", remote = "127.0.0.1",
    })
    local decoded = nil
    if response.body and response.body ~= "" then
        local ok, value = pcall(cjson.decode, response.body)
        if ok then
            decoded = value
        end
    end
    return response, decoded
end

-- Returns a bearer token for scope (default "all").
function support.token(sim, scope)
    local form = "grant_type=client_credentials&client_id=halyard-sim" ..
        "&client_secret=halyard-sim-secret"
    if scope then
        form = form .. "&scope=" .. scope:gsub(" ", "+")
    end
    local response, body = support.request(sim, "POST", "/auth/token", form,
        { ["content-type"] = "application/x-www-form-urlencoded" })
    assert(response.status == 200, "token request failed: " .. tostring(response.body))
    return body.access_token
end

-- Returns a client bound to one token: client:get(target), client:post(target, body),
-- client:delete(target).
function support.client(sim, scope)
    local token = support.token(sim, scope)
    local headers = { authorization = "Bearer " .. token, ["content-type"] = "application/json",
        host = "127.0.0.1:8080" }
    return {
        token = token,
        get = function(_, target)
            return support.request(sim, "GET", target, "", headers)
        end,
        post = function(_, target, body)
            return support.request(sim, "POST", target, body, headers)
        end,
        delete = function(_, target)
            return support.request(sim, "DELETE", target, "", headers)
        end,
    }
end

function support.control(sim, method, target, body)
    return support.request(sim, method, "/_sim" .. target, body or "", {})
end

-- Reports every queued delivery as answered with status; returns them with payloads decoded.
function support.deliver(sim, status)
    local sent = sim.take_deliveries()
    for _, delivery in ipairs(sent) do
        sim.delivery_result(delivery.attempt_id, { status = status or 200,
            headers = { ["Content-Type"] = "text/plain" }, body = "ok" })
        delivery.payload = cjson.decode(delivery.body)
    end
    return sent
end

return support
