-- Bug: a screening that could not finish (the sensitive policy ran into the instruction limit
-- on the ticket's text) failed on every retry for an hour, and the ticket got no note at all.
-- Now a second such failure treats the ticket as sensitive: with a provider connected, the
-- requester is challenged, and a note states that the ticket could not be screened.
verifier.connect{provider = "traceless"}
halyard.policy("sensitive.lua", [[
local sensitive = {}
function sensitive.classify(request)
    if request.details:find("endless", 1, true) then
        while true do end
    end
    return {sensitive = false, reason = "not_sensitive", verification_required = false}
end
return sensitive
]])

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Build script fails",
    details = "The build loops, an endless paste follows."}
halyard.settle()
clock.advance("10s")
verifier.expect_challenge(ticket)
expect.run(ticket, {state = "awaiting_verification"})
expect.note(ticket, {contains = "could not be screened", timeout = 15})
