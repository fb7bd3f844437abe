-- A challenge carried only the requester's name and "halyard run 1", so a requester who got two
-- (hers and one an impersonator set off in her name) could not tell which request each was for.
-- The challenge the provider receives must name the HaloPSA ticket and the kind of request in
-- fixed words, and carry none of the ticket's own text, a password typed there included.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- Checks one challenge: its ticket number, its purpose and a reference that shows both.
local function expect_names(challenge, ticket, purpose)
    local request = challenge.request
    expect.eq(request.ticket_id, ticket.id, "the challenge names the ticket")
    expect.eq(request.purpose, purpose, "the challenge names the kind of request")
    expect.contains(request.reference, string.format("HaloPSA ticket #%d: %s", ticket.id,
        purpose), "the reference shows the ticket and the kind of request")
end

local reset = halo.log_ticket{user = jane, summary = "Locked out of Sage",
    details = "Please reset my password, the old one was Tulip-Harbour-93 and it stopped "
        .. "working this morning."}
local reset_challenge = verifier.expect_challenge(reset)
-- The summary's "Locked out" is a kind of its own, and the challenge names every kind.
expect_names(reset_challenge, reset, "password reset and account unlock")
for _, words in ipairs({"Tulip", "Harbour", "Sage", "stopped working"}) do
    expect.not_contains(reset_challenge.request_text, words, "no ticket text in the challenge")
end

-- A second challenge to the same requester names its own ticket and request, so she can tell
-- the two apart.
local forward = halo.log_ticket{user = jane, summary = "Mail",
    details = "Please forward all my email to jd.home@gmail.example from now on."}
local forward_challenge = verifier.expect_challenge(forward)
expect_names(forward_challenge, forward, "mail forwarding")
expect.not_contains(forward_challenge.request_text, "gmail", "no address from the ticket")

-- A request only a backstop workflow finds sensitive names the workflow's kind of request.
local question = halo.log_ticket{user = jane, summary = "Mobile",
    details = "How do I change the mobile number you have on file for me? It changed last "
        .. "week."}
expect_names(verifier.expect_challenge(question), question, "change of contact details")
