-- A provider callback script that raised was answered 202 and then dropped ("the provider's
-- script read another transaction"), and one that looped failed its job once and was marked
-- done; the note at the deadline then said the requester did not answer. A callback script
-- failure must end in the error outcome.
verifier.connect{provider = "webhook"}
halyard.verifier("webhook.lua", [[
local function dispatch(request, settings)
    local body = json.encode({requester = request.requester, ticket_id = request.ticket_id,
        reference = request.reference, callback_url = settings.callback_url})
    local response, problem = http.post(settings.url, body, {headers = {
        Authorization = "Bearer " .. settings.api_key, ["Content-Type"] = "application/json"},
        timeout_ms = 10000})
    if response == nil then
        return nil, problem
    end
    local answer = json.decode(response.body)
    return {transaction_id = answer.transaction_id, method = "email"}
end

-- Raises on an approval, loops on a denial.
local function callback(headers, body, settings)
    if body:find("verified", 1, true) then
        error("callback exploded, key " .. settings.api_key)
    end
    while true do end
end

return {name = "Broken webhook", mode = "callback", description = "a callback that breaks",
    dispatch = dispatch, callback = callback}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local raised = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local first = verifier.expect_challenge(raised)
expect.run(raised, {state = "awaiting_verification"}) -- the callback needs the stored transaction
verifier.approve(first)
local raised_note = expect.note(raised, {contains = "identity verification error"})
expect.contains(raised_note.text, "webhook.lua.callback raised an error")
expect.eq(raised_note.text:find("fake-verifier-key", 1, true), nil, "the API key is not in the note")
expect.run(raised, {state = "verification_failed"})

local looped = halo.log_ticket{user = jane, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local second = verifier.expect_challenge(looped)
expect.run(looped, {state = "awaiting_verification"})
verifier.deny(second)
local loop_note = expect.note(looped, {contains = "identity verification error"})
expect.contains(loop_note.text, "did not finish its callback")
expect.run(looped, {state = "verification_failed"})
expect.no_new_note(raised)
expect.no_new_note(looped)
