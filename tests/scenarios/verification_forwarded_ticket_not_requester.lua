-- Bug: a ticket opened by forwarding a colleague's mail counted whole as the requester's
-- request. Jane forwarded Bob's "I forgot my password, please reset it for me" to the
-- helpdesk, was challenged, passed, and m365.reset_password ran at once on her account (m365.*
-- set to auto). Now the details are split as a reply is: a sensitive request found only in the
-- forwarded mail holds the run without a challenge, with a note naming Bob, and the plan leaves
-- it out. Jane's own words above a forward still need her check.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local bob_request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "Gmail forward", details = "Bob asked me to pass this on.\n\n"
        .. "---------- Forwarded message ---------\n"
        .. "From: Bob Stone <bob.stone@acme.example>\nDate: Mon, 7 Dec 2026 at 09:12\n"
        .. "Subject: can't log in\nTo: Jane Doe <jane.doe@acme.example>\n\n" .. bob_request},
    {name = "Apple forward", details = "Bob asked me to pass this on.\n\n"
        .. "Begin forwarded message:\n\nFrom: Bob Stone <bob.stone@acme.example>\n"
        .. "Subject: can't log in\nDate: 7 December 2026 at 09:12:00 GMT\n\n" .. bob_request},
    {name = "Outlook original message", details = "Bob asked me to pass this on.\n\n"
        .. "-----Original Message-----\nFrom: Bob Stone\nSent: Monday 09:12\n"
        .. "Subject: can't log in\n\n" .. bob_request},
    {name = "Outlook header block", details = "Bob asked me to pass this on.\n\n"
        .. "From: Bob Stone <bob.stone@acme.example>\nSent: Monday, 7 December 2026 09:12\n"
        .. "To: Jane Doe <jane.doe@acme.example>\nSubject: can't log in\n\n" .. bob_request},
    -- A forward with no header block was read as Jane's own words: a separator line alone, or
    -- the forwarded subject line in the body.
    {name = "separator alone", details = "Bob asked me to pass this on.\n\nForwarded message\n"
        .. bob_request, no_sender = true},
    {name = "subject in body", details = "Bob asked me to pass this on.\n\nFW: can't log in\n\n"
        .. bob_request, no_sender = true},
}

for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Fwd: can't log in (" .. shape.name
        .. ")", details = shape.details}
    halo.update(ticket, {technician = sam, assign = sam})
    local hold_note = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    if not shape.no_sender then
        expect.contains(hold_note.text, "names Bob Stone as its sender",
            shape.name .. ": the sender")
    end
    -- The note named "mail quoted in Jane Doe's reply" for a forward in the details, which is
    -- not a reply.
    expect.contains(hold_note.text,
        "mail that Jane Doe forwarded or quoted in the ticket's details",
        shape.name .. ": where the request is")
    expect.eq(hold_note.text:find("reply", 1, true), nil, shape.name .. ": no reply is named")
    expect.contains(hold_note.text, "every step that writes needs a technician's approval",
        shape.name .. ": the note says what it means")
    halyard.settle{timeout = 20}
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("m365.reset_password: done", 1, true), nil,
            shape.name .. ": Jane's password is not reset: " .. note.text)
    end
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for a forwarded request")

-- Jane's own request above the forward is hers.
local own = halo.log_ticket{user = jane, summary = "Fwd: kiosk offline",
    details = "Please reset my password too, I forgot it.\n\n"
        .. "---------- Forwarded message ---------\nFrom: Bob Stone <bob.stone@acme.example>\n"
        .. "Date: Mon, 7 Dec 2026 at 09:12\n\nThe visitor kiosk in reception is blank."}
halo.update(own, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(own)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged for her own request")
