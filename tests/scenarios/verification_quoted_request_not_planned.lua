-- Bug: a request quoted in the requester's reply was planned as her own. Jane wrote "Bob asked
-- me to pass this on" above Bob's mail "I forgot my password, please reset it for me", was
-- challenged, passed, and the plan reset Jane's password at once (m365.* set to auto). Now the
-- plan reads only the requester's own words, and a sensitive request found only in quoted mail
-- holds the run without a challenge: every write needs approval, and a note names the sender.
-- Each quote shape that Outlook, Gmail and Apple Mail write, in text and in HTML, gets a ticket.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local bob_request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "Outlook text", text = "Bob asked me to pass this on, see below.\n\n"
        .. "-----Original Message-----\nFrom: Bob Stone\nSent: Monday 09:12\nSubject: login\n\n"
        .. bob_request},
    {name = "Outlook header block", text = "Bob asked me to pass this on.\n\n"
        .. "From: Bob Stone <bob.stone@acme.example>\nSent: Monday, 7 December 2026 09:12\n"
        .. "To: Jane Doe <jane.doe@acme.example>\nSubject: login\n\n" .. bob_request},
    {name = "Gmail text", text = "Bob asked me to pass this on.\n\n"
        .. "On Mon, 7 Dec 2026 at 09:12, Bob Stone <bob.stone@acme.example> wrote:\n> "
        .. bob_request},
    {name = "Gmail HTML", html = "<div dir=\"ltr\">Bob asked me to pass this on.</div><br>"
        .. "<div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Mon, 7 Dec 2026 "
        .. "at 09:12, Bob Stone &lt;bob.stone@acme.example&gt; wrote:<br></div>"
        .. "<blockquote class=\"gmail_quote\"><div>" .. bob_request .. "</div></blockquote></div>"},
    {name = "Apple Mail HTML", html = "<div>Bob asked me to pass this on.</div><div><br>"
        .. "<blockquote type=\"cite\"><div>On 7 Dec 2026, at 09:12, Bob Stone "
        .. "&lt;bob.stone@acme.example&gt; wrote:</div><div>" .. bob_request
        .. "</div></blockquote></div>"},
    {name = "Outlook HTML", html = "<div>Bob asked me to pass this on.</div>"
        .. "<div id=\"divRplyFwdMsg\"><b>From:</b> Bob Stone<br><b>Sent:</b> Monday 09:12<br>"
        .. "<b>Subject:</b> login</div><div>" .. bob_request .. "</div>"},
}

for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline (" .. shape.name .. ")",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "halyard", hidden = true})
    halyard.settle()

    halo.reply(ticket, {user = jane, text = shape.text, html = shape.html})
    local held = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    expect.contains(held.text, "mail quoted in Jane Doe's reply", shape.name .. ": the note says where")
    expect.contains(held.text, "names Bob Stone as its sender", shape.name .. ": the sender")
    expect.contains(held.text, "every step that writes needs a technician's approval",
        shape.name .. ": the note says what it means")
    halyard.settle{timeout = 20}
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("m365.reset_password", 1, true), nil,
            shape.name .. ": no plan resets Jane's password: " .. note.text)
    end
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for a quoted request")

-- Jane's own request above a quote still needs her check.
local own = halo.log_ticket{user = jane, summary = "Kiosk offline (own request)",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(own, {technician = sam, assign = sam})
expect.note(own, {contains = "halyard", hidden = true})
halyard.settle()
halo.reply(own, {user = jane, text = "Also please reset my password, I forgot it.\n\n"
    .. "On Mon, 7 Dec 2026 at 09:12, Sam Lead <sam@msp.example> wrote:\n> Is the kiosk back?"})
local challenge = verifier.expect_challenge(own)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged for her own request")
