-- The scenario API's `verifier`: the fake identity verification provider inside the simulator
-- (tests/sim/lua/verifier.lua). A scenario connects it as the MSP's provider, waits for the
-- challenge halyard sends, and decides how the requester answers.
--
--   verifier.connect{provider = "traceless", timeout_s = 300, failed_team = "Security"}
--   local challenge = verifier.expect_challenge(ticket)
--   verifier.approve(challenge)   -- or deny, timeout, fail(challenge, "5xx"|"bad_json")

local failure = require "failure"
local session = require "session"

local verifier = {}

-- The API key the fake provider accepts by default.
local API_KEY = "fake-verifier-key"

local PROVIDER_PATHS = {traceless = "/verifier/traceless", webhook = "/verifier/webhook"}

local connection = nil

-- Connects the fake provider when halyard starts (or at once when it runs already).
local function connect_now()
    local key_path = session.scratch .. "/verifier-key"
    assert(host.write_file(key_path, API_KEY .. "\n", 384))
    local argv = {"verify", "connect", "--provider", connection.provider, "--url",
        "https://localhost:" .. session.simulator_port .. PROVIDER_PATHS[connection.provider],
        "--api-key-file", key_path}
    local exit_status, out, err = session.halyard_command(table.unpack(argv))
    if exit_status ~= 0 then
        failure.raise(string.format("halyard verify connect failed (exit status %d): %s%s",
            exit_status, err, out))
    end
    local secret = out:match("callback secret: (%x+)")
    session.simulator("POST", "/verifier/config", {api_key = API_KEY, callback_secret = secret})
end

--[[
Makes the fake provider the MSP's verification provider: fields are provider ("traceless",
polled, or "webhook", which posts signed callbacks), and halyard's verification settings
timeout_s and failed_team (config/halyard.example.lua). Declare it before the world starts.
]]
function verifier.connect(fields)
    local name = "verifier.connect"
    fields = fields or {}
    session.check_fields(name, fields, {provider = true, timeout_s = true, failed_team = true})
    if session.phase ~= "declaring" then
        failure.misuse(name, "must come before the world starts")
    end
    local provider = fields.provider or "traceless"
    if PROVIDER_PATHS[provider] == nil then
        failure.misuse(name, string.format("provider %q is unknown; use traceless or webhook",
            tostring(provider)))
    end
    connection = {provider = provider}
    local settings = {timeout_s = fields.timeout_s, failed_team = fields.failed_team}
    if next(settings) ~= nil then
        session.declared.config.verification = {[host.options.msp] = settings}
    end
    session.after_start[#session.after_start + 1] = connect_now

    -- The simulator's port is known once it runs: then halyard's scripts may reach it.
    session.config_additions.http_allow = function(declared)
        local lists = declared or {}
        local list = lists[host.options.msp] or {}
        list[#list + 1] = {host = "localhost", port = math.tointeger(
            tonumber(session.simulator_port)), private = true}
        lists[host.options.msp] = list
        return lists
    end
end

-- Returns every challenge the fake provider received, oldest first: {id, kind, status,
-- request (the decoded body halyard sent), callback_status}.
function verifier.challenges()
    local rows = session.simulator("GET", "/verifier/transactions")
    for _, row in ipairs(rows) do
        local ok, decoded = pcall(json.decode, row.request or "")
        row.request_text = row.request
        row.request = ok and decoded or {}
    end
    return rows
end

-- Waits for the challenge halyard sent for the newest run of ticket and returns it.
-- options: {timeout = seconds, after = challenge}; with after, waits for a challenge of the run
-- that the provider received after that one.
function verifier.expect_challenge(ticket, options)
    local name = "verifier.expect_challenge"
    options = options or {}
    session.check_fields(name, options, {timeout = true, after = true})
    if options.after ~= nil and (type(options.after) ~= "table"
        or type(options.after.id) ~= "string") then
        failure.misuse(name, "after must be a challenge from verifier.expect_challenge")
    end
    local ticket_id = session.id_of(ticket, "ticket", name)
    local wait_ms = options.timeout and session.duration(options.timeout, name) * 1000
        or session.DEFAULT_WAIT_MS
    local deadline = host.monotonic_ms() + wait_ms
    local seen = {}
    while true do
        session.check_alive()
        local runs = session.runs(ticket_id)
        if runs[1] ~= nil then
            -- A challenge's reference ends with the run that sent it ("HaloPSA ticket #1:
            -- password reset (halyard run 1)").
            local run_mark = "(halyard run " .. runs[1].id .. ")"
            seen = verifier.challenges()
            local earlier_seen = options.after == nil
            for _, challenge in ipairs(seen) do
                local reference = challenge.request.reference
                if earlier_seen and type(reference) == "string"
                    and reference:sub(-#run_mark) == run_mark then
                    return challenge
                end
                if options.after ~= nil and challenge.id == options.after.id then
                    earlier_seen = true
                end
            end
        end
        if host.monotonic_ms() >= deadline then
            failure.raise(string.format("expected a verification challenge for ticket %d " ..
                "within %.0f s; the provider received %d challenge(s)", ticket_id,
                wait_ms / 1000, #seen), {ticket = ticket_id})
        end
        host.sleep(20)
    end
end

local function decide(name, challenge, body)
    if type(challenge) ~= "table" or type(challenge.id) ~= "string" then
        failure.misuse(name, "expected a challenge from verifier.expect_challenge")
    end
    return session.simulator("POST", "/verifier/transactions/" .. challenge.id, body)
end

-- The requester passes. options: {signature = "bad"} signs a webhook callback with the wrong
-- secret, and {status = "..."} sends that status in a webhook callback in place of
-- "verified": a text, or any other JSON value to test a provider's mistake.
function verifier.approve(challenge, options)
    options = options or {}
    return decide("verifier.approve", challenge, {action = "approve",
        signature = options.signature or "valid", status = options.status})
end

-- The requester fails the challenge. options are those of verifier.approve, and a webhook
-- callback carries "failed" unless options.status gives another text.
function verifier.deny(challenge, options)
    options = options or {}
    return decide("verifier.deny", challenge, {action = "deny",
        signature = options.signature or "valid", status = options.status})
end

-- The requester never answers: the challenge stays pending.
function verifier.timeout(challenge)
    return decide("verifier.timeout", challenge, {action = "timeout"})
end

-- The provider breaks on the challenge's polls: how is "5xx" or "bad_json".
function verifier.fail(challenge, how)
    return decide("verifier.fail", challenge, {action = "fail", fail = how})
end

-- Changes how the provider responds to the next dispatches: "5xx" and "bad_json" fail them,
-- "slow" records each challenge at once and responds 4 s later, and "ok" responds at once.
function verifier.dispatch(how)
    session.simulator("POST", "/verifier/config", {dispatch = how})
end

return {
    api = verifier,
    install = function(environment)
        environment.verifier = verifier
    end,
}
