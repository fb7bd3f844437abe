-- Execute mode: a client switched back to Plan mode while its run waits for an approval stops
-- that run at once, with a note that says so. An approval that comes later, even after the
-- client is switched back to Execute mode, runs none of the steps, and the ticket is left as it
-- was.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Look the requester up, note the restart and wait on the requester.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
        {tool = "halo.add_note", kind = "write", arguments = {note = "Restarted the kiosk remotely."},
            purpose = "Record the restart."},
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 4},
            purpose = "Wait on the requester."},
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

-- The switch itself stops the waiting run, before any answer, and a switch back to Execute
-- mode does not bring its request back.
halyard.mode(acme, "plan")
expect.note(ticket, {contains = "the client is in Plan mode now", hidden = true})
local run = expect.run(ticket, {state = "stopped"})
halyard.mode(acme, "execute")
halo.reply(ticket, {technician = sam, text = "Approved", hidden = true})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.client_plan_mode, "the run has a client_plan_mode event")
halyard.settle{}
expect.eq(halo.ticket(ticket).status_id, 1, "no approved step ran")
expect.notes(ticket, 2) -- the request and the stop: no step's note, no closing note
expect.no_new_note(ticket)
