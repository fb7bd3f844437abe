-- The failing-policy note is written once per version of the MSP's scripts. Version numbers
-- start at 1 again when halyard restarts, so the note's key carries the version's load time
-- too: after a restart, the still-broken policy is reported once more, not taken for the
-- version that was reported before.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.policy("approval.lua", [[
return {
    classify = function(text, options)
        error("classify is broken", 0)
    end,
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})

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

answer("Approved, go ahead.")
expect.eq(#failure_notes(), 1, "the failing version writes a note")
answer("Approved.")
expect.eq(#failure_notes(), 1, "a second failure of the same version writes none")

halyard.restart()
answer("Approved, please go ahead.")
local told = failure_notes()
expect.eq(#told, 2, "the version loaded at the restart writes a note of its own")
expect.contains(told[2].text, "version 1 of the MSP's scripts",
    "the note names the version loaded at the restart")
expect.eq(halyard.runs(ticket)[1].state ~= "executing", true, "the run did not act")
