-- Regression: an approval that named the older plan as "plan: <id>", or that answered the
-- older request by quoting its note, ran the newer plan. The policy read only "plan <id>"
-- and did not compare the quoted note's plan with the plan halyard asked about. Neither
-- reply runs a step of the new plan; an approval quoting the new request's note runs them.

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

halo.reply(ticket, {technician = sam, text = "Approved plan: " .. first_plan, hidden = true})
expect.logged("neutral (other_request)")
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "approving the old plan by 'plan: id' runs no step")

-- An e-mail reply to the first request quotes its note below the technician's words.
local function quoting(plan)
    return "Approved\n\nOn Mon, 1 Dec 2026 at 10:00, halyard wrote:\n"
        .. "> halyard asks for approval: plan " .. plan .. "\n"
end
halo.reply(ticket, {technician = sam, text = quoting(first_plan), hidden = true})
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "answering the old request's note runs no step")
for _, found in ipairs(halyard.notes(ticket)) do
    expect.not_contains(found.text, "finished plan", "no step of the new plan ran")
end

halo.reply(ticket, {technician = sam, text = quoting(second_plan), hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 2, "answering the new request's note runs its steps")
