-- A run sensitive only for a kind its client exempts has its plans compared with that kind. A
-- plan made again under the workflow that declares the exempt kind itself (physical_access)
-- needs no check: no challenge is sent and the waiting approval request remains.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("kiosk_reboot_tool.lua", {file = "fixtures/kiosk_reboot_tool.lua"})
halyard.workflow("kiosk_reboot.lua", {file = "fixtures/kiosk_reboot_workflow.lua"})
halyard.policy("sensitive_settings.lua", [[
return {
    default = {verification_exempt_reasons = {"physical_access"}},
    clients = {},
}
]])
halyard.policy("tools.lua", [[
return {
    default = {
        ["kiosk.reboot"] = "approval_needed",
        ["halo.reply"] = "auto",
        ["halo.add_note"] = "auto",
        ["halo.set_status"] = "auto",
    },
    clients = {},
}
]])
halyard.import(acme, {mode = "execute"})

-- The door fob needs no check for this client, and the kiosk reboot waits for approval.
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk is down. Please also send me a new door fob, mine snapped."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

-- The reply plans the run again, with the physical access workflow matched as before.
halo.reply(ticket, {user = jane, text = "The fob for the side door snapped too, can I get two?"})
halyard.settle()
expect.eq(#verifier.challenges(), 0, "an exempt kind needs no check")
local events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[#events + 1] = event.kind .. ": " .. (event.detail or "")
end
local history = table.concat(events, "\n")
expect.eq(history:find("_sensitive:", 1, true), nil, "the plan is not held for a check")
expect.contains(history, "replanned: the plan is unchanged; its approval request stands",
    "the new plan goes on to the waiting approval request")
