-- Bug: in Plan mode with the verification provider connected, these requests were planned with
-- no identity check. "Please disable ꓟꓝꓮ" (Lisu letters) and "move my MFᎪ" (a Cherokee A) read as
-- other words in both the sensitive policy and the backstop workflows' match text. "Please hide
-- all emails from IT security in my mailbox" and a rule that deletes the helpdesk's mail hide
-- the warnings of a mailbox takeover, and nothing read them as a request. Each must challenge
-- the requester.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme, {mode = "plan"})

local REQUESTS = {
    {"Travel next week", "Please disable ꓟꓝꓮ on my account while I travel"},
    {"New phone", "I got a new phone, please move my MFᎪ over to it"},
    {"Quick one", "Please hide all emails from IT security in my mailbox"},
    {"Inbox rule", "Please create a rule that deletes all emails from the IT helpdesk"},
}
local tickets = {}
for _, request in ipairs(REQUESTS) do
    tickets[#tickets + 1] = halo.log_ticket{user = jane, summary = request[1],
        details = request[2]}
end

halyard.settle{timeout = 30}
for index, ticket in ipairs(tickets) do
    expect.eq(halyard.runs(ticket)[1].state, "awaiting_verification", string.format(
        "ticket %d (%s: %s)", ticket.id, REQUESTS[index][1], REQUESTS[index][2]))
end
-- A run waits for its verification before the provider has the challenge, so each challenge
-- is waited for before they are counted.
for _, ticket in ipairs(tickets) do
    verifier.expect_challenge(ticket, {timeout = 30})
end
expect.eq(#verifier.challenges(), #REQUESTS, "one challenge per request")
