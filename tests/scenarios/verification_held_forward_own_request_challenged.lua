-- Bug: a run held because the sensitive request was only in mail forwarded in the ticket's
-- details was never screened again, because the rescreen check read only replies and quoted
-- mail. So the requester's own request in a later reply got no challenge. Now such a run is
-- screened at each update like the other held runs, and her own request gets her challenge.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Fwd: can't log in",
    details = "Bob asked me to pass this on.\n\n"
        .. "---------- Forwarded message ---------\n"
        .. "From: Bob Stone <bob.stone@acme.example>\nDate: Mon, 7 Dec 2026 at 09:12\n"
        .. "Subject: can't log in\nTo: Jane Doe <jane.doe@acme.example>\n\n"
        .. "I forgot my password, please reset it for me."}
expect.note(ticket, {contains = "is not the requester's own", hidden = true})
halyard.settle{timeout = 20}
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's request")

halo.reply(ticket, {user = jane, text = "Also my own account is locked out now, "
    .. "please unlock it for me."})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged")
expect.run(ticket, {state = "awaiting_verification", runs = 1})
