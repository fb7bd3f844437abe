-- Bug: a requester who approved in time was recorded as expired when halyard reached the
-- deadline before its next poll (busy, or its clock jumped): the deadline job ended the check
-- without asking the provider again. The deadline now polls once more, and a final answer
-- there is the outcome.
verifier.connect{provider = "traceless", timeout_s = 300}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
expect.run(ticket, {state = "awaiting_verification"})

-- Jane approves at once, and halyard's clock passes the deadline before the next poll.
verifier.approve(challenge)
clock.advance("6m")

expect.note(ticket, {contains = "identity verified", timeout = 15})
expect.note(ticket, {contains = "halyard plan for ticket", timeout = 15})
for _, note in ipairs(halyard.notes(ticket)) do
    expect.eq(note.text:find("identity verification expired", 1, true), nil, "no expired note")
end
