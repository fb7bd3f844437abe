-- Execute mode: nobody answers the approval request before it expires. halyard adds a note
-- that it expired and the run stops; an approval after that runs nothing.

halyard.config{approval_expiry_minutes = 60}
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
clock.advance("30m")
expect.no_new_note(ticket, {advance = false})
clock.advance("31m")
expect.note(ticket, {contains = "request expired"})
expect.run(ticket, {state = "expired"})

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.no_new_note(ticket)
expect.eq(halo.ticket(ticket).status_id, 1, "an approval after the expiry runs nothing")
expect.run(ticket, {state = "expired"})
