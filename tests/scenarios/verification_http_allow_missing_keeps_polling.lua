-- Polls rejected because the provider's host was not in http_allow ended every pending
-- verification with an error after three polls, even one the provider had already decided.
-- Such a poll is a configuration error: it is logged once with the fix, polling goes on until
-- the deadline, and the deadline ends the verification as that error.
verifier.connect{provider = "traceless", timeout_s = 300}
halyard.verifier("traceless.lua", [[
local function dispatch(request, settings)
    return {transaction_id = "tx-config-1", method = "email"}
end

local function poll(transaction_id, settings)
    return {status = "error", detail = "provider.example port 443 is not on this MSP's "
        .. "http_allow list; ask the operator to add it"}
end

return {name = "Unlisted Traceless", mode = "poll", description = "a host not in http_allow",
    dispatch = dispatch, poll = poll}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
expect.run(ticket, {state = "awaiting_verification"})

-- Ten polls fail, more than the three in a row that end a provider fault.
for _ = 1, 10 do
    clock.advance(2)
    halyard.settle()
end
expect.run(ticket, {state = "awaiting_verification"})
expect.eq(#halyard.notes(ticket), 0, "no outcome note before the deadline")
local config_errors = 0
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    if event.kind == "verification_config_error" then
        config_errors = config_errors + 1
        expect.contains(event.detail, "http_allow")
    end
end
expect.eq(config_errors, 1, "one run event for the configuration error")
local _, lines = halyard.log():gsub("configuration error: the provider's host is not in "
    .. "http_allow for MSP", "")
expect.eq(lines, 1, "one log line naming the fix")
expect.contains(halyard.log(), "add it to http_allow")

-- The deadline ends the wait as the configuration error, not as an unanswered challenge.
clock.advance("5m")
local note = expect.note(ticket, {contains = "identity verification error"})
expect.contains(note.text, "not in http_allow for MSP default")
expect.eq(note.text:find("did not answer", 1, true), nil, "the note does not blame the requester")
expect.run(ticket, {state = "verification_failed"})
