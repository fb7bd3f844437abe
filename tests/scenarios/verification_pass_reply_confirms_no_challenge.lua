-- A verified run is screened again at each reply, so a reply that only confirms the request
-- the requester passed the check for must not challenge her again or set the request aside.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

halo.reply(ticket, {user = jane, text = "Thanks, go ahead with the reset."})
halyard.settle()
local run = expect.run(ticket, {state = "awaiting_approval"})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[#kinds + 1] = event.kind
end
expect.contains(kinds, "screened_again", "the reply was screened")
expect.eq(#verifier.challenges(), 1, "no second challenge")

-- The request still counts: the technician's approval runs the reset.
halo.reply(ticket, {technician = sam, text = "approve", hidden = true})
expect.note(ticket, {contains = "m365.reset_password"})
expect.run(ticket, {state = "done"})
