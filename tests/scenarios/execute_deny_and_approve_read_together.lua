-- The assigned technician refuses and then approves before halyard reads either answer (the
-- webhook deliveries are lost, the periodic check reads both at once). The refusal wins, so
-- no step runs, whatever the order of the two answers.

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
halo.reply(ticket, {technician = sam, text = "No, don't do that.", hidden = true})
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.no_new_note(ticket, {advance = "1m"})
clock.advance("2m")
expect.note(ticket, {contains = "denied"})
expect.run(ticket, {state = "denied"})
expect.no_new_note(ticket)
local notes = halyard.notes(ticket)
for _, found in ipairs(notes) do
    expect.not_contains(found.text, "finished plan", "no closing note")
end
