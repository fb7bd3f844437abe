-- A ticket deleted after halyard sent the verification outcome note and lost HaloPSA's response:
-- the retry reads the ticket's actions first, got HTTP 404 there, and was retried while the run
-- waited. A 404 on that read means the ticket is gone, so the run stops as a deleted ticket.

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

halo.fault{method = "POST", path = "/api/actions", ticket = ticket, drop_response = true,
    times = 1}
halo.fault{method = "POST", path = "/api/actions", ticket = ticket, status = 404}
halo.fault{method = "GET", path = "/api/actions", ticket = ticket, status = 404}
verifier.approve(challenge)
clock.advance("30m")
halyard.settle()

expect.logged("kind=write key=write:1 attempt=1 failed, will retry")
local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
-- The run's other reads of the ticket's actions may find it gone first, and stop the run the
-- same way.
expect.logged("the ticket was deleted: HaloPSA returned HTTP 404 for write 'verification-1'")
