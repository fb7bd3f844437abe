-- Regression: Jane passed a check for a password reset, then replied "Also my MFA app is on my
-- old phone." while the approval request waited. The sensitive policy found nothing the check
-- did not cover, the run was planned again with the mfa_reset workflow (sensitive =
-- "mfa_reset"), and its MFA tools, set to auto, ran on her account with no second challenge. A
-- plan under a workflow whose kind the passed check does not cover now sends a new challenge
-- for that kind before any step runs. The shipped policy now reads that reply as an MFA reset,
-- so this scenario serves a policy that finds password resets only: the plan's workflow is
-- then the only thing that names the MFA reset, which is the case the plan-time check covers.
verifier.connect{provider = "traceless"}
halyard.policy("sensitive.lua", [[
return {
    classify = function(ticket)
        local text = ((ticket.summary or "") .. " " .. (ticket.details or "")):lower()
        if text:find("password", 1, true) then
            return {sensitive = true, reason = "password_reset", verification_required = true,
                risk = {score = 50, level = "medium", signals = {}}, matched = "password"}
        end
        return {sensitive = false, reason = "other", verification_required = false,
            risk = {score = 0, level = "low", signals = {}}, matched = ""}
    end,
}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.tool("m365_mfa.lua", {file = "fixtures/m365_mfa.lua"})
halyard.policy("tools.lua", [[
return {
    default = {
        ["m365.reset_password"] = "approval_needed",
        ["m365.require_mfa_reregistration"] = "auto",
        ["m365.revoke_sessions"] = "auto",
        ["halo.reply"] = "auto",
        ["halo.add_note"] = "auto",
    },
    clients = {},
}
]])
halyard.import(acme, {mode = "execute"})

-- The password reset passes its check and waits for approval.
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

-- The reply plans the MFA reset, which the first check did not cover.
halo.reply(ticket, {user = jane, text = "Also my MFA app is on my old phone."})
halyard.settle()
expect.eq(#verifier.challenges(), 2, "a second challenge for the MFA reset")
local second = verifier.challenges()[2]
expect.contains(second.request.purpose, "MFA", "the second challenge names the MFA reset")
expect.eq(halyard.log():find("ran m365.require_mfa_reregistration", 1, true), nil,
    "no MFA step ran before the second check")
expect.eq(halyard.log():find("ran m365.revoke_sessions", 1, true), nil,
    "no session was revoked before the second check")

-- Once Jane passes the second check, the MFA steps run.
verifier.approve(second)
halyard.settle()
expect.logged("m365 stand-in ran m365.require_mfa_reregistration for jane.doe@acme.example")
expect.eq(#verifier.challenges(), 2, "the passed MFA check covers the plan: no third challenge")
local events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[#events + 1] = event.kind .. ": " .. (event.detail or "")
end
local history = table.concat(events, "\n")
expect.contains(history, "workflow_sensitive: the matching workflow 'MFA reset or "
    .. "re-registration' (mfa_reset.lua) handles sensitive requests (mfa_reset), which the "
    .. "passed identity check did not cover", "the run event names the workflow")
expect.contains(history, "new kinds of request: mfa_reset", "the new check is for the MFA reset")
expect.contains(history, "verification_dispatched: the workflow 'MFA reset or re-registration' "
    .. "handles sensitive requests (mfa_reset); challenge sent",
    "the second challenge's event names the workflow, not the sensitive policy")
