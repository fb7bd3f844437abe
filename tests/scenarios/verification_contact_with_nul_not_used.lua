-- Regression: a HaloPSA e-mail address "mallory@evil.example\0@acme.example" went to the
-- verification provider as it was, and a provider written in C would cut it at the NUL and mail
-- the challenge to mallory. An e-mail address or phone number that contains a NUL or another
-- control character is no usable contact, so a requester with nothing else on file gets the
-- no-contact outcome and its note, and the provider is never called.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme,
    email = "mallory@evil.example\0@acme.example"}
local bob = halo.user{id = 78, name = "Bob Stone", client = acme, phone = "07700 900078\0 0666"}
halyard.import(acme)

-- The e-mail address with a NUL.
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local note = expect.note(ticket, {contains = "no e-mail or phone on file"})
expect.contains(note.text, "Jane Doe")
expect.run(ticket, {state = "verification_failed", runs = 1})
expect.eq(#verifier.challenges(), 0, "no challenge went to the address with a NUL")

-- The phone number with a NUL, and no e-mail address.
local second = halo.log_ticket{user = bob, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local second_note = expect.note(second, {contains = "no e-mail or phone on file"})
expect.contains(second_note.text, "Bob Stone")
expect.run(second, {state = "verification_failed", runs = 1})
expect.eq(#verifier.challenges(), 0, "no challenge went to the number with a NUL")
