-- A requester who never answers: the run waits through the MSP's timeout on the test clock,
-- then stops with an expired note.
verifier.connect{provider = "traceless", timeout_s = 300}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Account locked",
    details = "My account is locked out after too many attempts, please unlock it."}

local challenge = verifier.expect_challenge(ticket)
verifier.timeout(challenge)

clock.advance("4m")
halyard.settle()
expect.run(ticket, {state = "awaiting_verification"})
expect.eq(#halyard.notes(ticket), 0, "nothing is posted before the timeout")

clock.advance("2m")
local note = expect.note(ticket, {contains = "identity verification expired"})
expect.contains(note.text, "within 5 minutes")
expect.run(ticket, {state = "verification_failed", runs = 1})
expect.no_new_note(ticket)
