-- Regression: a read of more than 50 new actions stopped classifying at the 50th and acted on
-- what it had read. With 49 requester autoreplies, the assigned technician's "Approved." was
-- the 50th action, it ran the steps, and the "Deny." right after it was never read. Every new
-- action is classified before halyard decides, so the refusal wins, and each action is
-- classified once.

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

-- The webhook deliveries are lost, so the periodic check reads all 51 replies at once.
halo.webhook_fault{drop = 1000}
for i = 1, 49 do
    halo.reply(ticket, {user = jane,
        text = "Automatic reply " .. i .. ": I am out of the office until Monday."})
end
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
halo.reply(ticket, {technician = sam, text = "Deny. Do not do this.", hidden = true})
halo.clear_faults()
clock.advance("3m")
halyard.settle()

expect.run(ticket, {state = "denied"})
expect.logged("more remain unread")
expect.eq(halo.ticket(ticket).status_id, 1, "a refused plan changes no status")
for _, found in ipairs(halyard.notes(ticket)) do
    expect.not_contains(found.text, "finished plan", "no step of the plan ran")
end

-- Each of the 51 replies was classified exactly once.
local run = halyard.runs(ticket)[1]
local seen = {}
local classified = 0
for action in halyard.log():gmatch("run=" .. run.id .. " action (%d+) by ") do
    expect.eq(seen[action], nil, "action " .. action .. " is classified once")
    seen[action] = true
    classified = classified + 1
end
expect.eq(classified, 51, "every reply is classified")
