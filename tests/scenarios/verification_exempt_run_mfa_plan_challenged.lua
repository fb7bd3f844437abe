-- Regression: a ticket was sensitive only for physical_access (a door fob), which Acme exempts
-- from verification, so the run needed no check, and its kiosk reboot waited for approval.
-- Jane then replied "The phone swap is done as
-- well.", which the sensitive policy does not flag, and the run was planned again with a step
-- of a tool that declares mfa_reset. The step, set to auto, ran on her account with no check.
-- Such a run's plans are now compared with its exempt kinds, so a plan under a kind the client
-- does not exempt sends a challenge before any step runs.
verifier.connect{provider = "traceless"}
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
expect.eq(#verifier.challenges(), 1, "a challenge for the tool's kind")
local challenge = verifier.challenges()[1]
expect.contains(challenge.request.purpose, "MFA", "the challenge names the MFA reset")
expect.eq(halyard.log():find("ran m365.move_sign_in_methods", 1, true), nil,
    "the tool did not run before the check")
local events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[#events + 1] = event.kind .. ": " .. (event.detail or "")
end
expect.contains(table.concat(events, "\n"), "tool_sensitive: a step of the plan uses the tool "
    .. "m365.move_sign_in_methods, which handles sensitive requests (mfa_reset), which the "
    .. "client does not exempt from verification", "the run event names the tool")
expect.contains(table.concat(events, "\n"), "verification_dispatched: the tool "
    .. "m365.move_sign_in_methods handles sensitive requests (mfa_reset); challenge sent",
    "the challenge's event names the tool, not the sensitive policy")

-- Once Jane passes the check, the run is planned again and asks for approval, with no second
-- challenge: the passed check covers the tool's kind.
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
halyard.settle()
expect.eq(#verifier.challenges(), 1, "the passed check covers the plan: no second challenge")
events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[#events + 1] = event.kind .. ": " .. (event.detail or "")
end
expect.contains(table.concat(events, "\n"), "approval_requested: request 2",
    "the plan made after the check asks for approval")
