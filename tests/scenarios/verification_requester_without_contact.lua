-- A requester with neither e-mail nor phone on file cannot be challenged: the run stops with
-- a note of its own, and the provider is never called.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local ghost = halo.user{name = "Casey Nobody", client = acme}
halyard.import(acme)

local ticket = halo.log_ticket{user = ghost, summary = "Password reset",
    details = "Please reset my password, I cannot log in."}

local note = expect.note(ticket, {contains = "no e-mail or phone on file"})
expect.contains(note.text, "Casey Nobody")
expect.contains(note.text, "Add the requester's work e-mail address")
expect.run(ticket, {state = "verification_failed", runs = 1})
expect.eq(#verifier.challenges(), 0, "no challenge was dispatched")
expect.no_new_note(ticket)
