-- No shipped workflow covered mail forwarding, mail delegation, payment changes, physical
-- access or contact changes, so a request for one of them that the sensitive policy read as a
-- how-to question got a plan note and no identity challenge. Each shipped backstop workflow
-- must make its request sensitive: the requester is challenged first, and the plan made after
-- the pass names the workflow.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local REQUESTS = {
    {workflow = "Mail forwarding", summary = "Email",
        details = "How do I get my work emails sent to my gmail automatically?"},
    {workflow = "Access to a colleague's mail", summary = "Question",
        details = "How can I see Karen's emails while she's off?"},
    {workflow = "Bank or payment details change", summary = "Direct debit",
        details = "I was wondering whether you could change the direct debit to our "
            .. "Santander account?"},
    {workflow = "Door, badge or alarm access", summary = "Visitor",
        details = "How do I get a visitor badge for my brother this weekend? He's helping me "
            .. "move desks."},
    {workflow = "Contact details change", summary = "Mobile",
        details = "How do I change the mobile number you have on file for me? It changed "
            .. "last week."},
}

for _, request in ipairs(REQUESTS) do
    local ticket = halo.log_ticket{user = jane, summary = request.summary,
        details = request.details}
    local challenge = verifier.expect_challenge(ticket)
    expect.run(ticket, {state = "awaiting_verification"})
    verifier.approve(challenge)
    local note = expect.note(ticket, {contains = request.workflow, timeout = 20})
    expect.contains(note.text, request.workflow, "the plan names the backstop workflow")
end

-- The same request in the requester's reply to a harmless ticket is challenged too.
local slow = halo.log_ticket{user = jane, summary = "Outlook slow", details = "Outlook is slow."}
expect.note(slow, {contains = "halyard"})
halo.reply(slow, {user = jane,
    text = "Also, how do I get my work emails sent to my gmail automatically?"})
verifier.expect_challenge(slow)
local run = expect.run(slow, {state = "awaiting_verification"})
local named = ""
for _, event in ipairs(run.events) do
    if event.kind == "workflow_sensitive" then
        named = tostring(event.detail)
    end
end
expect.contains(named, "Mail forwarding", "the run event names the backstop workflow")
expect.eq(#verifier.challenges(), #REQUESTS + 1, "one challenge per request")
