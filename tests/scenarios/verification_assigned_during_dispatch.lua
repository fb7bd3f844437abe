-- A ticket assigned while its requester's challenge was being sent was planned before the
-- requester passed the check: the assignment's sync found the run still in planning with its
-- verification pending, and posted the plan note. The run must wait from the moment screening
-- found it sensitive, so nothing is planned until the requester passed.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

-- The provider records the challenge at once and sends its response to the dispatch 4 s later.
verifier.dispatch("slow")
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password and I am locked out. Please reset it."}
local challenge = verifier.expect_challenge(ticket)

-- The technician takes the ticket while halyard still waits for the dispatch's response.
halo.update(ticket, {technician = sam, assign = sam})
halyard.settle()
expect.eq(#halyard.notes(ticket), 0, "no plan note while the requester has not answered")
expect.run(ticket, {state = "awaiting_verification", runs = 1})

verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done", runs = 1})
