-- A passed check covers only the person challenged. The agent acts on the ticket's e-mail
-- address ({requester.email}, from user_email), and the challenge goes to the address on file
-- for the ticket's HaloPSA user. Before this check, Jane passed and m365.reset_password ran on
-- John's address when the ticket carried it, and John passed and Jane's password was reset when
-- the ticket's user became John but user_email kept Jane's. Now a ticket whose address is not
-- the challenged user's stops with a note naming both addresses, and no step runs.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local john = halo.user{id = 78, name = "John Smith", client = acme,
    email = "john.smith@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto"}, clients = {} } ]])
halyard.tool("stand_ins.lua", [[
local function tool(name, kind)
    return {
        name = name,
        description = "Test stand-in for " .. name .. ".",
        kind = kind,
        parameters = {user = {type = "string", required = true, description = "the account"},
            force_change = {type = "boolean", description = "ask for a new password"}},
        run = function(arguments) return {done = name, user = arguments.user} end,
    }
end
return {tool("m365.reset_password", "write"), tool("m365.list_auth_methods", "read"),
    tool("m365.require_mfa_reregistration", "write"), tool("m365.revoke_sessions", "write")}
]])
halyard.import(acme, {mode = "execute"})

-- Returns how many events of kind the ticket's newest run has.
local function events_of(ticket, kind)
    local count = 0
    for _, event in ipairs(halyard.runs(ticket)[1].events) do
        if event.kind == kind then
            count = count + 1
        end
    end
    return count
end

-- Case 1: the ticket is logged for Jane with John's address, as an e-mail connector may store
-- it. Nobody is challenged, and the error note names both addresses.
local logged = halo.log_ticket{user = jane, email = "john.smith@acme.example",
    summary = "Password reset", details = "I forgot my password, please reset it."}
local logged_note = expect.note(logged, {contains = "identity verification error"})
expect.contains(logged_note.text, "john.smith@acme.example", "the note names the ticket's address")
expect.contains(logged_note.text, "jane.doe@acme.example", "the note names the address on file")
expect.contains(logged_note.text, "correct the ticket's e-mail address", "the note says the fix")
expect.run(logged, {state = "verification_failed"})
expect.eq(#verifier.challenges(), 0, "nobody is challenged")
expect.eq(events_of(logged, "planned"), 0, "nothing is planned")

-- Case 2: while Jane's check waits, the ticket's address becomes John's and its user stays
-- Jane. Her check does not count, she is not challenged again, and her pass runs nothing.
local retarget = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local waiting = verifier.expect_challenge(retarget)
expect.eq(waiting.request.email, "jane.doe@acme.example", "Jane is challenged")
halo.update(retarget, {technician = sam, email = "john.smith@acme.example"})
local changed = expect.note(retarget, {contains = "is not the challenged user's", hidden = true})
expect.contains(changed.text, "john.smith@acme.example", "the note names the ticket's address")
expect.contains(changed.text, "jane.doe@acme.example", "the note names the address on file")
expect.contains(changed.text, "has not answered yet", "the note says when")
expect.note(retarget, {contains = "identity verification error"})
expect.run(retarget, {state = "verification_failed"})
verifier.approve(waiting)
expect.no_new_note(retarget)
expect.eq(#verifier.challenges(), 1, "Jane is not challenged again")
expect.eq(events_of(retarget, "planned"), 0, "nothing is planned after her pass")

-- Case 3: Jane's ticket carries her own address, and its user becomes John. John is not
-- challenged while the ticket's address is Jane's, so his pass cannot reset her password.
local moved = halo.log_ticket{user = jane, email = "jane.doe@acme.example",
    summary = "Password reset", details = "I forgot my password, please reset it."}
local jane_check = verifier.expect_challenge(moved)
halo.update(moved, {technician = sam, requester = john})
expect.note(moved, {contains = "the requester changed", hidden = true})
local moved_note = expect.note(moved, {contains = "identity verification error"})
expect.contains(moved_note.text, "jane.doe@acme.example", "the note names the ticket's address")
expect.contains(moved_note.text, "john.smith@acme.example", "the note names John's address")
expect.run(moved, {state = "verification_failed"})
expect.eq(#verifier.challenges(), 2, "John is not challenged")
verifier.approve(jane_check)
expect.no_new_note(moved)
expect.eq(events_of(moved, "planned"), 0, "nothing is planned")

-- Case 4, MFA: Jane passes and the plan for her account waits for the technician's approval.
-- The ticket's address then becomes John's: the run stops, and the approval runs nothing.
local mfa = halo.log_ticket{user = jane, summary = "MFA reset",
    details = "I got a new phone, please reset my MFA so I can register the authenticator again."}
halo.update(mfa, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(mfa))
local request = expect.note(mfa, {contains = "asks for approval"})
expect.contains(request.text, "m365.require_mfa_reregistration", "the MFA step waits")
expect.contains(request.text, "jane.doe@acme.example", "the MFA step is aimed at Jane")
halo.update(mfa, {technician = sam, email = "john.smith@acme.example"})
local mfa_changed = expect.note(mfa, {contains = "is not the challenged user's", hidden = true})
expect.contains(mfa_changed.text, "and passed", "the note says the check had passed")
expect.note(mfa, {contains = "identity verification error"})
expect.run(mfa, {state = "verification_failed"})
expect.eq(events_of(mfa, "approval_superseded"), 1, "the request for Jane's plan is set aside")
halo.reply(mfa, {technician = sam, text = "Approved, go ahead.", hidden = true})
expect.no_new_note(mfa, {advance = false})
expect.run(mfa, {state = "verification_failed"})

-- Control: an address that differs from the one on file only in case and spaces is Jane's,
-- and the reset runs on her account.
local own = halo.log_ticket{user = jane, email = " Jane.Doe@ACME.example",
    summary = "Password reset", details = "I forgot my password, please reset it."}
halo.update(own, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(own))
expect.note(own, {contains = "identity verified"})
expect.note(own, {contains = "asks for approval"})
halo.reply(own, {technician = sam, text = "Approved, go ahead.", hidden = true})
local finished = expect.note(own, {contains = "finished plan"})
expect.contains(finished.text, "m365.reset_password: done", "the reset ran")
expect.contains(finished.text:lower(), "jane.doe@acme.example", "the reset ran on Jane's account")
