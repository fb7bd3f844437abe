-- Execute mode: the ticket is logged without a technician, then assigned to Sam and at once
-- to Alex, and halyard misses the webhooks of Sam's assignment. The approval request, posted
-- once halyard sees Alex, names Alex in its account of the ticket: it is written from the
-- ticket's state when it is posted, not from the diagnosis made while the ticket had no technician.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.note(ticket, {contains = "needs an assigned technician"})

-- An assignment raises Ticket Updated and Ticket Reassigned: both deliveries are lost.
halo.webhook_fault{drop = 2}
halo.update(ticket, {technician = sam, assign = sam})
halo.update(ticket, {technician = sam, assign = alex})

local request = expect.note(ticket, {contains = "asks for approval"})
local text = request.text
expect.contains(text, "assigned to Alex Rivera", "the request's account of the ticket")
expect.not_contains(text, "Sam Lead", "the request")
expect.not_contains(text, "no technician assigned", "the request's account of the ticket")
expect.contains(text, "Alex Rivera, the technician assigned to this ticket",
    "who may answer the request")
expect.no_new_note(ticket)

halo.reply(ticket, {technician = alex, text = "Go ahead.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
