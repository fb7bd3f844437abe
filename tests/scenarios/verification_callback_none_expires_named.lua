-- Bug: a callback provider's check that reached its deadline without a result had the same note
-- as a polled one, "the requester did not answer", although halyard cannot ask such a provider
-- and only knows that no callback with a result arrived (a callback it rejected, say). The note
-- now says that no result reached halyard and where to look when the requester says they
-- answered.
verifier.connect{provider = "webhook", timeout_s = 60}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I am locked out."}
local challenge = verifier.expect_challenge(ticket)
expect.run(ticket, {state = "awaiting_verification"})

-- Jane's pass is sent with a signature halyard rejects, so no result reaches halyard.
verifier.approve(challenge, {signature = "bad"})
halyard.settle()
expect.eq(verifier.challenges()[1].callback_status, "401", "halyard rejects the callback")
clock.advance("2m")
halyard.settle()

local note = expect.note(ticket, {contains = "identity verification expired"})
expect.contains(note.text, "did not answer the challenge within 1 minute.",
    "the note gives the timeout")
expect.contains(note.text, "no result from the provider reached halyard",
    "the note says what halyard knows")
expect.contains(note.text, "callback did not arrive", "the note names the other cause")
expect.run(ticket, {state = "verification_failed"})
