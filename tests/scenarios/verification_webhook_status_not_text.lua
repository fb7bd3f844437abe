-- A webhook callback with "status": ["verified"] ended the check as an error whose note read
-- "the callback's status table: [digits removed] is unknown". A status that is not a text now
-- ends as error with a note saying the status must be a text and what was sent instead, and a
-- detail that is not a text is named the same way.
verifier.connect{provider = "webhook"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local cases = {
    {status = {"verified"}, shown = "a JSON array or object"},
    {status = {state = "verified"}, shown = "a JSON array or object"},
    {status = 1, shown = "a number"},
    {status = true, shown = "the JSON value true"},
}
for _, case in ipairs(cases) do
    local ticket = halo.log_ticket{user = jane, summary = "Password reset",
        details = "Please reset my password, I forgot it."}
    verifier.approve(verifier.expect_challenge(ticket), {status = case.status})
    local note = expect.note(ticket, {contains = "identity verification error"})
    expect.contains(note.text, "the callback's status must be a text such as")
    expect.contains(note.text, "but it is " .. case.shown)
    expect.not_contains(note.text, "[digits removed]")
    expect.not_contains(note.text, "is unknown")
    expect.run(ticket, {state = "verification_failed"})
end
