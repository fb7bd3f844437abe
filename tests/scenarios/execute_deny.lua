-- Execute mode, denied: the assigned technician's "no, don't do that" stops the run with a
-- note, and none of the steps that needed approval runs.

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
halo.reply(ticket, {technician = sam, text = "No, don't do that. I will go and look myself.",
    hidden = true})
expect.note(ticket, {contains = "approval denied"})
expect.run(ticket, {state = "denied"})
expect.eq(halo.ticket(ticket).status_id, 1, "the status is unchanged")
expect.requests("POST /api/tickets", {exactly = 0})
expect.notes(ticket, 2)
expect.no_new_note(ticket)
