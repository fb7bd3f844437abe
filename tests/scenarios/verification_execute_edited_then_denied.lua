-- Execute mode: while an approval request waits, the ticket is edited into a password reset
-- and the requester fails the identity check. The run stops with the outcome note, and the
-- first request is no longer pending: an approval written during the wait, and one written
-- after the failed check, run nothing.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
-- The shipped password reset workflow is switched off, so the kiosk workflow alone plans the
-- edited ticket.
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

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval"})
expect.run(ticket, {state = "awaiting_approval"})

halo.update(ticket, {technician = sam, summary = "Kiosk offline and password reset",
    details = "The visitor kiosk shows a blank screen. Also, I forgot my password: please "
        .. "reset it."})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.no_new_note(ticket, {advance = false})

verifier.deny(challenge)
expect.note(ticket, {contains = "identity verification failed"})
expect.run(ticket, {state = "verification_failed", runs = 1})
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.no_new_note(ticket, {advance = "2d"})
expect.run(ticket, {state = "verification_failed", runs = 1})
expect.eq(halo.ticket(ticket).status_id, 1, "no approved step ran")

local superseded = false
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    if event.kind == "approval_superseded" then
        superseded = true
    end
end
expect.truthy(superseded, "the first request was set aside when the ticket became sensitive")
