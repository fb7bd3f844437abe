-- Closing a ticket ends its run's part; reopening it starts a new run with a new plan note.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "VPN not connecting",
    details = "The VPN client says the connection timed out since this morning."}
expect.note(ticket)
expect.run(ticket, {state = "done", runs = 1})

halo.close(ticket, {technician = sam})
expect.no_new_note(ticket)
expect.run(ticket, {runs = 1})

halo.reopen(ticket, {technician = sam})
expect.run(ticket, {state = "done", runs = 2})
local notes = expect.notes(ticket, 2)
expect.contains(notes[2].html, "halyard run " .. halyard.runs(ticket)[1].id,
    "the second note carries the new run's marker")
