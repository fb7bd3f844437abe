-- A failed_team HaloPSA does not have: the note said "The ticket was assigned to team ..."
-- while HaloPSA answered 400, and the write was retried for an hour. The note now says what
-- was requested, and the rejected write ends at once with a run event naming the team.
-- The requester's name carries bidirectional controls, which must not reach the note.
verifier.connect{provider = "traceless", failed_team = "No Such Team"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane \u{202E}eoD\u{202C} Doe", client = acme,
    email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "MFA reset",
    details = "I got a new phone, please reset my MFA so I can register the authenticator again."}
verifier.deny(verifier.expect_challenge(ticket))

local note = expect.note(ticket, {contains = "identity verification failed"})
expect.contains(note.text, "asked HaloPSA to assign the ticket to team No Such Team")
expect.eq(note.text:find("\u{202E}", 1, true), nil, "U+202E is stripped from the note")
expect.eq(note.text:find("\u{202C}", 1, true), nil, "U+202C is stripped from the note")
expect.contains(note.text, "Jane eoD Doe")
expect.run(ticket, {state = "verification_failed"})
halyard.settle()

local rejected = nil
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    if event.kind == "write_failed" then
        rejected = event
    end
end
expect.truthy(rejected ~= nil, "a write_failed event records the rejected team write")
expect.contains(rejected.detail, "No Such Team")
expect.contains(rejected.detail, "HTTP 400")
expect.contains(halyard.log(), "No Such Team")
local _, rejections = halyard.log():gsub("HaloPSA rejected write", "")
expect.eq(rejections, 1, "the rejected write is sent once, not retried")
expect.eq(halyard.activity().jobs_dead, 0, "no job died")
expect.no_new_note(ticket)
