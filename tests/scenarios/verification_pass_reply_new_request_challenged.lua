-- Execute mode: Jane passed a check for a password reset, and while the approval request waited
-- her reply asked to forward her mail to a private address. The pass covered it: no new
-- challenge, and the next request said she proved who she is. A reply that asks for a kind of
-- request the check was not for now sets the request aside and challenges her for that kind.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.tool("m365_set_forwarding.lua", {file = "fixtures/m365_set_forwarding.lua"})
halyard.workflow("mail_forwarding_write.lua", [[
return {
    name = "Mail forwarding (writes)",
    status = "active",
    scope = "all",
    sensitive = "mail_forwarding",
    trigger = "Someone asks for their mail to be forwarded.",
    match = {all = {{"forward*"}, {"mail"}}},
    instructions = "Set up the forward.",
    steps = {
        {tool = "m365.set_forwarding", kind = "write", arguments = {user = "{requester.email}"},
            purpose = "Forward the mailbox."},
    },
    samples = {
        match = {{source = "written", summary = "Forward", details = "please forward my mail"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
verifier.approve(first)
expect.note(ticket, {contains = "asks for approval"})
halyard.settle()

halo.reply(ticket, {user = jane, text = "Thanks. Also, from today please forward all my mail to "
    .. "jane.doe.home@gmail.example while I am away."})
local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.purpose, "mail forwarding", "the new challenge names the new kind")
local run = expect.run(ticket, {state = "awaiting_verification"})
local superseded = nil
for _, event in ipairs(run.events) do
    if event.kind == "approval_superseded" then
        superseded = event.detail
    end
end
expect.truthy(superseded, "the waiting request is set aside")
expect.contains(superseded, "more than the passed identity check covered",
    "the event says why the request was set aside")

-- The approval a technician writes now is not read: the request it answers was set aside.
halo.reply(ticket, {technician = sam, text = "approve", hidden = true})
halyard.settle()
expect.run(ticket, {state = "awaiting_verification"})
expect.eq(#verifier.challenges(), 2, "no third challenge for the technician's note")

verifier.approve(second)
local verified = expect.note(ticket, {contains = "(mail_forwarding)", hidden = true})
expect.contains(verified.text, "identity verified", "the second outcome note names its kind")
local request = expect.note(ticket, {contains = "m365.set_forwarding"})
expect.contains(request.text, "for these kinds of request only: password_reset, mail_forwarding",
    "the new request names both checked kinds")
expect.eq(#verifier.challenges(), 2, "one challenge per kind of request")
