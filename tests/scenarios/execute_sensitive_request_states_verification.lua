-- Execute mode on a sensitive ticket with no identity verification provider connected: the
-- approval request states that the requester's identity was not verified, and why every write
-- needs the approval.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["halo.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", [[
return {
    name = "m365.reset_password",
    description = "Resets a Microsoft 365 password.",
    kind = "write",
    parameters = {
        user = {type = "string", required = true, description = "the user's e-mail address"},
        force_change = {type = "boolean", description = "ask for a new password at sign-in"},
    },
    run = function(arguments) return {reset = arguments.user} end,
}
]])
halyard.import(acme, {mode = "execute"})
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local request = expect.note(ticket, {contains = "asks for approval"})
expect.contains(request.text, "Sensitive ticket:")
expect.contains(request.text, "identity was not verified")
expect.contains(request.text, "no identity verification provider is connected")
expect.contains(request.text, "m365.reset_password")
expect.run(ticket, {state = "awaiting_approval"})
