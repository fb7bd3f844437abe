-- Bug: a colleague's request quoted under an attribution line in another language than English,
-- French, German or Dutch counted as the requester's own words. Jane replied above Bob's mail
-- quoted under "El lun, ..., Bob Stone <bob.stone@acme.example> escribió:", was challenged,
-- passed, and m365.reset_password ran at once on her account (m365.* set to auto). Now an
-- attribution is any line that names a sender by address and a date and ends with ":", or has
-- an attribution verb of a European language, and a block with a left border in HTML quotes
-- too. Each shape gets a ticket: no challenge, a hold note (naming Bob Stone for the text
-- shapes), and no plan that resets Jane's password.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local bob_request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "Spanish", text = "Bob me pidió que lo reenviara.\n\n"
        .. "El lun, 7 dic 2026 a las 9:12, Bob Stone <bob.stone@acme.example> escribió:\n"
        .. bob_request},
    {name = "Italian", text = "Bob mi ha chiesto di inoltrarlo.\n\n"
        .. "Il giorno lun 7 dic 2026 alle 09:12 Bob Stone <bob.stone@acme.example> ha scritto:\n"
        .. bob_request},
    {name = "Swedish", text = "Bob bad mig skicka vidare.\n\n"
        .. "Den mån 7 dec. 2026 kl 09:12 skrev Bob Stone <bob.stone@acme.example>:\n"
        .. bob_request},
    {name = "Polish", text = "Bob poprosił, żebym to przekazała.\n\n"
        .. "W dniu 7.12.2026 o 09:12, Bob Stone napisał:\n" .. bob_request},
    {name = "Outlook blank lines", text = "Bob asked me to pass this on.\n\n"
        .. "From: Bob Stone <bob.stone@acme.example>\n\n\n\n\n\nSent: Monday 09:12\n\n"
        .. bob_request},
    {name = "left border HTML", html = "<div>Bob asked me to pass this on.</div>"
        .. "<div style=\"border-left:2px solid #1010ff;padding-left:6px\"><div>"
        .. "Bob Stone &lt;bob.stone@acme.example&gt;, Monday 09:12:</div><div>" .. bob_request
        .. "</div></div>"},
}

for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline (" .. shape.name .. ")",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "halyard", hidden = true})
    halyard.settle()

    halo.reply(ticket, {user = jane, text = shape.text, html = shape.html})
    local hold_note = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    expect.contains(hold_note.text, "mail quoted in Jane Doe's reply", shape.name .. ": where")
    if shape.text ~= nil then
        expect.contains(hold_note.text, "names Bob Stone as its sender", shape.name .. ": sender")
    end
    halyard.settle{timeout = 20}
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("m365.reset_password", 1, true), nil,
            shape.name .. ": no plan resets Jane's password: " .. note.text)
    end
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for a quoted request")
