-- Bug: the note that tells the technician the approval policy failed was keyed by the error's
-- first line. So an edited policy that failed with the same line wrote no new note, and one
-- version of the policy that failed in two ways wrote two. Now each version of the MSP's
-- scripts whose policy fails writes one note, which names that version.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})

-- Both versions fail with "classify is broken", and on a reply with "Hold" with another error.
local broken = [[
return {
    classify = function(text, options)
        if text:find("Hold", 1, true) then
            error("classify failed on a held reply", 0)
        end
        error("classify is broken", 0)
    end,
}
]]

-- Returns the notes about the failing policy.
local function failure_notes()
    local found = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        if note.text:find("could not read a reply to its approval request", 1, true) then
            found[#found + 1] = note
        end
    end
    return found
end

-- Writes a hidden reply by the assigned technician and waits until halyard has read it.
local function answer(text)
    halo.reply(ticket, {technician = sam, text = text, hidden = true})
    halyard.settle{timeout = 20}
    clock.advance("3m")
    halyard.settle{timeout = 20}
end

halyard.policy("approval.lua", broken)
-- halyard builds an edited version on a thread of its own, which settle does not wait for. A
-- reply read before the new version serves is classified by the version before it.
expect.logged("version=2 serving")
halyard.settle()
clock.advance("1s")
halyard.settle()

answer("Approved, go ahead.")
local told = failure_notes()
expect.eq(#told, 1, "the first failure of a version writes a note")
expect.contains(told[1].text, "the approval policy raised an error",
    "the note names the kind of failure")
expect.not_contains(told[1].text, "classify is broken", "the note leaves out the error's message")

answer("Hold on. Approved.")
expect.eq(#failure_notes(), 1, "another error of the same version writes no second note")

-- The MSP edits the policy; the new text fails with the same first line as before.
halyard.policy("approval.lua", broken .. "-- edited: still broken\n")
expect.logged("version=3 serving")
halyard.settle()
clock.advance("1s")
halyard.settle()

answer("Approved.")
told = failure_notes()
expect.eq(#told, 2, "the edited version that fails writes a note of its own")
expect.contains(told[2].text, "the approval policy raised an error",
    "the second note names the kind of failure")
expect.not_contains(told[1].text, "failed on a held reply",
    "the first note is the first failure's")
local first_version = told[1].text:match("version (%d+) of the MSP's scripts")
local second_version = told[2].text:match("version (%d+) of the MSP's scripts")
expect.truthy(first_version, "the first note names the version that failed")
expect.truthy(second_version, "the second note names the version that failed")
expect.eq(tonumber(second_version) > tonumber(first_version), true,
    "the second note names the edited version")

local run = halyard.runs(ticket)[1]
local events = 0
for _, event in ipairs(run.events) do
    if event.kind == "approval_policy_failed" then
        events = events + 1
    end
end
expect.eq(events, 2, "the run records one event per failing version")
expect.eq(run.state ~= "executing" and run.state ~= "done", true, "the run did not act")
