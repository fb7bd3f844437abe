-- A dispatch tried again after a failed read of the requester's user record counts as sent once
-- it starts. So when halyard is killed while that dispatch waits on the provider, the check ends
-- with the error outcome after the restart, and no second challenge is sent.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

halo.fault{method = "GET", path = "/api/users/77", status = 500, times = 1}
verifier.dispatch("slow")
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halyard.settle()
clock.advance("10s")

-- The provider records the challenge at once and responds 4 s later; halyard dies meanwhile.
verifier.expect_challenge(ticket)
halyard.restart{kill = true}
verifier.dispatch("ok")
clock.advance("10s")

expect.note(ticket, {contains = "identity verification error", timeout = 15})
expect.note(ticket, {contains = "not sent again", timeout = 15})
expect.eq(#verifier.challenges(), 1, "one challenge was sent")
