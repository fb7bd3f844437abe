-- A requester who asks for a password reset in a reply gets the same identity check as one who
-- asks in the ticket: the run is screened again with the replies, its approval request is set
-- aside and the run waits for the requester. A technician's note with the same words is not the
-- requester asking, so it changes nothing.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Look the requester up and note the restart.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
        {tool = "halo.add_note", kind = "write", arguments = {note = "Restarted the kiosk."},
            purpose = "Record the restart."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

-- Step 1: a technician's note asking for a reset is not the requester's request.
halo.reply(ticket, {technician = sam, hidden = true,
    text = "Jane also forgot her password, please reset it when you are on site."})
expect.no_new_note(ticket)
expect.eq(#verifier.challenges(), 0, "a technician's note is not screened")
expect.run(ticket, {state = "awaiting_approval"})

-- Step 2: the requester asks in a reply.
halo.reply(ticket, {user = jane,
    text = "Also, I forgot my password. Please reset it and send the new one here."})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
expect.eq(#verifier.challenges(), 1, "one challenge for the reply")
verifier.deny(challenge)
expect.run(ticket, {state = "verification_failed", runs = 1})
