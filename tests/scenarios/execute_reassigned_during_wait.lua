-- Execute mode: the ticket is reassigned from Sam to Alex while its request waits. halyard
-- posts one note telling Alex the request is now theirs to answer, even though every webhook
-- delivery arrives twice. It reads the assignee when it reads each reply, so Sam's later
-- approval no longer counts and Alex's does.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})

expect.note(ticket, {contains = "asks for approval"})
halo.webhook_fault{duplicate = 20}
halo.update(ticket, {technician = sam, assign = alex})
local readdressed = expect.note(ticket, {contains = "the technician now assigned", hidden = true})
expect.contains(readdressed.text, "Alex Rivera", "the note names the new assignee")
expect.contains(readdressed.text, "do not count", "the note says others' answers do not count")
expect.no_new_note(ticket)

-- Saving the ticket again with the same assignee is no reassignment.
halo.update(ticket, {technician = alex, assign = alex})
expect.no_new_note(ticket)

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.logged("ignored: not the assigned technician")
expect.no_new_note(ticket)
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "the former assignee approved nothing")

halo.reply(ticket, {technician = alex, text = "Go ahead.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the new assignee's approval counts")
expect.no_new_note(ticket)

local notes_to_alex = 0
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("the technician now assigned", 1, true) then
        notes_to_alex = notes_to_alex + 1
    end
end
expect.eq(notes_to_alex, 1, "one note for the one reassignment")
