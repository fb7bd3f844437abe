-- Execute mode: closing a ticket whose run waits for an approval, or for an assignment, stops
-- the run and withdraws its request with a note. An approval written afterwards runs nothing,
-- and the closed ticket stays closed with no new run.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

halo.close(ticket, {technician = sam})
expect.note(ticket, {contains = "the ticket was closed", hidden = true})
local run = expect.run(ticket, {state = "stopped"})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.ticket_closed, "the run has a ticket_closed event")
halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
halyard.settle{}
expect.eq(#halyard.runs(ticket), 1, "an approval after the close starts no run")
expect.run(ticket, {state = "stopped"})
expect.eq(halo.ticket(ticket).status_id, 9, "the closed ticket stays closed")
expect.no_new_note(ticket)

-- The same while the run waits for an assignment.
local unassigned = halo.log_ticket{user = jane, summary = "Kiosk offline again",
    details = "The kiosk by the lifts shows a blank screen."}
expect.note(unassigned, {contains = "assign", hidden = true})
expect.run(unassigned, {state = "awaiting_approval"})
halo.close(unassigned, {technician = sam})
expect.note(unassigned, {contains = "the ticket was closed", hidden = true})
expect.run(unassigned, {state = "stopped"})
halo.update(unassigned, {technician = sam, assign = sam})
halyard.settle{}
expect.eq(#halyard.runs(unassigned), 1, "an assignment after the close starts no run")
expect.run(unassigned, {state = "stopped"})
expect.eq(halo.ticket(unassigned).status_id, 9, "the closed ticket stays closed")
