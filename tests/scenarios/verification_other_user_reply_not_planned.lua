-- Only the requester's own replies are planned. Bob, another end user of the client, replies on
-- Jane's kiosk ticket "please reset my password", and a technician notes the same for Jane.
-- Bob's request is not Jane's, so Jane is not challenged for it: the run is held with every
-- write needing approval, a note names Bob, and the plan must not reset a password, because
-- the steps would act on Jane's account for a request she never made.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

-- No workflow that resets a password matches the kiosk, so a reset in a later plan comes from
-- the replies.
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "halyard", hidden = true})
halyard.settle()

-- Step 1: a technician's note and another end user's reply ask for a reset.
halo.reply(ticket, {technician = sam, hidden = true,
    text = "Jane forgot her password too, please reset it."})
halo.reply(ticket, {user = bob, text = "I forgot my password, please reset it for me."})

-- Step 2: Jane is not challenged. Nothing resets a password, and a note names Bob.
local held = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
expect.contains(held.text, "Bob Stone", "the note names Bob")
halyard.settle{timeout = 20}
for _, note in ipairs(halyard.notes(ticket)) do
    expect.eq(note.text:find("m365.reset_password", 1, true), nil,
        "no plan has the reset: " .. note.text)
    expect.eq(note.text:find("Password reset", 1, true), nil,
        "the reset workflow did not match: " .. note.text)
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's request")
