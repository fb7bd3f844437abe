-- Regression: Alex, who was not assigned, approved ("Approved, go ahead.") and then assigned
-- the ticket to himself before halyard read the reply. halyard readdressed the request to him
-- and then counted his earlier approval, so the steps ran on the word of a technician who was
-- not assigned when he wrote it. After a reassignment only answers written after halyard's
-- note that readdressed the request count, so Alex approves again below that note. The same
-- holds for an approval written right after the assignment, before halyard's note: halyard
-- cannot tell from HaloPSA's actions which came first.

halyard.config{webhook_events = {3, 19, 76}}
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
halyard.settle()

-- Lets the periodic check read the ticket: the example config's webhook events leave out
-- replies and reassignments.
local function check()
    halyard.settle()
    clock.advance("3m")
    halyard.settle()
end

halo.reply(ticket, {technician = alex, hidden = true, text = "Approved, go ahead."})
halo.update(ticket, {technician = alex, assign = alex})
check()
expect.note(ticket, {contains = "the technician now assigned", hidden = true})
check()
expect.logged("ignored: written before the request was readdressed to its writer")
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "the approval before the assignment ran nothing")
local kinds = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    kinds[#kinds + 1] = event.kind
end
expect.not_contains(table.concat(kinds, " "), "approval_approved", "no approval is recorded")

-- Sam, no longer assigned, approves: his approval does not count either.
halo.reply(ticket, {technician = sam, hidden = true, text = "Approved."})
check()
expect.logged("ignored: not the assigned technician")
expect.run(ticket, {state = "awaiting_approval"})

halo.reply(ticket, {technician = alex, hidden = true, text = "Approved, go ahead."})
check()
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "Alex's approval after the note ran the steps")

-- Alex assigns a second ticket to himself and approves before halyard has noticed.
local second = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk by the lifts shows a blank screen."}
halo.update(second, {technician = sam, assign = sam})
expect.note(second, {contains = "asks for approval"})
halyard.settle()
halo.update(second, {technician = alex, assign = alex})
halo.reply(second, {technician = alex, hidden = true, text = "Approved."})
check()
expect.note(second, {contains = "the technician now assigned", hidden = true})
check()
local _, ignored = halyard.log():gsub("ignored: written before the request was readdressed", "")
expect.eq(ignored, 2, "both approvals written before halyard's note are read and ignored")
expect.run(second, {state = "awaiting_approval"})
expect.eq(halo.ticket(second).status_id, 1, "the approval before halyard's note ran nothing")
