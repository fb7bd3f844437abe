-- A check for a password reset covers an unlock of the same account. A reply that plans the
-- run again with the account_unlock workflow (sensitive = "account_unlock") sends no second
-- challenge, nor does the plan's unlock tool, which declares the same kind. The run goes on to
-- its approval request.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.tool("ad_unlock.lua", {file = "fixtures/ad_unlock.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

halo.reply(ticket, {user = jane, text = "Still can't get in, my account is locked out."})
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(#verifier.challenges(), 1, "no second challenge for the unlock")
local requests = {}
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("asks for approval", 1, true) then
        requests[#requests + 1] = note.text
    end
end
expect.eq(#requests, 2, "approval requests")
expect.contains(requests[2], 'It also fits "Account unlock"', "the plan matched the unlock workflow")
expect.contains(requests[2], "ad.unlock_account", "the plan has the unlock step")
expect.contains(requests[2], "also covers the account unlock asked for later",
    "the request says the check covered the unlock")
