-- Execute mode: the assigned technician's hidden note "Sam Lead: approved", written by Sam Lead,
-- was read as a relayed answer, so he had to answer again. halyard now tells the approval
-- policy who wrote the reply, so his own name in a speaker's label, after "by" or as a
-- signature keeps the approval his, and short approvals with a reason ("OK to go", "Approved
-- per our policy.") count too. Another person's name still relays an answer that approves
-- nothing. Each reply is the first answer on a ticket of its own, so no earlier answer
-- decides. A label that the lists know as a word ("Mark:") or one in lower case ("jane doe:")
-- counted as Sam's own, so the client's relayed approval ran the steps; it relays now.
-- execute_other_labels_relay.lua has the other labels that relay.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local function ticket_awaiting_approval()
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "asks for approval"})
    return ticket
end

for _, own in ipairs({"Sam Lead: approved", "Approved by Sam Lead.", "Approved\n\nSam Lead\n"
        .. "Service Desk", "Yes - Sam", "OK to go", "Approved per our policy."}) do
    local ticket = ticket_awaiting_approval()
    halo.reply(ticket, {technician = sam, hidden = true, text = own})
    expect.run(ticket, {state = "done"})
    expect.eq(halo.ticket(ticket).status_id, 4, own .. ": the technician's own approval ran "
        .. "the steps")
end

for _, relayed in ipairs({"Jane Doe: approved", "Approved by the client", "Approved per Jane",
        "Jane: OK to go", "Mark Hill: approved", "Sam Lead for Jane Doe: approved",
        "Mark: approved", "jane doe: approved"}) do
    local ticket = ticket_awaiting_approval()
    halo.reply(ticket, {technician = sam, hidden = true, text = relayed})
    expect.logged("a message for the agent")
    halyard.settle()
    expect.run(ticket, {state = "awaiting_approval"})
    expect.eq(halo.ticket(ticket).status_id, 1, relayed .. ": a relayed answer approves nothing")
end

-- halyard names the writer only for the assigned technician, so another technician's own label
-- still reads as a relay, and his reply reaches the agent as a message.
local ticket = ticket_awaiting_approval()
halo.reply(ticket, {technician = alex, hidden = true, text = "Alex Rivera: approved"})
expect.logged("by Alex Rivera (agent 4) (assigned agent 3): neutral (reported_decision)")
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
