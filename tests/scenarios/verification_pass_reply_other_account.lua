-- Execute mode: after Jane passed a check for her own password reset, her reply moved the
-- request to a colleague and asked for his password to be sent to her. The waiting request
-- still reset her account, with no new check. A reply that makes the request another person's,
-- or adds a risk signal the check did not see, now sets the request aside and challenges her
-- again. The plan made after that pass leaves out the steps aimed at her own account.
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
verifier.approve(first)
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

halo.reply(ticket, {user = jane, text = "Sorry, it is actually for my colleague Bob Stone, please "
    .. "reset his password instead, not mine. He cannot take calls today, just send it to me."})
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "password reset", "the challenge names the kind of request")
local run = expect.run(ticket, {state = "awaiting_verification"})
local rescreened = nil
for _, event in ipairs(run.events) do
    if event.kind == "rescreened" then
        rescreened = event.detail
    end
end
expect.truthy(rescreened, "the run has a rescreened event")
expect.contains(rescreened, "another person's account", "the event says what is new")
expect.contains(rescreened, "credential_elsewhere", "the event names the new risk signal")

verifier.approve(second)
local closing = expect.note(ticket, {contains = "halyard finished plan", timeout = 15})
expect.not_contains(closing.text, "m365.reset_password: done", "no reset of Jane's own account")
expect.contains(closing.text, "m365.reset_password: the request is about another person's account",
    "the reset is left out for the technician")
expect.run(ticket, {state = "done"})
