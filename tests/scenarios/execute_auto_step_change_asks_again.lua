-- Execute mode: the approval binds the auto steps the request showed after the step needing
-- approval, too. The workflow's reply changes while the request waits, so the approval runs
-- nothing and a new request shows the new reply. Only the reply approved reaches the requester.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return {
    default = {["halo.reply"] = "auto"},
    clients = {},
}
]])

-- The kiosk workflow, replying message to the requester after the status change.
local function kiosk_workflow(message)
    return [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Wait on the requester, then tell them so.",
    steps = {
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 4},
            purpose = "Wait on the requester."},
        {tool = "halo.reply", kind = "write", arguments = {message = "]] .. message .. [["},
            purpose = "Tell the requester."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]]
end

halyard.workflow("kiosk_offline.lua", kiosk_workflow("We restarted the kiosk."))
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})

local first = expect.note(ticket, {contains = "asks for approval"})
expect.contains(first.text, "We restarted the kiosk.", "the request shows the first reply")
local first_plan = first.text:match("plan (%x+)")

halyard.workflow("kiosk_offline.lua", kiosk_workflow("We replaced the kiosk."))
expect.logged("version=2 serving")
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.logged("plan changed after approval")
local notes = expect.notes(ticket, 2)
expect.contains(notes[2].text, "asks for approval", "a second request is posted")
expect.contains(notes[2].text, "We replaced the kiosk.", "it shows the new reply")
expect.truthy(first_plan ~= notes[2].text:match("plan (%x+)"),
    "the second request shows another plan hash")
expect.eq(halo.ticket(ticket).status_id, 1, "the first approval ran nothing")

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the second plan's status change was made")
expect.no_new_note(ticket)

local replies = {}
for _, note in ipairs(halyard.notes(ticket)) do
    if not note.hidden then
        replies[#replies + 1] = note.text
    end
end
expect.eq(#replies, 1, "one reply reached the requester")
expect.contains(replies[1], "We replaced the kiosk.", "the approved reply")
