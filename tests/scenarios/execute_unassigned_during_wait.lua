-- Execute mode: the ticket loses its technician while the request waits. halyard asks for an
-- assignment once, an approval from the former assignee counts for nothing, and once Alex is
-- assigned the request is addressed to Alex, whose approval runs the step.

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

-- Sam is taken off the ticket: one note asks for an assignment, and a repeated save adds none.
halo.update(ticket, {technician = sam, unassign = true})
local asking = expect.note(ticket, {contains = "needs an assigned technician", hidden = true})
expect.eq(halo.ticket(ticket).agent_id, 0, "the simulator holds no assignee")
halo.update(ticket, {technician = sam, priority = 2})
expect.no_new_note(ticket, {advance = "5m"})

-- Nobody is assigned, so Sam's approval is recorded and runs nothing.
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.logged("ignored: not the assigned technician")
expect.no_new_note(ticket)
expect.run(ticket, {state = "awaiting_approval"})

-- Alex is assigned: one note names Alex, and Alex's approval runs the step once.
halo.update(ticket, {technician = sam, assign = alex})
local to_alex = expect.note(ticket, {contains = "Alex Rivera", hidden = true})
expect.truthy(to_alex.id ~= asking.id, "a second note, for Alex")
halo.reply(ticket, {technician = alex, text = "Go ahead.", hidden = true})
expect.note(ticket, {contains = "Restarted the kiosk remotely."})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.no_new_note(ticket)
