-- A challenge already out for the requester's own request stays hers when another end user
-- replies while it waits. Bob's reply does not replace Jane's check: once Jane passes, the run
-- is other_requester as on any verified ticket another end user wrote on, and a note names Bob.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged for her own request")

halo.reply(ticket, {user = bob, text = "Please reset my password too."})
halyard.settle{timeout = 20}
verifier.approve(challenge)
clock.advance("3s")
expect.note(ticket, {contains = "identity verified"})
local other = expect.note(ticket, {contains = "another end user wrote on this ticket", hidden = true})
expect.contains(other.text, "Bob Stone", "the note names Bob")
halyard.settle{timeout = 20}
expect.eq(#verifier.challenges(), 1, "one challenge, for Jane's own request")
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "is not the requester's own", "Jane's own request is hers")
end
