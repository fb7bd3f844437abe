-- A run under way stops when HaloPSA returns 404 for its ticket, and stays stopped when the
-- ticket can be read again after the ten-minute window: a deleted ticket's approved steps must
-- not run because it came back. Closing and reopening the ticket starts a new run, which is
-- how docs/intake.md has technicians work such a ticket again.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The kiosk in reception is offline."}
halo.update(ticket, {technician = sam, assign = sam})
expect.run(ticket, {state = "awaiting_approval"})

halo.fault{method = "GET", path = "/api/tickets/" .. math.tointeger(ticket.id), status = 404,
    times = 1}
halo.reply(ticket, {user = jane, text = "It is still offline."})
expect.run(ticket, {runs = 1, state = "stopped"})

-- The reply in the window is read at its end, and the run stays stopped.
local read = "GET /api/tickets/" .. math.tointeger(ticket.id)
halo.reply(ticket, {user = jane, text = "Hello? Is anyone there?"})
local reads = expect.requests(read, {at_least = 1})
expect.requests(read, {exactly = reads})
clock.advance("11m")
expect.requests(read, {at_least = reads + 1})
halyard.settle()
expect.run(ticket, {runs = 1, state = "stopped"})

halo.close(ticket, {technician = sam})
halyard.settle()
halo.reopen(ticket, {technician = sam})
expect.run(ticket, {runs = 2, state = "awaiting_approval"})
