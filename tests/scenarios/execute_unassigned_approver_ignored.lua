-- Execute mode: only the technician assigned to the ticket may approve. Alex, who is not
-- assigned, approves: his reply is recorded and ignored, and nothing runs. Sam's approval then
-- runs the steps.

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
halo.reply(ticket, {technician = alex, text = "Approved.", hidden = true})
expect.logged("ignored: not the assigned technician")
expect.no_new_note(ticket)
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "the status is unchanged")

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
expect.no_new_note(ticket)
