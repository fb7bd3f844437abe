-- A transaction id longer than the 200 bytes halyard stores was cut without a word, so the
-- provider's callback with the whole id never matched and the check expired. Such a dispatch
-- must end in the error outcome with a note that says why, and an id of 200 bytes must work.
verifier.connect{provider = "traceless"}
halyard.verifier("traceless.lua", [[
local function id_for(name)
    return string.rep(name == "Long Lee" and "a" or "b", name == "Long Lee" and 201 or 200)
end

return {
    name = "Long-id Traceless",
    mode = "poll",
    description = "a provider whose transaction ids are long",
    dispatch = function(request, settings)
        return {transaction_id = id_for(request.requester.name), method = "email"}
    end,
    poll = function(transaction_id, settings)
        if transaction_id == string.rep("b", 200) then
            return {status = "verified"}
        end
        return {status = "error", detail = "the poll got an id of " .. #transaction_id .. " bytes"}
    end,
}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local lee = halo.user{name = "Long Lee", client = acme, email = "lee@acme.example"}
local max = halo.user{name = "Max Length", client = acme, email = "max@acme.example"}
halyard.import(acme)

local long = halo.log_ticket{user = lee, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local long_note = expect.note(long, {contains = "identity verification error"})
expect.contains(long_note.text, "traceless.lua.dispatch returned a transaction_id of 201 bytes, "
    .. "longer than the 200 bytes halyard stores")
expect.run(long, {state = "verification_failed"})
halyard.settle()
expect.contains(halyard.log(), "returned a transaction_id of 201 bytes")

local fitting = halo.log_ticket{user = max, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
expect.note(fitting, {contains = "identity verified"})
expect.no_new_note(long)
