-- Regression: "Approved plan <old id>" approved the plan of a newer request, because halyard
-- did not pass the pending request's plan id to the approval policy. The MSP edits
-- the workflow while a request waits, a second request asks for the new plan, and the
-- technician, reading the first request, approves the old plan by its id: no step runs. An
-- approval naming the new plan's id then runs the steps.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
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
    instructions = "Look the requester up, note the replacement and mark it in progress.",
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

-- A message to the agent plans again with the edited workflow, so a second request follows.
halo.reply(ticket, {technician = sam, text = "Hold on, checking.", hidden = true})
local notes = expect.notes(ticket, 2)
expect.contains(notes[2].text, "asks for approval", "a second request is posted")
local second_plan = notes[2].text:match("plan (%x+)")
expect.eq(first_plan ~= second_plan, true, "the edited workflow makes a new plan")
expect.run(ticket, {state = "awaiting_approval"})

halo.reply(ticket, {technician = sam, text = "Approved plan " .. first_plan .. ".", hidden = true})
expect.logged("neutral (other_request)")
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "approving the old plan runs no step of the new one")
for _, found in ipairs(halyard.notes(ticket)) do
    expect.not_contains(found.text, "finished plan", "no step of the new plan ran")
end

halo.reply(ticket, {technician = sam, text = "Approved plan " .. second_plan .. ".", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 2, "approving the new plan by its id runs its steps")
