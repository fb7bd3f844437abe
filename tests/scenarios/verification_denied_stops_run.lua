-- A requester who fails the identity challenge gets no plan: one outcome note tells
-- technicians what to do, the ticket goes to the configured team, and the run stops.
verifier.connect{provider = "traceless", failed_team = "2nd Line"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "MFA reset",
    details = "I got a new phone, please reset my MFA so I can register the authenticator again."}

local challenge = verifier.expect_challenge(ticket)
verifier.deny(challenge)

local note = expect.note(ticket, {contains = "identity verification failed"})
expect.eq(note.hidden, true, "the outcome note is internal")
expect.contains(note.text, "Jane Doe")
expect.contains(note.text, "possible impersonation")
expect.contains(note.text, "Why it was asked: the ticket was classified sensitive (")
expect.contains(note.text, "2nd Line")
expect.run(ticket, {state = "verification_failed", runs = 1})
expect.no_new_note(ticket)
expect.eq(halo.ticket(ticket).team, "2nd Line", "the ticket was assigned to the failed team")
