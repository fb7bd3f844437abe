-- Bug: another person's request pasted into the requester's ticket in these shapes counted as
-- her own request, so Jane was challenged for Bob's password reset, and m365.reset_password
-- (auto here) would have run on her account once she passed. The shapes are a quote arrow
-- after his name, a quoted attribution above lines without quote marks, "From Bob Stone:" and
-- "wrote" with a date. His name in small capitals or fullwidth letters, a request Jane writes
-- for him, and an address that only starts with hers did the same. Each is now Bob's: no
-- challenge, a hold note. Jane's own line in small capitals still gets her challenge.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "name and arrow", details = "See below.\n\nBob Stone > " .. request},
    {name = "name and unicode arrow", details = "Bob Stone \u{2192} " .. request},
    {name = "quoted attribution", details = "> Bob Stone wrote:\n" .. request},
    {name = "from and name", details = "From Bob Stone: " .. request},
    {name = "wrote with a date", details = "Bob Stone wrote on Thu, 3 Dec 2026 09:14:\n\n"
        .. request},
    {name = "small capitals", details = "\u{0299}\u{1D0F}\u{0299} \u{A731}\u{1D1B}\u{1D0F}"
        .. "\u{0274}\u{1D07}: " .. request},
    {name = "fullwidth letters", details = "\u{FF22}\u{FF4F}\u{FF42} \u{FF33}\u{FF54}\u{FF4F}"
        .. "\u{FF4E}\u{FF45}: " .. request},
    {name = "written for him", details = "Jane Doe on behalf of Bob Stone: " .. request},
    {name = "longer address", details = "jane.doe@acme.example.evil.example: " .. request},
}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Message from Bob",
        details = shape.details}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    halyard.settle{timeout = 20}
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("m365.reset_password: done", 1, true), nil,
            shape.name .. ": a reset ran on Jane's account")
    end
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's requests")

-- Her own name in small capitals is hers, so her request gets her challenge.
local own = halo.log_ticket{user = jane, summary = "Locked out",
    details = "\u{1D0A}\u{1D00}\u{0274}\u{1D07} \u{1D05}\u{1D0F}\u{1D07}: " .. request}
halo.update(own, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(own)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged for her line")
