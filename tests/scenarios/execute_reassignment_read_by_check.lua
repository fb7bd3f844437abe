-- Execute mode: while a request waits, the ticket moves from Sam to Alex and back to Sam, and
-- the webhook delivery of each move is lost. halyard reads the ticket every
-- approval_check_seconds anyway, so each move gets one note for the new assignee, found at the
-- next check, and a restart posts none again. Only the current assignee's approval counts.

halyard.config{approval_check_seconds = 120}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

-- halyard's notes telling a new assignee that the request is theirs, oldest first.
local function readdressed_notes()
    local found = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        if note.text:find("the technician now assigned", 1, true) then
            found[#found + 1] = note
        end
    end
    return found
end

-- Sam to Alex, delivery lost: the next check finds the new assignee.
halyard.settle()
halo.webhook_fault{drop = 10}
halo.update(ticket, {technician = sam, assign = alex})
expect.no_new_note(ticket, {advance = "1m"})
clock.advance("2m")
local to_alex = expect.note(ticket, {contains = "the technician now assigned", hidden = true})
expect.contains(to_alex.text, "Alex Rivera", "the first note names Alex")
expect.no_new_note(ticket, {advance = "5m"})
expect.eq(#readdressed_notes(), 1, "one note after the first reassignment")

-- A restart reads the same assignee again and posts nothing.
halyard.restart{kill = true}
expect.no_new_note(ticket, {advance = "5m"})
expect.eq(#readdressed_notes(), 1, "no note again after a restart")

-- Alex back to Sam, delivery lost again: a second note, for Sam.
halo.update(ticket, {technician = alex, assign = sam})
expect.no_new_note(ticket, {advance = "1m"})
clock.advance("2m")
halyard.settle()
expect.eq(#readdressed_notes(), 2, "one more note after the second reassignment")
expect.contains(readdressed_notes()[2].text, "Sam Lead", "the second note names Sam")
halo.clear_faults()

-- Alex is no longer assigned: the approval is recorded and does not count. Sam's does.
halo.reply(ticket, {technician = alex, text = "Approved.", hidden = true})
expect.logged("ignored: not the assigned technician")
expect.no_new_note(ticket)
expect.run(ticket, {state = "awaiting_approval"})
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "Restarted the kiosk remotely."})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.no_new_note(ticket)
expect.eq(#readdressed_notes(), 2, "two reassignments, two notes")
