-- An approval policy whose own_words returns something other than text for a reply, met while
-- the ticket is screened for a sensitive request. The reply quotes Bob's request below Jane's
-- own words. The screening cannot split it, so the whole reply counts as Jane's: she is
-- challenged, and a hidden note before the check tells the technician what own_words returned
-- and that the reply was read whole. The details, which own_words splits, are not named.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("approval.lua", [[
return {
    classify = function(text, options)
        return {decision = "neutral", reason = "question", evidence = ""}
    end,
    own_words = function(text, options)
        if text:find("Bob", 1, true) then
            return 42
        end
        return text, "", ""
    end,
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk question",
    details = "Is the kiosk in reception working today?"}
halo.update(ticket, {technician = sam, assign = sam})
halyard.settle{timeout = 20}
halo.reply(ticket, {user = jane, text = "Bob asked me to pass this on.\n\n"
    .. "On Monday, Bob Stone <bob.stone@acme.example> wrote:\n"
    .. "I forgot my password, please reset it for me."})

local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged")

local note = expect.note(ticket, {contains = "while it screened this ticket", hidden = true})
expect.contains(note.text, "returned an invalid result (own words is the number 42, expected a "
    .. "string) on 1 reply by the requester.", "the note says what own_words returned")
expect.contains(note.text, "counted that reply whole as the requester's own words",
    "the note says what the screening did instead")
expect.not_contains(note.text, "details", "the details were split")
expect.not_contains(note.text, "forgot my password", "the note leaves out the reply")

local events = 0
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    if event.kind == "approval_policy_failed" then
        events = events + 1
        expect.contains(event.detail, "own_words returned an invalid result while the ticket "
            .. "was screened", "the event names the failure")
    end
end
expect.eq(events, 1, "the run records the failing own_words once")
halyard.settle{timeout = 20}
