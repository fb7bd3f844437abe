-- Bug: the requester approved, the provider then answered HTTP 500 to every poll, and halyard's
-- clock passed the deadline before three polls had failed. The check expired, and the note
-- said the requester did not answer. A poll that fails at the deadline now ends the check with
-- the error outcome, and the note says the provider could not be reached.
verifier.connect{provider = "traceless", timeout_s = 300}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
expect.run(ticket, {state = "awaiting_verification"})
verifier.approve(challenge)
verifier.fail(challenge, "5xx")
clock.advance("6m")
halyard.settle()

local note = expect.note(ticket, {contains = "identity verification error"})
expect.contains(note.text, "could not be reached at the deadline")
expect.contains(note.text, "could not be confirmed")
expect.contains(note.text, "HTTP 500")
expect.eq(note.text:find("did not answer", 1, true), nil, "the note does not blame the requester")
expect.run(ticket, {state = "verification_failed"})
local events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[event.kind] = true
end
expect.eq(events.verification_error, true, "the run records the error outcome")
expect.eq(events.verification_expired, nil, "the run records no expiry")

-- A provider that answers "pending" at the deadline still expires the check as unanswered.
local second = halo.log_ticket{user = jane, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
verifier.expect_challenge(second)
halyard.settle()
clock.advance("6m")
halyard.settle()
local expired = expect.note(second, {contains = "did not answer the challenge"})
expect.eq(expired.text:find("could not be reached", 1, true), nil, "no provider error")
