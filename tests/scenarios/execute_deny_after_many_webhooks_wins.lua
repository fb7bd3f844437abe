-- Regression: a read of more than 50 new actions acted on the first 50 alone. Here every
-- webhook arrives, late, so the first delivery's read finds all 49 requester autoreplies and
-- the assigned technician's "Approved." and "Deny." after them. The refusal wins.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()

halo.webhook_fault{delay_ms = 1000}
for i = 1, 49 do
    halo.reply(ticket, {user = jane,
        text = "Automatic reply " .. i .. ": I am out of the office until Monday."})
end
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
halo.reply(ticket, {technician = sam, text = "Deny. Do not do this.", hidden = true})
halyard.settle()
halo.clear_faults()
clock.advance("3m")
halyard.settle()

expect.run(ticket, {state = "denied"})
expect.eq(halo.ticket(ticket).status_id, 1, "a refused plan changes no status")
for _, found in ipairs(halyard.notes(ticket)) do
    expect.not_contains(found.text, "finished plan", "no step of the plan ran")
end
