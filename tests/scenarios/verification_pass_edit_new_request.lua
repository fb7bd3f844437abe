-- After the requester passed a check for a password reset, a technician's edit of the ticket's
-- details added a request for mail forwarding. The passed check covered the edit too. An edit
-- that adds a kind the check was not for now challenges the requester for it.
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

halo.update(ticket, {technician = sam, details = "I forgot my password, please reset it. Please "
    .. "also forward all my mail to jane.doe.home@gmail.example from today."})
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "mail forwarding", "the challenge names the edit's kind")
expect.run(ticket, {state = "awaiting_verification"})

-- An edit that changes nothing sensitive after the second pass does not challenge again.
verifier.approve(second)
expect.note(ticket, {contains = "(mail_forwarding)", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})
halo.update(ticket, {technician = sam, summary = "Password reset and mail forward"})
halyard.settle()
expect.eq(#verifier.challenges(), 2, "no third challenge for an edit of the summary")
