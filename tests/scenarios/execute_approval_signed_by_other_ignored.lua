-- Execute mode: an approval that the assigned technician writes but signs with another
-- person's name is that person's, relayed, so it runs no step. Bug: "Approved - Jane" and a
-- pasted mail ending in Jane's name block ran the plan's steps as Sam Lead's own approval,
-- and so did "Per our call with Jane, approved". Sam's own signed approval still runs them.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

for _, relayed in ipairs({
    "Approved - Jane",
    "OK to go - Jane",
    "Approved\n\nJane Doe\nOffice Manager\nAcme Ltd",
    "Per our call with Jane, approved",
}) do
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "asks for approval", hidden = true})

    local reply = halo.reply(ticket, {technician = sam, hidden = true, text = relayed})
    expect.logged("action " .. reply .. " by Sam Lead (agent 3) (assigned agent 3): neutral")
    halyard.settle{}
    expect.eq(halo.ticket(ticket).status_id, 1, "a relayed approval runs no step: " .. relayed)
end

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
halo.reply(ticket, {technician = sam, hidden = true, text = "Approved - Sam"})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the technician's own signed approval runs the steps")
