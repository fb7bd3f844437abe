-- Execute mode: a ticket screened not sensitive has a write step that runs on its own. When the
-- requester's reply asks for a password reset, the reply is screened before the run is planned
-- again, so no step runs until the requester is verified.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return {
    default = {["halo.add_note"] = "auto"},
    clients = {},
}
]])
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note_status.lua"})
-- A workflow of the MSP's own that reads the notes and sends a reset link on its own. The
-- shipped password reset workflow is switched off, so this one alone plans the reset.
halyard.workflow("reset_link.lua", [[
return {
    name = "Reset link",
    status = "active",
    scope = "all",
    trigger = "Someone forgot a password.",
    match = {all = {{"password*"}}, fields = {"summary", "details", "notes"}},
    instructions = "Send the requester a reset link.",
    steps = {
        {tool = "halo.add_note", kind = "write", arguments = {note = "Sent a reset link."},
            purpose = "Send the link."},
    },
    samples = {
        match = {{source = "written", summary = "Password", details = "forgot my password"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
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

-- Counts halyard's notes on ticket that start with text.
local function notes_starting(ticket, text)
    local count = 0
    for _, note in ipairs(halyard.notes(ticket)) do
        if note.text:sub(1, #text) == text then
            count = count + 1
        end
    end
    return count
end

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})
expect.eq(notes_starting(ticket, "Restarted the kiosk."), 1,
    "the auto step ran once before the request")

halo.reply(ticket, {user = jane,
    text = "Also, I forgot my password. Please reset it and send the new one here."})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
expect.eq(notes_starting(ticket, "Sent a reset link."), 0,
    "no step ran between the reply and the identity check")
expect.eq(notes_starting(ticket, "Restarted the kiosk."), 1, "the kiosk step did not run again")
expect.eq(halo.ticket(ticket).status_id, 1, "the status is unchanged before the identity check")
