-- Plan mode: after Jane passed a check for a password reset and the plan note was posted, her
-- reply asked to change the bank account her salary is paid into. The pass covered it, so
-- there was no challenge and no note at all. Now she is challenged for that kind, and the
-- outcome note names it and says no plan covers it.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
verifier.approve(first)
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

halo.reply(ticket, {user = jane, text = "Thanks. Also, from today please change the bank "
    .. "account my salary is paid into: sort code 20-00-00, account 55779911."})
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "change of payment details",
    "the new challenge names the new kind")
expect.not_contains(second.request_text, "55779911", "no ticket text in the challenge")
expect.run(ticket, {state = "awaiting_verification"})

verifier.approve(second)
local verified = expect.note(ticket, {contains = "(payment_change)", hidden = true})
expect.contains(verified.text, "no plan covers that request", "the technician handles it")
expect.run(ticket, {state = "done", runs = 1})
expect.notes(ticket, 3)
