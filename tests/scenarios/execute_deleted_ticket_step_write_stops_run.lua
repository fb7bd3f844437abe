-- A ticket deleted in HaloPSA between its approval and its steps: the step's note got HTTP 404,
-- which read as a rejected value. A 404 on a write to the run's own ticket stops the run as a
-- deleted ticket, and no closing note is tried on the missing ticket.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})

halo.reply(ticket, {technician = sam, hidden = true, text = "Approved."})
halo.fault{method = "POST", path = "/api/actions", ticket = ticket, status = 404}
halo.fault{method = "POST", path = "/api/tickets", status = 404}
halyard.settle()
clock.advance("30m")
halyard.settle()

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
