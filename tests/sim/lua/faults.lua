-- Injected faults: request faults (POST /_sim/faults) and delivery faults
-- (POST /_sim/webhook-faults). DELETE /_sim/faults and /_sim/reset clear both.
--
-- A request fault matches on method, path and ticket id (every key optional). With `status` it
-- responds with `status` and `body` instead of running the request. Without it the request runs
-- and then the connection closes without a response (`drop_response`), or the response waits
-- `latency_ms`. With `string_fields` (a list of field names) the request runs and every integer
-- value of those fields in the response is written as a string, as HaloPSA writes some ids. A
-- fault applies `times` times, or until cleared when `times` is absent.
local encode = require "encode"
local ids = require "ids"

local faults = {}

local MAX_LATENCY_MS = 600000

local request_faults = {}
local next_fault_id = 1
local delivery_settings = { drop = 0, duplicate = 0, delay_ms = 0, status_override = nil }

function faults.clear()
    request_faults = {}
    delivery_settings = { drop = 0, duplicate = 0, delay_ms = 0, status_override = nil }
end

function faults.reset()
    faults.clear()
    next_fault_id = 1
end

-- Lower-cases a path and removes a trailing slash, as routing does.
function faults.normalise_path(path)
    path = path:lower()
    if #path > 1 then
        path = path:gsub("/+$", "")
    end
    return path
end

local function optional_integer(spec, key, minimum, maximum)
    local value = spec[key]
    if value == nil then
        return true, nil
    end
    local number = ids.to_integer(value)
    if number == nil or number < minimum or (maximum and number > maximum) then
        return false, string.format("%s must be an integer from %d%s, not %s", key, minimum,
            maximum and (" to " .. maximum) or " up", tostring(value))
    end
    return true, number
end

-- Adds a request fault from its JSON description. Returns the stored fault, or nil, message.
function faults.add(spec)
    if type(spec) ~= "table" then
        return nil, "send a JSON object such as {\"match\": {\"path\": \"/api/tickets\"}, " ..
            "\"status\": 500}"
    end
    local match = spec.match or {}
    if type(match) ~= "table" then
        return nil, "match must be an object with method, path and ticket_id"
    end
    if match.method ~= nil and type(match.method) ~= "string" then
        return nil, "match.method must be a string such as \"POST\""
    end
    if match.path ~= nil and (type(match.path) ~= "string" or match.path:sub(1, 1) ~= "/") then
        return nil, "match.path must be a path starting with /, such as \"/api/actions\""
    end
    local ok, ticket_id = optional_integer(match, "ticket_id", 1)
    if not ok then
        return nil, "match." .. ticket_id
    end
    local status, latency_ms, times
    ok, status = optional_integer(spec, "status", 100, 599)
    if not ok then
        return nil, status
    end
    ok, latency_ms = optional_integer(spec, "latency_ms", 0, MAX_LATENCY_MS)
    if not ok then
        return nil, latency_ms
    end
    ok, times = optional_integer(spec, "times", 1)
    if not ok then
        return nil, times
    end
    if spec.drop_response ~= nil and type(spec.drop_response) ~= "boolean" then
        return nil, "drop_response must be true or false"
    end
    local body = spec.body
    if body ~= nil and type(body) ~= "string" then
        body = encode.encode(require("binder").normalise(body))
    end
    local string_fields = spec.string_fields
    if string_fields ~= nil then
        if type(string_fields) ~= "table" or #string_fields == 0 then
            return nil, "string_fields must be a list of field names such as [\"who_type\"]"
        end
        for _, name in ipairs(string_fields) do
            if type(name) ~= "string" or not name:match("^[%w_]+$") then
                return nil, string.format("string_fields: %s is not a field name", tostring(name))
            end
        end
    end
    if status == nil and latency_ms == nil and spec.drop_response ~= true
        and string_fields == nil then
        return nil, "a fault needs status, latency_ms, drop_response: true or string_fields"
    end

    local fault = {
        id = next_fault_id,
        match = {
            method = match.method and match.method:upper() or nil,
            path = match.path and faults.normalise_path(match.path) or nil,
            ticket_id = ticket_id,
        },
        status = status,
        body = body,
        latency_ms = latency_ms or 0,
        drop_response = spec.drop_response == true,
        string_fields = string_fields,
        times = times,
        hits = 0,
    }
    next_fault_id = next_fault_id + 1
    request_faults[#request_faults + 1] = fault
    return fault
end

-- Writes every integer value of the fault's string_fields in a JSON body as a string.
function faults.quote_fields(fault, body)
    for _, name in ipairs(fault.string_fields) do
        body = body:gsub('"' .. name .. '":(%-?%d+)([,}%]])', '"' .. name .. '":"%1"%2')
    end
    return body
end

local function path_matches(pattern, path)
    return path == pattern or path:sub(1, #pattern + 1) == pattern .. "/"
end

-- Returns the first request fault matching a request and counts the use, or nil.
-- info = {method, path (normalised), ticket_ids = set of ids the request concerns}.
function faults.match(info)
    for index, fault in ipairs(request_faults) do
        local match = fault.match
        if (match.method == nil or match.method == info.method)
            and (match.path == nil or path_matches(match.path, info.path))
            and (match.ticket_id == nil or info.ticket_ids[match.ticket_id]) then
            fault.hits = fault.hits + 1
            if fault.times then
                fault.times = fault.times - 1
                if fault.times == 0 then
                    table.remove(request_faults, index)
                end
            end
            return fault
        end
    end
    return nil
end

-- Returns true when a fault might match method and path, so callers skip reading the body
-- for requests no fault concerns.
function faults.any()
    return #request_faults > 0
end

function faults.list()
    local rows = encode.array()
    for _, fault in ipairs(request_faults) do
        rows[#rows + 1] = fault
    end
    return rows
end

-- Updates the delivery fault settings from {drop, duplicate, delay_ms, status_override}; keys
-- left out keep their value. Returns the settings, or nil, message.
function faults.set_delivery(spec)
    if type(spec) ~= "table" then
        return nil, "send a JSON object such as {\"drop\": 1}"
    end
    local ok, drop = optional_integer(spec, "drop", 0)
    if not ok then
        return nil, drop
    end
    local duplicate, delay_ms, status_override
    ok, duplicate = optional_integer(spec, "duplicate", 0)
    if not ok then
        return nil, duplicate
    end
    ok, delay_ms = optional_integer(spec, "delay_ms", 0, MAX_LATENCY_MS)
    if not ok then
        return nil, delay_ms
    end
    ok, status_override = optional_integer(spec, "status_override", 0, 599)
    if not ok then
        return nil, status_override
    end
    if status_override == 0 then
        status_override = false
    end
    delivery_settings.drop = drop or delivery_settings.drop
    delivery_settings.duplicate = duplicate or delivery_settings.duplicate
    delivery_settings.delay_ms = delay_ms or delivery_settings.delay_ms
    if status_override ~= nil then
        delivery_settings.status_override = status_override or nil
    end
    return faults.delivery_settings()
end

function faults.delivery_settings()
    return encode.object({
        drop = delivery_settings.drop,
        duplicate = delivery_settings.duplicate,
        delay_ms = delivery_settings.delay_ms,
        status_override = delivery_settings.status_override or encode.null,
    })
end

-- Returns the fault for the next delivery: {drop, duplicate, delay_ms, status_override}. `drop`
-- and `duplicate` count down per delivery (a dropped delivery is not also duplicated);
-- `delay_ms` and `status_override` apply to every delivery until cleared.
function faults.take_delivery_fault()
    local fault = {
        delay_ms = delivery_settings.delay_ms,
        status_override = delivery_settings.status_override,
    }
    if delivery_settings.drop > 0 then
        delivery_settings.drop = delivery_settings.drop - 1
        fault.drop = true
    elseif delivery_settings.duplicate > 0 then
        delivery_settings.duplicate = delivery_settings.duplicate - 1
        fault.duplicate = true
    end
    return fault
end

return faults
