-- A password reset waits for the requester to prove who they are; once the provider says
-- verified, one outcome note is posted and the agent writes its plan.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password and I am locked out. Please reset it."}

expect.run(ticket, {state = "awaiting_verification"})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the challenge goes to the e-mail on file")
expect.eq(#halyard.notes(ticket), 0, "no note while the requester has not answered")

verifier.approve(challenge)

local outcome = expect.note(ticket, {contains = "identity verified"})
expect.contains(outcome.text, "Jane Doe")
expect.contains(outcome.text, "traceless")
local plan = expect.note(ticket, {contains = "halyard plan for ticket"})
expect.eq(plan.hidden, true)
expect.run(ticket, {state = "done", runs = 1})
expect.no_new_note(ticket)
