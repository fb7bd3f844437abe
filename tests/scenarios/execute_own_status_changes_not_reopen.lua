-- Execute mode: the run's own status steps close the ticket and then set another status. Its
-- own close does not stop the run, its own status change is not a reopen by a person, so no
-- second run starts, and every approved step runs once with a closing note.

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
    instructions = "Close the ticket, note it, and leave it waiting on the requester.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 9},
            purpose = "Close the ticket."},
        {tool = "halo.add_note", kind = "write", arguments = {note = "Closed after the restart."},
            purpose = "Record the close."},
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 4},
            purpose = "Wait on the requester after all."},
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
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})

halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.note(ticket, {contains = "Closed after the restart."})
halyard.settle{}
expect.run(ticket, {state = "done"})
expect.eq(#halyard.runs(ticket), 1, "halyard's own status changes start no run")
expect.eq(halo.ticket(ticket).status_id, 4, "the last status step ran")
expect.no_new_note(ticket)

-- A person who closes the ticket and reopens it to the status the run set last does reopen it.
halo.close(ticket, {technician = sam})
halyard.settle{}
halo.reopen(ticket, {technician = sam, status = 4})
local reopened = expect.run(ticket, {state = "awaiting_approval"})
expect.eq(#halyard.runs(ticket), 2, "a person's reopen starts a new run")
expect.eq(reopened.events[1].detail, "ticket reopened", "the new run's first event")
