-- While Jane's check for a password reset waited, her reply asked for a payroll bank change.
-- The check she then passed named only the reset, and the run planned both. The reply now gets
-- a second challenge once the first passed, and nothing is planned before she passed both.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
expect.eq(first.request.purpose, "password reset", "the first challenge names the reset")
expect.run(ticket, {state = "awaiting_verification"})
halo.reply(ticket, {user = jane, text = "Also, please change the bank account my salary is paid "
    .. "into: sort code 20-00-00, account 55779911. Thanks."})
halyard.settle()
expect.eq(#verifier.challenges(), 1, "the pending challenge is not replaced")

verifier.approve(first)
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "change of payment details",
    "the second challenge names the kind the first did not")
expect.run(ticket, {state = "awaiting_verification"})
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "asks for approval", "nothing is planned between the checks")
end

verifier.approve(second)
local request = expect.note(ticket, {contains = "asks for approval"})
expect.contains(request.text, "for these kinds of request only: password_reset, payment_change",
    "the request names both checked kinds")
