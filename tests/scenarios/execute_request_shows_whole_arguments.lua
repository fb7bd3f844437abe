-- An approval request shows each step's arguments whole: a 5,000-byte note is there to its
-- last character. A step whose arguments are longer than a request shows (16 KiB) is never
-- asked for: the run stops, incomplete, with a note naming the step, and nothing runs. An
-- argument with characters a note does not show (a text-direction control, a zero-width
-- space) is flagged.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
local function workflow(name, word, note)
    return string.format([[
return {
    name = %q,
    status = "active",
    scope = "all",
    trigger = "A visitor %s is offline.",
    match = {all = {{%q}}},
    instructions = "Note the restart.",
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"}, purpose = "Who."},
        {tool = "halo.add_note", arguments = {note = %q}, purpose = "Record the restart."},
    },
    samples = {
        match = {{source = "written", summary = "%s offline", details = "down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]], name, word, word .. "*", note, word)
end
local long_note = string.rep("0123456789", 500) .. " END-OF-NOTE"
local too_long_note = string.rep("abcdefghij", 1700)
halyard.workflow("kiosk_offline.lua", workflow("Kiosk offline", "kiosk", long_note))
halyard.workflow("screen_offline.lua", workflow("Screen offline", "screen", too_long_note))
halyard.workflow("printer_offline.lua", workflow("Printer offline", "printer",
    "Restarted \u{202E}gnp.exe"))
halyard.workflow("monitor_offline.lua", workflow("Monitor offline", "monitor",
    "Restarted the monitor\u{200B}"))
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception is dark."}
halo.update(ticket, {technician = sam, assign = sam})
local request = expect.note(ticket, {contains = "asks for approval"})
expect.contains(request.text, long_note, "the whole note, to its last character")

local screen = halo.log_ticket{user = jane, summary = "Screen offline",
    details = "The lobby screen shows nothing."}
halo.update(screen, {technician = sam, assign = sam})
local stopped = expect.note(screen, {contains = "too long to show"})
expect.run(screen, {state = "incomplete"})
expect.contains(stopped.text, "step 2")
expect.contains(stopped.text, "halo.add_note")
expect.contains(stopped.text, "are 17011 bytes long")
expect.contains(stopped.text, "16384 bytes a step")
expect.contains(stopped.text, "Not run")
for _, note in ipairs(halyard.notes(screen)) do
    expect.not_contains(note.text, "asks for approval:", "no request for a step it cannot show")
    expect.not_contains(note.text, "abcdefghijabcdefghijabcdefghij", "the note text is not posted")
end
expect.no_new_note(screen)

local printer = halo.log_ticket{user = jane, summary = "Printer offline",
    details = "The printer on floor 2 is dark."}
halo.update(printer, {technician = sam, assign = sam})
local flagged = expect.note(printer, {contains = "asks for approval:"})
expect.contains(flagged.text, "also contain invisible characters")

local monitor = halo.log_ticket{user = jane, summary = "Monitor offline",
    details = "The lobby monitor is dark."}
halo.update(monitor, {technician = sam, assign = sam})
local zero_width = expect.note(monitor, {contains = "asks for approval:"})
expect.contains(zero_width.text, "also contain invisible characters")
expect.not_contains(request.text, "invisible characters", "plain arguments are not flagged")
