-- Execute mode: twenty write steps of 15,000 bytes each are each under the 16 KiB a step may
-- show, but together over the 256 KiB an approval request may hold. halyard asks for nothing,
-- ends the run incomplete, and its run event names the whole request, not a step.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local steps = {}
for i = 1, 20 do
    steps[#steps + 1] = string.format(
        "{tool = 'halo.add_note', kind = 'write', arguments = {note = %q}, purpose = 'part %d'},",
        string.format("%02d", i) .. string.rep("y", 15000), i)
end
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline", status = "active", scope = "all",
    trigger = "A visitor kiosk is offline.", match = {all = {{"kiosk*"}}},
    instructions = "Note the restart.",
    steps = {
]] .. table.concat(steps, "\n") .. [[
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
local run = expect.run(ticket, {state = "incomplete"})
local detail = nil
for _, event in ipairs(run.events) do
    if event.kind == "incomplete" then
        detail = event.detail
    end
end
expect.contains(detail or "", "the approval request would be too long")
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "asks for approval:", "nothing was asked")
end
