-- Execute mode: a client switched back to Plan mode while its run waits for an approval stops
-- that run at once, with a note that says so. An approval that comes later, even after the
-- client is switched back to Execute mode, runs none of the steps, and the ticket is left as it
-- was.

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

-- The switch itself stops the waiting run, before any answer, and a switch back to Execute
-- mode does not bring its request back.
halyard.mode(acme, "plan")
expect.note(ticket, {contains = "the client is in Plan mode now", hidden = true})
local run = expect.run(ticket, {state = "stopped"})
halyard.mode(acme, "execute")
halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.client_plan_mode, "the run has a client_plan_mode event")
halyard.settle{}
expect.eq(halo.ticket(ticket).status_id, 1, "no approved step ran")
expect.notes(ticket, 2) -- the request and the stop: no step's note, no closing note
expect.no_new_note(ticket)
