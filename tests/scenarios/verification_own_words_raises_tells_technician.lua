-- Bug: an approval policy whose own_words raised while the ticket was screened for a sensitive
-- request made the screening count all of the requester's mail as her own, with no note: the
-- technician heard of it only from the plan, which for a ticket held for the requester's check
-- comes after the check. Now the screening writes a hidden note and an approval_policy_failed
-- event before the challenge, once for each version of the MSP's scripts. The screening stays
-- on the safe side: Bob's request forwarded in Jane's ticket counts as hers, so Jane is
-- challenged before anything acts on her account. The note never quotes the error's message.
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
        error("own_words cannot read: " .. text)
    end,
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password",
    details = "Bob asked me to pass this on.\n\nFrom: Bob Stone <bob.stone@acme.example>\n"
        .. "Sent: Monday 09:12\n\nI forgot my password, please reset it for me. My old one was "
        .. "Sunflower-7731."}
halo.update(ticket, {technician = sam, assign = sam})

-- Jane is challenged: the request counts as hers while own_words cannot split the mail.
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged")

local note = expect.note(ticket, {contains = "while it screened this ticket", hidden = true})
expect.contains(note.text, "raised at approval.lua:", "the note says where own_words raised")
expect.contains(note.text, "on the ticket's details", "the note names the details")
expect.contains(note.text, "counted the details whole as the requester's own words",
    "the note says what the screening did instead")
expect.contains(note.text, "the requester is asked to prove who they are",
    "the note says the requester is challenged")
expect.contains(note.text, "halyard workflows lint", "the note says how to check the policy")
expect.not_contains(note.text, "Sunflower", "the note leaves out a password from the mail")
expect.not_contains(note.text, "cannot read", "the note leaves out the error's message")

local run = halyard.runs(ticket)[1]
local events = {}
for _, event in ipairs(run.events) do
    if event.kind == "approval_policy_failed" then
        events[#events + 1] = event
    end
end
expect.eq(#events, 1, "the run records the failing own_words once")
expect.contains(events[1].detail, "while the ticket was screened",
    "the event says the screening met the failure")
expect.contains(events[1].detail, "own_words raised at approval.lua:",
    "the event names own_words and where it raised")
expect.not_contains(events[1].detail, "Sunflower", "the event leaves out the mail")

-- A reply that changes the ticket is screened again with the same scripts: no second note.
halo.reply(ticket, {user = jane, text = "Any news? Bob still cannot log in, it is urgent."})
halyard.settle{timeout = 20}
local screening_notes = 0
for _, each in ipairs(halyard.notes(ticket)) do
    if each.text:find("while it screened this ticket", 1, true) then
        screening_notes = screening_notes + 1
    end
end
expect.eq(screening_notes, 1, "one note for the version of the scripts, not one per screening")
expect.not_contains(halyard.log(), "Sunflower", "the log leaves out a password from the mail")
