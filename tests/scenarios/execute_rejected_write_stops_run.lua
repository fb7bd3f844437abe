-- Execute mode: HaloPSA rejects an automatic write (a team it does not have). The run stops
-- there, incomplete, with a closing note naming the step and HaloPSA's error message and
-- listing the step after it as not run. A later reply and update of the ticket do not resume the run.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["halo.*"] = "auto"}, clients = {} } ]])
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Tell the user, send to the field team, note it.",
    steps = {
        {tool = "halo.reply", arguments = {message = "We are restarting the kiosk now."},
            purpose = "Tell the user."},
        {tool = "halo.assign", arguments = {team = "Field Tem"}, purpose = "Send to the field team."},
        {tool = "halo.add_note", arguments = {note = "Sent to the field team."},
            purpose = "Record it."},
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

local closing = expect.note(ticket, {contains = "stopped plan"})
expect.run(ticket, {state = "incomplete"})
expect.contains(closing.text, "at step 2")
expect.contains(closing.text, "halo.assign")
expect.contains(closing.text, "HTTP 400")
expect.contains(closing.text, "team 'Field Tem' is not a team", "HaloPSA's message")
expect.contains(closing.text, "Not run")
expect.contains(closing.text, "step 3 halo.add_note")
expect.contains(closing.text, "incomplete")

halo.reply(ticket, {user = jane, text = "Any news?"})
halyard.settle()
halo.update(ticket, {technician = sam, assign = sam})
halyard.settle()
clock.advance("1h")
halyard.settle()
expect.run(ticket, {state = "incomplete", runs = 1})
local replies = 0
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "Sent to the field team.", "step 3 never runs")
    replies = replies + (note.hidden and 0 or 1)
end
expect.eq(replies, 1, "the requester got the reply once")
expect.eq(#halyard.notes(ticket), 2, "the reply and the closing note")
expect.eq(halyard.activity().jobs_dead, 0, "no job died")
