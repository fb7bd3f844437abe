-- Bug: a backstop's exclusion cancelled the whole ticket. So a removal in one sentence ("Tom
-- no longer needs access to the printer room") kept the backstop from matching the request in
-- the sentence before it. A sensitive request the policy reads as a how-to question then got a
-- plan note and no identity challenge. An exclusion now cancels only its own clause.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- Each request is a backstop's own how-to wording with a removal of something else added.
local REQUESTS = {
    {"Question", "How can I see Karen's emails while she's off? Tom no longer needs access to "
        .. "the printer room."},
    {"Question", "How can I see Karen's emails while she's off? And remove delegation of the "
        .. "meeting room calendar."},
    {"Email", "How do I get my work emails sent to my gmail automatically? Please stop "
        .. "forwarding the old sales inbox to Tom."},
    {"Email", "How can I have all my work email forwarded to my gmail while I'm on leave? "
        .. "Cancel the forwarding of the info@ box."},
}

local tickets = {}
for _, request in ipairs(REQUESTS) do
    tickets[#tickets + 1] = halo.log_ticket{user = jane, summary = request[1],
        details = request[2]}
end
halyard.settle{timeout = 30}
for index, ticket in ipairs(tickets) do
    local run = halyard.runs(ticket)[1]
    expect.eq(run.state, "awaiting_verification", string.format("ticket %d (%s: %s)",
        ticket.id, REQUESTS[index][1], REQUESTS[index][2]))
end
expect.eq(#verifier.challenges(), #REQUESTS, "one challenge per request")
