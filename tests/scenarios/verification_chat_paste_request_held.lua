-- Bug: a chat pasted into the requester's ticket with another person's name and a colon
-- leading his line, and no time ("Bob Stone: please reset my password"), counted as her own
-- request. Jane was challenged for Bob's password reset, passed, and m365.reset_password (auto
-- here) ran on her account. Such a line is now Bob's: no challenge, a hold note, every write
-- needs approval. Jane's own line in the paste, led by her name, still gets her challenge.
-- The same holds for a name with a title, particles, in capitals, in lowercase in a chat, after
-- a full-width colon, in Chinese, before a dash, and for a name that only starts with Jane's.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "name and colon", details = "See the chat below.\n\nBob Stone: " .. request},
    {name = "first name in a chat", details = "Pasted from our Teams chat:\nBob: " .. request},
    {name = "name in brackets", details = "[Bob Stone] " .. request},
    {name = "name said", details = "Bob Stone said: " .. request},
    {name = "name above time", details = "Bob Stone\n10:14 AM\n" .. request},
    {name = "title", details = "Pasted from our Teams chat:\nDr. Bob Stone: " .. request},
    {name = "particles", details = "Pasted from our Teams chat:\nBob van der Berg: " .. request},
    {name = "capitals", details = "Pasted from our Teams chat:\nBOB STONE: " .. request},
    {name = "full-width colon", details = "Pasted from our Teams chat:\nBob Stone\u{FF1A}"
        .. request},
    {name = "lowercase in a chat", details = "Pasted from our Teams chat:\nbob stone: " .. request},
    {name = "longer surname", details = "Jane Doe-Smith: " .. request},
    {name = "chinese name", details = "\u{674E}\u{4F1F}: " .. request},
    {name = "name dash message", details = "Bob Stone - " .. request},
}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Chat with Bob", details = shape.details}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    halyard.settle{timeout = 20}
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("m365.reset_password: done", 1, true), nil,
            shape.name .. ": a reset ran on Jane's account")
    end
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's requests")

-- Bug: Jane's own line below Bob's was quoted with his, so her request was held.
local own = halo.log_ticket{user = jane, summary = "Chat with Bob",
    details = "Bob Stone: is the kiosk in reception working for you?\nJane Doe: no, and "
        .. request}
halo.update(own, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(own)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged for her line")

-- Jane's own line in capitals-and-lowercase chat shapes is hers too.
local shouted = halo.log_ticket{user = jane, summary = "Chat with Bob",
    details = "Pasted from our Teams chat:\nBOB STONE: is the kiosk in reception working?\n"
        .. "jane doe\u{FF1A} no, and " .. request}
halo.update(shouted, {technician = sam, assign = sam})
challenge = verifier.expect_challenge(shouted)
expect.eq(challenge.request.email, "jane.doe@acme.example",
    "Jane is challenged for her lowercase line")
