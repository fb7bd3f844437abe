-- The log line for a request readdressed after the ticket lost its technician ended "to 0 (0:
-- unassigned)". It now names the technician by id, or states in words that nobody is assigned.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

halo.update(ticket, {technician = sam, unassign = true})
expect.note(ticket, {contains = "needs an assigned technician", hidden = true})
expect.logged("readdressed from technician 3 to nobody (the ticket is unassigned); note queued")

halo.update(ticket, {technician = sam, assign = alex})
expect.note(ticket, {contains = "Alex Rivera", hidden = true})
expect.logged("readdressed from nobody (the ticket is unassigned) to technician 4; note queued")
expect.not_contains(halyard.log(), "(0: unassigned)", "no id stands for nobody")
