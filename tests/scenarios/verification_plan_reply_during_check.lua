-- Plan mode: while Jane's check for a password reset waited, her reply asked to forward her
-- mail to a private address. The pass of the first check covered it, and the plan note
-- followed at once. Now a second challenge names mail forwarding, and the plan note comes only
-- after she passed it.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
halo.reply(ticket, {user = jane, text = "Also please forward all my mail to "
    .. "jane.doe.home@gmail.example from today."})
halyard.settle()

verifier.approve(first)
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "mail forwarding", "the second challenge names the new kind")
expect.run(ticket, {state = "awaiting_verification"})
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "halyard plan for ticket", "no plan before the second pass")
end

-- A denial of the second challenge stops the run: the first pass does not cover the forward.
verifier.deny(second)
expect.note(ticket, {contains = "(mail_forwarding)", hidden = true})
expect.run(ticket, {state = "verification_failed"})
expect.no_new_note(ticket)
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "halyard plan for ticket", "no plan after the denial")
end
