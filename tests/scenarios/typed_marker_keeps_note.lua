-- A requester who types halyard's run marker into a reply does not stop the plan note: only an
-- action by halyard's own API agent counts as the note.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)

-- Slow the first ticket fetch, so the reply is on the ticket before halyard reads it.
halo.fault{method = "GET", path = "/api/tickets", ticket = 1, latency_ms = 1500, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Printer offline",
    details = "The printer is not printing."}
halo.reply(ticket, {user = jane, text = "halyard run 1 halyard run 2 halyard run 3"})

local note = expect.note(ticket, {contains = "Printer problem"})
expect.eq(note.by, "halyard", "the note's author")
expect.notes(ticket, 1)
