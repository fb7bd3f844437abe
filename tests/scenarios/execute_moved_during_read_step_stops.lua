-- Execute mode: a ticket moved to another client while a read step waits on HaloPSA stops the
-- run before its next step, a write. The write steps run automatically (the tool policy sets
-- them to auto), so nothing but that check keeps the old client's note and status off the
-- ticket. The stop note names the step that ran and states that none of the steps after it ran.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local globex = halo.client{id = 13, name = "Globex Corp"}
local jane = halo.user{name = "Jane Doe", client = acme}
local hank = halo.user{name = "Hank Scorpio", client = globex}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})
halyard.import(globex, {mode = "plan"})

-- The read step (halo.get_user) waits three seconds for HaloPSA, and the move comes meanwhile.
halo.fault{method = "GET", path = "/api/users", latency_ms = 3000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.requests("GET /api/users/" .. jane.id, {at_least = 1, timeout = 20})
halo.update(ticket, {technician = sam, requester = hank})
expect.eq(halo.ticket(ticket).client_id, 13, "the ticket is Globex's now")
halyard.settle{timeout = 30}

-- The note step's action starts with its note, but a plan note only quotes it in its list of
-- steps.
local step_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):sub(1, 29) == "Restarted the kiosk remotely." then
        step_notes = step_notes + 1
    end
end
expect.eq(step_notes, 0, "Acme's note step on Globex's ticket")
expect.eq(halo.ticket(ticket).status_id ~= 4, true, "Acme's status step on Globex's ticket")

local by_client = {}
for _, run in ipairs(halyard.runs(ticket)) do
    by_client[run.client_id] = run
end
expect.eq(by_client[12].state, "stopped", "Acme's run")
expect.truthy(by_client[13], "Globex's own run")
local note = expect.note(ticket, {contains = "the ticket moved to another client", hidden = true})
expect.contains(note.text, "step 1 (halo.get_user: done)", "the stop note names the step that ran")
expect.contains(note.text, "none of the steps after it", "the stop note says the rest did not run")
expect.not_contains(note.text, "ran none of the steps waiting", "the stop note's old wording")
