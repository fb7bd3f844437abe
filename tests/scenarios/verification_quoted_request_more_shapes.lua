-- Bug: a colleague's request pasted into the requester's reply without a quote marker counted
-- as her own words. The shapes were an attribution without its ":", a Teams or Slack paste, an
-- indented block, and quotation marks after "Bob said". Jane was challenged for Bob's request,
-- and once she passed, m365.reset_password ran on her account (m365.* set to auto). Now each
-- shape is quoted mail: no challenge, a hold note that puts the request in mail quoted in
-- Jane's reply, and no plan that resets her password. Jane's own request written below such a
-- quote is still hers and gets her challenge.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local bob_request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "attribution without colon", text = "Bob asked me to pass this on.\n\n"
        .. "On Mon, 7 Dec 2026 at 09:12 Bob Stone wrote\n" .. bob_request},
    {name = "attribution over two lines", text = "Bob asked me to pass this on.\n\n"
        .. "On Mon, 7 Dec 2026 at 09:12 Bob Stone\n<bob.stone@acme.example> wrote\n"
        .. bob_request},
    {name = "Teams paste", text = "Can you help Bob with this?\n\n[09:12] Bob Stone\n"
        .. bob_request},
    {name = "Slack paste", text = "Can you help Bob with this?\n\nBob Stone 9:12 AM\n"
        .. bob_request},
    {name = "indented block", text = "Bob sent me this:\n\n    " .. bob_request
        .. "\n    Bob\n\nCan you help him?"},
    {name = "reported quotation", text = "Bob said: \"" .. bob_request .. "\""},
}

for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline (" .. shape.name .. ")",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "halyard", hidden = true})
    halyard.settle()

    halo.reply(ticket, {user = jane, text = shape.text})
    local hold_note = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    expect.contains(hold_note.text, "mail quoted in Jane Doe's reply", shape.name .. ": where")
    -- A made-up quote line above the requester's own request fails the same safe way: the
    -- request is held for a technician, not let through.
    expect.contains(hold_note.text, "every step that writes needs a technician's approval",
        shape.name .. ": writes need approval")
    halyard.settle{timeout = 20}
    for _, note in ipairs(halyard.notes(ticket)) do
        expect.eq(note.text:find("m365.reset_password", 1, true), nil,
            shape.name .. ": no plan resets Jane's password: " .. note.text)
    end
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for a quoted request")

-- Jane's own request below an indented quote and below a chat paste is hers.
local own_shapes = {
    {name = "below indented block", text = "Bob sent me this:\n\n    The kiosk is blank again."
        .. "\n\nPlease reset my password too, I forgot it."},
    {name = "below chat paste", text = "[09:12] Bob Stone\nThe kiosk is blank again.\n\n"
        .. "Please reset my password too, I forgot it."},
}
for _, shape in ipairs(own_shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline (" .. shape.name .. ")",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "halyard", hidden = true})
    halyard.settle()

    halo.reply(ticket, {user = jane, text = shape.text})
    local challenge = verifier.expect_challenge(ticket)
    expect.eq(challenge.request.email, "jane.doe@acme.example",
        shape.name .. ": Jane is challenged for her own request")
end
