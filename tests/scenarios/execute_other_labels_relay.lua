-- Execute mode: in the assigned technician's reply, a label with other words among the names
-- ("Jane, office manager:", "Tom and Jane:", "Jane Doe (Acme IT):"), initials, a title or a
-- role counted as his own, so the client's approval that he relayed ran the steps. Now only
-- his own name or a heading ("Status:", "Update 09:14:") keeps the approval his, and any
-- other label relays an answer that approves nothing. Each reply is the first answer on a
-- ticket of its own, so no earlier answer decides.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local function ticket_awaiting_approval()
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "asks for approval"})
    return ticket
end

for _, relayed in ipairs({"Jane, office manager: approved", "Tom and Jane: approved",
        "Jane Doe (Acme IT): approved", "J.D.: approved", "Mrs Doe - approved",
        "The customer's manager:\napproved"}) do
    local ticket = ticket_awaiting_approval()
    halo.reply(ticket, {technician = sam, hidden = true, text = relayed})
    expect.logged("a message for the agent")
    halyard.settle()
    expect.run(ticket, {state = "awaiting_approval"})
    expect.eq(halo.ticket(ticket).status_id, 1, relayed .. ": a relayed answer approves nothing")
end

for _, own in ipairs({"Status: approved", "Update 09:14: approved", "Sam: approved"}) do
    local ticket = ticket_awaiting_approval()
    halo.reply(ticket, {technician = sam, hidden = true, text = own})
    expect.run(ticket, {state = "done"})
    expect.eq(halo.ticket(ticket).status_id, 4, own .. ": the technician's own approval ran "
        .. "the steps")
end
