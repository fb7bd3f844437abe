-- A denial the deadline's last poll reads ends the check as failed, not as expired, and an
-- unanswered challenge still expires after that poll.
verifier.connect{provider = "traceless", timeout_s = 300}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
halyard.import(acme)

local denied = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local unanswered = halo.log_ticket{user = bob, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(denied)
verifier.expect_challenge(unanswered)
halyard.settle()

verifier.deny(challenge)
clock.advance("6m")

expect.note(denied, {contains = "identity verification failed", timeout = 15})
expect.note(unanswered, {contains = "identity verification expired", timeout = 15})
expect.run(denied, {state = "verification_failed"})
expect.run(unanswered, {state = "verification_failed"})
