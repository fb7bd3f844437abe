-- The MSP replaces the shipped password reset workflow with its own: the plan names the MSP's
-- workflow and proposes its steps, and the shipped one is gone from the note.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

halyard.workflow("password_reset.lua", [[
return {
    name = "Acme password reset via self-service",
    status = "active",
    scope = "all",
    trigger = "Someone forgot a password; Acme users reset it themselves through the portal.",
    match = {
        all = {{"password*"}, {"reset*", "forgot*", "expire*"}},
    },
    instructions = [=[
1. Send the user the self-service reset link.
2. Close the ticket once the user confirms.
]=],
    steps = {
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}", message = "Use https://reset.acme.example"},
            purpose = "Point the user to the self-service reset portal."},
    },
    samples = {
        match = {{source = "written", summary = "Forgot password",
            details = "I forgot my password, please reset it"}},
        no_match = {{source = "written", summary = "Printer jam", details = "paper jam"}},
    },
}
]])

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password and cannot sign in."}

local note = expect.note(ticket, {contains = "Acme password reset via self-service"})
expect.contains(note.html, "reset.acme.example", "the MSP's step is in the plan")
expect.not_contains(note.html, "m365.reset_password", "the shipped workflow's step is gone")
