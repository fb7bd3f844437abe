-- Bug: Jane's own earlier mail forwarded under Gmail's header ("---------- Forwarded message
-- ---------" then "From: Jane Doe <jane.doe@...>") was read as another person's mail. The run
-- was held without a challenge, with a note saying the request named Jane Doe as its sender,
-- not in Jane Doe's own words. A forward whose "From:" names Jane by her address or full name
-- is her own words, so she is challenged and the run is not held.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "address", from = "From: Jane Doe <jane.doe@acme.example>"},
    {name = "full name", from = "From: Jane Doe"},
}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane,
        summary = "Fwd: can't log in (" .. shape.name .. ")",
        details = "Sending this again, nobody answered.\n\n"
            .. "---------- Forwarded message ---------\n" .. shape.from .. "\n"
            .. "Date: Mon, 7 Dec 2026 at 09:12\nSubject: can't log in\n"
            .. "To: IT Helpdesk <help@msp.example>\n\n" .. request}
    local challenge = verifier.expect_challenge(ticket)
    expect.eq(challenge.request.email, "jane.doe@acme.example",
        shape.name .. ": Jane is challenged")
    expect.run(ticket, {state = "awaiting_verification"})
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("is not the requester's own", 1, true), nil,
            shape.name .. ": the run is held: " .. note.text)
    end
end
