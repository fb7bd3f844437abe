-- After Jane passed her identity check, a harmless reply from Bob, another end user ("thanks,
-- same problem here"), set the waiting approval request aside and marked the run
-- other_requester, as if he had asked for something. Only a reply that the sensitive policy
-- reads as sensitive does that now: harmless ones leave the request and the check as they are.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{id = 79, name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()
local notes_before = #halyard.notes(ticket)

for _, text in ipairs({"Thanks, same problem here.", "I'm in the same office, no rush."}) do
    halo.reply(ticket, {user = bob, text = text})
    halyard.settle()
    local run = expect.run(ticket, {state = "awaiting_approval"})
    for _, event in ipairs(run.events) do
        expect.truthy(event.kind ~= "approval_superseded", text .. ": the request still counts")
        expect.truthy(event.kind ~= "other_requester", text .. ": the check still counts")
    end
end
expect.eq(#halyard.notes(ticket), notes_before, "no note about another end user")
expect.eq(#verifier.challenges(), 1, "no second challenge")

-- The technician's approval runs the reset the check covered.
halo.reply(ticket, {technician = sam, text = "approve", hidden = true})
local done = expect.note(ticket, {contains = "m365.reset_password"})
expect.not_contains(done.text, "another end user wrote", "the run is still verified")
expect.run(ticket, {state = "done"})
