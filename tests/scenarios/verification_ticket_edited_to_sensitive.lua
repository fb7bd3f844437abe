-- A ticket that was not sensitive gets its plan; when it is edited into a password reset the
-- run is screened again and waits for the requester before anything more happens.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})
expect.eq(#verifier.challenges(), 0, "a printer jam needs no verification")

halo.update(ticket, {technician = sam, summary = "Password reset",
    details = "Jane called: she forgot her password and needs it reset."})

expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.run(ticket, {state = "done", runs = 1})
