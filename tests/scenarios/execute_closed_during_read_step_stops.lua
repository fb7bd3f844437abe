-- Execute mode: a ticket closed while a read step waits on HaloPSA stops the run before its
-- next step, a write that runs automatically (the tool policy sets it to auto). The closed
-- ticket stays closed and gets no note from the step. The stop note names the step that ran.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

-- The read step (halo.get_user) waits three seconds for HaloPSA, and the close comes meanwhile.
halo.fault{method = "GET", path = "/api/users", latency_ms = 3000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.requests("GET /api/users/" .. jane.id, {at_least = 1, timeout = 20})
halo.close(ticket, {technician = sam})
halyard.settle{timeout = 30}

-- The note step's action starts with its note, but a plan note only quotes it in its list of
-- steps.
local step_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):sub(1, 29) == "Restarted the kiosk remotely." then
        step_notes = step_notes + 1
    end
end
expect.eq(step_notes, 0, "the note step on the closed ticket")
expect.eq(halo.ticket(ticket).status_id, 9, "the ticket stays closed")
local run = expect.run(ticket, {state = "stopped"})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.ticket_closed, "the run has a ticket_closed event")
local note = expect.note(ticket, {contains = "the ticket was closed", hidden = true})
expect.contains(note.text, "step 1 (halo.get_user: done)", "the stop note names the step that ran")
expect.contains(note.text, "none of the steps after it", "the stop note says the rest did not run")
expect.eq(#halyard.runs(ticket), 1, "no new run")
