-- A ticket screened sensitive with a reason its client exempts was never screened again, so a
-- later "please reset my password" in a reply got no challenge. The run is screened again at
-- each update while it needs no verification, and the requester is challenged once a reason
-- that needs verification appears.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("sensitive_settings.lua", [[
return {
    default = {verification_exempt_reasons = {"physical_access"}},
    clients = {},
}
]])
halyard.import(acme)

-- Step 1: a door fob is sensitive, but this client checks badges at reception.
local ticket = halo.log_ticket{user = jane, summary = "Door fob",
    details = "Please send me a new door fob, mine snapped."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done", runs = 1})
expect.eq(#verifier.challenges(), 0, "a door fob needs no verification for this client")

-- Step 2: an update that adds nothing sensitive is screened and handled as before.
halo.reply(ticket, {user = jane, text = "Thanks, I can pick it up on Monday."})
halyard.settle()
expect.eq(#verifier.challenges(), 0, "a reply without a new request sends no challenge")
expect.run(ticket, {state = "done", runs = 1})

-- Step 3: the requester asks for a password reset, which this client does not exempt.
halo.reply(ticket, {user = jane, text = "Also, I forgot my password, please reset it."})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
expect.run(ticket, {state = "awaiting_verification", runs = 1})
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.run(ticket, {state = "done", runs = 1})
