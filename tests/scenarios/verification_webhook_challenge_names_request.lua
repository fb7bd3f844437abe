-- The webhook provider's challenge named the ticket but not the kind of request, so the
-- service sending it could not tell the requester what she was asked to approve. It must carry
-- the ticket number, the kind of request in fixed words, and a reference that shows both.
verifier.connect{provider = "webhook"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "New phone",
    details = "I got a new phone, please reset my MFA so I can set up the authenticator again."}
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.ticket_id, ticket.id, "the challenge names the ticket")
expect.eq(challenge.request.purpose, "MFA (sign-in check) reset",
    "the challenge names the kind of request")
expect.contains(challenge.request.reference,
    string.format("HaloPSA ticket #%d: MFA (sign-in check) reset", ticket.id))
expect.not_contains(challenge.request_text, "authenticator", "no ticket text in the challenge")
