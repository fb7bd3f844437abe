-- Execute mode: Jane passed her identity check and her plan waits for the technician's
-- approval when the ticket's user becomes John. Jane's check does not count for John, so the
-- request made for Jane's plan is set aside, an approval of it runs nothing, and John is
-- challenged before anything is planned for him.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local john = halo.user{id = 78, name = "John Smith", client = acme,
    email = "john.smith@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
-- The kiosk workflow plans a note step that needs approval. The shipped password reset
-- workflow is switched off, so the kiosk workflow alone plans the ticket.
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
local first = verifier.expect_challenge(ticket)
verifier.approve(first)
expect.note(ticket, {contains = "identity verified"})
expect.note(ticket, {contains = "asks for approval"})
expect.run(ticket, {state = "awaiting_approval", runs = 1})

halo.update(ticket, {technician = sam, requester = john})
local changed = expect.note(ticket, {contains = "the requester changed", hidden = true})
expect.contains(changed.text, "after the identity check passed", "the note says when")
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.email, "john.smith@acme.example", "John is challenged now")
expect.run(ticket, {state = "awaiting_verification", runs = 1})

-- The technician approves the request made for Jane's plan: it was set aside, so nothing runs.
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.no_new_note(ticket, {advance = false})
local superseded = false
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    if event.kind == "approval_superseded" then
        superseded = true
    end
end
expect.truthy(superseded, "the request for Jane's plan was set aside")
expect.run(ticket, {state = "awaiting_verification", runs = 1})
