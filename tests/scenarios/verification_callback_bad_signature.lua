-- A callback provider's result arrives signed; a callback with a wrong signature is rejected
-- with 401 and changes nothing, and the correctly signed one finishes the verification.
verifier.connect{provider = "webhook"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I am locked out."}
local challenge = verifier.expect_challenge(ticket)
expect.contains(challenge.request.callback_url, "/hooks/verify/webhook/")

verifier.approve(challenge, {signature = "bad"})
halyard.settle()
local seen = verifier.challenges()[1]
expect.eq(seen.callback_status, "401", "halyard rejects the forged callback")
expect.run(ticket, {state = "awaiting_verification"})
expect.eq(#halyard.notes(ticket), 0, "a forged callback posts nothing")

verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done", runs = 1})
