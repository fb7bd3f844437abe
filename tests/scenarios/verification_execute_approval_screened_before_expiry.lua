-- Execute mode: the assigned technician approves a minute before the request expires, and the
-- webhook of that approval is lost. At the deadline halyard reads the ticket, holds the
-- approval back until its update is screened, and the request does not expire meanwhile, even
-- when HaloPSA is slow: the approval counts once the screen finds the ticket not sensitive.
halyard.config{approval_check_seconds = 600, approval_expiry_minutes = 60}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_status.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

clock.advance("58m")
halyard.settle{}
halo.webhook_fault{drop = 5}
halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
-- The next two reads of the ticket's actions take 3 s each: the sync's, and then the screen's,
-- which outlasts the expiry's wait for the sync that held the approval back.
halo.fault{method = "GET", path = "/api/actions", ticket = ticket.id, latency_ms = 3000,
    times = 2}
clock.advance("3m")
expect.logged("until the update is screened")
expect.note(ticket, {contains = "finished plan"})
halo.clear_faults()
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "expired", "the request did not expire")
end
