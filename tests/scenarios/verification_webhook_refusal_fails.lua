-- A webhook callback with status "denied" ended the check as a provider error ("Check the
-- provider") instead of a failed check. Every refusal word, in any case, must end as failed,
-- and a status the webhook file does not know ends as error with a note naming it.
verifier.connect{provider = "webhook"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

for _, status in ipairs({"denied", "rejected", "declined", "refused", "failed", " Denied "}) do
    local ticket = halo.log_ticket{user = jane, summary = "Password reset",
        details = "Please reset my password, I forgot it."}
    verifier.deny(verifier.expect_challenge(ticket), {status = status})
    local note = expect.note(ticket, {contains = "identity verification failed"})
    expect.not_contains(note.text, "identity verification error")
    expect.run(ticket, {state = "verification_failed"})
end

local unknown = halo.log_ticket{user = jane, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
verifier.deny(verifier.expect_challenge(unknown), {status = "on_hold"})
local note = expect.note(unknown, {contains = "identity verification error"})
expect.contains(note.text, "on_hold")
