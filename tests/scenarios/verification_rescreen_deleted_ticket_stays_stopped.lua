-- A ticket edited into a password reset moves its run to the identity check, and the ticket is
-- deleted in HaloPSA while the challenge is being sent. The run stops, and neither the
-- challenge's dispatch nor its deadline moves it back or writes a note on the deleted ticket.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

-- The challenge reads the requester's contact details first; HaloPSA returns them after 5 s.
halo.fault{method = "GET", path = "/api/Users/77", latency_ms = 5000}
halo.update(ticket, {technician = sam, summary = "Password reset",
    details = "Jane called: she forgot her password and needs it reset."})
expect.run(ticket, {state = "awaiting_verification", runs = 1})

-- The ticket is gone: HaloPSA returns 404 for it from now on.
local id = math.tointeger(halo.ticket(ticket).id)
halo.fault{method = "GET", path = "/api/tickets/" .. id, status = 404}
halo.reply(ticket, {user = jane, text = "Any news?"})
expect.run(ticket, {state = "stopped"})

verifier.expect_challenge(ticket)
halyard.settle()
expect.run(ticket, {state = "stopped", runs = 1})
expect.no_new_note(ticket, {advance = "10m"})
expect.run(ticket, {state = "stopped", runs = 1})
expect.eq(#halyard.notes(ticket), 1, "only the plan note is on the ticket")
