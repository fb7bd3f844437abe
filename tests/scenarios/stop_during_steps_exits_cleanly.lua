-- Bug: stopping halyard while an Execute-mode run's read step waited on HaloPSA crashed it
-- (a segmentation fault on SIGTERM): shutting down cancelled the run's Lua call, and then
-- cancelled the freed call again. The scenario ends with the step still waiting, so halyard is
-- stopped in that state, and a restart then finds the database as it was left.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

-- The read step (halo.get_user) waits five seconds for HaloPSA; halyard stops meanwhile.
halo.fault{method = "GET", path = "/api/users", latency_ms = 5000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.requests("GET /api/users/" .. jane.id, {at_least = 1, timeout = 20})
halyard.restart()
expect.run(ticket, {state = "executing"})
