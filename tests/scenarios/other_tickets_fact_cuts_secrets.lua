-- Regression: the password reset workflow's fact that lists the requester's other open
-- tickets got only the credential cut, so a password typed with no credential word before it
-- ("new one is Sunshine2024!") reached another ticket's plan note, its run events and the
-- stored plan whole. And a credential word in one listed summary cut the next ticket's number
-- ("pw: ... fails; [secret removed] Printer jam"). Facts now get the quote cut, item by item.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local typed = halo.log_ticket{user = jane, summary = "new one is Sunshine2024!",
    details = "I set a new one this morning."}
local vpn = halo.log_ticket{user = jane, summary = "VPN pw: Tr0ub4dor&3 fails",
    details = "see summary"}
local printer = halo.log_ticket{user = jane, summary = "Printer jam", details = "Tray 2 jams."}
halyard.settle{timeout = 30}

local reset = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local note = expect.note(reset, {contains = "Other open tickets", timeout = 20})
expect.contains(note.text, "#" .. typed.id .. " new one is Sunshine[digits removed]!",
    "the list cuts a password typed with no credential word")
expect.contains(note.text, "#" .. vpn.id .. " VPN pw: [secret removed] fails",
    "the list cuts a password after a credential word")
expect.contains(note.text, "#" .. printer.id .. " Printer jam",
    "the list keeps the next ticket's number")

for _, run in ipairs(halyard.runs(reset)) do
    for _, event in ipairs(run.events) do
        expect.not_contains(event.detail or "", "Sunshine2024",
            "run event " .. event.kind .. " keeps no typed password")
        expect.not_contains(event.detail or "", "Tr0ub4dor",
            "run event " .. event.kind .. " keeps no typed password")
    end
end
expect.not_contains(halyard.log(), "Sunshine2024", "halyard's log keeps no typed password")
