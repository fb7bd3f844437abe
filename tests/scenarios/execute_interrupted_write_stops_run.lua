-- Execute mode: halyard is killed while a write step's tool runs. After the restart the step is
-- not run again (its outcome is unknown), and the run stops there, incomplete, with a closing
-- note that names the step as interrupted and the step after it as not run.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[ return { default = {["*"] = "auto"}, clients = {} } ]])
halyard.tool("acme.lua", [[
return {
    name = "acme.restart_kiosk",
    description = "Restarts a kiosk after looking the requester up.",
    kind = "write",
    parameters = {},
    run = function(arguments, context)
        halo.user(77)
        return {write = "action", note_html = "<p>Kiosk restarted.</p>"}
    end,
}
]])
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Restart the kiosk, then note it.",
    steps = {
        {tool = "acme.restart_kiosk", arguments = {}, purpose = "Restart the kiosk."},
        {tool = "halo.add_note", arguments = {note = "Checked after the restart."},
            purpose = "Record it."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

-- The tool's look-up is slow, so halyard is killed while the tool runs.
halo.fault{method = "GET", path = "/api/users/77", latency_ms = 5000, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception is dark."}
expect.requests("GET /api/users/77", {at_least = 1, timeout = 15})
halyard.restart{kill = true}
halo.clear_faults()

local closing = expect.note(ticket, {contains = "stopped plan", timeout = 30})
expect.run(ticket, {state = "incomplete"})
expect.contains(closing.text, "acme.restart_kiosk")
expect.contains(closing.text, "interrupted")
expect.contains(closing.text, "step 2 halo.add_note")
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "Checked after the restart.", "step 2 never runs")
    expect.not_contains(note.text, "Kiosk restarted.", "step 1 is not run again")
end
