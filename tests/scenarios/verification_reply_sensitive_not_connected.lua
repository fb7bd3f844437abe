-- Execute mode with no verification provider connected: a note step the tool policy lets run on
-- its own ran on a kiosk ticket. When the requester then asks for a password reset in a reply,
-- the run is screened again and found sensitive, and from then on every step that writes waits
-- for the assigned technician's approval, the auto note included.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return {
    default = {["halo.add_note"] = "auto"},
    clients = {},
}
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
-- The reset the requester asks for in a reply is planned with the shipped password reset
-- workflow, whose reset step needs a registered tool to stay in the plan.
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

-- Step 1: not sensitive, so the auto note runs and the run is done without asking anyone.
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "Restarted the kiosk remotely."})
expect.run(ticket, {state = "done", runs = 1})
halyard.settle()
local notes_before = #halyard.notes(ticket)

-- Step 2: the requester asks for a password reset. The run turns sensitive (not_connected),
-- and the next plan asks before it writes anything.
halo.reply(ticket, {user = jane,
    text = "Thanks. Also I forgot my password, can you reset it and send me the new one?"})
local request = expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.contains(request.text, "halo.add_note", "the auto note now waits for approval")
expect.contains(request.text, "m365.reset_password", "the reset asked for in the reply waits too")
local run = expect.run(ticket, {state = "awaiting_approval", runs = 1})
local screened = nil
for _, event in ipairs(run.events) do
    if event.kind == "screened" and event.detail:find("not_connected", 1, true) then
        screened = event
    end
end
expect.truthy(screened, "a screening event says the run is sensitive and not_connected")
halyard.settle()

-- The new request shows the step's note text too, so only the step's own notes are counted.
local restarts = 0
for _, action in ipairs(halyard.notes(ticket)) do
    if action.text:find("Restarted the kiosk remotely.", 1, true)
        and not action.text:find("asks for approval", 1, true) then
        restarts = restarts + 1
    end
end
expect.eq(restarts, 1, "the note step ran once, before the ticket turned sensitive")
expect.truthy(#halyard.notes(ticket) > notes_before, "the request note was added")
