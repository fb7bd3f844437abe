-- Only the dispatch's note gave the reason the requester was asked: an outcome reached by a
-- callback or the deadline had no "Why it was asked" line. The expiry note also read "within 1
-- minutes" for a timeout of 15 s. A failed note also did not say whose request the requester
-- was checked for, so a denial read as an impostor's although another person had asked.
verifier.connect{provider = "webhook", timeout_s = 15}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local WHY = "Why it was asked: the ticket was classified sensitive ("

-- A callback that passes the requester.
local passed = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
verifier.approve(verifier.expect_challenge(passed))
local passed_note = expect.note(passed, {contains = "identity verified"})
expect.contains(passed_note.text, WHY)

-- A callback that fails the requester.
local denied = halo.log_ticket{user = jane, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
verifier.deny(verifier.expect_challenge(denied))
local denied_note = expect.note(denied, {contains = "identity verification failed"})
expect.contains(denied_note.text, WHY)
expect.contains(denied_note.text, "Whose request: the requester's own", "the note says whose request")

-- The deadline.
local silent = halo.log_ticket{user = jane, summary = "MFA reset",
    details = "I got a new phone, please reset my MFA so I can register the authenticator again."}
verifier.timeout(verifier.expect_challenge(silent))
clock.advance("20s")
local expired_note = expect.note(silent, {contains = "identity verification expired"})
expect.contains(expired_note.text, WHY)
expect.contains(expired_note.text, "did not answer the challenge within 15 seconds.")
