-- A new ticket of an imported client gets one hidden plan note written by halyard's API agent,
-- and the run that wrote it ends done.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Hi, I forgot my password and I am locked out of my laptop. Thanks, Jane"}

local note = expect.note(ticket, {contains = "Password reset"})
expect.eq(note.hidden, true, "the note is hidden from the user")
expect.contains(note.html, "halyard run", "the note carries the run marker")
expect.run(ticket, {state = "done", runs = 1})
expect.no_new_note(ticket)
