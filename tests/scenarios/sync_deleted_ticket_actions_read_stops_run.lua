-- A ticket deleted in HaloPSA between the sync's read of the ticket and its read of the
-- ticket's actions: the actions read got HTTP 404 and failed like a server error, to be
-- retried. The ticket is gone, so the sync stops the run waiting for approval as a deleted
-- ticket.

halyard.config{approval_check_seconds = 120}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

halo.fault{method = "GET", path = "/api/actions", ticket = ticket, status = 404}
clock.advance("3m")
halyard.settle()

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
expect.not_contains(halyard.log(), "listing the actions of ticket", "the read is not retried")
expect.no_new_note(ticket)
