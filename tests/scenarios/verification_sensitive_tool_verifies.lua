-- A tool that declares itself sensitive makes a plan with a step of it wait for the requester's
-- identity check, whichever workflow the step came from. The MSP's "Sign-in trouble" workflow
-- resets the password and declares no sensitive reason, and the sensitive policy reads
-- "Outlook keeps asking for my credentials" as a fault. Before the tool's field, the reset ran
-- in Execute mode with no challenge. Lint warns about a write tool or a workflow that reads
-- like a sensitive change without the field, and rejects a tool's reason that is no code.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto",
    ["halo.reply"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", [[
return {{
    name = "m365.reset_password",
    description = "Test stand-in for m365.reset_password.",
    kind = "write",
    sensitive = "password_reset",
    parameters = {
        user = {type = "string", required = true, description = "the user's address"},
        force_change = {type = "boolean", description = "ask for a new password"},
    },
    run = function(arguments) return {done = "m365.reset_password", user = arguments.user} end,
}}
]])
halyard.workflow("sign_in_trouble.lua", [[
return {
    name = "Sign-in trouble",
    status = "active",
    scope = "all",
    trigger = "Someone cannot sign in to Outlook or Teams.",
    match = {any = {"outlook"}},
    instructions = "1. Reset the password so the user can sign in again.",
    steps = {
        {tool = "m365.reset_password", kind = "write", arguments = {user = "{requester.email}"},
            purpose = "Set a temporary password."},
    },
    samples = {
        match = {{source = "written", summary = "Outlook", details = "I cant sign in"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})
local status, output = halyard.lint()
expect.eq(status, 0, "lint's exit status with the tool's field")
expect.contains(output, "warnings: 0", "lint warns about nothing")

-- Returns the names of the m365 steps that ran, from the ticket's notes.
local function steps_run(ticket)
    local ran = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        for step in note.text:gmatch("(m365%.[%w_]+): done") do
            ran[#ran + 1] = step
        end
    end
    return ran
end

local ticket = halo.log_ticket{user = jane, summary = "Outlook",
    details = "Outlook keeps popping up a box asking for my credentials."}
halo.update(ticket, {technician = sam, assign = sam})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
halyard.settle()
expect.eq(#steps_run(ticket), 0, "the reset waits for the identity check")

local why = nil
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    if event.kind == "tool_sensitive" then
        why = event.detail
    end
end
expect.truthy(why, "an event says a tool made the run sensitive")
expect.contains(why or "", "m365.reset_password", "the event names the tool")
expect.contains(why or "", "password_reset", "the event names the tool's reason")

verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.run(ticket, {state = "done", runs = 1})
-- The run is stored done before its step notes leave the outbox.
halyard.settle()
expect.eq(table.concat(steps_run(ticket), ","), "m365.reset_password",
    "the reset runs once the requester is verified")
expect.eq(#verifier.challenges(), 1, "one challenge for the run")

-- A write tool that reads like a sensitive change and declares nothing, and a workflow that
-- uses it without a field of its own, get warnings that say what to add. They still load.
halyard.tool("mail.lua", [[
return {{
    name = "mail.set_forwarding",
    description = "Forward a mailbox's mail to another address.",
    kind = "write",
    parameters = {
        user = {type = "string", required = true, description = "the mailbox's address"},
    },
    run = function(arguments) return {done = "mail.set_forwarding"} end,
}}
]])
halyard.workflow("forward_mail.lua", [[
return {
    name = "Forward mail",
    status = "draft",
    scope = "all",
    trigger = "Someone wants their mail sent to another address.",
    match = {any = {"forward"}},
    instructions = "1. Set the forwarding.",
    steps = {
        {tool = "mail.set_forwarding", kind = "write", arguments = {user = "{requester.email}"},
            purpose = "Forward the mail."},
    },
    samples = {
        match = {{source = "written", summary = "Forward", details = "forward my mail"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
status, output = halyard.lint()
expect.eq(status, 0, "lint's exit status with warnings only")
expect.contains(output, "mail.lua:2: warning: tool \"mail.set_forwarding\" reads like a tool "
    .. "for sensitive requests (\"forwarding\"", "lint warns about the tool at its name's line")
expect.contains(output, "add sensitive = \"mail_forwarding\"", "lint says what to add")
expect.contains(output, "forward_mail.lua:9: warning: steps[1] uses mail.set_forwarding",
    "lint warns about the workflow at its step's line")
expect.contains(output, "neither the workflow nor the tool declares sensitive",
    "the workflow's warning says which fields are missing")

-- A tool's declared reason must be one of the sensitive reason codes.
halyard.tool("bank.lua", [[
return {{
    name = "bank.change_details",
    description = "Change a supplier's bank details.",
    kind = "write",
    sensitive = "bank_change",
    run = function(arguments) return {done = "bank.change_details"} end,
}}
]])
status, output = halyard.lint()
expect.eq(status, 1, "lint's exit status with an invalid reason")
expect.contains(output, "bank.lua:2: tool \"bank.change_details\" has sensitive = "
    .. "\"bank_change\"", "lint names the file, line and value")
expect.contains(output, "payment_change", "lint lists the codes")
