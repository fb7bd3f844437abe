-- An Execute-mode client's ticket waits for approval, then a technician moves it to a client in
-- Plan mode (its requester becomes that client's user). The old client's run stops with a
-- hidden note and its approval request is withdrawn. The new client's agent writes a plan of
-- its own, so the approvals that follow run nothing on the ticket of a Plan-mode client.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local globex = halo.client{id = 13, name = "Globex Corp"}
local jane = halo.user{name = "Jane Doe", client = acme}
local hank = halo.user{name = "Hank Scorpio", client = globex}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})
halyard.import(globex, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})

halo.update(ticket, {technician = sam, requester = hank})
expect.eq(halo.ticket(ticket).client_id, 13, "the ticket is Globex's now")
expect.note(ticket, {contains = "the ticket moved to another client", hidden = true})

-- Sam answers as a technician who trusts halyard would, twice.
for _ = 1, 2 do
    halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
    halyard.settle{timeout = 20}
end
-- A rescreen that found the new run busy waits a little on the test clock.
clock.advance("1m")
halyard.settle{timeout = 20}

expect.eq(halo.ticket(ticket).status_id, 1, "no step ran on the Plan-mode client's ticket")
local by_client = {}
for _, run in ipairs(halyard.runs(ticket)) do
    by_client[run.client_id] = run
end
expect.eq(by_client[12].state, "stopped", "Acme's run")
expect.eq(by_client[12].events[#by_client[12].events].kind, "client_changed",
    "Acme's run's last event")
expect.eq(by_client[13].mode, "plan", "Globex's run's mode")
expect.eq(by_client[13].state, "done", "Globex's run")
-- Acme's approval request, its stop note and Globex's plan note; no step's note.
local notes = halyard.notes(ticket)
expect.eq(#notes, 3, "halyard's notes")
expect.contains(notes[3].text, "halyard plan for ticket #1")
