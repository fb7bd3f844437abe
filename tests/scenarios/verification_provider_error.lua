-- A provider that breaks ends the verification with an error note, both when the dispatch
-- fails and when a poll gets a 5xx; neither run goes on to a plan.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- A poll that gets HTTP 500.
local first = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local challenge = verifier.expect_challenge(first)
verifier.fail(challenge, "5xx")
local note = expect.note(first, {contains = "identity verification error"})
expect.contains(note.text, "HTTP 500")
expect.run(first, {state = "verification_failed"})

-- A dispatch that gets HTTP 503.
verifier.dispatch("5xx")
local second = halo.log_ticket{user = jane, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local dispatch_note = expect.note(second, {contains = "identity verification error"})
expect.contains(dispatch_note.text, "HTTP 503")
expect.run(second, {state = "verification_failed"})
expect.no_new_note(first)
expect.no_new_note(second)
