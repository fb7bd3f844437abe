-- Bug: the policy's reading let these requests through without the requester's identity check.
-- In a reply to a harmless ticket, "could I get into the Board folder as well?" ("get into"
-- read as a sign-in with no object) and "my account keeps saying disabled ..., can you fix" (a
-- disabled account the writer wants fixed) counted as part of the first message's fault.
-- "Please delete my MFA registration" read "MFA registration" as a topic. "Forwarding" above
-- "to my hotmail while I'm away please" named no mail word. HTML that shows its letters right
-- to left (<bdo dir="rtl">, unicode-bidi: bidi-override in a style or a <style> rule) was read
-- backwards, as stored. Each of these requests must challenge the requester.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local REQUESTS = {
    {"New phone", "Please delete my authenticator registration, I've got a new phone."},
    {"Forwarding", "to my hotmail while I'm away please"},
    {"Quick one", "<p>Hi, please <bdo dir=\"rtl\">drowssap ym teser</bdo>, I'm stuck.</p>"},
    {"Quick one", "<p>Please <span style=\"unicode-bidi: bidi-override; direction: rtl\">AFM "
        .. "ym evomer</span>, new phone.</p>"},
    {"Quick one", "<style>.sig{unicode-bidi:bidi-override;direction:rtl}</style><p>Please "
        .. "<span class=\"sig\">tnuocca ym kcolnu</span>, thanks.</p>"},
}
local tickets = {}
for _, request in ipairs(REQUESTS) do
    tickets[#tickets + 1] = halo.log_ticket{user = jane, summary = request[1],
        details = request[2]}
end

-- Requests added in the requester's replies to a harmless ticket.
local REPLIES = {
    "Cheers for looking. Separate thing, my manager asked me to check: could I get into the "
        .. "Board folder as well?",
    "oh and my account keeps saying disabled when I open Outlook on my tablet, can you fix",
}
local flickers = {}
for _, reply in ipairs(REPLIES) do
    local ticket = halo.log_ticket{user = jane, summary = "Screen flickering",
        details = "My second screen flickers."}
    expect.note(ticket, {contains = "halyard"})
    halo.reply(ticket, {user = jane, text = reply})
    flickers[#flickers + 1] = ticket
end

halyard.settle{timeout = 30}
for index, ticket in ipairs(tickets) do
    expect.eq(halyard.runs(ticket)[1].state, "awaiting_verification", string.format(
        "ticket %d (%s: %s)", ticket.id, REQUESTS[index][1], REQUESTS[index][2]))
end
for _, ticket in ipairs(flickers) do
    expect.run(ticket, {state = "awaiting_verification"})
end
-- A run waits for its verification before the provider has the challenge, so each challenge
-- is waited for before they are counted.
for _, ticket in ipairs(tickets) do
    verifier.expect_challenge(ticket, {timeout = 30})
end
for _, ticket in ipairs(flickers) do
    verifier.expect_challenge(ticket, {timeout = 30})
end
expect.eq(#verifier.challenges(), #REQUESTS + #REPLIES, "one challenge per request")
