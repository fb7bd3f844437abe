-- After Jane passed a check for a password reset, her reply "Still can't get in, I'm locked out"
-- sent her a second challenge, because an account unlock was a new kind of request. A check
-- for a password reset or an MFA reset gets the same person back into the same account, so it
-- covers an unlock of that account: no second challenge, and the waiting request still counts.
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
expect.eq(first.request.purpose, "password reset", "the first challenge is for the reset")
verifier.approve(first)
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

halo.reply(ticket, {user = jane, text = "Still can't get in, I'm locked out."})
halyard.settle()
local run = expect.run(ticket, {state = "awaiting_approval"})
local covered = nil
for _, event in ipairs(run.events) do
    if event.kind == "screened_again" then
        covered = event.detail
    end
end
expect.truthy(covered, "the reply was screened")
expect.contains(covered, "account_unlock", "the screening read the reply as an unlock")
expect.contains(covered, "did not cover", "the passed check covers the unlock")
expect.eq(#verifier.challenges(), 1, "no second challenge")

-- The request still counts: the technician's approval runs the reset.
halo.reply(ticket, {technician = sam, text = "approve", hidden = true})
expect.note(ticket, {contains = "m365.reset_password"})
expect.run(ticket, {state = "done"})
