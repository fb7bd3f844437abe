-- A ticket deleted in HaloPSA between the sync that read its approval and the execute job: the
-- execute job's read of the ticket got HTTP 404 and failed like a server error, to be retried.
-- A 404 on any read of the run's own ticket means the ticket is gone, so the run stops as a
-- deleted ticket, as after a 404 to one of its writes.

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

-- The sync's read of the actions waits two seconds, and the ticket is deleted meanwhile, after
-- the sync read it and before the execute job reads it.
local actions_read = halo.request_count("GET /api/actions")
halo.fault{method = "GET", path = "/api/actions", ticket = ticket, latency_ms = 2000, times = 1}
halo.reply(ticket, {technician = sam, hidden = true, text = "Approved."})
expect.requests("GET /api/actions", {at_least = actions_read + 1, timeout = 20})
halo.fault{method = "GET", path = "/api/tickets", ticket = ticket, status = 404}
halyard.settle{timeout = 30}

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
expect.not_contains(halyard.log(), "reading ticket " .. math.tointeger(ticket.id) .. " failed",
    "the read is not failed and retried")
