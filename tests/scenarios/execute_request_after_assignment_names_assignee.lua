-- Execute mode: the plan of a ticket logged without a technician says "no technician
-- assigned". The approval request is posted once Sam is assigned, so its account of the ticket
-- names Sam instead of repeating what was true when halyard planned.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}

expect.note(ticket, {contains = "needs an assigned technician"})
halo.update(ticket, {technician = sam, assign = sam})
local request = expect.note(ticket, {contains = "asks for approval"})
local text = request.text
expect.not_contains(text, "no technician assigned", "the request's account of the ticket")
expect.contains(text, "assigned to Sam Lead", "the request's account of the ticket")
