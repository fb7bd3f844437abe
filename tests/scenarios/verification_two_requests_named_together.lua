-- A ticket asking for a password reset and a payroll bank change got a challenge, an "identity
-- verified" note and an approval request that named only the password reset, because the
-- sensitive policy returned one reason. Every kind found is now named in all three.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password. Also please change the bank account my salary is paid "
        .. "into to sort code 20-00-00 account 55779911."}
halo.update(ticket, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.purpose, "password reset and change of payment details",
    "the challenge names both kinds of request")
expect.contains(challenge.request.reference, "password reset and change of payment details",
    "the reference names both kinds of request")
expect.not_contains(challenge.request_text, "55779911", "no ticket text in the challenge")

verifier.approve(challenge)
local verified = expect.note(ticket, {contains = "identity verified", hidden = true})
expect.contains(verified.text, "(password_reset, payment_change)",
    "the outcome note names both kinds")
local request = expect.note(ticket, {contains = "asks for approval"})
expect.contains(request.text, "for these kinds of request only: password_reset, payment_change",
    "the approval request names what the check covered")
expect.eq(#verifier.challenges(), 1, "one challenge covers both requests")
