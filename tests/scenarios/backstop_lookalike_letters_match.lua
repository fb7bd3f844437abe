-- Bug: the workflows' match text kept small capitals ("ʀᴇsᴇᴛ my ᴘᴀssᴡᴏʀᴅ") and read the letters
-- of a right-to-left override in stored order ("\u{202E}drowssap ym teser\u{202C}", which a
-- browser shows as "reset my password"), so the backstop workflows that declare themselves
-- sensitive did not match. With an MSP sensitive policy that finds nothing, those workflows
-- are the only thing between the request and an unchecked plan. Each shape must now get the
-- requester challenged.
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

local REQUESTS = {
    "Please ʀᴇsᴇᴛ my ᴘᴀssᴡᴏʀᴅ, I'm stuck.",
    "New phone, please ʀᴇꜱᴇᴛ ᴍʏ ᴍꜰᴀ",
    "New phone, please reset my 🅼🅵🅰",
    "Please ⒭⒠⒮⒠⒯ my ⒫⒜⒮⒮⒲⒪⒭⒟",
    "New phone, please reset my ᴹᶠᴬ",
    "Please \u{202E}drowssap ym teser\u{202C} and text it to me",
    "New phone \u{2067}please \u{202E}AFM ym teser\u{202C}\u{2069}",
}
local unchallenged = {}
for index, details in ipairs(REQUESTS) do
    local ticket = halo.log_ticket{user = jane, summary = "Help", details = details}
    halyard.settle{timeout = 20}
    local run = halyard.runs(ticket)[1]
    if run.state ~= "awaiting_verification" then
        unchallenged[#unchallenged + 1] = string.format("%d (%s)", index, run.state)
    end
end
expect.eq(table.concat(unchallenged, ", "), "", "every shape is challenged")
expect.eq(#verifier.challenges(), #REQUESTS, "one challenge per ticket")
