-- Bug: the physical access and payment backstop workflows matched single words ("badge",
-- "fingerprint", "access card", "wages" with "new"). Harmless tickets about a Teams notification
-- badge, an SSH host key fingerprint, a laptop's fingerprint reader, a card printer or a wages
-- spreadsheet therefore sent the requester an identity challenge and got no plan until the
-- requester passed it. A backstop must need the request's shape: the thing together with an
-- asking or a change of it.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local HARMLESS = {
    {"Teams badge", "The red notification badge on Teams won't go away even after I read "
        .. "everything."},
    {"Build server warning", "Getting a host key fingerprint warning when I connect to the "
        .. "build server over SSH."},
    {"Fingerprint", "My laptop's fingerprint reader stopped working after the update."},
    {"Windows Hello", "How do I set up the fingerprint login on my new laptop?"},
    {"Card printer", "The access card printer in reception is jammed again."},
    {"Wages spreadsheet", "The new wages spreadsheet gives #REF errors in column F."},
    {"Website", "Please update the phone number shown on our website footer to the new "
        .. "reception line."},
    {"Scanner", "Please update the email address the scanner sends scans to, it should use "
        .. "the new scans mailbox."},
    {"Mail flow", "Her emails are not arriving since Monday, can you check the mail flow?"},
}

local tickets = {}
for _, request in ipairs(HARMLESS) do
    tickets[#tickets + 1] = halo.log_ticket{user = jane, summary = request[1],
        details = request[2]}
end
halyard.settle{timeout = 30}
-- A ticket the sensitive policy itself finds sensitive is challenged by the policy's reason,
-- which is not what this test is about. No backstop may make any of them sensitive, and every
-- ticket the policy passes must be planned without a challenge.
local by_policy = 0
for index, ticket in ipairs(tickets) do
    local run = halyard.runs(ticket)[1]
    local policy_found = false
    for _, event in ipairs(run.events) do
        expect.eq(event.kind == "workflow_sensitive", false, string.format(
            "ticket %d (%s): %s", ticket.id, HARMLESS[index][1], tostring(event.detail)))
        policy_found = policy_found or event.kind == "screened_sensitive"
    end
    if policy_found then
        by_policy = by_policy + 1
        print(string.format("ticket %d (%s) is sensitive by the policy", ticket.id,
            HARMLESS[index][1]))
    else
        expect.eq(run.state, "done", string.format("ticket %d (%s: %s)", ticket.id,
            HARMLESS[index][1], HARMLESS[index][2]))
    end
end
expect.eq(#verifier.challenges(), by_policy, "challenges only where the policy found a request")
