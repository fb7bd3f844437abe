-- Bug: a run held because a sensitive request was only in mail forwarded in the ticket's
-- details had an approval request and a closing note that gave the reason for a reply:
-- "another end user wrote on the ticket, or a reply quotes someone else's mail". Both notes
-- now place the request in mail forwarded or quoted in the ticket's details, as the hold note
-- does, and name no reply.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen.\n\n"
        .. "Bob asked me to pass this on too.\n\n"
        .. "---------- Forwarded message ---------\n"
        .. "From: Bob Stone <bob.stone@acme.example>\nDate: Mon, 7 Dec 2026 at 09:12\n"
        .. "Subject: can't log in\n\nI forgot my password, please reset it for me."}
halo.update(ticket, {technician = sam, assign = sam})
local hold_note = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
expect.contains(hold_note.text, "forwarded or quoted in the ticket's details", "the hold note")
expect.eq(hold_note.text:find("reply", 1, true), nil, "the hold note names no reply")

local request = expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.contains(request.text, "forwarded or quoted in the ticket's details",
    "the approval request says where the request is")
expect.eq(request.text:find("a reply quotes", 1, true), nil,
    "the approval request gives no reply reason")
expect.eq(request.text:find("another end user wrote", 1, true), nil,
    "the approval request names no other writer")

halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
local closing = expect.note(ticket, {contains = "finished plan"})
expect.contains(closing.text, "forwarded or quoted in the ticket's details",
    "the closing note says where the request is")
expect.eq(closing.text:find("a reply quotes", 1, true), nil,
    "the closing note gives no reply reason")
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's request")
