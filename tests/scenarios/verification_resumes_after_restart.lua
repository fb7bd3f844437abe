-- halyard restarts while a requester has a challenge open: the wait resumes from the
-- database, and the answer given meanwhile still lets the agent start.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(ticket)
-- The run waits from the screening on; settling lets halyard record the dispatch's response,
-- because a restart while the challenge is being sent ends the check instead.
halyard.settle()
expect.run(ticket, {state = "awaiting_verification"})

halyard.restart()
expect.run(ticket, {state = "awaiting_verification"})
verifier.approve(challenge)

expect.note(ticket, {contains = "identity verified"})
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done", runs = 1})
expect.eq(#verifier.challenges(), 1, "the restart sent no second challenge")
expect.no_new_note(ticket)
