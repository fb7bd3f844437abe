-- Execute mode: the MSP edits the workflow while a request waits, so the new plan has no step
-- left that needs approval. A message makes halyard plan again: the run closes with its
-- closing note, and the old request no longer expires into a note of its own.

halyard.config{approval_expiry_minutes = 60}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local alex = halo.technician{id = 4, name = "Alex Rivera"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval"})

halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Look the requester up; the kiosk team takes it from there.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
expect.logged("version=2 serving")
halo.reply(ticket, {technician = sam, text = "The kiosk team will handle this one.",
    hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})

clock.advance("2h")
expect.no_new_note(ticket)
expect.notes(ticket, 2)
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 1, "no write step ran")
