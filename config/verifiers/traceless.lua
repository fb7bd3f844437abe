--[[
A Traceless-style identity verification provider: halyard asks the provider to send a challenge
to the requester's work e-mail or phone, gets a transaction id back, and polls that id until the
requester has answered. The requester answers the provider, never halyard, so no code passes
through halyard.

The provider's API as this file expects it (adapt the paths and fields to your provider by
copying this file to <scripts_dir>/<msp>/verifiers/traceless.lua):

    POST {url}/v1/verifications      {"channel": "email"|"sms", "email": ..., "phone": ...,
                                      "name": ..., "ticket_id": 123,
                                      "purpose": "password reset",
                                      "reference": "HaloPSA ticket #123: password reset
                                                    (halyard run 7)"}
                                   -> 201 {"transaction_id": "...", "channel": "email"}

The provider shows the reference in the challenge it sends, so the requester sees the ticket
number and the kind of request she is asked to confirm. purpose is that kind alone, in fixed
words, never the ticket's text; ticket_id is HaloPSA's ticket number.
    GET  {url}/v1/verifications/{id}
                                   -> 200 {"status": "pending"|"approved"|"denied"|"expired",
                                           "answered_at": "2026-12-05T14:03:07Z"}

answered_at, when the provider sends it, is when the requester answered, as an RFC 3339 text or
seconds since 1970. halyard counts a pass only when it came by the check's deadline, and without
answered_at it can only go by when it read the pass (docs/verification.md).

Both send `Authorization: Bearer {api_key}`. settings holds url and api_key from `halyard verify
connect`, and channel ("email" by default, or "sms") when the connection set one.
]]

local TIMEOUT_MS = 10000

-- The provider's statuses and what they mean to halyard.
local STATUSES = {
    pending = "pending",
    approved = "verified",
    denied = "failed",
    expired = "expired",
}

local function headers(settings)
    return {
        Authorization = "Bearer " .. tostring(settings.api_key or ""),
        ["Content-Type"] = "application/json",
        Accept = "application/json",
    }
end

-- Decodes a JSON object body. Returns the table, or nil and a message without the body, which
-- may hold data of the requester.
local function decode_object(response, what)
    local ok, value = pcall(json.decode, response.body)
    if not ok or type(value) ~= "table" then
        return nil, string.format("the provider's answer to %s is not a JSON object (HTTP %d)",
            what, response.status)
    end
    return value
end

local function dispatch(request, settings)
    local channel = settings.channel or "email"
    local email = request.requester.email
    local phone = request.requester.phone
    if channel == "sms" and phone == nil then
        channel = "email"
    elseif channel == "email" and email == nil then
        channel = "sms"
    end
    local body = json.encode({
        channel = channel,
        email = channel == "email" and email or nil,
        phone = channel == "sms" and phone or nil,
        name = request.requester.name,
        ticket_id = request.ticket_id,
        purpose = request.purpose,
        reference = request.reference,
    })
    local response, problem = http.post(settings.url .. "/v1/verifications", body,
        {headers = headers(settings), timeout_ms = TIMEOUT_MS})
    if response == nil then
        return nil, problem
    end
    if response.status ~= 200 and response.status ~= 201 then
        return nil, string.format("the provider answered HTTP %d to the dispatch",
            response.status)
    end
    local answer
    answer, problem = decode_object(response, "the dispatch")
    if answer == nil then
        return nil, problem
    end
    if type(answer.transaction_id) ~= "string" or answer.transaction_id == "" then
        return nil, "the provider's answer to the dispatch has no transaction_id"
    end
    return {transaction_id = answer.transaction_id, method = answer.channel or channel}
end

local function poll(transaction_id, settings)
    local url = string.format("%s/v1/verifications/%s", settings.url,
        transaction_id:gsub("[^%w%-_.]", ""))
    local response, problem = http.get(url, {headers = headers(settings), timeout_ms = TIMEOUT_MS})
    if response == nil then
        return {status = "error", detail = problem}
    end
    if response.status ~= 200 then
        return {status = "error",
            detail = string.format("the provider answered HTTP %d to the poll", response.status)}
    end
    local answer
    answer, problem = decode_object(response, "the poll")
    if answer == nil then
        return {status = "error", detail = problem}
    end
    local status = STATUSES[answer.status]
    if status == nil then
        return {status = "error",
            detail = string.format("the provider returned an unknown status %q",
                tostring(answer.status):sub(1, 40))}
    end
    return {status = status, detail = status == "pending" and "" or ("provider status "
        .. answer.status), answered_at = answer.answered_at}
end

return {
    name = "Traceless",
    mode = "poll",
    description = "challenge to the requester's work e-mail or phone, polled by transaction id",
    dispatch = dispatch,
    poll = poll,
}
