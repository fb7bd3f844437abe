-- Execute mode: a step the tool policy lets run on its own but that comes after a step needing
-- approval waits for that approval too. Before the approval halyard sends the requester
-- nothing. After it the status change and then the reply run, each once, in plan order.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return {
    default = {["halo.reply"] = "auto"},
    clients = {},
}
]])
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Look the requester up, wait on the requester, then tell them so.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 4},
            purpose = "Wait on the requester."},
        {tool = "halo.reply", kind = "write",
            arguments = {message = "We restarted the kiosk; please check it."},
            purpose = "Tell the requester."},
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

local request = expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.contains(request.text, "halo.set_status", "the request lists the step needing approval")
expect.contains(request.text, "halo.reply", "the request lists the auto step after it")
expect.contains(request.text, "runs automatically after the approval",
    "the request says the reply waits for the approval")
expect.contains(request.text, "halo.get_user", "the request shows the read step that ran")
expect.run(ticket, {state = "awaiting_approval"})
expect.no_new_note(ticket)
expect.notes(ticket, 1)
expect.eq(halo.ticket(ticket).status_id, 1, "the status is unchanged before the approval")
for _, action in ipairs(halyard.notes(ticket)) do
    expect.eq(action.hidden, true, "no reply reaches the requester before the approval")
end

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
local closing = expect.note(ticket, {contains = "finished plan"})
expect.contains(closing.text, "halo.reply", "the closing note lists the reply step")
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
expect.no_new_note(ticket)

local replies = 0
for _, action in ipairs(halyard.notes(ticket)) do
    if not action.hidden then
        replies = replies + 1
        expect.contains(action.text, "We restarted the kiosk", "the reply's text")
    end
end
expect.eq(replies, 1, "the reply was sent once")
expect.requests("POST /api/tickets", {exactly = 1})

-- Plan order: step 3 started only after step 2's write was done.
local log = halyard.log()
local status_queued = log:find("step 2 queued its write", 1, true)
local reply_queued = log:find("step 3 queued its write", 1, true)
expect.truthy(status_queued, "step 2 queued its write")
expect.truthy(reply_queued, "step 3 queued its write")
expect.truthy(status_queued < reply_queued, "step 2 ran before step 3")
