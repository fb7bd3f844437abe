-- A ticket deleted in HaloPSA between its sync and the screening of its new run: the screen
-- job's read of the ticket got HTTP 404 and ended the job, leaving the run in planning for
-- good. The ticket is gone, so the run stops as a deleted ticket.

verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

-- The sync's read of the actions waits two seconds, and the ticket is deleted meanwhile.
halo.fault{method = "GET", path = "/api/actions", ticket = 1, latency_ms = 2000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
expect.requests("GET /api/actions", {at_least = 1, timeout = 20})
halo.fault{method = "GET", path = "/api/tickets", ticket = ticket, status = 404}
halo.fault{method = "GET", path = "/api/actions", ticket = ticket, status = 404}
halyard.settle{timeout = 30}

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
expect.eq(#verifier.challenges(), 0, "no challenge was sent")
