-- An approval policy whose own_words returns a number instead of the own words. Each plan
-- made with that version of the policy leaves the requester's replies out. The technician
-- hears of it in one note for the version, however often the ticket is planned again. A
-- technician's "Approved." that classify cannot split is no approval, so nothing runs.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.policy("approval.lua", [[
local approval = {}

function approval.own_words(text, options)
    return 42
end

function approval.classify(text, options)
    local own = approval.own_words(text, options)
    if type(own) ~= "string" then
        error("own_words returned no text", 0)
    end
    return {decision = own:find("Approved") and "approve" or "neutral", reason = "read",
        evidence = own}
end

return approval
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})

-- Two replies by the requester, each read in its own sync: each is a message for the agent,
-- so the ticket is planned again with the same version of the policy.
for _, reply in ipairs({"Still blank after lunch.", "Now it shows a spinning wheel."}) do
    halo.reply(ticket, {user = jane, text = reply})
    halyard.settle{timeout = 20}
    clock.advance("3m")
    halyard.settle{timeout = 20}
end

-- The assigned technician approves, but classify cannot split the reply.
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
halyard.settle{timeout = 20}
clock.advance("3m")
halyard.settle{timeout = 20}

local split_notes, read_notes = {}, {}
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("could not tell the requester's own words", 1, true) then
        split_notes[#split_notes + 1] = note
    end
    if note.text:find("could not read a reply to its approval request", 1, true) then
        read_notes[#read_notes + 1] = note
    end
end
expect.eq(#split_notes, 1, "one note for the version whose own_words failed, not one per plan")
expect.contains(split_notes[1].text, "returned an invalid result (own words is the number 42",
    "the note says what own_words returned")
expect.not_contains(split_notes[1].text, "Still blank", "the note leaves out the reply")
expect.eq(#read_notes, 1, "the technician hears that the approval could not be read")
expect.contains(read_notes[1].text, "the approval policy raised an error",
    "the note names the kind of failure")
expect.not_contains(read_notes[1].text, "own_words returned no text",
    "the note leaves out the error's message")

local run = halyard.runs(ticket)[1]
expect.eq(run.state ~= "executing" and run.state ~= "done", true, "the approval ran nothing")
expect.eq(halo.ticket(ticket).status_id, 1, "the ticket's status is unchanged")
local events, replans = 0, 0
for _, event in ipairs(run.events) do
    if event.kind == "messages" then
        replans = replans + 1
    end
    if event.kind == "approval_approved" then
        expect.fail("a reply that could not be split was counted as an approval")
    end
    if event.kind == "approval_policy_failed" then
        events = events + 1
    end
end
expect.eq(events, 2, "one event for own_words and one for classify")
expect.eq(replans >= 2, true, "the requester's replies planned the ticket again")
