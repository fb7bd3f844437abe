-- The phone variant of a ticket whose requester fields are not its user's: the agent's context
-- gives workflows {requester.phone} from the ticket's phone field, so a ticket whose phone
-- number is not one on file for its user is not challenged, and its note says what to fix. The
-- simulator's tickets have no phone field, so HaloPSA's response to the ticket read is replaced
-- by one that carries it.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example",
    phone = "07700 900077"}
halyard.import(acme)

-- Returns the body of GET /api/Tickets/{id} for ticket id of Jane's with phone as its phone.
local function ticket_body(id, phone)
    return {id = id, summary = "Password reset", details = "I forgot my password, please reset it.",
        client_id = 12, client_name = "Acme Ltd", site_id = 31, user_id = 77,
        user_name = "Jane Doe", user_email = "jane.doe@acme.example", user_phonenumber = phone,
        status_id = 1, agent_id = 0, tickettype_id = 1}
end

-- Another person's number: nobody is challenged.
halo.fault{method = "GET", path = "/api/Tickets/1", status = 200, body = ticket_body(1, "07700 900078")}
local other = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local note = expect.note(other, {contains = "identity verification error"})
expect.contains(note.text, "phone number is not one of Jane Doe's numbers",
    "the note says which field differs")
expect.contains(note.text, "correct the ticket's phone number", "the note says the fix")
expect.run(other, {state = "verification_failed"})
expect.eq(#verifier.challenges(), 0, "nobody is challenged")

-- Jane's own number, written with other spaces: she is challenged.
halo.clear_faults()
halo.fault{method = "GET", path = "/api/Tickets/2", status = 200, body = ticket_body(2, "+07700900077")}
local own = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(own)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged")
