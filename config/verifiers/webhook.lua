--[[
A generic webhook identity verification provider: halyard POSTs the request to a URL of the
MSP's choice (its own verification service, an automation platform), which answers with a
transaction id at once and later posts the result to halyard's callback address,

    POST {public_url}/hooks/verify/webhook/{msp}

signed with the callback secret that `halyard verify connect` showed (docs/verification.md
describes the signature). The dispatch carries that address as callback_url.

    POST {url}   {"requester": {"id", "name", "email", "phone"},
                  "ticket_id": 123, "purpose": "password reset",
                  "reference": "HaloPSA ticket #123: password reset (halyard run 7)",
                  "callback_url": "..."}
              -> 200 or 202 {"transaction_id": "...", "method": "email"}

The challenge the service sends should show the reference, or ticket_id and purpose, so the
requester can tell which request she is asked to confirm. purpose is the kind of request in
fixed words, never the ticket's text.

The callback body this file reads:

    {"transaction_id": "...", "status": "verified"|"failed"|"expired"|"error"|"pending",
     "detail": "...", "answered_at": "2026-12-05T14:03:07Z"}

answered_at is optional: when the requester answered, as an RFC 3339 text or seconds since 1970.
halyard counts a pass only when it came by the check's deadline, and without answered_at it goes
by when the callback arrived.

The status is read without regard to case or surrounding spaces. A refusal word (denied,
rejected, declined, refused) reads as failed, so a refused requester ends as a failed check, not
as a provider fault. Any other status ends the check as error, with a detail naming it, and a
status that is not a text (an array, say) with a detail saying it must be one.

settings holds url and api_key (sent as `Authorization: Bearer`), and callback_url.
]]

local TIMEOUT_MS = 10000

-- Callback statuses by their lower-case text, each with the verification status it ends as.
local STATUSES = {
    verified = "verified", expired = "expired", error = "error", pending = "pending",
    failed = "failed", denied = "failed", rejected = "failed", declined = "failed",
    refused = "failed",
}

local function dispatch(request, settings)
    local body = json.encode({
        requester = request.requester,
        ticket_id = request.ticket_id,
        purpose = request.purpose,
        reference = request.reference,
        callback_url = settings.callback_url,
    })
    local response, problem = http.post(settings.url, body, {
        headers = {
            Authorization = "Bearer " .. tostring(settings.api_key or ""),
            ["Content-Type"] = "application/json",
        },
        timeout_ms = TIMEOUT_MS,
    })
    if response == nil then
        return nil, problem
    end
    if response.status ~= 200 and response.status ~= 202 then
        return nil, string.format("the webhook answered HTTP %d to the dispatch", response.status)
    end
    local ok, answer = pcall(json.decode, response.body)
    if not ok or type(answer) ~= "table" or type(answer.transaction_id) ~= "string"
        or answer.transaction_id == "" then
        return nil, "the webhook's answer to the dispatch has no transaction_id"
    end
    return {transaction_id = answer.transaction_id, method = answer.method or "webhook"}
end

-- Describes a JSON value that should have been a text, for a detail a technician reads. The
-- value itself is left out: a table's address or a number would show as "[digits removed]".
local function describe_non_text(value)
    if value == nil then
        return "missing"
    elseif value == json.null then
        return "null"
    elseif type(value) == "table" then
        return "a JSON array or object"
    elseif type(value) == "boolean" then
        return "the JSON value " .. tostring(value)
    end
    return "a " .. (math.type(value) ~= nil and "number" or type(value))
end

local function callback(headers, body, settings)
    local ok, answer = pcall(json.decode, body)
    if not ok or type(answer) ~= "table" then
        return {transaction_id = "", status = "error", detail = "the callback is not JSON"}
    end
    local status_text = nil
    if type(answer.status) == "string" then
        status_text = answer.status:lower():match("^%s*(.-)%s*$")
    end
    local status = status_text ~= nil and STATUSES[status_text] or nil
    local detail = answer.detail
    if detail == json.null then
        detail = nil
    elseif detail ~= nil and type(detail) ~= "string" then
        detail = string.format("the callback's detail is %s, not a text",
            describe_non_text(detail))
    end
    if status == nil and type(answer.status) ~= "string" then
        status = "error"
        detail = string.format("the callback's status must be a text such as \"verified\", but "
            .. "it is %s; the webhook provider must send one of verified, failed, denied, "
            .. "rejected, declined, refused, expired, error or pending",
            describe_non_text(answer.status))
    elseif status == nil then
        status = "error"
        detail = string.format("the callback's status %q is unknown; the webhook provider "
            .. "must send verified, failed, denied, rejected, declined, refused, expired, error "
            .. "or pending", answer.status:sub(1, 40))
    end
    return {transaction_id = tostring(answer.transaction_id or ""), status = status,
        detail = detail, answered_at = answer.answered_at}
end

return {
    name = "Webhook",
    mode = "callback",
    description = "POST to an MSP's own URL; the result comes back as a signed callback",
    dispatch = dispatch,
    callback = callback,
}
