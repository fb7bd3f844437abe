-- The fake identity verification provider: a Traceless-style API that halyard's
-- config/verifiers/traceless.lua polls, and a webhook API whose results it posts back to halyard
-- as signed callbacks (config/verifiers/webhook.lua). It is not HaloPSA: tests use it to make a
-- verification pass, fail, never finish or break.
--
-- Provider API (what halyard's verifiers call), all with `Authorization: Bearer <api_key>`:
--   POST /verifier/traceless/v1/verifications        a challenge: 201 {transaction_id, channel}
--   GET  /verifier/traceless/v1/verifications/{id}   {status = pending|approved|denied|expired,
--                                                     answered_at}: answered_at is the test
--                                                     clock's time of the approval or denial
--   POST /verifier/webhook                           a challenge: 202 {transaction_id, method}
--
-- Control (what tests call):
--   POST /_sim/verifier/config                 {"api_key", "callback_secret", "dispatch" =
--                                              "ok"|"5xx"|"bad_json"|"approve_at_once"|"slow"}:
--                                              settings for what follows; approve_at_once
--                                              approves a webhook challenge as it arrives, sends
--                                              its callback and answers the dispatch 1.5 s later;
--                                              slow records the challenge at once and responds
--                                              to the dispatch SLOW_DISPATCH_MS later
--   GET  /_sim/verifier/transactions           every challenge received, with its request body
--   POST /_sim/verifier/transactions/{id}      {"action" = "approve"|"deny"|"timeout"|"fail",
--                                              "fail" = "5xx"|"bad_json", "signature" =
--                                              "valid"|"bad", "status"}: decides a challenge.
--                                              approve and deny of a webhook challenge send its
--                                              callback with status "verified" or "failed", or
--                                              with the given status (any JSON value) instead
local cjson = require "cjson"

local clock = require "clock"
local log = require "log"
local responses = require "responses"

local verifier = {}

local DEFAULT_API_KEY = "fake-verifier-key"

-- How long the response to a "slow" dispatch is delayed after its challenge was recorded, in ms of wall time:
-- long enough for a test to act on the ticket while halyard waits for the response, and shorter
-- than the 10 s request timeout of the shipped verifiers (config/verifiers/).
local SLOW_DISPATCH_MS = 4000

local settings = {api_key = DEFAULT_API_KEY, callback_secret = nil, dispatch = "ok"}
local transactions = {} -- in arrival order
local by_id = {}
local callbacks = {}    -- deliveries waiting for the host
local callback_results = {}
local next_number = 1

function verifier.reset()
    settings = {api_key = DEFAULT_API_KEY, callback_secret = nil, dispatch = "ok"}
    transactions, by_id, callbacks, callback_results = {}, {}, {}, {}
    next_number = 1
end

local function authorized(request)
    return request.headers["authorization"] == "Bearer " .. settings.api_key
end

local function decode_body(request)
    local ok, value = pcall(cjson.decode, request.body or "")
    if ok and type(value) == "table" then
        return value
    end
    return nil
end

local function send_callback(transaction, status, signature)
    if settings.callback_secret == nil or transaction.callback_url == nil then
        return nil, "set callback_secret with POST /_sim/verifier/config first; the challenge "
            .. "needs a callback_url"
    end
    local body = cjson.encode({transaction_id = transaction.id, status = status,
        detail = "requester answered the challenge", answered_at = transaction.answered_at})
    local timestamp = tostring(clock.now_ms() // 1000)
    local key = signature == "bad" and ("wrong" .. settings.callback_secret)
        or settings.callback_secret
    local attempt_id = string.format("verifier-callback-%s-%d", transaction.id, #callbacks + 1)
    callbacks[#callbacks + 1] = {
        attempt_id = attempt_id,
        url = transaction.callback_url,
        method = "POST",
        headers = {
            ["Content-Type"] = "application/json",
            ["X-Halyard-Timestamp"] = timestamp,
            ["X-Halyard-Signature"] = "sha256=" .. host.hmac_sha256(key, timestamp .. "." .. body),
        },
        body = body,
        delay_ms = 0,
    }
    callback_results[attempt_id] = {transaction_id = transaction.id, status = "sending"}
    return true
end

-- Answers a dispatch by the configured behaviour, or records the challenge.
local function dispatch(request, kind)
    if not authorized(request) then
        return responses.json(401, {error = "invalid api key"})
    end
    if settings.dispatch == "5xx" then
        return responses.json(503, {error = "provider unavailable"})
    end
    if settings.dispatch == "bad_json" then
        return {status = 201, headers = {["Content-Type"] = "application/json"}, body = "{oops"}
    end
    local body = decode_body(request)
    if body == nil then
        return responses.json(400, {error = "body is not JSON"})
    end
    local id = string.format("tx-%s-%d", kind, next_number)
    next_number = next_number + 1
    local transaction = {
        id = id, kind = kind, status = "pending", fail = nil,
        request = request.body, callback_url = body.callback_url,
        received_at = clock.now_iso(),
    }
    transactions[#transactions + 1] = transaction
    by_id[id] = transaction
    log.info("verifier: %s challenge %s received", kind, id)
    if kind == "webhook" and settings.dispatch == "approve_at_once" then
        transaction.status = "approved"
        send_callback(transaction, "verified", "valid")
        local answer = responses.json(202, {transaction_id = id, method = "email"})
        answer.delay_ms = 1500 -- the callback goes out first
        return answer
    end
    local answer
    if kind == "webhook" then
        answer = responses.json(202, {transaction_id = id, method = "email"})
    else
        answer = responses.json(201, {transaction_id = id, channel = body.channel or "email"})
    end
    if settings.dispatch == "slow" then
        answer.delay_ms = SLOW_DISPATCH_MS
    end
    return answer
end

local function poll(request, id)
    if not authorized(request) then
        return responses.json(401, {error = "invalid api key"})
    end
    local transaction = by_id[id]
    if transaction == nil then
        return responses.json(404, {error = "unknown transaction"})
    end
    if transaction.fail == "5xx" then
        return responses.json(500, {error = "internal error"})
    end
    if transaction.fail == "bad_json" then
        return {status = 200, headers = {["Content-Type"] = "application/json"}, body = "<html>"}
    end
    return responses.json(200, {transaction_id = id, status = transaction.status,
        answered_at = transaction.answered_at})
end

-- Handles /verifier/*; returns a response, or nil for a path that is not the verifier's.
function verifier.handle(request, path)
    if path == "/verifier/traceless/v1/verifications" and request.method == "POST" then
        return dispatch(request, "traceless")
    end
    local id = path:match("^/verifier/traceless/v1/verifications/([%w%-]+)$")
    if id ~= nil and request.method == "GET" then
        return poll(request, id)
    end
    if path == "/verifier/webhook" and request.method == "POST" then
        return dispatch(request, "webhook")
    end
    return responses.json(404, {error = "no such verifier endpoint"})
end

-- Queues the signed callback of a webhook challenge.

local ACTIONS = {approve = "approved", deny = "denied", timeout = "pending"}

local function decide(request, id)
    local transaction = by_id[id]
    if transaction == nil then
        return responses.json(404, {error = "unknown transaction " .. id})
    end
    local body = decode_body(request) or {}
    if body.action == "fail" then
        if body.fail ~= "5xx" and body.fail ~= "bad_json" then
            return responses.json(400, {error = "fail needs \"fail\": \"5xx\" or \"bad_json\""})
        end
        transaction.fail = body.fail
    elseif ACTIONS[body.action] ~= nil then
        transaction.status = ACTIONS[body.action]
        transaction.fail = nil
        -- The requester's answer has a time, as a real provider records it; a challenge set
        -- back to pending has none.
        transaction.answered_at = body.action ~= "timeout" and clock.now_iso() or nil
        if transaction.kind == "webhook" and body.action ~= "timeout" then
            local status = body.action == "approve" and "verified" or "failed"
            -- Any JSON value, so tests can send a status that is not a text.
            if body.status ~= nil then
                status = body.status
            end
            local ok, problem = send_callback(transaction, status, body.signature)
            if not ok then
                return responses.json(400, {error = problem})
            end
        end
    else
        return responses.json(400, {error = "action must be approve, deny, timeout or fail"})
    end
    log.info("verifier: transaction %s set to %s", id, tostring(body.action))
    return responses.json(200, {transaction_id = id, status = transaction.status,
        fail = transaction.fail or "none"})
end

-- Handles /_sim/verifier/*.
function verifier.control(request, path)
    if path == "/_sim/verifier/config" and request.method == "POST" then
        local body = decode_body(request)
        if body == nil then
            return responses.json(400, {error = "send a JSON object"})
        end
        settings.api_key = body.api_key or settings.api_key
        settings.callback_secret = body.callback_secret or settings.callback_secret
        settings.dispatch = body.dispatch or settings.dispatch
        return responses.json(200, {dispatch = settings.dispatch})
    end
    if path == "/_sim/verifier/transactions" and request.method == "GET" then
        local rows = {}
        for _, transaction in ipairs(transactions) do
            local callback = nil
            for _, result in pairs(callback_results) do
                if result.transaction_id == transaction.id then
                    callback = result
                end
            end
            rows[#rows + 1] = {id = transaction.id, kind = transaction.kind,
                status = transaction.status, request = transaction.request,
                callback_status = callback and callback.status or "none",
                callback_response = callback and callback.response or ""}
        end
        if #rows == 0 then
            return {status = 200, headers = {["Content-Type"] = "application/json"}, body = "[]"}
        end
        return {status = 200, headers = {["Content-Type"] = "application/json"},
            body = cjson.encode(rows)}
    end
    local id = path:match("^/_sim/verifier/transactions/([%w%-]+)$")
    if id ~= nil and request.method == "POST" then
        return decide(request, id)
    end
    return responses.json(404, {error = "no such verifier control endpoint"})
end

-- Returns the callbacks to send now and empties the queue.
function verifier.take()
    local ready = callbacks
    callbacks = {}
    return ready
end

-- Records what halyard answered to a callback; returns false for an attempt not the verifier's.
function verifier.result(attempt_id, result)
    local record = callback_results[attempt_id]
    if record == nil then
        return false
    end
    record.status = result.error ~= nil and ("error: " .. tostring(result.error))
        or tostring(result.status)
    record.response = result.body
    return true
end

return verifier
