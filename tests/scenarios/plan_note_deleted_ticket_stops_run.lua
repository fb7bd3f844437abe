-- A ticket deleted in HaloPSA while halyard wrote its plan note: the note got HTTP 404 and was
-- retried like a server error until its job gave up. A 404 on the plan note means the ticket is
-- gone, so the run stops as a deleted ticket at the first response.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.fault{method = "POST", path = "/api/actions", ticket = ticket, status = 404}
halo.update(ticket, {technician = sam, assign = sam})
halyard.settle()

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
expect.eq(nil, halyard.log():find("kind=note key=note:1 attempt=1 failed, will retry", 1, true),
    "the note is not retried")
