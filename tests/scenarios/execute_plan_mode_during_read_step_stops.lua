-- Execute mode: a client switched to Plan mode while its run's read step waits on HaloPSA
-- stops the run before its next step, a write that runs automatically (the tool policy sets
-- it to auto). The ticket gets no note and no status from the run's steps.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

-- The read step (halo.get_user) waits three seconds for HaloPSA, and the switch comes meanwhile.
halo.fault{method = "GET", path = "/api/users", latency_ms = 3000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.requests("GET /api/users/" .. jane.id, {at_least = 1, timeout = 20})
halyard.mode(acme, "plan")
halyard.settle{timeout = 30}

-- The note step's action starts with its note, but a plan note only quotes it in its list of
-- steps.
local step_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):sub(1, 29) == "Restarted the kiosk remotely." then
        step_notes = step_notes + 1
    end
end
expect.eq(step_notes, 0, "the note step after the switch to Plan mode")
expect.eq(halo.ticket(ticket).status_id ~= 4, true, "the status step after the switch")
local run = expect.run(ticket, {state = "stopped"})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.client_plan_mode, "the run has a client_plan_mode event")
local note = expect.note(ticket, {contains = "the client is in Plan mode now", hidden = true})
expect.contains(note.text, "step 1 (halo.get_user: done)", "the stop note names the step that ran")
expect.contains(note.text, "none of the steps after it", "the stop note says the rest did not run")
