-- The events that wait for a ticket HaloPSA returned 404 for are stored as a sync job that
-- starts when the ten-minute window ends, so a restart of halyard in the window loses nothing:
-- the ticket is read and planned once the window ends.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "plan"})

halo.fault{method = "GET", path = "/api/tickets", ticket = 1, status = 404, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The kiosk in reception is offline."}
expect.eq(math.tointeger(ticket.id), 1, "the ticket the fault names")
expect.logged("ticket=1 not found in HaloPSA (HTTP 404)")
halo.update(ticket, {technician = sam, assign = sam})
halyard.settle()

halyard.restart{kill = true}
clock.advance("5m")
expect.notes(ticket, 0)
expect.requests("GET /api/tickets/1", {exactly = 1})

clock.advance("6m")
expect.note(ticket, {contains = "Kiosk offline"})
expect.run(ticket, {runs = 1, state = "done"})
