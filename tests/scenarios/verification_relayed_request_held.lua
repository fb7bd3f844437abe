-- Bug: another person's request relayed in the requester's ticket without quote marks counted
-- as hers: "Message from Bob Stone:", a voicemail transcript's "Voicemail from Bob Stone", or
-- a web form whose "Requested for" field names Bob. Jane was challenged for Bob's password
-- reset, passed, and m365.reset_password (auto here) ran on her account. Such a line now
-- starts mail that is not hers: no challenge, a hold note, every write needs approval.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local request = "I forgot my password, please reset it for me."
local shapes = {
    {summary = "Message", details = "Message from Bob Stone:\n" .. request},
    {summary = "Voicemail", details = "Voicemail from Bob Stone (ext 214):\n" .. request},
    {summary = "Portal request",
        details = "Name: Jane Doe\nRequested for: Bob Stone\nMessage: " .. request},
}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = shape.summary, details = shape.details}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    halyard.settle{timeout = 20}
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("m365.reset_password: done", 1, true), nil,
            shape.summary .. ": a reset ran on Jane's account")
    end
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's requests")
