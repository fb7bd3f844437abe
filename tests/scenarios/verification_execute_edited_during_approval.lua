-- Execute mode: while an approval request waits, the ticket is edited into a password reset.
-- The run waits for the requester's identity check, and an approval of the first request,
-- written during that wait, runs nothing. Once the requester is verified, the ticket is planned
-- again and a new request is posted for the same plan. The assigned technician's approval of
-- that one runs each step once.
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

-- An approval of the first request, written while the requester is being checked.
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.no_new_note(ticket, {advance = false})
expect.run(ticket, {state = "awaiting_verification"})
expect.eq(halo.ticket(ticket).status_id, 1, "nothing runs while the requester is checked")

verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
-- The run waits again as soon as its new request is stored, and the note reaches HaloPSA
-- through the outbox just after, so the scenario lets halyard finish what is on its way.
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()
expect.no_new_note(ticket, {advance = false})
local requests = {}
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("asks for approval", 1, true) then
        requests[#requests + 1] = note
    end
end
expect.eq(#requests, 2, "the verified ticket gets a request of its own")
expect.eq(halo.ticket(ticket).status_id, 1, "the approval written during the wait runs nothing")

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done", runs = 1})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
local restarts = 0
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("^Restarted the kiosk remotely%.") then
        restarts = restarts + 1
    end
end
expect.eq(restarts, 1, "the approved note step ran once")
expect.no_new_note(ticket)
