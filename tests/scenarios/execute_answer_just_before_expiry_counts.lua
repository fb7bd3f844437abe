-- Execute mode: the assigned technician approves a minute before the request expires, and the
-- webhook of that answer is lost. When the deadline comes, halyard reads the ticket before it
-- lets the request expire, so the approval counts and the steps run, instead of a note saying
-- the technician did not answer.

halyard.config{approval_check_seconds = 600, approval_expiry_minutes = 60}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Note the restart.",
    steps = {
        {tool = "halo.add_note", kind = "write", arguments = {note = "Restarted the kiosk remotely."},
            purpose = "Record the restart."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

clock.advance("58m")
halyard.settle{}
halo.webhook_fault{drop = 5}
halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
clock.advance("3m")
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "expired", "no expiry note under the approval")
end
