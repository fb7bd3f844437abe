-- Execute mode: the MSP edits the workflow while the request waits, so the plan the approval
-- would run is not the plan the request showed. halyard plans again on the approval, sees a new
-- plan hash and asks again instead of running steps nobody approved.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})

local first = expect.note(ticket, {contains = "asks for approval"})
local first_plan = first.text:match("plan (%x+)")
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
        {tool = "halo.add_note", kind = "write", arguments = {note = "Replaced the kiosk."},
            purpose = "Record the replacement."},
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 2},
            purpose = "Work on it."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
expect.logged("version=2 serving")

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.logged("plan changed after approval")
local notes = expect.notes(ticket, 2)
expect.contains(notes[2].text, "asks for approval", "a second request is posted")
expect.contains(notes[2].text, "Replaced the kiosk.", "it shows the new plan")
local second_plan = notes[2].text:match("plan (%x+)")
expect.truthy(first_plan ~= second_plan, "the second request shows another plan hash")
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "the first approval ran nothing")

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.note(ticket, {contains = "Replaced the kiosk."})
expect.eq(halo.ticket(ticket).status_id, 2, "the second plan's status change was made")
expect.no_new_note(ticket)
