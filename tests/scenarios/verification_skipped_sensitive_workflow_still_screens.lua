-- An MSP's rmm.grant_local_admin lacked the hours parameter that the shipped admin rights
-- workflow passes. halyard skipped that workflow file with only a log warning, and its
-- sensitive field went with it, so "How do I get admin rights on my laptop?" (screened how_to)
-- got an approval request with no identity check. A skipped workflow that declares sensitive
-- must still make matching tickets sensitive, and lint must report the skip as an error.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.policy("tools.lua", [[ return { default = {["rmm.*"] = "auto"}, clients = {} } ]])
halyard.tool("rmm.lua", [[
return {{
    name = "rmm.grant_local_admin",
    description = "Make the user a local administrator on a device.",
    kind = "write",
    sensitive = "admin_rights",
    parameters = {
        device = {type = "string", required = true, description = "the device's name"},
        user = {type = "string", required = true, description = "the user's address"},
    },
    run = function(arguments) return {done = "rmm.grant_local_admin"} end,
}}
]])
halyard.import(acme, {mode = "execute"})

local status, output = halyard.lint()
expect.eq(status, 1, "lint's exit status with a skipped workflow")
expect.contains(output, "admin_rights.lua:", "lint names the skipped workflow file")
expect.contains(output, "hours is not a parameter of rmm.grant_local_admin",
    "lint says which argument the tool lacks")
expect.contains(output, "sensitive = \"admin_rights\" still apply",
    "lint says the skipped workflow's sensitive field stays in force")

-- The policy passes this ticket (a setup that stops at a rights prompt), so only the skipped
-- workflow's match rules can make it sensitive. The attacker's "How do I get admin rights on my
-- laptop?" is now screened sensitive by the policy itself.
local ticket = halo.log_ticket{user = jane, summary = "Label printer setup",
    details = "It asks for administrator rights halfway and then closes."}
verifier.expect_challenge(ticket)
local run = expect.run(ticket, {state = "awaiting_verification"})
local reason = nil
for _, event in ipairs(run.events) do
    if event.kind == "workflow_sensitive" then
        reason = event.detail
    end
end
expect.contains(reason or "", "Local administrator rights", "the event names the workflow")
expect.contains(reason or "", "admin_rights", "the event names the reason")

-- A ticket the skipped workflow does not match is not made sensitive by it.
local printer = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 has a paper jam."}
expect.note(printer, {contains = "halyard"})
expect.eq(#verifier.challenges(), 1, "only the admin rights ticket is challenged")
