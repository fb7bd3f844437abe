-- Execute mode: the ticket is read again before a write step that follows a slow read step.
-- When HaloPSA fails that read, the execute job fails and runs again on its backoff: the read
-- step is not run twice, and the write step runs once, after a read that succeeded.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

-- The read step (halo.get_user) waits three seconds for HaloPSA, and the ticket read after it
-- gets a 500.
halo.fault{method = "GET", path = "/api/users", latency_ms = 3000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.requests("GET /api/users/" .. jane.id, {at_least = 1, timeout = 20})
halo.fault{method = "GET", path = "/api/tickets", ticket = ticket.id, status = 500, times = 1}
expect.logged("reading ticket " .. ticket.id .. " before step 2 failed", {timeout = 20})
expect.notes(ticket, 0)

clock.advance("5m")
expect.run(ticket, {state = "done", timeout = 20})
local step_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):sub(1, 29) == "Restarted the kiosk remotely." then
        step_notes = step_notes + 1
    end
end
expect.eq(step_notes, 1, "the note step's notes")
expect.eq(halo.ticket(ticket).status_id, 4, "the status step ran")
expect.requests("GET /api/users/" .. jane.id, {exactly = 1})
