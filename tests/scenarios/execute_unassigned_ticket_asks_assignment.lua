-- Execute mode: a ticket without an assigned technician gets a note asking for one instead of
-- an approval request, since only the assigned technician may approve. Assigning Sam makes
-- halyard post the request.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}

expect.note(ticket, {contains = "needs an assigned technician"})
expect.run(ticket, {state = "awaiting_approval"})
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval"})
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
expect.no_new_note(ticket)
