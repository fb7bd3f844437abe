-- Bug: an MFA reset asked for in a phone-call transcript reached the plan with no identity
-- check when speech-to-text spelled the letters out ("I need my M F A reset, new phone"). The
-- rules, the learned model and the mfa_reset backstop workflow read "M F A" as three unrelated
-- letters. Each spelling below is now challenged like "reset my MFA".
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example",
    phone = "07700 900002"}
halyard.import(acme)

local transcripts = {
    "Caller: hi it's Jane, I need my M F A reset, new phone",
    "Caller: Jane from reception, says please reset my M. F. A. she got a new phone",
    "Caller wants her two F A reset, lost her phone",
    "Caller: please reset my O T P, I have a new phone",
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
