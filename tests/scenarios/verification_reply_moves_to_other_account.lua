-- A reply that moved a password reset onto another person's account raised no new risk signal,
-- so Jane's passed check for her own account was taken to cover Bob's. After "Please reset the
-- password for bob.stone@acme.example instead." a new check follows and the approval asked
-- before the reply is set aside.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halo.user{id = 79, name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
verifier.approve(first)
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

halo.reply(ticket, {user = jane,
    text = "Please reset the password for bob.stone@acme.example instead."})
halyard.settle()

-- A second check follows, and the approval asked before the reply is set aside.
verifier.expect_challenge(ticket, {after = first})
local run = expect.run(ticket, {state = "awaiting_verification"})
local rescreened, superseded = nil, nil
for _, event in ipairs(run.events) do
    if event.kind == "rescreened" then
        rescreened = event
    elseif event.kind == "approval_superseded" then
        superseded = event
    end
end
expect.truthy(rescreened, "the reply is screened again")
expect.contains(rescreened.detail, "not_own_account", "the new signal is named")
expect.truthy(superseded, "the approval asked before the reply is set aside")
