-- HaloPSA never notifies halyard of the technician's answer (the webhook is not subscribed to
-- Action Added, or the delivery is lost). halyard reads the ticket of a run awaiting approval
-- every approval_check_seconds anyway, so the approval is found and the step runs once.

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
halo.webhook_fault{drop = 1}
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.no_new_note(ticket, {advance = "1m"})
clock.advance("2m")
expect.note(ticket, {contains = "Restarted the kiosk remotely."})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
