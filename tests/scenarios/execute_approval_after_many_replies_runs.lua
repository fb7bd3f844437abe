-- An approval read after more than 50 other new actions, in a later batch of the same read,
-- still runs the steps.

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
for i = 1, 60 do
    halo.reply(ticket, {user = jane,
        text = "Automatic reply " .. i .. ": I am out of the office until Monday."})
end
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
halo.clear_faults()
clock.advance("3m")
halyard.settle()

expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status step ran")
