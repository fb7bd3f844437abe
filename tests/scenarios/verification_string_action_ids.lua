-- HaloPSA may write an action's who_type and who_agentid as strings ("2", "1"). halyard
-- compared them to numbers in SQL, so Bob's reply, written as an end user with who_type "2",
-- was not seen as another end user's, and his request rode on Jane's identity check. Here the
-- simulator writes both fields as strings in every list of the ticket's actions.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{id = 79, name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return {
    default = {["halo.add_note"] = "auto"},
    clients = {},
}
]])
-- The kiosk workflow plans a note step (auto) and a status step that needs approval. The
-- shipped password reset workflow is switched off, so the kiosk workflow alone plans the ticket.
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.workflow("password_reset.lua", [[
return {
    name = "Password reset",
    status = "draft",
    scope = "all",
    trigger = "Someone forgot a password.",
    match = {all = {{"password*"}, {"reset*"}}},
    instructions = "Reset the password.",
    samples = {
        match = {{source = "written", summary = "Password reset", details = "reset it"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline and password reset",
    details = "The visitor kiosk shows a blank screen. Also, I forgot my password: please "
        .. "reset it."}
halo.fault{method = "GET", path = "/api/actions", ticket = ticket,
    string_fields = {"who_type", "who_agentid"}}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "identity verified"})
expect.note(ticket, {contains = "asks for approval"})
expect.run(ticket, {state = "awaiting_approval", runs = 1})
halyard.settle()

halo.reply(ticket, {user = bob, text = "I got a new phone, please reset my MFA as well."})
local note = expect.note(ticket, {contains = "another end user wrote", hidden = true})
expect.contains(note.text, "Bob Stone", "the note names the writer")
expect.contains(note.text, "Jane Doe", "the note names whose check passed")
expect.run(ticket, {state = "awaiting_approval", runs = 1})
halyard.settle()
