-- One failed poll (the provider responds HTTP 500 once) does not end a challenge the requester
-- is still answering: halyard polls again, and the requester's approval still counts.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local challenge = verifier.expect_challenge(ticket)
verifier.fail(challenge, "5xx")
expect.logged("failed (1 in a row), polling again")

verifier.approve(challenge)
local note = expect.note(ticket, {contains = "identity verified"})
expect.not_contains(note.text, "error")
expect.run(ticket, {state = "done", runs = 1})
