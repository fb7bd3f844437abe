-- A ticket that no active workflow matches still gets its plan note, and the note states that
-- no workflow matched.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Question about the invoice",
    details = "Could you tell me which cost centre the March invoice was booked to?"}

local note = expect.note(ticket)
expect.contains(note.html, "None of the active workflows matched.")
expect.run(ticket, {state = "done"})
