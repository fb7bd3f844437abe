-- A ticket deleted in HaloPSA while the execute job read it: the job's read of the ticket's
-- actions got HTTP 404 and failed like a server error, to be retried. A 404 on the actions of
-- the run's own ticket means the ticket is gone, so the run stops as a deleted ticket.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
halyard.settle()

-- The sync's read of the actions waits two seconds. Every later read of them gets 404.
local actions_read = halo.request_count("GET /api/actions")
halo.fault{method = "GET", path = "/api/actions", ticket = ticket, latency_ms = 2000, times = 1}
halo.reply(ticket, {technician = sam, hidden = true, text = "Approved."})
expect.requests("GET /api/actions", {at_least = actions_read + 1, timeout = 20})
halo.fault{method = "GET", path = "/api/actions", ticket = ticket, status = 404}
halyard.settle{timeout = 30}

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
expect.not_contains(halyard.log(), "listing the actions of ticket", "the read is not retried")
