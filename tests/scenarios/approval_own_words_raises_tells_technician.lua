-- Bug: an approval policy whose own_words raised made the plan leave out the requester's
-- replies with only a log line, so the technician never learned why the plan ignored them.
-- Now a hidden note and an approval_policy_failed event say so once for each version of the
-- MSP's scripts. The note names where own_words raised but never quotes the error's message,
-- which may quote the reply.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
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
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.reply(ticket, {user = jane,
    text = "It is still blank this morning. The kiosk login is admin / Sunflower-7731."})
halyard.settle{timeout = 20}
expect.note(ticket, {contains = "Kiosk", hidden = true})

-- Finds the notes about the failing own_words.
local function own_words_notes()
    local found = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        if note.text:find("could not tell the requester's own words", 1, true) then
            found[#found + 1] = note
        end
    end
    return found
end

local told = own_words_notes()
expect.eq(#told, 1, "one note tells of the failing own_words")
local text = told[1].text
expect.eq(told[1].hidden, true, "the note is hidden from the requester")
expect.contains(text, "raised at approval.lua:", "the note says where own_words raised")
expect.contains(text, "1 reply by the requester", "the note counts the replies left out")
expect.contains(text, "the ticket's details", "the note says the details could not be split")
expect.contains(text, "the plan left out that reply, and read the details whole",
    "the note says what the plan did instead")
expect.contains(text, "halyard workflows lint", "the note says how to check the policy")
expect.not_contains(text, "Sunflower", "the note leaves out a password from the reply")
expect.not_contains(text, "still blank", "the note leaves out the reply's text")
expect.not_contains(text, "cannot read", "the note leaves out the error's message")

local run = halyard.runs(ticket)[1]
local events = {}
for _, event in ipairs(run.events) do
    if event.kind == "approval_policy_failed" then
        events[#events + 1] = event
    end
end
expect.eq(#events, 1, "the run records the failing own_words once")
expect.contains(events[1].detail, "own_words raised at approval.lua:",
    "the event names own_words and where it raised")
expect.not_contains(events[1].detail, "Sunflower", "the event leaves out the reply")

-- The log says where own_words raised, and leaves out its message, which quotes the reply.
local log = halyard.log()
expect.contains(log, "own_words raised at approval.lua:", "the log says where it raised")
expect.not_contains(log, "cannot read", "the log leaves out the error's message")
expect.not_contains(log, "Sunflower", "the log leaves out a password from the reply")
