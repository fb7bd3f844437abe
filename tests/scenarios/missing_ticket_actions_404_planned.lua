-- HaloPSA returns 404 once for the list of a ticket's actions, after the ticket itself was
-- read: halyard takes the ticket as missing, as for a 404 on the ticket. The reply that comes
-- within the next ten minutes waits, and the window's end reads the ticket and plans it.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "plan"})

halo.fault{method = "GET", path = "/api/actions", ticket = 1, status = 404, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The kiosk in reception is offline."}
expect.eq(math.tointeger(ticket.id), 1, "the ticket the fault names")
expect.logged("ticket=1 not found in HaloPSA (HTTP 404)")
expect.requests("GET /api/tickets/1", {exactly = 1})

halo.reply(ticket, {user = jane, text = "It is still offline."})
expect.notes(ticket, 0)
expect.requests("GET /api/tickets/1", {exactly = 1})

clock.advance("11m")
expect.note(ticket, {contains = "Kiosk offline"})
expect.run(ticket, {runs = 1, state = "done"})
