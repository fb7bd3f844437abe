-- The assigned technician approves and then writes "Hold on." before halyard reads either
-- answer (the webhook deliveries are lost, the periodic check reads both at once). The later
-- answer may take the approval back, so no step runs and the request waits for a new answer;
-- a fresh approval afterwards runs the steps once.

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
halyard.settle()
halo.webhook_fault{drop = 2}
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
halo.reply(ticket, {technician = sam, text = "Hold on.", hidden = true})
expect.no_new_note(ticket, {advance = "1m"})
clock.advance("2m")
expect.logged("is held, because action")
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
for _, found in ipairs(halyard.notes(ticket)) do
    expect.not_contains(found.text, "finished plan", "no step ran on the held approval")
end
expect.eq(halo.ticket(ticket).status_id, 1, "the status is unchanged")

-- A new approval after the hold runs the steps once.
halo.reply(ticket, {technician = sam, text = "OK, approved now.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
