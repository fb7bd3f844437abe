-- Execute mode: an approval written while the approval request could not be posted (HaloPSA
-- failed every POST of an action) does not count once the request is in HaloPSA, because the
-- technician could not have seen the request. Only a reply added after the request note does.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

halo.fault{method = "POST", path = "/api/actions", ticket = 1, status = 500, times = 100}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle{}
expect.notes(ticket, 0)

local early = halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
halyard.settle{}
halo.clear_faults()
clock.advance("10m")
expect.note(ticket, {contains = "asks for approval", hidden = true})
halyard.settle{}
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "an approval older than the request runs no step")

halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "an approval after the request runs the steps")
