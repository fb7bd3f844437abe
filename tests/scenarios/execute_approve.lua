-- Execute mode, approved: the read step runs on its own, the two write steps wait for one
-- approval request, and the assigned technician's "approved" runs each of them once. A closing
-- note lists what each step returned.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})

local request = expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.contains(request.text, "halo.add_note", "the request lists the note step")
expect.contains(request.text, "halo.set_status", "the request lists the status step")
expect.contains(request.text, "Sam Lead", "the request names who may answer")
local run = expect.run(ticket, {state = "awaiting_approval"})
expect.eq(run.mode, "execute", "the run's mode")
expect.eq(halo.ticket(ticket).status_id, 1, "nothing is written before the approval")

halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
local closing = expect.note(ticket, {contains = "finished plan"})
expect.contains(closing.text, "halo.get_user", "the closing note lists the read step")
expect.note(ticket, {contains = "Restarted the kiosk remotely."})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
expect.requests("POST /api/tickets", {exactly = 1})
expect.notes(ticket, 3)
expect.no_new_note(ticket)
