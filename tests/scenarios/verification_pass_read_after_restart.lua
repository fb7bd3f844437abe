-- Bug: a requester who approved in time was recorded as expired when halyard was killed and
-- came back past the deadline: the deadline job ran before any poll read the approval. The
-- deadline now polls once more, so the approval counts.
verifier.connect{provider = "traceless", timeout_s = 300}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
expect.run(ticket, {state = "awaiting_verification"})

-- Jane approves, halyard is killed, and it comes back with its clock past the deadline.
verifier.approve(challenge)
halyard.restart{kill = true}
clock.advance("6m")
-- The deadline may run before the scripts have loaded; its retry comes a second or two later.
halyard.settle()
clock.advance("10s")

expect.note(ticket, {contains = "identity verified", timeout = 15})
expect.note(ticket, {contains = "halyard plan for ticket", timeout = 15})
for _, note in ipairs(halyard.notes(ticket)) do
    expect.eq(note.text:find("identity verification expired", 1, true), nil, "no expired note")
end
