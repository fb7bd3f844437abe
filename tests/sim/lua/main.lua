-- The simulator's entry points for the C host (the `sim` table): init, handle, take_deliveries,
-- delivery_result and tick. The contract is in tests/sim/README.md.
--
-- A request flows: path normalised (lower case, percent escapes decoded, no trailing slash) ->
-- /_sim/* to the control endpoints, untouched by anything below -> rate limit (/api/* and the
-- token endpoints) -> request faults -> routing, authentication and the resource -> the
-- request log. A Lua error inside handle reaches the host, which responds 500 with the message.
local control = require "control"
local deliveries = require "deliveries"
local faults = require "faults"
local ids = require "ids"
local log = require "log"
local query = require "query"
local ratelimit = require "ratelimit"
local request_log = require "request_log"
local responses = require "responses"
local router = require "router"
local state = require "state"
local verifier = require "verifier"

local cjson = require "cjson"

local sim = {}

-- Settings the host may leave out, with the documented defaults.
local OPTION_DEFAULTS = {
    bind = "127.0.0.1",
    client_id = "halyard-sim",
    client_secret = "halyard-sim-secret",
    scopes = "all all:standard all:teams admin admin:webhooks read:tickets edit:tickets " ..
        "read:customers read:teams read:assets",
    token_lifetime = 3600,
    strict = false,
    tls = false,
    token_error_status = 401,
    team_list = "bare",
    app_name = "halyard-sim app",
}

-- Checks the options table from the host and fills defaults; returns options or nil, message.
local function check_options(options)
    if type(options) ~= "table" then
        return nil, "sim.init expects a table of options as its first argument"
    end
    for key, value in pairs(OPTION_DEFAULTS) do
        if options[key] == nil then
            options[key] = value
        end
    end
    local lifetime = math.tointeger(options.token_lifetime)
    if lifetime == nil or lifetime < 1 then
        return nil, string.format("token_lifetime %s must be a positive number of seconds",
            tostring(options.token_lifetime))
    end
    options.token_lifetime = lifetime
    if options.token_error_status ~= 401 and options.token_error_status ~= 400 then
        return nil, string.format("token_error_status %s must be 401 or 400",
            tostring(options.token_error_status))
    end
    if options.team_list ~= "bare" and options.team_list ~= "wrapped" then
        return nil, string.format("team_list '%s' must be bare or wrapped",
            tostring(options.team_list))
    end
    local limit = options.rate_limit
    if limit ~= nil then
        local requests = type(limit) == "table" and math.tointeger(limit.requests)
        local window = type(limit) == "table" and math.tointeger(limit.window_seconds)
        if not requests or not window or requests < 1 or window < 1 then
            return nil, "rate_limit must be nil (off) or {requests = N, window_seconds = S} " ..
                "with positive integers"
        end
        options.rate_limit = { requests = requests, window_seconds = window }
    end
    return options
end

-- Loads the seed. Returns true, or nil, message (the host prints it and exits 1).
function sim.init(options, seed_text)
    local checked, message = check_options(options)
    if not checked then
        return nil, message
    end
    local ok, load_message = state.init(checked, seed_text)
    if not ok then
        return nil, load_message
    end
    local db = state.db
    log.info("seed loaded from %s: %d clients, %d sites, %d users, %d agents, %d tickets; " ..
        "login agent %d", checked.seed_path or "the built-in seed", db.clients:count(),
        db.sites:count(), db.users:count(), db.agents:count(), db.tickets:count(),
        db.login_agent_id)
    return true
end

-- Returns a path in routing form: percent escapes decoded, lower case, no trailing slash.
local function normalise_path(raw)
    local path = (raw or "/"):gsub("%%(%x%x)", function(hex)
        return string.char(tonumber(hex, 16))
    end)
    return faults.normalise_path(path)
end

-- Returns the set of ticket ids a request concerns, for faults matched on ticket_id: the id in
-- /api/tickets/{id}, ?ticket_id=, and ticket_id (or id for /api/tickets) in the body's records.
local function ticket_ids_of(request, path, q)
    local set = {}
    local from_path = path:match("^/api/tickets/(%d+)$")
    if from_path then
        set[math.tointeger(tonumber(from_path))] = true
    end
    local from_query = ids.to_integer(q:get("ticket_id"))
    if from_query then
        set[from_query] = true
    end
    if request.method == "POST" and request.body and request.body ~= "" then
        local ok, decoded = pcall(cjson.decode, request.body)
        if ok and type(decoded) == "table" then
            local items = decoded[1] ~= nil and decoded or { decoded }
            for _, item in ipairs(items) do
                if type(item) == "table" then
                    local id = ids.to_integer(item.ticket_id)
                    if id == nil and path == "/api/tickets" then
                        id = ids.to_integer(item.id)
                    end
                    if id then
                        set[id] = true
                    end
                end
            end
        end
    end
    return set
end

-- Returns the response of a fault with a status, which replaces the request.
local function fault_response(fault)
    local response = {
        status = fault.status,
        headers = { ["Content-Type"] = "application/json; charset=utf-8" },
        body = fault.body or responses.json(fault.status, responses.exception_body(
            string.format("Simulated fault %d", fault.id))).body,
    }
    return response
end

-- Handles one HTTP request; returns the response table.
function sim.handle(request)
    local path = normalise_path(request.path)
    local q = query.parse(request.query)
    request.headers = request.headers or {}
    request.method = (request.method or "GET"):upper()

    -- The fake verification provider sits beside HaloPSA's API, untouched by its faults.
    if path:sub(1, 10) == "/verifier/" then
        return verifier.handle(request, path)
    end
    if path:sub(1, 14) == "/_sim/verifier" then
        return verifier.control(request, path)
    end
    if path == "/_sim" or path:sub(1, 6) == "/_sim/" then
        return control.handle(request, path, q)
    end

    local response = nil
    if router.is_rate_limited(path) then
        response = ratelimit.check()
    end

    local fault = nil
    if response == nil and faults.any() then
        fault = faults.match({ method = request.method, path = path,
            ticket_ids = ticket_ids_of(request, path, q) })
        if fault then
            log.info("fault %d applied to %s %s", fault.id, request.method, path)
        end
    end

    if response == nil and fault and fault.status then
        response = fault_response(fault)
    end
    if response == nil then
        response = router.handle(request, path, q)
    end
    if fault then
        response.delay_ms = fault.latency_ms
        response.drop = fault.drop_response
        if fault.string_fields and type(response.body) == "string" then
            response.body = faults.quote_fields(fault, response.body)
        end
    end

    request_log.record(request, path, response.status)
    return response
end

function sim.take_deliveries()
    local ready = deliveries.take()
    for _, callback in ipairs(verifier.take()) do
        ready[#ready + 1] = callback
    end
    return ready
end

function sim.delivery_result(attempt_id, result)
    if not verifier.result(attempt_id, result) then
        deliveries.result(attempt_id, result)
    end
end

function sim.tick()
    deliveries.tick()
end

return sim
