-- Regression: a NUL in the ticket's summary dropped the whole diagnosis from the approval
-- request, so the technician approved without seeing what the requester asked. The NUL now
-- reads as U+FFFD and the diagnosis stays, with the words after the NUL.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline \0 at reception",
    details = "blank screen"}
halo.update(ticket, {technician = sam, assign = sam})

local request = expect.note(ticket, {contains = "asks for approval"})
expect.contains(request.text, "Jane Doe (Acme Ltd) wrote:", "the request quotes the requester")
expect.contains(request.text, "at reception", "the words after the NUL stay")
