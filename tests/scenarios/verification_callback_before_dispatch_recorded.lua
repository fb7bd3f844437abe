-- A webhook provider that responds at once: its signed callback reaches halyard while halyard
-- is still waiting for the response to its dispatch, so the transaction is not stored yet.
-- halyard holds the callback and takes it up as soon as the verification is stored.
verifier.connect{provider = "webhook"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)
verifier.dispatch("approve_at_once")

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password and I am locked out. Please reset it."}

expect.logged("for a transaction not stored yet; held")
local outcome = expect.note(ticket, {contains = "identity verified"})
expect.contains(outcome.text, "Jane Doe")
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done", runs = 1})
