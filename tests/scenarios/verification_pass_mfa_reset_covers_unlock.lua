-- A passed check for an MFA reset covers an unlock of the same account, as one for a password
-- reset does: Jane's "now I'm locked out" gets no second challenge. Other kinds stay separate,
-- so her request for a new account for a colleague still challenges her.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "MFA reset",
    details = "I got a new phone, please reset my MFA."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
verifier.approve(first)
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

halo.reply(ticket, {user = jane, text = "Still can't get in, I'm locked out of my account now."})
halyard.settle()
local run = expect.run(ticket, {state = "done"})
local covered = nil
for _, event in ipairs(run.events) do
    if event.kind == "screened_again" then
        covered = event.detail
    end
end
expect.truthy(covered, "the reply was screened")
expect.contains(covered, "account_unlock", "the screening read the reply as an unlock")
expect.eq(#verifier.challenges(), 1, "no second challenge for the unlock")

halo.reply(ticket, {user = jane, text = "Also, Tom Green starts on Monday: please create a new "
    .. "account for him."})
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "new account", "the new kind still gets a challenge")
expect.run(ticket, {state = "awaiting_verification"})
