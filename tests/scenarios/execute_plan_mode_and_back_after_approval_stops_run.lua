-- Execute mode: the client is switched to Plan mode and straight back while its run, approved
-- a moment before, is planning again before its steps. The switch stops the run before any step
-- runs, as it stops a run carrying out its steps: the approval does not outlive it.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

-- Every read of the ticket's actions waits three seconds until the switches are made, so the
-- approved run stays in planning long enough for both, however busy the machine is.
halo.fault{method = "GET", path = "/api/Actions", latency_ms = 3000, times = 100}
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.run(ticket, {state = "planning", timeout = 60})
halyard.mode(acme, "plan")
halyard.mode(acme, "execute")
halo.clear_faults()
halyard.settle{timeout = 60}

local run = expect.run(ticket, {state = "stopped"})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.plan_mode_switch, "the switch was recorded on the planning run")
expect.truthy(kinds.client_plan_mode, "the run stopped for the switch")
expect.eq(halo.ticket(ticket).status_id, 1, "the approved status change was not made")
-- The note step's action starts with its note; the approval request only quotes it.
local step_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):sub(1, 29) == "Restarted the kiosk remotely." then
        step_notes = step_notes + 1
    end
end
expect.eq(step_notes, 0, "the approved note step after the switches")
