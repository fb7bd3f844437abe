-- Execute mode: a ticket closed after the approval, while the approved steps run, stops the
-- run before its next step. The status step after the note step does not run, so the closed
-- ticket stays closed and no new run starts.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

-- HaloPSA takes two seconds to store the note step's write; the ticket is closed meanwhile.
halo.fault{method = "POST", path = "/api/actions", ticket = 1, latency_ms = 2000, times = 1}
halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
expect.logged("step 2 queued its write")
halo.close(ticket, {technician = sam})
expect.note(ticket, {contains = "Restarted the kiosk remotely."})
local note = expect.note(ticket, {contains = "the ticket was closed", hidden = true})
expect.contains(note.text, "step 1 (halo.get_user: done) and step 2 (halo.add_note: done)",
    "the stop note names the steps that ran")
expect.contains(note.text, "none of the steps after them", "the stop note says the rest did not run")
local run = expect.run(ticket, {state = "stopped"})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.ticket_closed, "the run has a ticket_closed event")
halyard.settle{}
expect.eq(halo.ticket(ticket).status_id, 9, "the status step did not run")
expect.eq(#halyard.runs(ticket), 1, "no new run")
