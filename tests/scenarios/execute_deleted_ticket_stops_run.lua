-- A ticket deleted in HaloPSA while its run waits for approval: the next sync finds it gone
-- (HaloPSA responds 404) and stops the run, so no check, expiry or write waits on it any more.

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

local id = halo.ticket(ticket).id
halo.fault{method = "GET", path = "/api/tickets/" .. math.tointeger(id), status = 404}
clock.advance("3m")
expect.run(ticket, {state = "stopped"})
expect.no_new_note(ticket)
