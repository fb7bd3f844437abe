-- Bug: a word of a backstop workflow's `none` list anywhere in the ticket ("remove the old
-- printer", "out of office", "statements attached", "new phone", "mailbox is full", "cancel my
-- desk booking") kept the backstop from matching, so a sensitive request the policy reads as a
-- how-to question got a plan note and no identity challenge. An exclusion of a backstop must be
-- a request to take the thing itself away, and an unrelated sentence beside the request must
-- not switch the requester's check off.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- Each request is a backstop's own how-to wording with one unrelated sentence added, whose
-- words the backstop used to exclude.
local REQUESTS = {
    {"Door", "How do I get a fob for the side door? Starting early shifts next week. "
        .. "Also please remove the old printer from my laptop."},
    {"Door", "Can I get a new fob for the side door? Please disable the old laptop account "
        .. "and deactivate the printer."},
    {"Email", "How do I get my work emails sent to my gmail automatically? My out of office "
        .. "is already set."},
    {"Email", "How can I have all my work email forwarded to my gmail while I'm on leave?"},
    {"Direct debit", "I was wondering whether you could change the direct debit to our "
        .. "Santander account? Statements attached."},
    {"Bank", "Please update our bank details to the attached. Our online banking website is "
        .. "down anyway, it's a bank holiday."},
    {"Mobile", "How do I change the mobile number you have on file for me? I got a new "
        .. "phone."},
    {"Question", "How can I see Karen's emails while she's off? Her mailbox is full anyway."},
    {"Question", "How can I see Karen's emails while she's off? The shared mailbox is slow "
        .. "too and I get spam."},
    {"Visitor", "How do I get a visitor badge for my brother this weekend? He's helping me "
        .. "move desks. Cancel my desk booking for Monday too."},
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
