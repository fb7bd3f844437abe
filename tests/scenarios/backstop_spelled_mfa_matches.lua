-- Bug: the workflows' match text kept letters that speech-to-text spells out ("M F A") as
-- three words, so the mfa_reset workflow, which declares itself sensitive, did not match a
-- transcript asking for an MFA reset. With an MSP sensitive policy that finds nothing, that
-- workflow is the only thing between the request and an unchecked plan. Now the normaliser
-- joins the letters, and the workflow gets the requester challenged.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.policy("sensitive.lua", [[
return {
    classify = function(ticket)
        return {sensitive = false, reason = "other", verification_required = false,
            risk = {score = 0, level = "low", signals = {}}, matched = ""}
    end,
}
]])
halyard.import(acme)

local transcripts = {
    "Caller: hi it's Jane, I need my M F A reset, new phone",
    "Caller: please reset my M. F. A., she got a new phone",
    "Caller wants her two F A reset, lost her phone",
}
local unchallenged = {}
for index, transcript in ipairs(transcripts) do
    local ticket = halo.log_ticket{user = jane, summary = "Phone call", details = transcript}
    halyard.settle{timeout = 20}
    local run = halyard.runs(ticket)[1]
    if run.state ~= "awaiting_verification" then
        unchallenged[#unchallenged + 1] = string.format("%d (%s)", index, run.state)
    end
end
expect.eq(table.concat(unchallenged, ", "), "", "every transcript is challenged")
expect.eq(#verifier.challenges(), #transcripts, "one challenge per transcript")
