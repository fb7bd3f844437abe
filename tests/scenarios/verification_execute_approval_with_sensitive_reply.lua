-- Execute mode: the assigned technician's approval and the requester's reply asking for a
-- password reset are read in the same sync (their webhook deliveries are lost, and a later
-- sync or the periodic check reads both). The reply is screened before the approval is read, so the request is set
-- aside and no approved step runs before the requester is verified.
halyard.config{approval_check_seconds = 120}
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note_status.lua"})
-- The shipped password reset workflow is switched off, so the kiosk workflow alone plans the
-- ticket after the reply.
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

-- Counts halyard's notes on ticket that start with text.
local function notes_starting(ticket, text)
    local count = 0
    for _, note in ipairs(halyard.notes(ticket)) do
        if note.text:sub(1, #text) == text then
            count = count + 1
        end
    end
    return count
end

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

halyard.settle()
halo.webhook_fault{drop = 2}
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
halo.reply(ticket, {user = jane,
    text = "Also, I forgot my password. Please reset it and send the new one here."})
clock.advance("2m")

expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
expect.eq(halo.ticket(ticket).status_id, 1, "the approved status change waits for the check")
expect.eq(notes_starting(ticket, "Restarted the kiosk."), 0,
    "no approved step ran before the identity check")

-- Verified, the ticket is planned again with a new approval request, and the first approval
-- runs nothing.
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()
expect.eq(halo.ticket(ticket).status_id, 1, "the approval from before the check runs nothing")
expect.eq(notes_starting(ticket, "Restarted the kiosk."), 0,
    "no step ran on the approval from before the check")
