-- A reply that only a sensitive workflow recognises still needs the requester's identity check
-- on a run that plans nothing more. A printer ticket's Execute-mode plan ran (done); the
-- requester then replies with a form-style reset request that the sensitive policy reads as
-- harmless, but the shipped password reset workflow (sensitive = "password_reset") matches.
-- Before the screening reported matching sensitive workflows, the run was screened again and
-- nothing else happened: no challenge, no plan, no note.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("m365.lua", [[
return {{
    name = "m365.reset_password",
    description = "Test stand-in for m365.reset_password.",
    kind = "write",
    parameters = {
        user = {type = "string", required = true, description = "the user's address"},
        force_change = {type = "boolean", description = "ask for a new password"},
    },
    run = function(arguments) return {done = "m365.reset_password", user = arguments.user} end,
}}
]])
halyard.import(acme, {mode = "execute"})

-- Returns the detail of the first event of kind in the ticket's newest run, or nil.
local function event_detail(ticket, kind)
    for _, event in ipairs(halyard.runs(ticket)[1].events) do
        if event.kind == kind then
            return event.detail
        end
    end
    return nil
end

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
expect.eq(#verifier.challenges(), 0, "the printer ticket needs no challenge")

halo.reply(ticket, {user = jane, text = "Request type: Password\nAction: Reset"})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
halyard.settle()
expect.eq(#steps_run(ticket), 0, "nothing runs before the identity check")
local why = event_detail(ticket, "workflow_sensitive")
expect.truthy(why, "an event says a workflow made the run sensitive")
expect.contains(why or "", "Password reset", "the event names the workflow")
expect.contains(why or "", "password_reset", "the event names the workflow's reason")

verifier.approve(challenge)
local verified = expect.note(ticket, {contains = "identity verified"})
expect.contains(verified.text, "password_reset", "the note tells the technician the reason")
halyard.settle{timeout = 20}
expect.eq(#verifier.challenges(), 1, "one challenge for the reply")
