-- The sensitive policy's learned model adds to its rules: a ticket the rules pass is sensitive
-- when the model is sure enough, and the requester is challenged before the agent plans. The
-- MSP's own model file here is sure of every ticket (a high bias, no weights), so the test
-- does not depend on what the shipped model learned.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.policy("sensitive_model.lua", [[
return {buckets = 256, weights = string.rep("\0", 512), scale = 1, bias = 8, threshold = 0.9}
]])
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}

-- The run waits from the screening on; the dispatch's event follows once the provider responded.
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
local run = expect.run(ticket, {state = "awaiting_verification", runs = 1})
local dispatched = nil
for _, event in ipairs(run.events) do
    if event.kind == "verification_dispatched" then
        dispatched = event
    end
end
expect.truthy(dispatched, "the challenge was sent")
expect.contains(dispatched.detail, "found likely_sensitive", "the model's reason is recorded")
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.run(ticket, {state = "done", runs = 1})
