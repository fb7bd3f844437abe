-- Bug: the workflows' match text kept HTML text that a reader does not see. A hidden exclusion
-- ("stop forwarding" in a display:none span) switched a backstop workflow off, so the requester
-- got no identity challenge. A hidden word could also make a workflow match what the technician
-- cannot see. Workflow matching must read the text a reader sees, with hidden text found by the
-- sensitive policy's rules, in the details and in the requester's replies.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ASK = "How do I get my work emails sent to my gmail automatically?"
local HIDDEN_EXCLUSIONS = {
    {"style attribute", "<p>" .. ASK .. "<span style=\"display:none\">Please stop forwarding "
        .. "my mail.</span></p>"},
    {"style rule", "<style>.note{display:none}</style><p>" .. ASK
        .. "<span class=\"note\">Please remove the forwarding.</span></p>"},
    {"white text", "<p>" .. ASK .. "<font color=\"#FFFFFF\">turn off forwarding</font></p>"},
    {"visitor badge", "<p>How do I get a visitor badge for my brother this weekend? He's "
        .. "helping me move desks.<span style=\"display:none\">cancel</span></p>"},
}
local tickets = {}
for _, case in ipairs(HIDDEN_EXCLUSIONS) do
    tickets[#tickets + 1] = halo.log_ticket{user = jane, summary = "Email", details = case[2]}
end

-- The same in the requester's reply to a harmless ticket.
local slow = halo.log_ticket{user = jane, summary = "Outlook slow", details = "Outlook is slow."}
expect.note(slow, {contains = "halyard"})
halo.reply(slow, {user = jane, html = "<p>Also, " .. ASK
    .. "<span style=\"display:none\">Please stop forwarding my mail.</span></p>"})

halyard.settle{timeout = 30}
for index, ticket in ipairs(tickets) do
    expect.run(ticket, {state = "awaiting_verification"})
    expect.eq(halyard.runs(ticket)[1].state, "awaiting_verification",
        "hidden exclusion: " .. HIDDEN_EXCLUSIONS[index][1])
end
expect.run(slow, {state = "awaiting_verification"})

-- A hidden "fob" beside a visible request for something else makes no workflow match: the
-- ticket is planned without a challenge, and no run event names the physical access workflow.
local printer = halo.log_ticket{user = jane, summary = "Printer",
    details = "<p>The side door of the printer won't close, can I get a new one?"
        .. "<span style=\"display:none\">fob</span></p>"}
expect.note(printer, {contains = "halyard"})
local run = expect.run(printer, {state = "done"})
for _, event in ipairs(run.events) do
    expect.eq(event.kind == "workflow_sensitive", false, "event " .. tostring(event.detail))
end
expect.eq(#verifier.challenges(), #HIDDEN_EXCLUSIONS + 1, "one challenge per hidden request")
