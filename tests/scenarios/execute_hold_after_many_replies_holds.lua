-- Regression: a read of more than 50 new actions acted on the first 50 alone, so an approval
-- that was the 50th action ran the steps although the technician's "Hold on." right after it
-- takes it back. Read together, the approval is held and the request waits for a new answer.

halyard.config{approval_check_seconds = 120}
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

halo.webhook_fault{drop = 1000}
for i = 1, 49 do
    halo.reply(ticket, {user = jane,
        text = "Automatic reply " .. i .. ": I am out of the office until Monday."})
end
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
halo.reply(ticket, {technician = sam, text = "Hold on.", hidden = true})
halo.clear_faults()
clock.advance("2m")
expect.logged("is held, because action")
halyard.settle()

expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "a held approval changes no status")
for _, found in ipairs(halyard.notes(ticket)) do
    expect.not_contains(found.text, "finished plan", "no step ran on the held approval")
end
