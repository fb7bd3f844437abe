-- Execute mode: a question from the assigned technician is neither an approval nor a deny. It
-- reaches the agent as a message and the ticket is planned again; the plan is the same, so its
-- request stands and no second request is posted. The approval that follows runs the steps.

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
halo.reply(ticket, {technician = sam, text = "Which kiosk is this, the one by the lifts?",
    hidden = true})
expect.logged("a message for the agent")
expect.run(ticket, {state = "awaiting_approval"})
expect.notes(ticket, 1)
expect.eq(halo.ticket(ticket).status_id, 1, "a question approves nothing")
local run = halyard.runs(ticket)[1]
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[#kinds + 1] = event.kind
end
expect.contains(kinds, "messages", "the question was planned with as a message")

halo.reply(ticket, {technician = sam, text = "Yes, go ahead.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
expect.notes(ticket, 3)
expect.no_new_note(ticket)
