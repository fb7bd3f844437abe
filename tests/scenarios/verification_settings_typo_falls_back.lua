-- A typo in one client's entry of the sensitive settings never screens that client more
-- loosely. Lint reports the entry and says what screening does meanwhile, and the client's
-- tickets are screened with the default entry (here verification = "all"), not with no
-- settings at all.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.policy("sensitive_settings.lua", [[
return {
    default = {verification = "all"},
    clients = {[12] = {model_threshold = 1}},
}
]])
halyard.import(acme)

local status, output = halyard.lint()
expect.eq(status, 1, "lint's exit status")
expect.contains(output, "clients[12].model_threshold is 1", "lint names the entry and value")
expect.contains(output, "client 12 is screened with the default entry",
    "lint says what screening does until the entry is fixed")

local printer = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
expect.run(printer, {state = "awaiting_verification", runs = 1})
verifier.expect_challenge(printer)
expect.logged("the sensitive settings are invalid")
