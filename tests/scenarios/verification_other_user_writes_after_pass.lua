-- After Jane passed her identity check, Bob, another end user of the client, asked on her
-- ticket for an MFA reset, and nothing was screened or noted: his request rode on Jane's check.
-- A check covers only the user it was sent to. So a note names Bob, and the request made for
-- the plan before his reply is set aside. From then on every step that writes needs a
-- technician's approval, even a note step the tool policy lets run on its own.
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
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "identity verified"})
expect.note(ticket, {contains = "asks for approval"})
expect.run(ticket, {state = "awaiting_approval", runs = 1})
halyard.settle()
local notes_before = #halyard.notes(ticket)

halo.reply(ticket, {user = bob, text = "I got a new phone, please reset my MFA as well."})
local note = expect.note(ticket, {contains = "another end user wrote", hidden = true})
expect.contains(note.text, "Bob Stone", "the note names the writer")
expect.contains(note.text, "Jane Doe", "the note names whose check passed")
expect.run(ticket, {state = "awaiting_approval", runs = 1})
halyard.settle()

local run = halyard.runs(ticket)[1]
local superseded = false
for _, event in ipairs(run.events) do
    if event.kind == "approval_superseded" then
        superseded = true
    end
end
expect.truthy(superseded, "the request made before Bob's reply was set aside")
local requests = {}
for index, action in ipairs(halyard.notes(ticket)) do
    if index > notes_before and action.text:find("asks for approval", 1, true) then
        requests[#requests + 1] = action
    end
end
expect.eq(#requests, 1, "a new request follows")
expect.contains(requests[1].text, "halo.add_note", "the auto note step now waits for approval")
expect.contains(requests[1].text, "another end user wrote on the ticket",
    "the request says why every write needs approval")
