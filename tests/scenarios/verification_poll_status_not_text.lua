-- A verifier that returned a table as its status got a note reading "returned an invalid status
-- table: [digits removed]", and a table as its detail showed as "table: [digits removed]". Both
-- are now named by their type.
verifier.connect{provider = "traceless"}
halyard.verifier("traceless.lua", [[
return {
    name = "Odd Traceless",
    mode = "poll",
    description = "a poll that returns a table where a text belongs",
    dispatch = function(request, settings)
        local name = request.requester.name:gsub(" ", "-")
        return {transaction_id = "tx-" .. name, method = "email"}
    end,
    poll = function(transaction_id, settings)
        if transaction_id == "tx-Tab-Status" then
            return {status = {"verified"}}
        end
        return {status = "failed", detail = {reason = "no answer"}}
    end,
}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local tab = halo.user{name = "Tab Status", client = acme, email = "tab@acme.example"}
local det = halo.user{name = "Det Table", client = acme, email = "det@acme.example"}
halyard.import(acme)

local status_ticket = halo.log_ticket{user = tab, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local status_note = expect.note(status_ticket, {contains = "identity verification error",
    timeout = 60})
expect.contains(status_note.text, "returned an invalid status of type table")
expect.not_contains(status_note.text, "[digits removed]")

local detail_ticket = halo.log_ticket{user = det, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local detail_note = expect.note(detail_ticket, {contains = "identity verification failed",
    timeout = 60})
expect.contains(detail_note.text, "returned a detail of type table, not a text")
expect.not_contains(detail_note.text, "[digits removed]")
