-- An Execute-mode client's ticket waits for approval, then a technician moves it to a client
-- halyard does not work. The run stops at once with a hidden note saying why, instead of
-- waiting for an approval it would no longer read until the request expires; the ticket is
-- recorded as skipped for the new client, and an approval after the move runs nothing.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local globex = halo.client{id = 13, name = "Globex Corp"}
local jane = halo.user{name = "Jane Doe", client = acme}
local hank = halo.user{name = "Hank Scorpio", client = globex}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})

halo.update(ticket, {technician = sam, requester = hank})
expect.note(ticket, {contains = "the ticket moved to another client", hidden = true})
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
halyard.settle{timeout = 20}
clock.advance("5m")
halyard.settle{timeout = 20}

expect.eq(halo.ticket(ticket).status_id, 1, "no step ran on the moved ticket")
local by_client = {}
for _, run in ipairs(halyard.runs(ticket)) do
    by_client[run.client_id] = run
end
expect.eq(by_client[12].state, "stopped", "Acme's run")
expect.eq(by_client[13].state, "skipped", "the ticket for Globex")
expect.no_new_note(ticket)
