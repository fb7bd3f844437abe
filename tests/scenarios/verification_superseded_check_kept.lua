-- A new challenge after a change of user deleted the record of the superseded check, so the
-- old user's late callback was held as an early callback for an unknown transaction. The
-- superseded check keeps its record, and its callback is answered as already finished.
verifier.connect{provider = "webhook"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local john = halo.user{id = 78, name = "John Smith", client = acme,
    email = "john.smith@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password and I am locked out. Please reset it."}
local first = verifier.expect_challenge(ticket)
halo.update(ticket, {technician = sam, requester = john})
expect.note(ticket, {contains = "the requester changed", hidden = true})
local second = verifier.expect_challenge(ticket, {after = first})
expect.contains(second.request_text, "john.smith@acme.example", "John is challenged")

-- Jane passes her superseded challenge after John's was sent.
verifier.approve(first)
halyard.settle()
local answered = verifier.challenges()[1]
expect.eq(answered.id, first.id, "the first challenge is Jane's")
expect.eq(answered.callback_status, "200", "the callback is answered at once")
expect.contains(answered.callback_response, '"accepted":false', "Jane's check had finished")
expect.not_contains(answered.callback_response, "held", "the callback is not held")
expect.run(ticket, {state = "awaiting_verification", runs = 1})

verifier.approve(second)
local verified = expect.note(ticket, {contains = "identity verified"})
expect.contains(verified.text, "John Smith", "the verified note names John")
expect.run(ticket, {state = "done", runs = 1})
