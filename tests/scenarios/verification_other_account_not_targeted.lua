-- "Please reset John's password" from Jane: after Jane is verified, the plan acts on nobody's
-- account by itself. The steps aimed at Jane's own account (the reset, the unlock, the reply
-- that tells her it is done) are left out, and the note tells the technician to confirm whose
-- account it is. Jane asking for her own reset still gets the full plan.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halo.user{name = "John Smith", client = acme, email = "john.smith@acme.example"}
local beta = halo.client{id = 13, name = "Beta Ltd"}
local kim = halo.user{name = "Kim Lee", client = beta, email = "kim.lee@beta.example"}
halyard.import(acme)
halyard.import(beta, {mode = "execute"})

-- Returns the steps of the ticket's plan, from the run's "planned" event.
local function planned_steps(ticket)
    local run = expect.run(ticket, {state = "done"})
    for _, event in ipairs(run.events) do
        if event.kind == "planned" then
            return json.decode(event.detail).steps
        end
    end
    expect.fail("the run has no planned event")
end

-- Returns the plan's step that uses tool, or nil.
local function step_of(steps, tool)
    for _, step in ipairs(steps) do
        if step.tool == tool then
            return step
        end
    end
    return nil
end

local ticket = halo.log_ticket{user = jane, summary = "Password reset for John",
    details = "John Smith is locked out and forgot his password. Please reset John's password "
        .. "and send it to me, I'm his manager."}
verifier.approve(verifier.expect_challenge(ticket))
local note = expect.note(ticket, {contains = "halyard plan for ticket"})
expect.contains(note.text, "another person's account", "the note names the other account")
expect.contains(note.text, "confirm whose account", "the note asks to confirm the target")

local steps = planned_steps(ticket)
expect.eq(step_of(steps, "m365.reset_password"), nil, "no reset of the requester's password")
expect.eq(step_of(steps, "ad.unlock_account"), nil, "no unlock of the requester's account")
expect.eq(step_of(steps, "halo.reply"), nil, "no reply telling the requester it is done")
for _, step in ipairs(steps) do
    expect.not_contains(json.encode(step.arguments), "jane.doe",
        step.tool .. " is not aimed at the requester's account")
end
expect.truthy(step_of(steps, "halo.get_user"), "the requester is still looked up")

-- Jane's own password: the reset is aimed at her account.
local own = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
verifier.approve(verifier.expect_challenge(own))
local own_note = expect.note(own, {contains = "halyard plan for ticket"})
expect.not_contains(own_note.text, "another person's account",
    "an own request is not called another person's")
local reset = step_of(planned_steps(own), "m365.reset_password")
expect.truthy(reset, "the own reset is planned")
expect.eq(reset.arguments.user, "jane.doe@acme.example", "the own reset targets the requester")

-- Execute mode: the reply that would tell Kim "your password has been reset" is left out, so
-- the run writes nothing aimed at her account and only the reads run.
local other = halo.log_ticket{user = kim, summary = "Password reset for John",
    details = "Please reset John's password, he forgot it. I'm his manager."}
verifier.approve(verifier.expect_challenge(other))
local finished = expect.note(other, {contains = "finished plan"})
expect.run(other, {state = "done"})
for _, action in ipairs(halo.actions(other)) do
    expect.not_contains(action.text, "Your password has been reset",
        "no reply tells the requester their password was reset")
end
expect.not_contains(finished.text, "m365.reset_password: done", "no reset ran")
expect.contains(finished.text, "m365.reset_password", "the closing note lists the left-out reset")
