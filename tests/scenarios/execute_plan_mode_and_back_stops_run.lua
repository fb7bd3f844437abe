-- Execute mode: a client switched to Plan mode and straight back to Execute mode while its
-- run's read step waits on HaloPSA still stops the run before its next step. The switch to Plan
-- mode is the MSP saying "stop": switching back does not take the run up again, as it does not
-- bring back a waiting run's withdrawn request.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

-- The read step (halo.get_user) waits three seconds for HaloPSA; both switches come meanwhile,
-- so the client is in Execute mode again when the run looks before its next step.
halo.fault{method = "GET", path = "/api/users", latency_ms = 3000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.requests("GET /api/users/" .. jane.id, {at_least = 1, timeout = 20})
halyard.mode(acme, "plan")
halyard.mode(acme, "execute")
halyard.settle{timeout = 30}

local step_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):sub(1, 29) == "Restarted the kiosk remotely." then
        step_notes = step_notes + 1
    end
end
expect.eq(step_notes, 0, "the note step after the switch to Plan mode and back")
expect.eq(halo.ticket(ticket).status_id ~= 4, true, "the status step after the switches")
local run = expect.run(ticket, {state = "stopped"})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.plan_mode_switch, "the switch was recorded on the executing run")
expect.truthy(kinds.client_plan_mode, "the run stopped for the switch")
local note = expect.note(ticket, {contains = "switched to Plan mode", hidden = true})
expect.contains(note.text, "step 1 (halo.get_user: done)", "the stop note names the step that ran")
expect.contains(note.text, "does not take this run up again",
    "the stop note says switching back does not resume the run")
