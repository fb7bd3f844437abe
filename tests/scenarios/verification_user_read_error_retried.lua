-- Bug: one HTTP 500 from HaloPSA while halyard read the requester's user record, before the
-- challenge was sent, ended the check at once in the error outcome. Nothing had gone out, so
-- the dispatch is now tried again on the job's backoff and sends one challenge.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

halo.fault{method = "GET", path = "/api/users/77", status = 500, times = 2}
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halyard.settle()
clock.advance("10s")
halyard.settle()
clock.advance("10s")

local challenge = verifier.expect_challenge(ticket)
expect.run(ticket, {state = "awaiting_verification"})
expect.eq(#halyard.notes(ticket), 0, "no outcome note before the requester answers")
expect.eq(halo.request_count("GET /api/users/77"), 3, "two failed reads and one that passed")

-- The check goes on as any other: the requester passes and the plan follows.
verifier.approve(challenge)
clock.advance("5s")
expect.note(ticket, {contains = "identity verified", timeout = 15})
expect.note(ticket, {contains = "halyard plan for ticket", timeout = 15})
expect.eq(#verifier.challenges(), 1, "one challenge was sent")
