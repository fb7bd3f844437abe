-- Bug: an Execute-mode run with every step auto was carrying out its steps when a technician
-- closed and reopened the ticket while the first step's note waited on HaloPSA. The reopen
-- started a second run with the same plan, so the kiosk was rebooted twice and every note and
-- status written twice. A reopen now starts no new run while a run carries out its steps: that
-- run reads the ticket again before each write step and goes on, once.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto",
    ["kiosk.reboot"] = "auto"}, clients = {} }
]])
halyard.tool("kiosk.lua", {file = "fixtures/kiosk_reboot_tool.lua"})
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_reboot_workflow.lua"})
halyard.import(acme, {mode = "execute"})

-- HaloPSA fails the first step's note once, and the retry waits on the test clock, so the run
-- carries out its steps until the clock moves, however long halyard takes to read the close and
-- the reopen. halyard fetches the ticket when a webhook comes, so it must read the close before
-- the reopen happens, or it sees no close.
halo.fault{method = "POST", path = "/api/actions", ticket = 1, status = 500, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.logged("step 1 queued its write", {timeout = 20})
halo.close(ticket, {technician = sam})
halyard.settle{timeout = 30}
halo.reopen(ticket, {technician = sam})
halyard.settle{timeout = 30}
clock.advance("10m")
halyard.settle{timeout = 30}

local runs = halyard.runs(ticket)
expect.eq(#runs, 1, "runs of the ticket")
local reboots = 0
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("kiosk.reboot: done", 1, true) then
        reboots = reboots + 1
    end
end
expect.eq(reboots, 1, "kiosk reboots reported done")
expect.logged("reopened while the run carries out its steps")
