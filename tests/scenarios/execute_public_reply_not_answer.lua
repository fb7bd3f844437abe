-- Execute mode: only the assigned technician's internal note answers an approval request. A
-- public reply to the requester ("Sure thing." to their question) is recorded as no answer,
-- and a yes or no in it approves and denies nothing.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

halo.reply(ticket, {user = jane, text = "Will someone be able to look at it today?"})
halyard.settle{}
local sure = halo.reply(ticket, {technician = sam, text = "Sure thing.", hidden = false})
expect.logged("action " .. sure .. " by Sam Lead (agent 3) (assigned agent 3): approve")
expect.logged("ignored: not an answer: visible to the requester")
local no = halo.reply(ticket, {technician = sam, text = "No.", hidden = false})
expect.logged("action " .. no .. " by Sam Lead (agent 3) (assigned agent 3): deny")
halyard.settle{}
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "a public reply approves nothing")

halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the internal note approves")
