-- Bug: an approval policy whose classify raised with the reply's text in its message put that
-- text, a password typed in the reply included, and the policy's folder on the server into the
-- hidden note and the run event. Now they name the script's file name and line and the kind of
-- failure only; the log keeps the message with the password cut. A policy stopped by its
-- instruction limit is named the same way, without the folder the limit's error names.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
local looping = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in the lobby shows a blank screen."}
halo.update(looping, {technician = sam, assign = sam})
expect.note(looping, {contains = "asks for approval", hidden = true})

halyard.policy("approval.lua", [[
return {
    classify = function(text, options)
        if not text:find("keep going", 1, true) then error("cannot read: " .. tostring(text)) end
        while true do end
    end,
}
]])
-- halyard builds the edited version on a thread of its own, which settle does not wait for. A
-- reply read before version 2 serves is classified by the shipped policy and approves the run.
expect.logged("version=2 serving")
halyard.settle()
clock.advance("1s")
halyard.settle()

halo.reply(ticket, {technician = sam, text = "approve - the admin password is Hunter22x btw",
    hidden = true})
halo.reply(looping, {technician = sam, text = "approve - keep going", hidden = true})
halyard.settle{timeout = 20}

local note_found = nil
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("could not read a reply to its approval request", 1, true) then
        note_found = note
    end
end
expect.truthy(note_found, "a note tells the technician the reply could not be read")
expect.eq(note_found.text:find("policy raised an error (approval.lua:3)", 1, true) ~= nil, true,
    "the note names the kind of failure and the script's file name and line")
expect.eq(note_found.text:find("Hunter22x", 1, true), nil, "the note leaves out the password")
expect.eq(note_found.text:find("cannot read: approve", 1, true), nil,
    "the note leaves out the error's message")
expect.eq(note_found.text:find("policies/approval.lua:", 1, true), nil,
    "the note leaves out the script's folder")

local run = halyard.runs(ticket)[1]
local failed = 0
for _, event in ipairs(run.events) do
    if event.kind == "approval_policy_failed" then
        failed = failed + 1
        expect.eq(event.detail:find("raised an error (approval.lua:3)", 1, true) ~= nil, true,
            "the event names where the policy raised")
        expect.eq(event.detail:find("Hunter22x", 1, true), nil, "the event leaves out the password")
        expect.eq(event.detail:find("/", 1, true), nil, "the event names no folder")
    end
end
expect.eq(failed, 1, "the run records the failing policy")

local log = halyard.log()
expect.eq(log:find("cannot read: approve", 1, true) ~= nil, true,
    "the log keeps the error's message for the MSP")
expect.eq(log:find("Hunter22x", 1, true), nil, "the log leaves out the password")

local stopped = nil
for _, note in ipairs(halyard.notes(looping)) do
    if note.text:find("could not read a reply to its approval request", 1, true) then
        stopped = note
    end
end
expect.truthy(stopped, "a note tells the technician the other reply could not be read")
expect.eq(stopped.text:find("ran past its time or instruction limit (approval.lua:4)", 1, true)
    ~= nil, true, "the note names the limit and where the policy was stopped")
expect.eq(stopped.text:find("policies/approval.lua:", 1, true), nil,
    "the note leaves out the script's folder")
