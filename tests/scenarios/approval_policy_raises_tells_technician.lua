-- Bug: an approval policy edited in while a request waited, whose classify raised, read the
-- assigned technician's "Approved" as neutral with only a log line: no note, no run event,
-- and the request expired a day later. Now nothing runs still, and one hidden note per run and
-- error tells the technician that the answer could not be read, with the kind of failure and
-- where it raised, and `halyard workflows lint`, and the run records an approval_policy_failed event.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})

halyard.policy("approval.lua", [[
return {
    classify = function(text, options)
        local missing = nil
        return missing.decision
    end,
}
]])
-- The edit reloads the scripts on a thread of their own, which settle does not wait for. A
-- reply read before version 2 serves is classified by the shipped policy and approves the run.
expect.logged("version=2 serving")
halyard.settle()
clock.advance("1s")
halyard.settle()

-- Two answers, read in two syncs: the second finds the note written and adds none.
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
halyard.settle{timeout = 20}
clock.advance("3m")
halyard.settle{timeout = 20}
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
halyard.settle{timeout = 20}
clock.advance("3m")
halyard.settle{timeout = 20}

expect.eq(halo.ticket(ticket).status_id, 1, "nothing ran")
local told = {}
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("could not read a reply to its approval request", 1, true) then
        told[#told + 1] = note
    end
end
expect.eq(#told, 1, "one note for the failing policy, not one per reply")
expect.eq(told[1].hidden, true, "the note is hidden from the requester")
expect.eq(told[1].text:find("raised an error (approval.lua:", 1, true) ~= nil, true,
    "the note names the kind of failure and where")
expect.eq(told[1].text:find("attempt to index a nil value", 1, true), nil,
    "the note leaves out the error's message")
expect.eq(told[1].text:find("stack traceback", 1, true), nil, "the note leaves out the traceback")
expect.eq(told[1].text:find("halyard workflows lint", 1, true) ~= nil, true,
    "the note says how to find the error")

local run = halyard.runs(ticket)[1]
local failed = 0
for _, event in ipairs(run.events) do
    if event.kind == "approval_policy_failed" then
        failed = failed + 1
        expect.eq(event.detail:find("raised an error (approval.lua:", 1, true) ~= nil, true,
            "the event names the failure")
    end
end
expect.eq(failed, 1, "the run records the failing policy once")
expect.eq(run.state ~= "executing" and run.state ~= "done", true, "the run did not act")
