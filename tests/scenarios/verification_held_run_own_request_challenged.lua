-- Bug: a run held because the sensitive request was another end user's (Bob's reply on Jane's
-- ticket: no challenge, every write needs approval) was never screened again. When Jane then
-- asked for a password reset in her own reply, she was not challenged, and the plan went on
-- with only the technician's approval between her request and the reset. Her own request now
-- gets her challenge: the run waits for it, an approval written meanwhile runs nothing, and the
-- run is planned only once she passed.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "halyard", hidden = true})
halyard.settle()

-- Step 1: Bob asks for his own reset on Jane's ticket. Jane is not challenged for it.
halo.reply(ticket, {user = bob, text = "I forgot my password, please reset it for me."})
expect.note(ticket, {contains = "is not the requester's own", hidden = true})
halyard.settle{timeout = 20}
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's request")

-- Step 2: Jane asks for a reset of her own password in her own reply.
halo.reply(ticket, {user = jane, text = "I forgot my password as well, please reset it."})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged")
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local run = halyard.runs(ticket)[1]
local rescreened = nil
for _, event in ipairs(run.events) do
    if event.kind == "rescreened" then
        rescreened = event
    end
end
expect.contains(rescreened.detail, "the requester's own words now ask for something sensitive",
    "the run's event says why it waits")

-- An approval written while Jane is checked runs nothing.
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.no_new_note(ticket, {advance = false})
expect.run(ticket, {state = "awaiting_verification"})
for _, note in ipairs(halyard.notes(ticket)) do
    expect.eq(note.text:find("finished plan", 1, true), nil, "no step ran: " .. note.text)
end

-- Step 3: Jane passes, and only then is the run planned. Bob's reply is still on the ticket,
-- so every write of the new plan waits for the technician's approval.
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()
for _, note in ipairs(halyard.notes(ticket)) do
    expect.eq(note.text:find("finished plan", 1, true), nil, "no step ran: " .. note.text)
end
expect.eq(#verifier.challenges(), 1, "one challenge, for Jane's own request")
