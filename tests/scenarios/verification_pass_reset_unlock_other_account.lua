-- A passed check for Jane's password reset covers an unlock of her own account only. A reply
-- asking to unlock a colleague's account makes the request another person's, so it still
-- challenges her.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
local first = verifier.expect_challenge(ticket)
verifier.approve(first)
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

halo.reply(ticket, {user = jane, text = "Thanks. My colleague Bob Stone is locked out too, "
    .. "please unlock his account as well."})
verifier.expect_challenge(ticket, {after = first})
local run = expect.run(ticket, {state = "awaiting_verification"})
local rescreened = nil
for _, event in ipairs(run.events) do
    if event.kind == "rescreened" then
        rescreened = event.detail
    end
end
expect.truthy(rescreened, "the reply was screened again")
expect.contains(rescreened, "another person's account", "the event names what is new")
