-- Plan mode: after Jane passed her check, Bob's harmless reply leaves the run as it is, with no
-- note. His later reply asking for a password reset of his own still gets the note that names
-- him, and from then on every write needs a technician's approval.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{id = 79, name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})
halyard.settle()
local notes_before = #halyard.notes(ticket)

halo.reply(ticket, {user = bob, text = "Thanks, same problem here."})
expect.no_new_note(ticket, {advance = false})
expect.eq(#halyard.notes(ticket), notes_before, "no note for a harmless reply")
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    expect.truthy(event.kind ~= "other_requester", "the check still counts")
end

halo.reply(ticket, {user = bob, text = "Actually I forgot mine too, please reset my password."})
local note = expect.note(ticket, {contains = "another end user wrote", hidden = true})
expect.contains(note.text, "Bob Stone", "the note names the writer")
expect.contains(note.text, "Jane Doe", "the note names whose check passed")
expect.run(ticket, {state = "done", runs = 1})
expect.eq(#verifier.challenges(), 1, "Jane is not challenged for Bob's request")
