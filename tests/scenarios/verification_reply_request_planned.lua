-- A request the requester makes in a reply is planned once they pass the check it caused. A
-- printer ticket's Execute-mode run was done when the requester replied "also please reset my
-- password". The reply made the run sensitive and the requester passed the check, but the run
-- was planned again from the summary and details only: the reset workflow did not match, and
-- the technician got the "identity verified" note and nothing else.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

-- Returns the names of the m365 steps that ran, from the ticket's notes.
local function steps_run(ticket)
    local ran = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        for step in note.text:gmatch("(m365%.[%w_]+): done") do
            ran[#ran + 1] = step
        end
    end
    return ran
end

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
halo.update(ticket, {technician = sam, assign = sam})
expect.run(ticket, {state = "done", runs = 1})

-- Step 1: the requester asks for a reset in a reply; nothing runs before the check.
halo.reply(ticket, {user = jane,
    text = "Thanks. Also, I forgot my password, please reset it and send me a new one."})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
halyard.settle()
expect.eq(#steps_run(ticket), 0, "nothing runs before the identity check")

-- Step 2: once she passes, the plan has the reset she asked for, on her account.
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
local request = expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.contains(request.text, "Password reset", "the reset workflow matched the reply")
expect.contains(request.text, "jane.doe@acme.example", "the steps act on the requester's account")
halyard.settle{timeout = 20}
local ran = steps_run(ticket)
expect.eq(#ran, 1, "the reset ran once after the check")
expect.eq(ran[1], "m365.reset_password", "the reset ran")
expect.eq(#verifier.challenges(), 1, "one challenge for the reply")
