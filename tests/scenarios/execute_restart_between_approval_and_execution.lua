-- Execute mode: halyard is killed after it recorded the approval and before the approved steps
-- ran. Its stored jobs carry on after the restart, and each step runs once.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})

expect.note(ticket, {contains = "asks for approval"})

-- The ticket reads after the approval are slow (the update is screened, then synced, then the
-- plan is written again), so halyard is killed while the approved plan is being written.
halo.fault{method = "GET", path = "/api/tickets/" .. ticket.id, latency_ms = 3000, times = 6}
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.run(ticket, {state = "planning", timeout = 30})
halyard.restart{kill = true}
halo.clear_faults()

expect.note(ticket, {contains = "finished plan", timeout = 30})
expect.run(ticket, {state = "done"})
expect.notes(ticket, 3)
expect.no_new_note(ticket)
expect.requests("POST /api/tickets", {exactly = 1})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
