-- A client whose settings say verification = "all" gets the requester's identity check on every
-- ticket, a harmless one too; another client keeps the default and its printer ticket is planned
-- at once.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local globex = halo.client{id = 14, name = "Globex Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local hank = halo.user{name = "Hank Scorpio", client = globex, email = "hank@globex.example"}
halyard.policy("sensitive_settings.lua", [[
return {
    default = {},
    clients = {[12] = {verification = "all"}},
}
]])
halyard.import(acme)
halyard.import(globex)

local printer = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
expect.run(printer, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(printer)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
verifier.approve(challenge)
expect.note(printer, {contains = "identity verified"})
expect.note(printer, {contains = "halyard plan for ticket"})

local other = halo.log_ticket{user = hank, summary = "Printer jam",
    details = "The printer by the lab keeps jamming."}
expect.note(other, {contains = "halyard plan for ticket"})
expect.run(other, {state = "done"})
expect.eq(#verifier.challenges(), 1, "only the client with verification = \"all\" is challenged")
