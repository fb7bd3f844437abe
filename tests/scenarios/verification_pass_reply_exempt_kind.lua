-- A verified run is screened again at each reply, and a new kind of request needs a new check.
-- A kind the client exempts from verification needs none, so the pass goes on covering the run:
-- no second challenge, and the challenge names only the kinds that need the check.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("sensitive_settings.lua", [[
return {
    default = {verification_exempt_reasons = {"physical_access"}},
    clients = {},
}
]])
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it. My door fob stopped working too."}
halo.update(ticket, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.purpose, "password reset", "the exempt kind is not in the challenge")
verifier.approve(challenge)
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

halo.reply(ticket, {user = jane, text = "Thanks. Could you also send me a new door fob?"})
halyard.settle()
expect.run(ticket, {state = "done", runs = 1})
expect.eq(#verifier.challenges(), 1, "an exempt kind needs no new challenge")
