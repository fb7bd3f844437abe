-- Bug: after a restart, an MSP's sensitive policy whose text on disk had broken meanwhile was
-- skipped instead of serving the text that served before. Every ticket then "could not be
-- screened" until someone fixed the file. Now the text that served before the restart keeps
-- screening, and a request it finds sensitive is challenged with no screening failure.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local POLICY = [[
return {
    classify = function(ticket)
        local text = ((ticket.summary or "") .. " " .. (ticket.details or "")):lower()
        local sensitive = text:find("quokka", 1, true) ~= nil
        return {sensitive = sensitive, reason = "other", verification_required = sensitive,
            risk = {score = 0, level = "low", signals = {}}, matched = ""}
    end,
}
]]
halyard.policy("sensitive.lua", POLICY)

-- Logs a request only the policy finds sensitive, and checks that it is challenged after a
-- screening that did not fail.
local function expect_policy_challenged(description)
    local ticket = halo.log_ticket{user = jane, summary = "Badge",
        details = "Please hand the quokka badge to my colleague today."}
    verifier.expect_challenge(ticket)
    local run = expect.run(ticket, {state = "awaiting_verification"})
    for _, event in ipairs(run.events) do
        expect.eq(event.kind == "screening_unfinished", false, description)
    end
end

expect_policy_challenged("the policy screens the request")

halyard.policy("sensitive.lua", POLICY .. "\nbroken = \n")
expect.logged("the previous version of the file keeps serving")

halyard.restart()
expect.logged("the version that served before the restart keeps serving")
expect_policy_challenged("the stored policy screens after a restart")
