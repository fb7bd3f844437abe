-- Execute mode: the assigned technician denied the plan, so the run stopped. When the ticket is
-- then edited into a password reset, the ended run is not screened again: no challenge goes to
-- the requester and the run stays denied, because nothing more happens in it.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
-- The shipped password reset workflow is switched off, so the kiosk workflow alone plans the
-- edited ticket.
halyard.workflow("password_reset.lua", [[
return {
    name = "Password reset",
    status = "draft",
    scope = "all",
    trigger = "Someone forgot a password.",
    match = {all = {{"password*"}, {"reset*"}}},
    instructions = "Reset the password.",
    samples = {
        match = {{source = "written", summary = "Password reset", details = "reset it"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval"})
halo.reply(ticket, {technician = sam, text = "Deny.", hidden = true})
expect.run(ticket, {state = "denied"})

halo.update(ticket, {technician = sam, summary = "Kiosk offline and password reset",
    details = "The visitor kiosk shows a blank screen. Also, I forgot my password: please "
        .. "reset it."})
expect.no_new_note(ticket)
expect.eq(#verifier.challenges(), 0, "no challenge is sent for a denied run")
expect.run(ticket, {state = "denied", runs = 1})
