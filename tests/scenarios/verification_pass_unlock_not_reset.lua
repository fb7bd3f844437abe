-- A passed check for a password reset covers an unlock of the same account. The other way
-- round does not hold: an unlock gives back the same password, a reset hands out a new one. So
-- after Jane passed a check for an unlock, her reply asking for a reset still challenges her.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Locked out",
    details = "My account is locked out, please unlock it."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
expect.eq(first.request.purpose, "account unlock", "the first challenge is for the unlock")
verifier.approve(first)
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

halo.reply(ticket, {user = jane, text = "Thanks. I also forgot my password, please reset it."})
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "password reset", "the new challenge names the reset")
expect.run(ticket, {state = "awaiting_verification"})
