-- After Jane passed a check for a password reset, her reply "I'm locked out" needed no second
-- challenge, because a reset check covers an unlock of the same account. But the approval
-- request made after the reply named only the reset in its "for these kinds of request only"
-- line, so a technician could not tell the unlock had been checked at all. The request and the
-- closing note now say the check covered the unlock too.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.workflow("password_reset.lua", {file = "fixtures/password_reset_agent_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(ticket)
verifier.approve(challenge)
local first = expect.note(ticket, {contains = "asks for approval"})
expect.contains(first.text, "for these kinds of request only: password_reset",
    "the first request names the reset")
expect.not_contains(first.text, "account unlock", "the first request names the reset alone")
halyard.settle()

-- The reply is a message for the agent, which plans again and requests approval again.
halo.reply(ticket, {user = jane, text = "Still can't get in, I'm locked out."})
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(#verifier.challenges(), 1, "no second challenge")
local requests = {}
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("asks for approval", 1, true) then
        requests[#requests + 1] = note
    end
end
expect.eq(#requests, 2, "approval requests")
local second = requests[2].text
expect.contains(second, "for these kinds of request only: password_reset",
    "the kinds the challenge was sent for")
expect.contains(second, "also covers the account unlock asked for later",
    "the unlock the check covered")

halo.reply(ticket, {technician = sam, text = "approve", hidden = true})
expect.run(ticket, {state = "done"})
halyard.settle()
local notes = halyard.notes(ticket)
local closing = notes[#notes].text
expect.not_contains(closing, "asks for approval", "the last note closes the run")
expect.contains(closing, "also covers the account unlock asked for later",
    "the closing note names the covered unlock")
