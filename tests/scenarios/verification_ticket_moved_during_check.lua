-- A sensitive ticket waits for its requester's identity check, then a technician moves it to a
-- client halyard does not work. The old client's run stops with a hidden note, and the check
-- ending later at its deadline posts no outcome note and moves no run: the ticket is no longer
-- that client's.
verifier.connect{provider = "traceless", timeout_s = 300}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local globex = halo.client{id = 13, name = "Globex Corp"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local hank = halo.user{name = "Hank Scorpio", client = globex, email = "hank@globex.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Account locked",
    details = "My account is locked out after too many attempts, please unlock it."}
local challenge = verifier.expect_challenge(ticket)
verifier.timeout(challenge)
expect.run(ticket, {state = "awaiting_verification"})

halo.update(ticket, {technician = sam, requester = hank})
local note = expect.note(ticket, {contains = "the ticket moved to another client", hidden = true})
expect.contains(note.text, "ran none of the steps")

clock.advance("6m")
halyard.settle{timeout = 20}
local by_client = {}
for _, run in ipairs(halyard.runs(ticket)) do
    by_client[run.client_id] = run
end
expect.eq(by_client[12].state, "stopped", "Acme's run")
expect.eq(by_client[13].state, "skipped", "the ticket for Globex")
expect.eq(#halyard.notes(ticket), 1, "halyard's notes after the check's deadline")
