-- A ticket deleted in HaloPSA while its requester was being checked: the outcome note's write
-- got HTTP 404 and the run ended failed with write_failed. A 404 on a write to the run's own
-- ticket means the ticket is gone, so the run stops as a deleted ticket.

verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(ticket)

local id = math.tointeger(halo.ticket(ticket).id)
halo.fault{method = "GET", path = "/api/tickets/" .. id, status = 404}
halo.fault{method = "GET", path = "/api/actions", ticket = ticket, status = 404}
halo.fault{method = "POST", path = "/api/actions", ticket = ticket, status = 404}
verifier.approve(challenge)
clock.advance("30m")
halyard.settle()

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
expect.no_new_note(ticket)
