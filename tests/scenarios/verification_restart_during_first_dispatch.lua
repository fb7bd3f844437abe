-- halyard killed while it sent the first challenge of a new ticket left the run in planning with
-- its verification pending and no note, and the next update planned it without any check.
-- After the restart the challenge is not sent again, because the requester may have received
-- it: the check ends in the error outcome with its note, and the run stops.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

-- The provider records the challenge at once and sends its response to the dispatch 4 s later.
verifier.dispatch("slow")
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password and I am locked out. Please reset it."}
verifier.expect_challenge(ticket)
halyard.restart{kill = true}
verifier.dispatch("ok")

local note = expect.note(ticket, {contains = "identity verification"})
expect.contains(note.text, "not sent again", "the note says why there is no new challenge")
-- The note named no requester, because the dispatch that records the user never returned.
expect.contains(note.text, "Requester: Jane Doe", "the note names the ticket's user")
expect.run(ticket, {state = "verification_failed", runs = 1})
expect.eq(#verifier.challenges(), 1, "the challenge was sent once")

-- A later update plans nothing: the run stays stopped for a technician.
halo.reply(ticket, {user = jane, text = "Any news on my password?"})
halo.update(ticket, {technician = sam, assign = sam})
expect.no_new_note(ticket)
expect.run(ticket, {state = "verification_failed", runs = 1})
