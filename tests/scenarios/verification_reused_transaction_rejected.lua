-- A provider that returned a transaction id that another run's check already had replaced that
-- check's record: the other run waited past its deadline with no note, and a later update
-- ended it with "halyard stopped while sending the challenge". The reused id stays with the
-- first check, and the second dispatch ends in the error outcome with a note naming the id.
verifier.connect{provider = "traceless", timeout_s = 20}
halyard.verifier("traceless.lua", [[
return {
    name = "Reusing Traceless",
    mode = "poll",
    description = "a provider that returns one transaction id per user",
    dispatch = function(request, settings)
        return {transaction_id = "tx-user-" .. tostring(request.requester.id), method = "email"}
    end,
    poll = function(transaction_id, settings)
        return {status = "pending", detail = ""}
    end,
}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local first = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
expect.run(first, {state = "awaiting_verification"})
local second = halo.log_ticket{user = jane, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}

-- The second check ends at once in the error outcome, and the first one goes on waiting.
local rejected = expect.note(second, {contains = "identity verification error"})
expect.contains(rejected.text, "transaction id 'tx-user-77'")
expect.contains(rejected.text, "which the check of run 1 has already")
expect.contains(rejected.text, "Jane Doe", "the note names the requester")
expect.run(second, {state = "verification_failed"})
expect.run(first, {state = "awaiting_verification"})
expect.eq(#halyard.notes(first), 0, "the first ticket has no note yet")

-- Past the deadline, the first check expires with its own note.
clock.advance("1m")
local expired = expect.note(first, {contains = "identity verification expired"})
expect.not_contains(expired.text, "halyard stopped while sending")
expect.run(first, {state = "verification_failed"})
