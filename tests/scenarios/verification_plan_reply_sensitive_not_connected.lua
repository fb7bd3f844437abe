-- Plan mode with no verification provider connected: a ticket edited into a password reset
-- after its plan note was posted stayed done without a word, so the technician never learned
-- that the new request's requester was not verified. A Plan-mode run posts one plan note, so
-- the run stays done and a note of its own says the requester's identity was not verified.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
halo.update(ticket, {technician = sam, assign = sam})
local plan = expect.note(ticket, {contains = "halyard plan for ticket"})
expect.not_contains(plan.text, "identity was not verified", "the first ticket was not sensitive")
expect.run(ticket, {state = "done", runs = 1})

halo.reply(ticket, {user = jane, text = "Also I forgot my password, please reset it."})
local note = expect.note(ticket, {contains = "identity was not verified", hidden = true})
expect.contains(note.text, "password_reset", "the note names the policy's reason")
expect.contains(note.text, "another way", "the note says what to do")
expect.run(ticket, {state = "done", runs = 1})
halyard.settle()
expect.eq(#halyard.notes(ticket), 2, "the plan note and the new note, nothing more")
expect.no_new_note(ticket)
