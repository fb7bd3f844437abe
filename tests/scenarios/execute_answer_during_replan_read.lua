-- Execute mode: a question makes the agent plan again, and the assigned technician approves
-- while it does (HaloPSA is slow to answer halyard's read of the ticket, and the webhook of the
-- approval is lost). The plan is unchanged, so its request stands, and the approval written
-- meanwhile is read as soon as the run waits again, not only at the next periodic check.

halyard.config{approval_check_seconds = 120}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()

-- The question makes the agent plan again. HaloPSA takes 3 s to answer each of halyard's next
-- four reads of the ticket: three come before the question is read as a message for the agent,
-- and the fourth is the new plan's, in which the approval lands. The fault is set before the
-- question because a fast simulator lets the new plan read the ticket before a fault set after
-- the message line would apply.
halo.fault{method = "GET", path = "/api/Tickets", ticket = ticket, latency_ms = 3000, times = 4}
halo.reply(ticket, {technician = sam, text = "Is the kiosk in reception or upstairs?",
    hidden = true})
expect.logged("a message for the agent")
halo.webhook_fault{drop = 1}
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
