-- A ticket edited into a password reset moves its run to the identity check, and halyard is
-- killed while the challenge is being sent. After the restart the challenge is not sent again,
-- because the requester may have received it: the check ends in the error outcome with its
-- note, and the run stops instead of waiting for an answer that was never asked for.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

-- The challenge reads the requester's contact details first; HaloPSA returns them after 5 s.
halo.fault{method = "GET", path = "/api/Users/77", latency_ms = 5000}
halo.update(ticket, {technician = sam, summary = "Password reset",
    details = "Jane called: she forgot her password and needs it reset."})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
halyard.restart{kill = true}
halo.clear_faults()

local note = expect.note(ticket, {contains = "identity verification"})
expect.contains(note.text, "not sent again", "the note says why there is no challenge")
expect.run(ticket, {state = "verification_failed", runs = 1})
expect.eq(#verifier.challenges(), 0, "no challenge was sent")
expect.no_new_note(ticket)
