-- Bug: a HaloPSA 429 on the user read before the challenge was retried after 5 s and more of
-- real time, which the scenario clock did not move, so the check waited for the wall clock.
-- The retry is now due on halyard's clock too: moving it forward sends the read again.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

halo.fault{method = "GET", path = "/api/users/77", status = 429, times = 2}
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
expect.logged("rate limited: HaloPSA answered HTTP 429 to GET /api/Users/77")
clock.advance("10s")
expect.logged("(attempt 3)", {timeout = 3})
clock.advance("20s")

local challenge = verifier.expect_challenge(ticket, {timeout = 3})
expect.eq(halo.request_count("GET /api/users/77"), 3, "two rate-limited reads and one that passed")
expect.run(ticket, {state = "awaiting_verification"})

verifier.approve(challenge)
clock.advance("5s")
expect.note(ticket, {contains = "identity verified", timeout = 15})
expect.eq(#verifier.challenges(), 1, "one challenge was sent")
