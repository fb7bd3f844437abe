-- Execute mode: a ticket deleted in HaloPSA while a read step waits on HaloPSA. The read of the
-- ticket before the next write step got HTTP 404 and failed like a server error, to be
-- retried. The ticket is gone, so the run stops as a deleted ticket and the write step does
-- not run.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

-- The read step (halo.get_user) waits three seconds for HaloPSA, and the ticket is deleted
-- meanwhile.
halo.fault{method = "GET", path = "/api/users", latency_ms = 3000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.requests("GET /api/users/" .. jane.id, {at_least = 1, timeout = 20})
halo.fault{method = "GET", path = "/api/tickets", ticket = ticket, status = 404}
halo.fault{method = "GET", path = "/api/actions", ticket = ticket, status = 404}
halyard.settle{timeout = 30}

local run = expect.run(ticket, {state = "stopped"})
local last = run.events[#run.events]
expect.eq("ticket_deleted", last.kind, "the run's last event")
expect.logged("stopped: the ticket was deleted")
expect.not_contains(halyard.log(), "before step 2 failed", "the read is not failed and retried")

-- The note step's action starts with its note, but a plan note only quotes it in its list of
-- steps.
local step_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):sub(1, 29) == "Restarted the kiosk remotely." then
        step_notes = step_notes + 1
    end
end
expect.eq(step_notes, 0, "the note step on the deleted ticket")
