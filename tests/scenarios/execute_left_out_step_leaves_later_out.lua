-- Execute mode, a password reset on a sensitive ticket with no identity verification provider
-- and no m365.reset_password tool: the reset is left out of the plan, and so is the reply that
-- tells the requester the password was reset, since it relies on the reset. The user hears
-- nothing; the closing note lists both steps as left out, and why. In Plan mode a disabled
-- step leaves the steps after it out of the plan note the same way.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local globex = halo.client{id = 13, name = "Globex"}
local hank = halo.user{name = "Hank Scorpio", client = globex}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return {
    default = {["halo.*"] = "auto"},
    clients = {[13] = {["halo.add_note"] = "disabled"}},
}
]])
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Note the restart, then close.",
    steps = {
        {tool = "halo.add_note", arguments = {note = "Restarted the kiosk remotely."},
            purpose = "Record the restart."},
        {tool = "halo.set_status", arguments = {status = "Closed"},
            purpose = "Close the ticket once the kiosk is back."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})
halyard.import(globex, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local closing = expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.contains(closing.text, "2 steps were left out of the plan")
expect.contains(closing.text, "Left out of the plan")
expect.contains(closing.text, "m365.reset_password")
expect.contains(closing.text, "halo.reply")
expect.contains(closing.text, "may rely on what that step does")
expect.contains(closing.text, "Sensitive ticket:", "the closing note states the verification")
expect.contains(closing.text, "no identity verification provider is connected")
for _, action in ipairs(halo.actions(ticket)) do
    expect.truthy(action.hidden, "no action visible to the requester: " .. action.text)
    expect.not_contains(action.text, "has been reset")
end

-- Plan mode: halo.add_note is disabled for Globex, so the status step after it is left out.
local kiosk = halo.log_ticket{user = hank, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
local plan = expect.note(kiosk, {contains = "halyard plan for ticket"})
expect.contains(plan.text, "Left out of the plan")
expect.contains(plan.text, "halo.add_note is disabled")
expect.contains(plan.text, "step 1 (halo.add_note) before it was left out")
expect.contains(plan.html, "halo.set_status")
