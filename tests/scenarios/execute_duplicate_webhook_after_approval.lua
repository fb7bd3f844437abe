-- Execute mode: every webhook delivery after the approval arrives several times over. Each
-- approved step still runs once: one note, one status change, one closing note.

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
halo.webhook_fault{duplicate = 20}
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
halo.update(ticket, {technician = sam, summary = "Kiosk offline in reception"})
expect.notes(ticket, 3)
expect.no_new_note(ticket)
expect.requests("POST /api/tickets", {exactly = 1})
expect.run(ticket, {state = "done", runs = 1})
