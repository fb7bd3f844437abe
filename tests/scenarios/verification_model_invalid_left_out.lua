-- Lint reports an MSP's learned model file that the sensitive policy rejects, naming the wrong
-- field. Screening goes on with the rules alone, so a printer jam gets its plan and a password
-- reset still waits for the requester.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.policy("sensitive_model.lua", [[
return {buckets = 300, weights = "", scale = 1, bias = 8, threshold = 0.9}
]])
halyard.import(acme)

local status, output = halyard.lint()
expect.eq(status, 1, "lint's exit status")
expect.contains(output, "sensitive_model.lua:", "lint names the file")
expect.contains(output, "model.buckets is 300", "lint names the field")

local printer = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
expect.note(printer, {contains = "halyard plan for ticket"})
expect.run(printer, {state = "done"})
expect.eq(#verifier.challenges(), 0, "a printer jam needs no verification")

local reset = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
expect.run(reset, {state = "awaiting_verification"})
