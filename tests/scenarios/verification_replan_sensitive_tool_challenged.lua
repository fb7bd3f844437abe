-- A verified run is planned again under a workflow that declares no sensitive kind, with a step
-- of a tool that declares mfa_reset. The passed password reset check did not cover that kind,
-- so the requester gets a new challenge for it before the step runs, although the tool policy
-- lets the step run without approval.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.tool("sign_in_methods_tool.lua", {file = "fixtures/sign_in_methods_tool.lua"})
halyard.workflow("phone_swap.lua", {file = "fixtures/phone_swap_workflow.lua"})
halyard.policy("tools.lua", [[
return {
    default = {
        ["m365.reset_password"] = "approval_needed",
        ["m365.move_sign_in_methods"] = "auto",
        ["halo.reply"] = "auto",
        ["halo.add_note"] = "auto",
    },
    clients = {},
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

halo.reply(ticket, {user = jane, text = "The phone swap is done as well."})
halyard.settle()
expect.eq(#verifier.challenges(), 2, "a second challenge for the tool's kind")
expect.eq(halyard.log():find("ran m365.move_sign_in_methods", 1, true), nil,
    "the tool did not run before the second check")
local events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[#events + 1] = event.kind .. ": " .. (event.detail or "")
end
expect.contains(table.concat(events, "\n"), "tool_sensitive: a step of the plan uses the tool "
    .. "m365.move_sign_in_methods, which handles sensitive requests (mfa_reset), which the "
    .. "passed identity check did not cover", "the run event names the tool")

-- Once Jane passes it, the plan with the tool's step goes on to its approval request, because
-- the reset step before it still needs approval.
verifier.approve(verifier.challenges()[2])
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(#verifier.challenges(), 2, "the passed MFA check covers the plan: no third challenge")
-- The new request may be written after the run reached awaiting_approval, so the scenario waits
-- for the note that names the step, which only the new request does.
local request = expect.note(ticket, {contains = "m365.move_sign_in_methods"})
expect.contains(request.text, "asks for approval", "the note naming the step is the new request")
