-- A run sensitive only for a kind its client exempts is planned again with a step of a tool
-- that declares mfa_reset, and no identity provider is connected. The requester cannot be
-- checked, so the tool's step, although set to auto, needs a technician's approval.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("sign_in_methods_tool.lua", {file = "fixtures/sign_in_methods_tool.lua"})
halyard.tool("kiosk_reboot_tool.lua", {file = "fixtures/kiosk_reboot_tool.lua"})
halyard.workflow("kiosk_reboot.lua", {file = "fixtures/kiosk_reboot_workflow.lua"})
halyard.workflow("phone_swap.lua", {file = "fixtures/phone_swap_workflow.lua"})
halyard.policy("sensitive_settings.lua", [[
return {
    default = {verification_exempt_reasons = {"physical_access"}},
    clients = {},
}
]])
halyard.policy("tools.lua", [[
return {
    default = {
        ["m365.move_sign_in_methods"] = "auto",
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
expect.eq(#verifier.challenges(), 0, "a door fob needs no verification for this client")

-- The reply plans a step of a tool that declares mfa_reset, which the client does not exempt.
halo.reply(ticket, {user = jane, text = "The phone swap is done as well."})
halyard.settle()
local events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[#events + 1] = event.kind .. ": " .. (event.detail or "")
end
local history = table.concat(events, "\n")
expect.contains(history, "tool_sensitive: a step of the plan uses the tool "
    .. "m365.move_sign_in_methods", "the run event names the tool")
expect.eq(halyard.log():find("ran m365.move_sign_in_methods", 1, true), nil,
    "the tool did not run without approval")
expect.contains(history, "screened: sensitive; verification not_connected",
    "the run is screened with no provider")
expect.contains(history, "6 steps, 6 needing approval", "every write of the new plan needs approval")
expect.eq(#verifier.challenges(), 0, "no challenge is sent without a provider")
