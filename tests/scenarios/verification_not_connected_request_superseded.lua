-- Execute mode with no verification provider connected: a ticket edited into a password reset
-- while its approval request waited was only recorded as sensitive, and the request made for
-- the old plan stayed valid. The request is set aside as for a verified rescreen, and the run
-- is planned again from the edited ticket, with a new request that says the requester's
-- identity was not verified.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
-- The reset asked for in the reply is planned too, and its steps need a registered tool.
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
local first = expect.note(ticket, {contains = "asks for approval"})
expect.not_contains(first.text, "not verified", "the first request is for a ticket that was not sensitive")
expect.run(ticket, {state = "awaiting_approval", runs = 1})

halo.reply(ticket, {user = jane,
    text = "Also I forgot my password, can you reset it and send me the new one?"})
halyard.settle()
local requests = {}
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("asks for approval", 1, true) then
        requests[#requests + 1] = note
    end
end
expect.eq(#requests, 2, "a new request follows the one set aside")
expect.contains(requests[2].text, "not verified", "the new request says the identity was not verified")
local run = expect.run(ticket, {state = "awaiting_approval", runs = 1})
local superseded = nil
local screened = nil
for _, event in ipairs(run.events) do
    if event.kind == "approval_superseded" then
        superseded = event
    end
    if event.kind == "rescreened" and event.detail:find("no verification provider", 1, true) then
        screened = event
    end
end
expect.truthy(superseded, "the first request was set aside when the ticket became sensitive")
expect.truthy(screened, "the run's event says it is planned again without a provider")
