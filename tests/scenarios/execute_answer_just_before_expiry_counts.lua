-- Execute mode: the assigned technician approves a minute before the request expires, and the
-- webhook of that answer is lost. When the deadline comes, halyard reads the ticket before it
-- lets the request expire, so the approval counts and the steps run, instead of a note saying
-- the technician did not answer.

halyard.config{approval_check_seconds = 600, approval_expiry_minutes = 60}
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

clock.advance("58m")
halyard.settle{}
halo.webhook_fault{drop = 5}
halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
clock.advance("3m")
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "expired", "no expiry note under the approval")
end
