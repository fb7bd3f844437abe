-- Plan mode: a printer ticket's plan note was posted when the requester replied "also please
-- reset my password". The requester passed the check, and the "identity verified" note said the
-- agent goes on with the ticket, but a Plan-mode run writes one plan note, so nothing followed
-- and no plan covered the reset. The note now says so, and the technician handles the request.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done", runs = 1})

halo.reply(ticket, {user = jane, text = "Also I forgot my password, please reset it."})
local challenge = verifier.expect_challenge(ticket)
verifier.approve(challenge)
local verified = expect.note(ticket, {contains = "identity verified", hidden = true})
expect.contains(verified.text, "no plan covers that request", "the note says no plan follows")
expect.not_contains(verified.text, "The agent goes on", "the note promises no plan")
expect.run(ticket, {state = "done", runs = 1})
halyard.settle()
expect.eq(#halyard.notes(ticket), 2, "the plan note and the outcome note, nothing more")
